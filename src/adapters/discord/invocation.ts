// Turns a discord.js interaction into the core's Asker and Invocation: who asked, where, and what.
import { ApplicationCommandOptionType, PermissionFlagsBits, type BaseInteraction, type ChatInputCommandInteraction, type CommandInteractionOption } from "discord.js";
import type { Asker } from "../../core/commands/answer-line.js";
import type { Invocation } from "../../core/commands/types.js";

export const PLATFORM = "discord";

/** "discord:<guild id or dm>:<channel id>": the store and the ledger never need discord.js types. */
export function channelRefOf(interaction: BaseInteraction): string {
  return `discord:${interaction.guildId ?? "dm"}:${interaction.channelId ?? "unknown"}`;
}

/**
 * Manage Channels, as Discord computed it for this member in this channel (the interaction carries it, so no extra
 * request); in a DM there is no one else to ask.
 */
function mayManageChannel(interaction: BaseInteraction): boolean {
  if (!interaction.inGuild()) return true;
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) === true;
}

export function askerOf(interaction: BaseInteraction): Asker {
  const { user } = interaction;
  return {
    user: { id: user.id, name: user.globalName ?? user.username },
    channel: channelRefOf(interaction),
    platform: PLATFORM,
    mayManageChannel: mayManageChannel(interaction),
  };
}

function scalar(option: CommandInteractionOption): string | undefined {
  const { value } = option;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

/** The command, its subcommand and option values by name, as Discord sent them; the core validates and cleans them. */
export function invocationOf(interaction: ChatInputCommandInteraction, id: string): Invocation {
  let options: readonly CommandInteractionOption[] = interaction.options.data;
  let subcommand: string | undefined;
  const first = options[0];
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    // The core has no subcommand groups; should one appear, its subcommand is the one that matters.
    const inner = first.options?.[0];
    subcommand = inner?.name;
    options = inner?.options ?? [];
  } else if (first?.type === ApplicationCommandOptionType.Subcommand) {
    subcommand = first.name;
    options = first.options ?? [];
  }
  const values: Record<string, string> = {};
  for (const option of options) {
    const value = scalar(option);
    if (value !== undefined) values[option.name] = value;
  }
  return { id, command: interaction.commandName, ...(subcommand !== undefined && { subcommand }), options: values, ...askerOf(interaction) };
}
