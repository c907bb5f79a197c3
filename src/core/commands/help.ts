// /help [command]: what the bot knows and how to ask, generated from the same catalogue the adapters use.
import { UserError } from "../errors.js";
import type { ReplySection } from "../reply.js";
import type { CommandCatalogue } from "./catalogue.js";
import { exampleWhoQuery } from "./examples.js";
import { CommandNames } from "./names.js";
import { usageOf } from "./parse.js";
import type { CommandSpec, ReplyDraft } from "./types.js";

function usage(spec: CommandSpec, names: CommandNames): string[] {
  const command = names.slash(spec.name);
  if (spec.subcommands.length > 0) return spec.subcommands.map((s) => `\`${command} ${s.name}\`: ${s.description}`);
  // Examples are written with core names; only their leading command is the platform's to rename.
  const shownExamples = (spec.examples ?? []).map((e) =>
    e === `/${spec.name}` || e.startsWith(`/${spec.name} `) ? command + e.slice(spec.name.length + 1) : e,
  );
  const examples = shownExamples.length > 0 ? `, for example ${shownExamples.map((e) => `\`${e}\``).join(" or ")}` : "";
  return [`\`${usageOf(spec, undefined, names)}\`${examples}`];
}

function section(spec: CommandSpec, names: CommandNames): ReplySection {
  return { heading: `${names.slash(spec.name)}: ${spec.description}`, items: usage(spec, names) };
}

export function helpCommand(catalogue: () => CommandCatalogue): CommandSpec {
  return {
    name: "help",
    description: "What the bot knows and how to ask",
    subcommands: [],
    options: [{ name: "command", description: "A command to explain, e.g. who", required: false }],
    examples: ["/help who"],
    run(invocation, { content, names = CommandNames.core }): ReplyDraft {
      const all = catalogue().commands;
      const typed = invocation.options["command"]?.replace(/^\//, "").toLowerCase();
      const wanted = typed === undefined ? undefined : names.coreName(typed);
      const shown = wanted ? all.filter((c) => c.name === wanted) : all;
      if (typed && shown.length === 0) {
        const guess = catalogue().nearest(typed);
        throw new UserError("unknown-command", `There is no command “/${typed}” to explain.`, {
          hint: `I answer ${all.map((c) => names.slash(c.name)).join(", ")}.`,
          suggestions: guess ? [{ label: `/help ${guess}`, commandLine: `/help ${guess}` }] : [],
        });
      }
      return {
        tone: "answer",
        title: wanted ? `How to use ${names.slash(wanted)}` : "What I can tell you",
        lead: wanted
          ? undefined
          : "I answer from news stories kept by editors, never from my own words. Every answer names its sources and says when the content was last updated.",
        sections: shown.map((spec) => section(spec, names)),
        sources: [],
        updated: content.updatedAt,
        actions: [],
        footer: wanted
          ? "All commands: /help"
          : `Try /${content.stories[0]?.command ?? "help"} summary or ${names.slash("who")} ${exampleWhoQuery(content)}`,
      };
    },
  };
}
