// Posts digests to Discord channels over discord.js REST: paced, split within embed limits, and made idempotent by a nonce.
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes, type APIEmbed, type APIMessage } from "discord.js";
import type { ChannelRef } from "../../core/commands/types.js";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { Reply } from "../../core/reply.js";
import type { DigestPoster, PostResult, RequestBudget } from "../../scheduler/poster.js";
import type { Rendered } from "../shared/renderer.js";
import { discordChannelId } from "./channel-ref.js";
import { loggableError } from "./loggable-error.js";
import { renderDiscord } from "./render.js";

/** A digest part as stored in the ledger and sent as the message body. */
export interface DiscordDigestMessage {
  embeds: APIEmbed[];
  allowed_mentions: { parse: [] };
}

export interface DiscordDigestPosterOptions {
  rest: REST;
  /** Shared by every Discord post in the process, below Discord's global 50 requests/s. */
  budget: RequestBudget;
  logger: Logger;
  /** Zone for times in digests when render() is given none. */
  timeZone: string;
  /** Told when Discord answers 429 and discord.js waits (metrics). */
  rateLimited?: () => void;
}

/** Shown only when one section alone is too long for a message (splitting keeps sections whole where they fit). */
const DIGEST_SHORTENED_HINT = "…shortened to fit in Discord; the story's own commands show it in full.";

/** Discord errors retrying cannot fix: the bot cannot see or post in the channel, or it is gone. */
const PERMANENT_STATUSES = new Set([401, 403, 404]);

function isDigestMessage(value: unknown): value is DiscordDigestMessage {
  return typeof value === "object" && value !== null && Array.isArray((value as { embeds?: unknown }).embeds);
}

/** A REST client for digests: discord.js retries 5xx itself (safe, the nonce stops a repeat), and waits out 429s. */
export function digestRest(token: string, apiUrl?: string, requestsPerSecond = 50): REST {
  // discord.js's own global limiter must allow what our budget grants: left at its default of 50 it would silently
  // cap a bot whose Discord limit is higher (large bots are granted more), and the budget could never be used.
  return new REST({
    ...(apiUrl !== undefined && { api: apiUrl }),
    retries: 2,
    timeout: 15_000,
    globalRequestsPerSecond: Math.max(50, requestsPerSecond),
  }).setToken(token);
}

export class DiscordDigestPoster implements DigestPoster {
  readonly platform = "discord";
  readonly idempotent = true;

  constructor(private readonly options: DiscordDigestPosterOptions) {
    if (options.rateLimited) options.rest.on("rateLimited", options.rateLimited);
  }

  /** A digest part as embeds alone: a digest offers no buttons, so none are asked for. */
  render(part: Reply, timeZone: string = this.options.timeZone): Rendered<DiscordDigestMessage> {
    const { message, shortened, dropped } = renderDiscord(
      { ...part, actions: [] },
      { timeZone, shortenedHint: DIGEST_SHORTENED_HINT },
    );
    return { message: { embeds: message.embeds, allowed_mentions: { parse: [] } }, shortened, dropped };
  }

  async post(channel: ChannelRef, message: unknown, idempotencyKey: string): Promise<PostResult> {
    const channelId = discordChannelId(channel);
    if (channelId === undefined) return { ok: false, kind: "permanent", reason: `not a Discord channel: ${channel}` };
    if (!isDigestMessage(message))
      return { ok: false, kind: "permanent", reason: "the stored digest is not a Discord message" };
    await this.options.budget.take();
    try {
      const created = (await this.options.rest.post(Routes.channelMessages(channelId), {
        body: { embeds: message.embeds, allowed_mentions: { parse: [] }, nonce: idempotencyKey, enforce_nonce: true },
      })) as APIMessage;
      return { ok: true, remoteId: created.id };
    } catch (error) {
      return this.classify(error, channel);
    }
  }

  private classify(error: unknown, channel: ChannelRef): PostResult {
    this.options.logger.debug({ err: loggableError(error), channel }, "Discord refused a digest post");
    if (error instanceof DiscordAPIError && PERMANENT_STATUSES.has(error.status)) {
      const what =
        error.status === 404
          ? "the channel no longer exists or the bot cannot see it"
          : "the bot may not post in this channel";
      return { ok: false, kind: "permanent", reason: `${what} (Discord ${error.status} ${error.message})` };
    }
    if (error instanceof RateLimitError)
      return { ok: false, kind: "transient", reason: `rate limited on ${error.route}`, retryAfterMs: error.retryAfter };
    if (error instanceof DiscordAPIError || error instanceof HTTPError)
      return { ok: false, kind: "transient", reason: `Discord ${error.status}: ${error.message}` };
    // Timeouts and network errors: resending is safe, the nonce makes Discord drop a repeat.
    return { ok: false, kind: "transient", reason: `could not reach Discord: ${errorMessage(error)}` };
  }
}
