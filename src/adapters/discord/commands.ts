// Discord slash-command definitions generated from the core registry, and the comparison that decides whether to upload them.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { declarationsFor, type CommandDeclaration } from "../../core/answerer.js";
import type { OptionSpec } from "../../core/commands/types.js";
import type { ContentIndex } from "../../core/content/model.js";
import { truncateAtWord } from "../../core/text/truncate.js";
import { DISCORD_PERMISSION_BITS } from "./invocation.js";
import { DISCORD_LIMITS } from "./limits.js";

/** Global commands are seen by every server the app is in; guild commands by one (they update at once: good for testing). */
export type CommandScope = "global" | "guild";

export type CommandDefinition = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** 1–100 characters, cut at a word. */
function description(text: string, fallback: string): string {
  const clean = text.replace(/\s+/g, " ").trim();
  return truncateAtWord(clean === "" ? fallback : clean, DISCORD_LIMITS.commandDescription);
}

function stringOption(option: OptionSpec): APIApplicationCommandBasicOption {
  return {
    type: ApplicationCommandOptionType.String,
    name: option.name,
    description: description(option.description, option.name),
    required: option.required,
    ...(option.autocomplete === true && { autocomplete: true as const }),
  };
}

/** Discord refuses a required option after an optional one; the order among each kind is kept. */
function stringOptions(options: readonly OptionSpec[]): APIApplicationCommandBasicOption[] {
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)]
    .slice(0, DISCORD_LIMITS.optionsPerCommand)
    .map(stringOption);
}

function definition({ spec, requires }: CommandDeclaration, scope: CommandScope): CommandDefinition {
  const options: APIApplicationCommandOption[] =
    spec.subcommands.length > 0
      ? spec.subcommands.slice(0, DISCORD_LIMITS.optionsPerCommand).map((sub) => ({
          type: ApplicationCommandOptionType.Subcommand,
          name: sub.name,
          description: description(sub.description, sub.name),
          options: stringOptions(sub.options),
        }))
      : stringOptions(spec.options);
  return {
    type: ApplicationCommandType.ChatInput,
    name: spec.name,
    description: description(spec.description, spec.name),
    options,
    // Hidden from members without the permissions a subcommand requires, unless a server admin allows them (checked
    // again at run time, per subcommand).
    ...(requires.length > 0 && {
      default_member_permissions: requires.reduce((bits, p) => bits | DISCORD_PERMISSION_BITS[p], 0n).toString(),
    }),
    // Discord reads these two only for global commands; a guild command is by definition used in its guild.
    ...(scope === "global" && {
      contexts: [InteractionContextType.Guild],
      integration_types: [ApplicationIntegrationType.GuildInstall],
    }),
  };
}

/** Every command the core answers for this content, as the JSON Discord's bulk-overwrite endpoint takes. */
export function commandDefinitions(content: ContentIndex, scope: CommandScope): CommandDefinition[] {
  return declarationsFor(content).map((declaration) => definition(declaration, scope));
}

// Comparing: Discord returns ids, versions, localisations and defaults we never sent, and omits some
// defaults we do send (required: false). Both sides are reduced to the fields we send, with Discord's defaults.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function scalar(value: unknown): string {
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

function normaliseOption(raw: unknown): Json {
  const option = record(raw);
  return {
    type: typeof option["type"] === "number" ? option["type"] : null,
    name: text(option["name"]),
    description: text(option["description"]),
    required: option["required"] === true,
    autocomplete: option["autocomplete"] === true,
    choices: list(option["choices"]).map((c) => ({ name: text(record(c)["name"]), value: scalar(record(c)["value"]) })),
    options: list(option["options"]).map(normaliseOption),
  };
}

function normaliseNumbers(value: unknown): Json {
  return value === undefined || value === null
    ? null
    : list(value)
        .filter((n): n is number => typeof n === "number")
        .sort((a, b) => a - b);
}

function normaliseCommand(raw: unknown, withContexts: boolean): Json {
  const command = record(raw);
  return {
    type: typeof command["type"] === "number" ? command["type"] : ApplicationCommandType.ChatInput,
    name: text(command["name"]),
    description: text(command["description"]),
    options: list(command["options"]).map(normaliseOption),
    default_member_permissions: scalar(command["default_member_permissions"]) || null,
    ...(withContexts && {
      contexts: normaliseNumbers(command["contexts"]),
      integration_types: normaliseNumbers(command["integration_types"]),
    }),
  };
}

function canonical(commands: readonly unknown[], withContexts: boolean): string {
  const normalised = commands.map((c) => normaliseCommand(c, withContexts));
  normalised.sort((a, b) => text(record(a)["name"]).localeCompare(text(record(b)["name"])));
  return JSON.stringify(normalised);
}

/** Whether the commands Discord has (`remote`, as returned by GET) already say what `local` says. */
export function sameCommands(local: readonly CommandDefinition[], remote: unknown): boolean {
  if (!Array.isArray(remote)) return false;
  const withContexts = local.some((c) => c.contexts !== undefined || c.integration_types !== undefined);
  return canonical(local, withContexts) === canonical(remote, withContexts);
}
