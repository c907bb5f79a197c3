// The port each platform implements to deliver digests: render one part of a composed Reply, post one message.
import type { ChannelRef } from "../core/commands/types.js";
import type { Reply } from "../core/reply.js";

/**
 * transient: worth retrying later (429, 5xx, timeouts); retryAfterMs when the platform said. `mayHavePosted` when the
 * request may have reached the platform and created the message (a timeout after sending, a 5xx): the retry then
 * checks before posting again, unless the platform still drops a repeat of the key.
 * permanent: retrying cannot help (no access, channel gone, token revoked); the subscription is paused with `reason`.
 * unknown: the request may or may not have posted (connection cut after sending) and the platform offers no
 * idempotency key (Slack): the ledger records it for a person to check instead of risking a double post.
 * withdrawn: nothing was sent, because the caller's `sending` hook said not to (its claim on the row is gone).
 */
export type PostResult =
  | { ok: true; remoteId: string }
  | { ok: false; kind: "transient"; reason: string; retryAfterMs?: number; mayHavePosted?: boolean }
  | { ok: false; kind: "permanent"; reason: string }
  | { ok: false; kind: "unknown"; reason: string }
  | { ok: false; kind: "withdrawn"; reason: string };

/**
 * Whether a part whose earlier attempt may have posted is on the platform already:
 * found (with the message's id), absent (safe to post), transient (could not look this time: retry later), or
 * unverifiable (the bot may not read the channel's history): recorded unknown for a person to check.
 */
export type FindResult =
  | { kind: "found"; remoteId: string }
  | { kind: "absent" }
  | { kind: "transient"; reason: string; retryAfterMs?: number }
  | { kind: "unverifiable"; reason: string };

/**
 * One rendered digest part. The adapters' renderers return a Rendered<Message> that has this shape; the scheduler
 * names only what it reads, as it imports nothing from the adapters.
 */
export interface RenderedPart {
  message: unknown;
  /** Some of the part's text did not fit one message and gave way to the platform's shortened hint. */
  shortened: boolean;
}

export interface DigestPoster {
  readonly platform: string;
  /**
   * How long after a first attempt the platform is relied on to drop a repeat with the same idempotency key (Discord's
   * enforced nonce lasts "a few minutes"; this is a safe margin inside that). Unset or 0: never (Slack).
   */
  readonly idempotencyWindowMs?: number;
  /**
   * `part` as one platform message (JSON-serialisable) within the platform's limits, and whether its text had to be
   * shortened to fit: the Sender splits a digest until no part is. Deterministic, because the ledger stores the
   * messages on first claim and a retry posts exactly what was stored. Times show in `timeZone` (the channel's).
   */
  render(part: Reply, timeZone: string): RenderedPart;
  /**
   * Posts one stored message. `idempotencyKey` is stable for (edition, channel, part), at most 25 characters
   * (Discord's nonce limit); platforms that support it must use it so a retry cannot post twice, and every platform
   * marks the message with it where readers do not see it, for findPosted. Never throws.
   * Waits out the platform's pacing (shared request budget, per-channel limit), then awaits `sending` right before the
   * request leaves (the Sender notes the attempt in the ledger there); if it returns false, sends nothing: withdrawn.
   */
  post(
    channel: ChannelRef,
    message: unknown,
    idempotencyKey: string,
    sending?: () => Promise<boolean>,
  ): Promise<PostResult>;
  /**
   * Whether `message`, posted with `idempotencyKey`, is in the channel already, posted at or after `since` (the first
   * attempt). Reads the channel's recent history; paced like a post. Never throws. A platform that cannot look
   * leaves this out, and the Sender records such a part unknown rather than post it twice.
   */
  findPosted?(channel: ChannelRef, message: unknown, idempotencyKey: string, since: Date): Promise<FindResult>;
}

/** What a poster waits on before each request (the shared Discord budget, kept in the store). */
export interface RequestBudget {
  readonly perSecond: number;
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
}
