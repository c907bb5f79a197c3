// Turns a typed command line ("/who adam boehler") into command, subcommand and options, for text platforms.
import { closest } from "fastest-levenshtein";
import { UserError } from "../errors.js";
import { cleanInput } from "../text/normalize.js";
import type { CommandCatalogue } from "./catalogue.js";
import { CommandNames } from "./names.js";
import type { CommandRequest, CommandSpec, OptionSpec } from "./types.js";

export type ParsedCommand = CommandRequest;

/** Cleans input and enforces the length cap; empty or over-long input is the asker's to fix. */
export function cleanArgumentText(text: string, maxLength: number): string {
  const cleaned = cleanInput(text);
  if ([...cleaned].length > maxLength) {
    throw new UserError("input-too-long", `That is longer than I accept (${maxLength} characters).`, {
      hint: "Ask with a shorter name or phrase.",
    });
  }
  return cleaned;
}

/**
 * The error for a command nobody answers, suggesting the nearest one that exists asked with the same `rest` (the
 * words after the command), so "/whoo boehler" offers "/who boehler", which answers, not a bare "/who".
 */
export function unknownCommand(
  catalogue: CommandCatalogue,
  name: string,
  names = CommandNames.core,
  rest = "",
): UserError {
  const guess = catalogue.nearest(name);
  const shown = guess === undefined ? undefined : names.slash(guess);
  const line = shown === undefined || rest === "" ? shown : `${shown} ${rest}`;
  return new UserError("unknown-command", `I don't know the command “/${name}”.`, {
    hint: shown ? `Did you mean ${shown}? See /help for everything I answer.` : "See /help for everything I answer.",
    suggestions: line ? [{ label: line, commandLine: line }] : [],
  });
}

/** The error for a subcommand the spec does not have, with the nearest one as a suggestion. */
export function unknownSubcommand(
  spec: CommandSpec,
  requested: string | undefined,
  names = CommandNames.core,
): UserError {
  const subcommands = spec.subcommands.map((s) => s.name);
  const guess = requested ? closest(requested, subcommands) : undefined;
  const command = names.slash(spec.name);
  return new UserError(
    "unknown-subcommand",
    requested ? `${command} has no “${requested}”.` : `${command} needs one of: ${subcommands.join(", ")}.`,
    {
      hint: `Try one of: ${subcommands.map((n) => `${command} ${n}`).join(", ")}.`,
      suggestions: guess ? [{ label: `${command} ${guess}`, commandLine: `${command} ${guess}` }] : [],
    },
  );
}

/** The error for a required option left out, showing how to ask. */
export function missingOption(
  spec: CommandSpec,
  subcommand: string | undefined,
  option: OptionSpec,
  names = CommandNames.core,
): UserError {
  return new UserError("missing-option", `${names.slash(spec.name)} needs a ${option.name}.`, {
    hint: `Ask like this: ${usageOf(spec, subcommand, names)}`,
  });
}

/** How to ask for a command, e.g. "/who <name>" or "/hostages summary". */
export function usageOf(spec: CommandSpec, subcommand?: string, names = CommandNames.core): string {
  const options = subcommand ? (spec.subcommands.find((s) => s.name === subcommand)?.options ?? []) : spec.options;
  const args = options.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [names.slash(spec.name), subcommand, ...args].filter(Boolean).join(" ");
}

/** Maps the words after a command onto its declared options: positional, the last one takes the rest. */
export function parseArguments(spec: CommandSpec, text: string, names = CommandNames.core): ParsedCommand {
  const words = text === "" ? [] : text.split(" ");
  let subcommand: string | undefined;
  let prefix: string | undefined;
  let options: OptionSpec[] = spec.options;

  if (spec.subcommands.length > 0) {
    const requested = words.shift()?.toLowerCase() ?? spec.defaultSubcommand;
    let match = spec.subcommands.find((s) => s.name === requested);
    // The start of exactly one subcommand means it, as a shell completes it ("tim" is timeline); the start of
    // several ("s": summary, sources) or of none stays an error with suggestions.
    const starting = requested ? spec.subcommands.filter((s) => s.name.startsWith(requested)) : [];
    if (!match && starting.length === 1) {
      match = starting[0];
      prefix = requested;
    }
    if (!match) throw unknownSubcommand(spec, requested, names);
    subcommand = match.name;
    options = match.options;
  }

  const values: Record<string, string> = {};
  options.forEach((option, i) => {
    const isLast = i === options.length - 1;
    const value = isLast ? words.splice(0).join(" ") : words.shift();
    if (value !== undefined && value !== "") values[option.name] = value;
  });
  if (words.length > 0) {
    throw new UserError(
      "too-many-arguments",
      `${usageOf(spec, subcommand, names)} takes no more words (got “${words.join(" ")}”).`,
      {
        hint: `Ask like this: ${usageOf(spec, subcommand, names)}`,
      },
    );
  }
  const missing = options.find((o) => o.required && values[o.name] === undefined);
  if (missing) throw missingOption(spec, subcommand, missing, names);
  return { command: spec.name, subcommand, options: values, ...(prefix !== undefined && { subcommandPrefix: prefix }) };
}

/** A whole line typed in a terminal or chat: "/hostages summary", "who boehler". */
export function parseCommandLine(
  line: string,
  catalogue: CommandCatalogue,
  maxLength: number,
  names = CommandNames.core,
): ParsedCommand {
  const cleaned = cleanArgumentText(line, maxLength);
  if (/^\/*$/.test(cleaned)) {
    throw new UserError("empty-input", "There is no question to answer.", { hint: "Type a command such as /help." });
  }
  // Forgive "/ who" and "//who": the slash is optional, and so is what surrounds it.
  const [head = "", ...rest] = cleaned.replace(/^\/+\s*/, "").split(" ");
  const name = head.toLowerCase();
  const spec = catalogue.get(names.coreName(name));
  if (!spec) throw unknownCommand(catalogue, name, names, rest.join(" "));
  return parseArguments(spec, rest.join(" "), names);
}
