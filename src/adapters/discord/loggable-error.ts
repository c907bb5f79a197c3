// Errors from discord.js made safe to log: their request URL carries the interaction token, a 15-minute key to post as the bot.

const URL_SECRETS = [/(\/interactions\/\d+\/)[^/?]+/g, /(\/webhooks\/\d+\/)[^/?]+/g];

export function scrubDiscordUrl(url: string): string {
  return URL_SECRETS.reduce((out, pattern) => out.replace(pattern, "$1[redacted]"), url);
}

/**
 * The error as a plain object for the log: name, message, stack and Discord's status and code, with the
 * token blanked out of the URL; the request body (our own message) is left out, it says nothing new.
 */
export function loggableError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const fields = error as Error & {
    status?: unknown;
    code?: unknown;
    method?: unknown;
    url?: unknown;
    rawError?: unknown;
  };
  return {
    type: error.name,
    message: error.message,
    stack: error.stack,
    ...(fields.status !== undefined && { status: fields.status }),
    ...(fields.code !== undefined && { code: fields.code }),
    ...(typeof fields.method === "string" && { method: fields.method }),
    ...(typeof fields.url === "string" && { url: scrubDiscordUrl(fields.url) }),
    ...(fields.rawError !== undefined && { discord: fields.rawError }),
  };
}
