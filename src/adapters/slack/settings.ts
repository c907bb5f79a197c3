// Slack's settings, read from environment variables only: one workspace by token, or many by OAuth install.
import { errorMessage } from "../../core/errors.js";
import { httpUrl, value } from "../shared/env.js";
import { parseSecretKey } from "./secret-box.js";

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
  /** SLACK_INSTALLATION_KEY as configured (32 bytes, base64 or hex; checked here, read by ./secret-box.ts). */
  installationKey: string;
  apiUrl?: string;
  port: number;
}

export type SlackSettings = SlackTokenSettings | SlackOAuthSettings;

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

export function readSlack(env: NodeJS.ProcessEnv, errors: string[]): SlackSettings | undefined {
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
      errors.push(
        "SLACK_BOT_TOKEN: is needed too when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (the xoxb- token from OAuth & Permissions)",
      );
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
  if (appToken !== undefined && !appToken.startsWith("xapp-"))
    errors.push("SLACK_APP_TOKEN: must be an app-level token starting with xapp-");
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

const FOR_OAUTH =
  "is needed for installing the app in many workspaces (SLACK_CLIENT_ID is set, SLACK_BOT_TOKEN is not)";

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
  if (clientId === undefined)
    errors.push(`SLACK_CLIENT_ID: ${FOR_OAUTH}: the app's Client ID (Basic Information > App Credentials)`);
  else if (!/^\d+\.\d+$/.test(clientId))
    errors.push(
      "SLACK_CLIENT_ID: must be the app's Client ID, two numbers joined by a dot (Basic Information > App Credentials)",
    );
  if (clientSecret === undefined)
    errors.push(`SLACK_CLIENT_SECRET: ${FOR_OAUTH}: the app's Client Secret (Basic Information > App Credentials)`);
  if (signingSecret === undefined)
    errors.push(`SLACK_SIGNING_SECRET: ${FOR_OAUTH}: Basic Information > App Credentials`);
  if (stateSecret === undefined)
    errors.push(`SLACK_STATE_SECRET: ${FOR_OAUTH}: a random string (openssl rand -hex 32), the same in every replica`);
  else if (stateSecret.length < 16)
    errors.push("SLACK_STATE_SECRET: must be at least 16 characters; generate one with: openssl rand -hex 32");
  if (installationKey === undefined) {
    errors.push(
      `SLACK_INSTALLATION_KEY: ${FOR_OAUTH}: the key that encrypts workspace tokens in the database; generate one with: openssl rand -base64 32`,
    );
  } else {
    try {
      parseSecretKey(installationKey);
    } catch (error) {
      errors.push(`SLACK_INSTALLATION_KEY: ${errorMessage(error)}`);
    }
  }
  if (appToken !== undefined) {
    errors.push(
      "SLACK_APP_TOKEN: Socket Mode serves one workspace; installing in many runs over HTTP (SLACK_SIGNING_SECRET), so unset SLACK_APP_TOKEN",
    );
  }
  const { port, apiUrl } = readSlackEndpoints(env, errors);
  if (errors.length > before || clientId === undefined || clientSecret === undefined || signingSecret === undefined)
    return undefined;
  if (stateSecret === undefined || installationKey === undefined) return undefined;
  return {
    mode: "oauth",
    clientId,
    clientSecret,
    signingSecret,
    stateSecret,
    installationKey,
    ...(apiUrl !== undefined && { apiUrl }),
    port,
  };
}
