// Posts digests to Slack channels with one workspace's token or each workspace's own: no client retries (the ledger retries), 1/s per channel.
import { LogLevel, webApi } from "@slack/bolt";
import type { ChannelRef } from "../../core/commands/types.js";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { Reply } from "../../core/reply.js";
import type { DigestPoster, FindResult, PostResult } from "../../scheduler/poster.js";
import { secretScrubber } from "../shared/log-scrub.js";
import { HISTORY_CLOCK_SKEW_MS, WITHDRAWN_REASON } from "../shared/interrupted-post.js";
import type { Rendered } from "../shared/renderer.js";
import { boltLevelFor, boltLogger } from "./bolt-logger.js";
import { slackChannelOf } from "./channel-ref.js";
import { neverLeft, pauseReasonFor, tokenIsDead } from "./errors.js";
import { NOT_INSTALLED_REASON, TOKEN_REFUSED_REASON, type TokenSource } from "./installations.js";
import { renderSlack, type SlackMessage } from "./render.js";

/**
 * Which token a post carries: one workspace's (SLACK_BOT_TOKEN), or each workspace's own, looked up per post (OAuth
 * installs; refreshed first when it expires soon).
 */
export type SlackPosterAuth = { token: string } | { tokenFor: TokenSource };

export type SlackDigestPosterOptions = SlackPosterAuth & SlackDigestPosterSettings;

export interface SlackDigestPosterSettings {
  /** Web API base URL (SLACK_API_URL), e.g. a gateway; Slack's own when unset. */
  apiUrl?: string;
  logger: Logger;
  logLevel?: string;
  /** Zone for times in digests when render() is given none. */
  timeZone: string;
  /** Slack's guidance: about one message per second per channel. */
  perChannelIntervalMs?: number;
  /** Told when Slack answers 429 (metrics). */
  rateLimited?: () => void;
  /** Injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

function isSlackMessage(value: unknown): value is SlackMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { text?: unknown }).text === "string" &&
    Array.isArray((value as { blocks?: unknown }).blocks)
  );
}

/**
 * Slack allows apps outside its Marketplace one conversations.history call a minute, of at most 15 messages: a few
 * pages is all an interrupted post can be looked for in; a busier channel is reported as not checkable.
 */
const HISTORY_PAGES = 3;
const HISTORY_PAGE_SIZE = 15;

/**
 * The block_id that marks a digest part posted with `idempotencyKey`: readers never see a block id, and the
 * channel's history returns it, so an interrupted post can be recognised.
 */
export function digestMarker(idempotencyKey: string): string {
  return `newsbot-digest-${idempotencyKey}`;
}

function field(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

function textField(error: unknown, name: string): string | undefined {
  const value = field(error, name);
  return typeof value === "string" ? value : undefined;
}

export class SlackDigestPoster implements DigestPoster {
  // Slack has no idempotency key (no idempotencyWindowMs): a post that may have gone out is looked for, not resent.
  readonly platform = "slack";
  private readonly client: webApi.WebClient;
  /** The token for a channel's workspace; one client serves every workspace through the per-call token. */
  private readonly tokenFor: TokenSource | undefined;
  private readonly lastPostAt = new Map<string, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: SlackDigestPosterOptions) {
    const token = "token" in options ? options.token : undefined;
    this.tokenFor = "tokenFor" in options ? options.tokenFor : undefined;
    const scrub = secretScrubber([token]);
    const level = boltLevelFor(options.logLevel ?? "info");
    this.client = new webApi.WebClient(token, {
      ...(options.apiUrl !== undefined && { slackApiUrl: options.apiUrl }),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: 15_000,
      logger: boltLogger(options.logger, level === LogLevel.DEBUG ? level : LogLevel.WARN, scrub),
    });
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** A digest part as blocks without buttons: a digest offers none. */
  render(part: Reply, timeZone: string = this.options.timeZone): Rendered<SlackMessage> {
    return renderSlack({ ...part, actions: [] }, { timeZone });
  }

  async post(
    channel: ChannelRef,
    message: unknown,
    idempotencyKey?: string,
    sending?: () => Promise<boolean>,
  ): Promise<PostResult> {
    const target = slackChannelOf(channel);
    if (target === undefined) return { ok: false, kind: "permanent", reason: `not a Slack channel: ${channel}` };
    const { teamId, channelId } = target;
    if (!isSlackMessage(message))
      return { ok: false, kind: "permanent", reason: "the stored digest is not a Slack message" };
    const token = await this.workspaceToken(teamId);
    if (typeof token === "object") return token;
    await this.paceChannel(channelId);
    if (sending && !(await sending())) return { ok: false, kind: "withdrawn", reason: WITHDRAWN_REASON };
    const [first, ...rest] = message.blocks;
    const blocks =
      first === undefined || idempotencyKey === undefined
        ? message.blocks
        : [{ ...first, block_id: digestMarker(idempotencyKey) }, ...rest];
    try {
      const result = await this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(token !== undefined && { token }),
      });
      return { ok: true, remoteId: result.ts ?? "" };
    } catch (error) {
      return this.classify(error);
    }
  }

  /**
   * Looks for a message of ours marked with `idempotencyKey` among the channel's messages since shortly before `since`.
   * Needs channels:history (groups:history in private channels); without it the post cannot be checked.
   */
  async findPosted(channel: ChannelRef, _message: unknown, idempotencyKey: string, since: Date): Promise<FindResult> {
    const target = slackChannelOf(channel);
    if (target === undefined) return { kind: "unverifiable", reason: `not a Slack channel: ${channel}` };
    const token = await this.workspaceToken(target.teamId);
    if (typeof token === "object")
      return token.kind === "transient"
        ? { kind: "transient", reason: token.reason }
        : { kind: "unverifiable", reason: token.reason };
    const marker = digestMarker(idempotencyKey);
    const oldest = ((since.getTime() - HISTORY_CLOCK_SKEW_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    try {
      for (let page = 0; page < HISTORY_PAGES; page += 1) {
        const history = await this.client.conversations.history({
          channel: target.channelId,
          oldest,
          limit: HISTORY_PAGE_SIZE,
          ...(cursor !== undefined && { cursor }),
          ...(token !== undefined && { token }),
        });
        const ours = (history.messages ?? []).find((m) => m.blocks?.some((b) => b.block_id === marker));
        if (ours?.ts !== undefined) return { kind: "found", remoteId: ours.ts };
        cursor = history.response_metadata?.next_cursor;
        if (history.has_more !== true || cursor === undefined || cursor === "") return { kind: "absent" };
      }
      return { kind: "unverifiable", reason: "too many messages in the channel since then to look through" };
    } catch (error) {
      const result = this.classify(error);
      if (result.kind === "transient")
        return {
          kind: "transient",
          reason: result.reason,
          ...(result.retryAfterMs !== undefined && { retryAfterMs: result.retryAfterMs }),
        };
      const slackError = textField(field(error, "data"), "error");
      const reason =
        slackError === "missing_scope"
          ? "the app may not read this channel's messages: it needs channels:history (groups:history in private channels)"
          : result.reason;
      return { kind: "unverifiable", reason };
    }
  }

  /** The token to post with (undefined: the client's own), or why there is none. */
  private async workspaceToken(
    teamId: string,
  ): Promise<string | undefined | Extract<PostResult, { kind: "transient" | "permanent" }>> {
    if (this.tokenFor === undefined) return undefined;
    let token: string | undefined;
    try {
      token = await this.tokenFor(teamId);
    } catch (error) {
      // The store or Slack's token refresh failed this time; neither says the app is gone.
      return {
        ok: false,
        kind: "transient",
        reason: `could not get this workspace's Slack token (${errorMessage(error)})`,
      };
    }
    return token ?? { ok: false, kind: "permanent", reason: NOT_INSTALLED_REASON };
  }

  /** At most one message per interval per channel; other channels are not held back. */
  private async paceChannel(channelId: string): Promise<void> {
    const interval = this.options.perChannelIntervalMs ?? 1000;
    const last = this.lastPostAt.get(channelId);
    const at = last === undefined ? this.now() : Math.max(this.now(), last + interval);
    this.lastPostAt.set(channelId, at);
    const wait = at - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  private classify(error: unknown): Exclude<PostResult, { ok: true }> {
    const code = field(error, "code");
    if (code === webApi.ErrorCode.RateLimitedError) {
      this.options.rateLimited?.();
      const seconds = Number(field(error, "retryAfter"));
      return {
        ok: false,
        kind: "transient",
        reason: "Slack rate limit (429)",
        retryAfterMs: Number.isFinite(seconds) ? seconds * 1000 : 1000,
      };
    }
    if (code === webApi.ErrorCode.PlatformError) {
      const slackError = textField(field(error, "data"), "error") ?? "unknown_error";
      // The exact reason a reinstall lifts (src/adapters/slack/installations.ts); Slack's code would break the match.
      if (this.tokenFor !== undefined && tokenIsDead(slackError))
        return { ok: false, kind: "permanent", reason: TOKEN_REFUSED_REASON };
      const permanent = pauseReasonFor(slackError);
      return permanent !== undefined
        ? { ok: false, kind: "permanent", reason: `${permanent} (Slack: ${slackError})` }
        : { ok: false, kind: "transient", reason: `Slack error ${slackError}` };
    }
    if (code === webApi.ErrorCode.HTTPError)
      return { ok: false, kind: "transient", reason: `Slack HTTP ${String(field(error, "statusCode"))}` };
    const cause = field(error, "original") ?? error;
    const causeCode = textField(cause, "code") ?? "";
    if (neverLeft(causeCode)) return { ok: false, kind: "transient", reason: `could not reach Slack (${causeCode})` };
    // The request may have reached Slack before the connection dropped or timed out: it may have posted.
    return {
      ok: false,
      kind: "unknown",
      reason: `no answer from Slack after sending (${causeCode || errorMessage(error)})`,
    };
  }
}
