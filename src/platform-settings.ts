// Which chat platforms to connect, read from environment variables only: tokens and secrets never live in files.

export interface SlackSettings {
  /** socket: one workspace over Socket Mode (no public URL); http: Bolt's receiver on `port` at /slack/events. */
  mode: "socket" | "http";
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  /** Web API base URL ending in "/", for an API gateway or a test server. */
  apiUrl?: string;
  port: number;
}

export interface DiscordSettings {
  token: string;
  /** REST base URL (discord.js `rest.api`), for a shared rate-limit proxy or a test server. */
  apiUrl?: string;
  applicationId?: string;
  guildId?: string;
}

export interface PlatformSettings {
  slack?: SlackSettings;
  discord?: DiscordSettings;
}

export type PlatformSettingsResult = { ok: true; platforms: PlatformSettings } | { ok: false; errors: string[] };

const SNOWFLAKE = /^\d{17,20}$/;

function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

function httpUrl(raw: string | undefined, name: string, errors: string[]): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    // reported below
  }
  errors.push(`${name}: must be an http:// or https:// URL`);
  return undefined;
}

function readSlack(env: NodeJS.ProcessEnv, errors: string[]): SlackSettings | undefined {
  const botToken = value(env, "SLACK_BOT_TOKEN");
  const appToken = value(env, "SLACK_APP_TOKEN");
  const signingSecret = value(env, "SLACK_SIGNING_SECRET");
  if (botToken === undefined) {
    if (appToken !== undefined || signingSecret !== undefined) {
      errors.push("SLACK_BOT_TOKEN: is needed too when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (the xoxb- token from OAuth & Permissions)");
    }
    return undefined;
  }
  // Values are never echoed: a misplaced secret in an error message would end up in a log.
  if (!botToken.startsWith("xoxb-")) errors.push("SLACK_BOT_TOKEN: must be a bot token starting with xoxb-");
  if (appToken !== undefined && !appToken.startsWith("xapp-")) errors.push("SLACK_APP_TOKEN: must be an app-level token starting with xapp-");
  if (appToken === undefined && signingSecret === undefined) {
    errors.push("SLACK_BOT_TOKEN: needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) beside it");
  }
  const portText = value(env, "PORT") ?? "3000";
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) errors.push("PORT: must be a port number from 0 to 65535");
  let apiUrl = httpUrl(value(env, "SLACK_API_URL"), "SLACK_API_URL", errors);
  // The Web API client appends method names to this base, so it must end with a slash.
  if (apiUrl !== undefined && !apiUrl.endsWith("/")) apiUrl += "/";
  return {
    mode: appToken !== undefined ? "socket" : "http",
    botToken,
    ...(appToken !== undefined && { appToken }),
    ...(signingSecret !== undefined && { signingSecret }),
    ...(apiUrl !== undefined && { apiUrl }),
    port,
  };
}

function readDiscord(env: NodeJS.ProcessEnv, errors: string[]): DiscordSettings | undefined {
  const token = value(env, "DISCORD_TOKEN");
  const applicationId = value(env, "DISCORD_APPLICATION_ID");
  const guildId = value(env, "DISCORD_GUILD_ID");
  if (applicationId !== undefined && !SNOWFLAKE.test(applicationId)) errors.push("DISCORD_APPLICATION_ID: must be the application's numeric id");
  if (guildId !== undefined && !SNOWFLAKE.test(guildId)) errors.push("DISCORD_GUILD_ID: must be the server's numeric id");
  if (token === undefined) return undefined;
  const apiUrl = httpUrl(value(env, "DISCORD_API_URL"), "DISCORD_API_URL", errors)?.replace(/\/+$/, "");
  return {
    token,
    ...(apiUrl !== undefined && { apiUrl }),
    ...(applicationId !== undefined && { applicationId }),
    ...(guildId !== undefined && { guildId }),
  };
}

/** Slack when its tokens are set, Discord when DISCORD_TOKEN is; neither means the console adapter. */
export function readPlatformSettings(env: NodeJS.ProcessEnv): PlatformSettingsResult {
  const errors: string[] = [];
  const slack = readSlack(env, errors);
  const discord = readDiscord(env, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, platforms: { ...(slack && { slack }), ...(discord && { discord }) } };
}
