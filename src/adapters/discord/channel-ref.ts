// Discord's side of the channel-ref codec: "discord:<guild id or dm>:<channel id>".
import { buildChannelRef, parseChannelRef, type ChannelRef } from "../../core/channel-ref.js";

export const DISCORD_PLATFORM = "discord";

export function discordChannelRef(
  guildId: string | null | undefined,
  channelId: string | null | undefined,
): ChannelRef {
  return buildChannelRef({ platform: DISCORD_PLATFORM, space: guildId ?? "dm", channel: channelId ?? "unknown" });
}

/** The channel id a digest is posted to; undefined for a ref that is not a Discord channel. */
export function discordChannelId(ref: ChannelRef): string | undefined {
  const parts = parseChannelRef(ref);
  return parts?.platform === DISCORD_PLATFORM && /^\d+$/.test(parts.channel) ? parts.channel : undefined;
}
