// Turns a discord.js interaction into the core's Asker and Invocation: who asked, where, with what authority, and what.
import {
  ApplicationCommandOptionType,
  PermissionFlagsBits,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
} from "discord.js";
import type { Asker, Invocation, Permission, PlatformTerms } from "../../core/commands/types.js";
import { DISCORD_PLATFORM, discordChannelRef } from "./channel-ref.js";

export const PLATFORM = DISCORD_PLATFORM;

/** How the core words Discord's permissions; Discord knows every command by its core name. */
export const DISCORD_TERMS: PlatformTerms = {
  holders: { "manage-channel": "members with the Manage Channels permission" },
};

/** Discord's permission bit for each permission the core declares (also each command's default member permission). */
export const DISCORD_PERMISSION_BITS: Readonly<Record<Permission, bigint>> = {
  "manage-channel": PermissionFlagsBits.ManageChannels,
};

export function channelRefOf(interaction: BaseInteraction): string {
  return discordChannelRef(interaction.guildId, interaction.channelId);
}

/**
 * The member's permissions as Discord computed them for this channel (the interaction carries them, so no extra
 * request); in a DM there is no one else to ask.
 */
function has(interaction: BaseInteraction, permission: Permission): boolean {
  if (!interaction.inGuild()) return true;
  return interaction.memberPermissions?.has(DISCORD_PERMISSION_BITS[permission]) === true;
}

export function askerOf(interaction: BaseInteraction): Asker {
  const { user } = interaction;
  return {
    user: { id: user.id, name: user.globalName ?? user.username },
    channel: channelRefOf(interaction),
    platform: PLATFORM,
    authority: { has: (permission) => has(interaction, permission) },
    terms: DISCORD_TERMS,
  };
}

function scalar(option: CommandInteractionOption): string | undefined {
  const { value } = option;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value)
    : undefined;
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
  return {
    id,
    command: interaction.commandName,
    ...(subcommand !== undefined && { subcommand }),
    options: values,
    ...askerOf(interaction),
  };
}
