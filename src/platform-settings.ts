// Which chat platforms to connect, read from environment variables only: tokens and secrets never live in files.
import { errorMessage } from "./core/errors.js";
import { parseSecretKey } from "./store/secret-box.js";

/** One workspace, with its bot token in the environment. */
export interface SlackTokenSettings {
  /** socket: one workspace over Socket Mode (no public URL); http: Bolt's receiver on `port` at /slack/events. */
  mode: "socket" | "http";
  botToken: string;
  appToken?: string;
  signingSecret?: string;
  /** Web API base URL ending in "/", for an API gateway or a test server. */
  apiUrl?: string;
  port: number;
}

/**
 * Many workspaces (HTTP only): each installs the app through Slack's OAuth flow at /slack/install, and its tokens are
 * kept in the database, encrypted with `installationKey`.
 */
export interface SlackOAuthSettings {
  mode: "oauth";
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** Signs the OAuth state parameter; every replica needs the same one, as the install may finish on another. */
  stateSecret: string;
  /** SLACK_INSTALLATION_KEY as configured (32 bytes, base64 or hex; checked here, read by src/store/secret-box.ts). */
  installationKey: string;
  apiUrl?: string;
  port: number;
}

export type SlackSettings = SlackTokenSettings | SlackOAuthSettings;

export interface DiscordSettings {
  token: string;
  /** REST base URL (discord.js `rest.api`), for a shared rate-limit proxy or a test server. */
  apiUrl?: string;
  applicationId?: string;
  guildId?: string;
  /** Gateway shards (DISCORD_SHARD_COUNT, DISCORD_SHARD_IDS); absent, discord.js runs the single shard 0 of 1. */
  shards?: DiscordShards;
}

export interface DiscordShards {
  /** Shards over every process of the bot; "auto": as many as Discord recommends at start-up, all in this process. */
  count: number | "auto";
  /** The shards this process connects, ascending; absent, every shard from 0 to count - 1. */
  ids?: number[];
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

/** PORT and SLACK_API_URL, the same in every Slack mode. */
function readSlackEndpoints(env: NodeJS.ProcessEnv, errors: string[]): { port: number; apiUrl?: string } {
  const portText = value(env, "PORT") ?? "3000";
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) errors.push("PORT: must be a port number from 0 to 65535");
  let apiUrl = httpUrl(value(env, "SLACK_API_URL"), "SLACK_API_URL", errors);
  // The Web API client appends method names to this base, so it must end with a slash.
  if (apiUrl !== undefined && !apiUrl.endsWith("/")) apiUrl += "/";
  return { port, ...(apiUrl !== undefined && { apiUrl }) };
}

function readSlack(env: NodeJS.ProcessEnv, errors: string[]): SlackSettings | undefined {
  const botToken = value(env, "SLACK_BOT_TOKEN");
  const appToken = value(env, "SLACK_APP_TOKEN");
  const signingSecret = value(env, "SLACK_SIGNING_SECRET");
  const oauth: SlackOAuthVariables = {
    clientId: value(env, "SLACK_CLIENT_ID"),
    clientSecret: value(env, "SLACK_CLIENT_SECRET"),
    stateSecret: value(env, "SLACK_STATE_SECRET"),
    installationKey: value(env, "SLACK_INSTALLATION_KEY"),
  };
  const wantsOAuth = Object.values(oauth).some((set) => set !== undefined);
  if (botToken === undefined) {
    if (wantsOAuth) return readSlackOAuth(env, errors, oauth, appToken, signingSecret);
    if (appToken !== undefined || signingSecret !== undefined) {
      errors.push("SLACK_BOT_TOKEN: is needed too when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (the xoxb- token from OAuth & Permissions)");
    }
    return undefined;
  }
  // Values are never echoed: a misplaced secret in an error message would end up in a log.
  if (!botToken.startsWith("xoxb-")) errors.push("SLACK_BOT_TOKEN: must be a bot token starting with xoxb-");
  if (wantsOAuth) {
    errors.push(
      "SLACK_BOT_TOKEN: serves one workspace, but SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET or SLACK_INSTALLATION_KEY is set for installing in many; unset one or the other",
    );
  }
  if (appToken !== undefined && !appToken.startsWith("xapp-")) errors.push("SLACK_APP_TOKEN: must be an app-level token starting with xapp-");
  if (appToken === undefined && signingSecret === undefined) {
    errors.push("SLACK_BOT_TOKEN: needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode) beside it");
  }
  const { port, apiUrl } = readSlackEndpoints(env, errors);
  return {
    mode: appToken !== undefined ? "socket" : "http",
    botToken,
    ...(appToken !== undefined && { appToken }),
    ...(signingSecret !== undefined && { signingSecret }),
    ...(apiUrl !== undefined && { apiUrl }),
    port,
  };
}

interface SlackOAuthVariables {
  clientId: string | undefined;
  clientSecret: string | undefined;
  stateSecret: string | undefined;
  installationKey: string | undefined;
}

const FOR_OAUTH = "is needed for installing the app in many workspaces (SLACK_CLIENT_ID is set, SLACK_BOT_TOKEN is not)";

/** Many workspaces over HTTP: every OAuth variable and the signing secret, each problem named without its value. */
function readSlackOAuth(
  env: NodeJS.ProcessEnv,
  errors: string[],
  oauth: SlackOAuthVariables,
  appToken: string | undefined,
  signingSecret: string | undefined,
): SlackOAuthSettings | undefined {
  const before = errors.length;
  const { clientId, clientSecret, stateSecret, installationKey } = oauth;
  if (clientId === undefined) errors.push(`SLACK_CLIENT_ID: ${FOR_OAUTH}: the app's Client ID (Basic Information > App Credentials)`);
  else if (!/^\d+\.\d+$/.test(clientId)) errors.push("SLACK_CLIENT_ID: must be the app's Client ID, two numbers joined by a dot (Basic Information > App Credentials)");
  if (clientSecret === undefined) errors.push(`SLACK_CLIENT_SECRET: ${FOR_OAUTH}: the app's Client Secret (Basic Information > App Credentials)`);
  if (signingSecret === undefined) errors.push(`SLACK_SIGNING_SECRET: ${FOR_OAUTH}: Basic Information > App Credentials`);
  if (stateSecret === undefined) errors.push(`SLACK_STATE_SECRET: ${FOR_OAUTH}: a random string (openssl rand -hex 32), the same in every replica`);
  else if (stateSecret.length < 16) errors.push("SLACK_STATE_SECRET: must be at least 16 characters; generate one with: openssl rand -hex 32");
  if (installationKey === undefined) {
    errors.push(`SLACK_INSTALLATION_KEY: ${FOR_OAUTH}: the key that encrypts workspace tokens in the database; generate one with: openssl rand -base64 32`);
  } else {
    try {
      parseSecretKey(installationKey);
    } catch (error) {
      errors.push(`SLACK_INSTALLATION_KEY: ${errorMessage(error)}`);
    }
  }
  if (appToken !== undefined) {
    errors.push("SLACK_APP_TOKEN: Socket Mode serves one workspace; installing in many runs over HTTP (SLACK_SIGNING_SECRET), so unset SLACK_APP_TOKEN");
  }
  const { port, apiUrl } = readSlackEndpoints(env, errors);
  if (errors.length > before || clientId === undefined || clientSecret === undefined || signingSecret === undefined) return undefined;
  if (stateSecret === undefined || installationKey === undefined) return undefined;
  return { mode: "oauth", clientId, clientSecret, signingSecret, stateSecret, installationKey, ...(apiUrl !== undefined && { apiUrl }), port };
}

/** DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS, each checked against the other; undefined when neither is set. */
function readDiscordShards(env: NodeJS.ProcessEnv, errors: string[]): DiscordShards | undefined {
  const countText = value(env, "DISCORD_SHARD_COUNT");
  const idsText = value(env, "DISCORD_SHARD_IDS");
  let count: number | "auto" | undefined;
  if (countText !== undefined) {
    count = countText.toLowerCase() === "auto" ? "auto" : /^\d{1,5}$/.test(countText) && Number(countText) >= 1 ? Number(countText) : undefined;
    if (count === undefined) errors.push("DISCORD_SHARD_COUNT: must be a whole number of shards (at least 1) or auto");
  }
  if (idsText === undefined) return count === undefined ? undefined : { count };
  const ids: number[] = [];
  for (const part of idsText.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!range) {
      errors.push("DISCORD_SHARD_IDS: must be shard numbers such as 0,1 or a range such as 0-3");
      return undefined;
    }
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) {
      errors.push(`DISCORD_SHARD_IDS: the range ${part} runs backwards`);
      return undefined;
    }
    for (let id = first; id <= last; id += 1) ids.push(id);
  }
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (repeated.length > 0) errors.push(`DISCORD_SHARD_IDS: lists shard ${repeated.join(", ")} more than once`);
  if (countText === undefined) {
    errors.push("DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT beside it, the number of shards over every process of the bot");
    return undefined;
  }
  if (count === "auto") {
    // Which guilds a shard serves depends on the count: every process must agree on it, and "auto" could differ between starts.
    errors.push("DISCORD_SHARD_IDS: needs a number in DISCORD_SHARD_COUNT, not auto, so that every process splits the guilds the same way");
    return undefined;
  }
  if (count === undefined) return undefined;
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    errors.push(`DISCORD_SHARD_IDS: shard ${outside.join(", ")} is not below DISCORD_SHARD_COUNT (${count}); shards are numbered from 0`);
  }
  return { count, ids: [...new Set(ids)].sort((a, b) => a - b) };
}

function readDiscord(env: NodeJS.ProcessEnv, errors: string[]): DiscordSettings | undefined {
  const token = value(env, "DISCORD_TOKEN");
  const applicationId = value(env, "DISCORD_APPLICATION_ID");
  const guildId = value(env, "DISCORD_GUILD_ID");
  if (applicationId !== undefined && !SNOWFLAKE.test(applicationId)) errors.push("DISCORD_APPLICATION_ID: must be the application's numeric id");
  if (guildId !== undefined && !SNOWFLAKE.test(guildId)) errors.push("DISCORD_GUILD_ID: must be the server's numeric id");
  const shards = readDiscordShards(env, errors);
  if (token === undefined) return undefined;
  const apiUrl = httpUrl(value(env, "DISCORD_API_URL"), "DISCORD_API_URL", errors)?.replace(/\/+$/, "");
  return {
    token,
    ...(apiUrl !== undefined && { apiUrl }),
    ...(applicationId !== undefined && { applicationId }),
    ...(guildId !== undefined && { guildId }),
    ...(shards !== undefined && { shards }),
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
