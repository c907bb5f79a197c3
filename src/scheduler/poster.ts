// The port each platform implements to deliver digests: render one part of a composed Reply, post one message.
import type { ChannelRef } from "../core/commands/types.js";
import type { Reply } from "../core/reply.js";

/**
 * transient: worth retrying later (429, 5xx, timeouts before the request left); retryAfterMs when the platform said.
 * permanent: retrying cannot help (no access, channel gone, token revoked); the subscription is paused with `reason`.
 * unknown: the request may or may not have posted (connection cut after sending) and the platform offers no
 * idempotency key (Slack): the ledger records it for a person to check instead of risking a double post.
 */
export type PostResult =
  | { ok: true; remoteId: string }
  | { ok: false; kind: "transient"; reason: string; retryAfterMs?: number }
  | { ok: false; kind: "permanent"; reason: string }
  | { ok: false; kind: "unknown"; reason: string };

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
  /** True when posting twice with the same idempotency key shows one message (Discord's enforced nonce). */
  readonly idempotent?: boolean;
  /**
   * `part` as one platform message (JSON-serialisable) within the platform's limits, and whether its text had to be
   * shortened to fit: the Sender splits a digest until no part is. Deterministic, because the ledger stores the
   * messages on first claim and a retry posts exactly what was stored. Times show in `timeZone` (the channel's).
   */
  render(part: Reply, timeZone: string): RenderedPart;
  /**
   * Posts one stored message. `idempotencyKey` is stable for (edition, channel, part), at most 25 characters
   * (Discord's nonce limit); platforms that support it must use it so a retry cannot post twice. Never throws.
   * Waits out the platform's pacing (shared request budget, per-channel limit) before sending.
   */
  post(channel: ChannelRef, message: unknown, idempotencyKey: string): Promise<PostResult>;
}

/** What a poster waits on before each request (the shared Discord budget, kept in the store). */
export interface RequestBudget {
  readonly perSecond: number;
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
}
