// /help [command]: what the bot knows and how to ask, generated from the same catalogue the adapters use.
import { UserError } from "../errors.js";
import type { ReplySection } from "../reply.js";
import type { CommandCatalogue } from "./catalogue.js";
import { exampleWhoQuery } from "./examples.js";
import { CommandNames } from "./names.js";
import { usageOf } from "./parse.js";
import type { CommandSpec, ReplyDraft } from "./types.js";

/**
 * An example as the platform names things. Examples are written with core names: their leading command is the
 * platform's to rename, and so is the command a /help example asks about ("/help who" is "/help whois" on Slack).
 */
function shownExample(example: string, spec: CommandSpec, names: CommandNames): string {
  const [head = "", ...words] = example.split(" ");
  if (head !== `/${spec.name}`) return example;
  const [first, ...rest] = words;
  const asked = spec.name === "help" && first !== undefined ? [names.name(first), ...rest] : words;
  return [names.slash(spec.name), ...asked].join(" ");
}

function usage(spec: CommandSpec, names: CommandNames): string[] {
  const command = names.slash(spec.name);
  if (spec.subcommands.length > 0) return spec.subcommands.map((s) => `\`${command} ${s.name}\`: ${s.description}`);
  const shownExamples = (spec.examples ?? []).map((e) => shownExample(e, spec, names));
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
        // The suggestion names the command as this platform does: a Slack reader who mistypes whois is offered whois.
        const suggestion = guess === undefined ? undefined : `${names.slash("help")} ${names.name(guess)}`;
        throw new UserError("unknown-command", `There is no command “/${typed}” to explain.`, {
          hint: `I answer ${all.map((c) => names.slash(c.name)).join(", ")}.`,
          suggestions: suggestion ? [{ label: suggestion, commandLine: suggestion }] : [],
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
