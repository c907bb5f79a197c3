// Posts digests to Discord channels over discord.js REST: paced, split within embed limits, and made idempotent by a nonce.
import {
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  REST,
  Routes,
  SnowflakeUtil,
  type APIEmbed,
  type APIMessage,
  type APIUser,
} from "discord.js";
import type { ChannelRef } from "../../core/commands/types.js";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { Reply } from "../../core/reply.js";
import type { DigestPoster, FindResult, PostResult, RequestBudget } from "../../scheduler/poster.js";
import { HISTORY_CLOCK_SKEW_MS, WITHDRAWN_REASON } from "../shared/interrupted-post.js";
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
  /** How long after a first attempt a resend may rely on the nonce alone (default 60 s; Discord keeps it minutes). */
  nonceWindowMs?: number;
}

/** Pages of 100 messages read to find an interrupted post; a busier channel is reported as not checkable. */
const HISTORY_PAGES = 5;

/**
 * What a reader sees of a message's embeds, to recognise our own post in the channel's history: Discord adds fields of
 * its own to the embeds it returns (type, sizes), and a digest message carries no marker readers would not see.
 */
function embedsFingerprint(embeds: readonly APIEmbed[] | undefined): string {
  return JSON.stringify(
    (embeds ?? []).map((embed) => [
      embed.title?.trim() ?? "",
      embed.description?.trim() ?? "",
      embed.url ?? "",
      embed.author?.name.trim() ?? "",
      embed.footer?.text.trim() ?? "",
      (embed.fields ?? []).map((f) => [f.name.trim(), f.value.trim()]),
    ]),
  );
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
  readonly idempotencyWindowMs: number;
  private botUserId: string | undefined;

  constructor(private readonly options: DiscordDigestPosterOptions) {
    if (options.rateLimited) options.rest.on("rateLimited", options.rateLimited);
    this.idempotencyWindowMs = options.nonceWindowMs ?? 60_000;
  }

  /** A digest part as embeds alone: a digest offers no buttons, so none are asked for. */
  render(part: Reply, timeZone: string = this.options.timeZone): Rendered<DiscordDigestMessage> {
    const { message, shortened, dropped } = renderDiscord(
      { ...part, actions: [] },
      { timeZone, shortenedHint: DIGEST_SHORTENED_HINT },
    );
    return { message: { embeds: message.embeds, allowed_mentions: { parse: [] } }, shortened, dropped };
  }

  async post(
    channel: ChannelRef,
    message: unknown,
    idempotencyKey: string,
    sending?: () => Promise<boolean>,
  ): Promise<PostResult> {
    const channelId = discordChannelId(channel);
    if (channelId === undefined) return { ok: false, kind: "permanent", reason: `not a Discord channel: ${channel}` };
    if (!isDigestMessage(message))
      return { ok: false, kind: "permanent", reason: "the stored digest is not a Discord message" };
    await this.options.budget.take();
    if (sending && !(await sending())) return { ok: false, kind: "withdrawn", reason: WITHDRAWN_REASON };
    try {
      const created = (await this.options.rest.post(Routes.channelMessages(channelId), {
        body: { embeds: message.embeds, allowed_mentions: { parse: [] }, nonce: idempotencyKey, enforce_nonce: true },
      })) as APIMessage;
      return { ok: true, remoteId: created.id };
    } catch (error) {
      return this.classify(error, channel);
    }
  }

  /**
   * Reads the channel's messages since shortly before `since` for one of ours with the same embeds. Needs View Channel
   * and Read Message History in the channel; without them the post cannot be checked.
   */
  async findPosted(channel: ChannelRef, message: unknown, _idempotencyKey: string, since: Date): Promise<FindResult> {
    const channelId = discordChannelId(channel);
    if (channelId === undefined || !isDigestMessage(message))
      return { kind: "unverifiable", reason: "not a Discord digest message" };
    const wanted = embedsFingerprint(message.embeds);
    try {
      const botUserId = await this.ownUserId();
      let after = SnowflakeUtil.generate({ timestamp: since.getTime() - HISTORY_CLOCK_SKEW_MS }).toString();
      for (let page = 0; page < HISTORY_PAGES; page += 1) {
        await this.options.budget.take();
        const messages = (await this.options.rest.get(Routes.channelMessages(channelId), {
          query: new URLSearchParams({ after, limit: "100" }),
        })) as APIMessage[];
        const ours = messages.find((m) => m.author.id === botUserId && embedsFingerprint(m.embeds) === wanted);
        if (ours) return { kind: "found", remoteId: ours.id };
        if (messages.length < 100) return { kind: "absent" };
        // Discord's order within a page is not something to lean on: the next page starts after the newest seen.
        after = messages.reduce((newest, m) => (BigInt(m.id) > BigInt(newest) ? m.id : newest), after);
      }
      return { kind: "unverifiable", reason: `more than ${HISTORY_PAGES * 100} messages in the channel since then` };
    } catch (error) {
      this.options.logger.debug({ err: loggableError(error), channel }, "could not read a channel's recent messages");
      if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404))
        return {
          kind: "unverifiable",
          reason: `the bot cannot read this channel's messages: it needs View Channel and Read Message History (Discord ${error.status})`,
        };
      if (error instanceof RateLimitError)
        return { kind: "transient", reason: `rate limited on ${error.route}`, retryAfterMs: error.retryAfter };
      return { kind: "transient", reason: `could not read the channel's messages: ${errorMessage(error)}` };
    }
  }

  /** The bot's own user id, asked of Discord once: the poster has REST only, no gateway session that would say. */
  private async ownUserId(): Promise<string> {
    if (this.botUserId === undefined) {
      await this.options.budget.take();
      this.botUserId = ((await this.options.rest.get(Routes.user("@me"))) as APIUser).id;
    }
    return this.botUserId;
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
    // A 4xx is Discord refusing the request: nothing was created. A 5xx may come after the message was.
    if (error instanceof DiscordAPIError || error instanceof HTTPError)
      return {
        ok: false,
        kind: "transient",
        reason: `Discord ${error.status}: ${error.message}`,
        ...(error.status >= 500 && { mayHavePosted: true }),
      };
    // Timeouts and network errors: the request may have been created. The nonce drops a repeat for a while, and past
    // that the Sender reads the channel before posting again.
    return {
      ok: false,
      kind: "transient",
      reason: `could not reach Discord: ${errorMessage(error)}`,
      mayHavePosted: true,
    };
  }
}
