// Which chat platforms to connect, read from environment variables only: tokens and secrets never live in files.
import { readDiscord, type DiscordSettings } from "./discord/settings.js";
import { readSlack, type SlackSettings } from "./slack/settings.js";

export type { DiscordSettings, DiscordShards } from "./discord/settings.js";
export type { SlackOAuthSettings, SlackSettings, SlackTokenSettings } from "./slack/settings.js";

export interface PlatformSettings {
  slack?: SlackSettings;
  discord?: DiscordSettings;
}

export type PlatformSettingsResult = { ok: true; platforms: PlatformSettings } | { ok: false; errors: string[] };

/** Slack when its tokens are set, Discord when DISCORD_TOKEN is; neither means the console adapter. */
export function readPlatformSettings(env: NodeJS.ProcessEnv): PlatformSettingsResult {
  const errors: string[] = [];
  const slack = readSlack(env, errors);
  const discord = readDiscord(env, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, platforms: { ...(slack && { slack }), ...(discord && { discord }) } };
}
