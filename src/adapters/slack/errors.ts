// What Slack's error codes mean to us, in one place: pause a channel, share through the response URL, or the token is dead.

/** Slack's error code on a Web API failure (`data.error`), else the client's own code; undefined for anything else. */
export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === "string") return data.error;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Errors retrying cannot fix, with the pause reason /digest status shows (https://docs.slack.dev/reference/methods/chat.postMessage#errors). */
const PAUSE_REASONS: Readonly<Record<string, string>> = {
  channel_not_found: "the channel no longer exists or the bot cannot see it",
  is_archived: "the channel is archived",
  not_in_channel: "the bot is not a member of the channel (invite it with /invite)",
  invalid_auth: "Slack refused the bot token",
  token_revoked: "the bot's token was revoked (the app was removed or reinstalled)",
  account_inactive: "the bot's account is deactivated",
  missing_scope: "the app lacks the chat:write scope",
  restricted_action: "the workspace does not let the bot post there",
  channel_is_archived: "the channel is archived",
};

/** Why a channel's digest pauses on this error; undefined when retrying may help. */
export function pauseReasonFor(code: string): string | undefined {
  return PAUSE_REASONS[code];
}

/** The bot cannot post in that channel itself, but a response URL still can (a private channel, a DM). */
const RESPONSE_URL_CAN_POST = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
  "restricted_action",
  "missing_scope",
]);

export function responseUrlCanPost(code: string | undefined): boolean {
  return code !== undefined && RESPONSE_URL_CAN_POST.has(code);
}

/** With a token per workspace, these mean that workspace's token is dead: a reinstall (which lifts the pause) fixes it. */
const DEAD_TOKEN = new Set(["invalid_auth", "token_revoked", "account_inactive", "not_authed"]);

export function tokenIsDead(code: string): boolean {
  return DEAD_TOKEN.has(code);
}

/** Network errors that happen before a request leaves: safe to send again. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function neverLeft(networkCode: string): boolean {
  return NOT_SENT.has(networkCode);
}
