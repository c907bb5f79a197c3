// /help [command]: what the bot knows and how to ask, generated from the same registry the adapters use.
import { UserError } from "../errors.js";
import { exampleWhoQuery } from "./examples.js";
import type { ReplySection } from "../reply.js";
import { usageOf } from "./parse.js";
import type { CommandRegistry } from "./registry.js";
import type { CommandSpec, ReplyDraft } from "./types.js";

function usage(spec: CommandSpec): string[] {
  if (spec.subcommands.length > 0) return spec.subcommands.map((s) => `\`/${spec.name} ${s.name}\`: ${s.description}`);
  const examples = spec.examples?.length ? `, for example ${spec.examples.map((e) => `\`${e}\``).join(" or ")}` : "";
  return [`\`${usageOf(spec)}\`${examples}`];
}

function section(spec: CommandSpec): ReplySection {
  return { heading: `/${spec.name}: ${spec.description}`, items: usage(spec) };
}

export function helpCommand(registry: () => CommandRegistry): CommandSpec {
  return {
    name: "help",
    description: "What the bot knows and how to ask",
    subcommands: [],
    options: [{ name: "command", description: "A command to explain, e.g. who", required: false }],
    examples: ["/help who"],
    run(invocation, { content }): ReplyDraft {
      const all = registry().commands;
      const wanted = invocation.options["command"]?.replace(/^\//, "").toLowerCase();
      const shown = wanted ? all.filter((c) => c.name === wanted) : all;
      if (wanted && shown.length === 0) {
        const guess = registry().nearest(wanted);
        throw new UserError("unknown-command", `There is no command “/${wanted}” to explain.`, {
          hint: `I answer ${all.map((c) => `/${c.name}`).join(", ")}.`,
          suggestions: guess ? [{ label: `/help ${guess}`, commandLine: `/help ${guess}` }] : [],
        });
      }
      return {
        tone: "answer",
        title: wanted ? `How to use /${wanted}` : "What I can tell you",
        lead: wanted
          ? undefined
          : "I answer from news stories kept by editors, never from my own words. Every answer names its sources and says when the content was last updated.",
        sections: shown.map(section),
        sources: [],
        updated: content.updatedAt,
        actions: [],
        footer: wanted ? "All commands: /help" : `Try /${content.stories[0]?.command ?? "help"} summary or /who ${exampleWhoQuery(content)}`,
      };
    },
  };
}
