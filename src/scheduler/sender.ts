// Sends planned digests: claims ledger rows under a lease, posts each part once, and records every outcome.
import { createHash, randomBytes } from "node:crypto";
import type { ContentIndex } from "../core/content/model.js";
import { contentOrigin } from "../core/content/release.js";
import { composeDigest } from "../core/digest/compose.js";
import { splitReply } from "../core/digest/split.js";
import { Memo } from "../core/memo.js";
import type { DigestSettings } from "../core/digest/types.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { Reply } from "../core/reply.js";
import type { DeliveryKey, DeliveryPayload, DeliveryRow, Store } from "../store/store.js";
import type { DigestPoster, FindResult, RenderedPart } from "./poster.js";

/** What became of one edition for one channel, for metrics. */
export type DigestOutcome = "delivered" | "retry" | "failed" | "paused" | "unknown" | "skipped_quiet" | "canceled";

export interface SenderOptions {
  /** Identifies this process's claims; unique per process. */
  owner?: string;
  /** How long a claim lasts before another sender may resume the row. */
  leaseMs?: number;
  /** Rows sent at the same time; pacing inside each poster keeps the platforms' limits. */
  concurrency?: number;
  /** After this many attempts a transiently failing row is given up as failed. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface SenderDependencies {
  store: Store;
  posters: ReadonlyMap<string, DigestPoster>;
  content: () => ContentIndex;
  settings: DigestSettings;
  logger: Logger;
  clock?: () => Date;
  observe?: (outcome: DigestOutcome, platform: string) => void;
}

/** Discord's nonce is at most 25 characters; the same row and part always give the same one. */
export function idempotencyKey(key: DeliveryKey, part: number): string {
  return createHash("sha256").update(`${key.editionKey}\n${key.channel}\n${part}`).digest("hex").slice(0, 25);
}

/**
 * The messages that carry `reply` on `poster`'s platform: split until the renderer shortens no part, then each part
 * rendered. A reply that fits whole is rendered once: its fit check is the message.
 */
export function digestMessages(poster: DigestPoster, reply: Reply, timeZone: string): unknown[] {
  let whole: RenderedPart | undefined;
  const fits = (part: Reply): boolean => {
    const rendered = poster.render(part, timeZone);
    if (part === reply) whole = rendered;
    return !rendered.shortened;
  };
  return splitReply(reply, fits).map(
    (part) => (part === reply && whole !== undefined ? whole : poster.render(part, timeZone)).message,
  );
}

export class Sender {
  readonly owner: string;
  /**
   * Recently rendered digests, since channels that follow the same stories and heard the same news get the same one:
   * platform, zone and composed reply (as JSON) -> rendered messages (as JSON, so each row gets its own copy).
   */
  private readonly rendered = new Memo<string>(32);
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly clock: () => Date;
  private stopping = false;
  private draining: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: SenderDependencies,
    options: SenderOptions = {},
  ) {
    this.owner = options.owner ?? `sender-${randomBytes(6).toString("hex")}`;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.concurrency = options.concurrency ?? 16;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.baseBackoffMs = options.baseBackoffMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30 * 60_000;
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * digestMessages, remembered for identical digests: rendering Markdown for every one of 10,000 channels took more
   * time than anything else in a fan-out, and most channels of one edition receive the same text.
   */
  private render(poster: DigestPoster, reply: Reply, timeZone: string): unknown[] {
    const key = `${poster.platform}\n${timeZone}\n${JSON.stringify(reply)}`;
    return JSON.parse(
      this.rendered.get(key, () => JSON.stringify(digestMessages(poster, reply, timeZone))),
    ) as unknown[];
  }

  /** Sends everything claimable now; a second call while one runs joins it. Never throws. */
  drain(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.draining ??= this.run().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /**
   * Stops claiming and starting parts, lets posts under way finish (they are bounded by the posters' timeouts),
   * then hands every row still claimed back to the ledger as pending, so a restart sends it: nothing is lost,
   * and parts already posted are not posted again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.draining;
    await Promise.allSettled([...this.inFlight]);
    const released = await this.deps.store.releaseDeliveries(
      this.owner,
      "unsent: the bot stopped before sending it; sent after restart",
    );
    if (released > 0) this.deps.logger.info({ released }, "unsent digests left in the ledger for the next start");
  }

  private now(): Date {
    return this.clock();
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.stopping) break;
        const room = this.concurrency - this.inFlight.size;
        const rows =
          room > 0
            ? await this.deps.store.claimDeliveries({
                now: this.now().toISOString(),
                owner: this.owner,
                leaseMs: this.leaseMs,
                limit: room,
                // Another process (the Discord bot, while this is a local console) may serve the other platforms.
                platforms: [...this.deps.posters.keys()],
              })
            : [];
        for (const row of rows) {
          const task: Promise<void> = this.send(row).finally(() => this.inFlight.delete(task));
          this.inFlight.add(task);
        }
        if (this.inFlight.size === 0) break;
        await Promise.race(this.inFlight);
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, "digest sender could not read the ledger; retrying on the next tick");
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private observe(outcome: DigestOutcome, row: DeliveryRow): void {
    this.deps.observe?.(outcome, row.platform);
  }

  /** One row, start to finish; every outcome is written to the ledger. Never throws. */
  private async send(row: DeliveryRow): Promise<void> {
    const log = this.deps.logger.child({ channel: row.channel, edition: row.editionKey, attempt: row.attempts });
    try {
      await this.sendRow(row, log);
    } catch (error) {
      log.error({ err: error }, "digest send failed unexpectedly; will retry");
      await this.retry(row, `internal error: ${errorMessage(error)}`, undefined, log).catch((e: unknown) =>
        log.error({ err: e }, "could not record the failed digest; its lease will expire and it will be retried"),
      );
    }
  }

  private async sendRow(row: DeliveryRow, log: Logger): Promise<void> {
    const { store } = this.deps;
    const subscription = await store.getSubscription(row.channel);
    if (!subscription) {
      await store.finishDelivery(row, this.owner, "canceled", "the channel unsubscribed", this.now().toISOString());
      this.observe("canceled", row);
      return;
    }
    if (subscription.paused) {
      await store.finishDelivery(
        row,
        this.owner,
        "paused",
        `paused: ${subscription.paused.reason}`,
        this.now().toISOString(),
      );
      this.observe("paused", row);
      return;
    }
    const poster = this.deps.posters.get(row.platform);
    if (!poster) {
      await this.retry(row, `no ${row.platform} connection in this process`, undefined, log);
      return;
    }

    let payload = row.payload;
    if (!payload) {
      const [announced, delivered] = await Promise.all([
        store.announced(row.channel),
        store.lastDelivered(row.channel),
      ]);
      const content = this.deps.content();
      const composed = composeDigest({
        content,
        stories: subscription.stories,
        announced,
        firstDigest: delivered === undefined,
        now: this.now(),
        settings: this.deps.settings,
        timeZone: subscription.timeZone,
      });
      if (!composed) {
        await store.finishDelivery(
          row,
          this.owner,
          "skipped_quiet",
          "nothing new; quiet days are skipped",
          this.now().toISOString(),
        );
        this.observe("skipped_quiet", row);
        return;
      }
      // Stored before the first post: a retry, a restart or another replica posts exactly these messages.
      const built: DeliveryPayload = {
        kind: composed.kind,
        messages: this.render(poster, composed.reply, subscription.timeZone),
        announce: composed.announce,
        composedFrom: contentOrigin(content),
      };
      if (!(await store.savePayload(row, this.owner, built))) return this.lostLease(log);
      payload = built;
    }

    for (let part = row.partsSent; part < payload.messages.length; part += 1) {
      if (this.stopping) return; // stop() releases the row; the next start resumes at this part
      const message = payload.messages[part];
      const key = idempotencyKey(row, part);
      // Only the first part of a claim can carry an earlier attempt: later ones start fresh in this claim.
      const earlier = part === row.partsSent ? row.partAttemptedAt : undefined;
      let restart = false;
      if (earlier !== undefined) {
        const settled = await this.settleEarlierAttempt(row, poster, part, message, key, earlier, log);
        if (settled === "done") return;
        if (settled === "recorded") continue;
        restart = settled === "post-afresh";
      }
      const sending = () => store.markPartAttempt(row, this.owner, this.now().toISOString(), restart);
      const result = await poster.post(row.channel, message, key, sending);
      if (result.ok) {
        if (!(await store.recordPart(row, this.owner, part, result.remoteId))) return this.lostLease(log);
        continue;
      }
      if (result.kind === "withdrawn") return this.lostLease(log);
      if (result.kind === "transient" || (result.kind === "unknown" && poster.findPosted !== undefined)) {
        // An attempt that provably posted nothing clears the note, unless an earlier one still may have posted.
        const mayHavePosted = result.kind === "unknown" || result.mayHavePosted === true;
        const nothingPosted = !mayHavePosted && (earlier === undefined || restart);
        await this.retry(
          row,
          result.reason,
          result.kind === "transient" ? result.retryAfterMs : undefined,
          log,
          nothingPosted,
        );
        return;
      }
      const state = result.kind === "permanent" ? "paused" : "unknown";
      await store.finishDelivery(row, this.owner, state, result.reason, this.now().toISOString());
      this.observe(state, row);
      if (state === "paused")
        log.warn({ reason: result.reason }, "digest subscription paused: the platform refused the post");
      else
        log.error(
          { reason: result.reason, part },
          "digest outcome unknown: not resent, to avoid a double post; check the channel",
        );
      return;
    }
    if (!(await store.completeDelivery(row, this.owner, this.now().toISOString()))) return this.lostLease(log);
    this.observe("delivered", row);
    log.info({ parts: payload.messages.length, kind: payload.kind }, "digest delivered");
  }

  /**
   * Part `part` was attempted before, at `attemptedAt`, and may be on the platform unrecorded (the sender died after
   * sending, a timeout, a 5xx). Within the platform's idempotency window a repeat is dropped, so it is simply posted
   * again ("post"); past it, the channel's history is read: found, it is recorded and not resent ("recorded"); absent,
   * it is posted with a new attempt time ("post-afresh"); if the history cannot be read, the row is retried later or
   * recorded unknown for a person to check ("done"), never posted twice.
   */
  private async settleEarlierAttempt(
    row: DeliveryRow,
    poster: DigestPoster,
    part: number,
    message: unknown,
    key: string,
    attemptedAt: string,
    log: Logger,
  ): Promise<"post" | "post-afresh" | "recorded" | "done"> {
    const { store } = this.deps;
    const since = new Date(attemptedAt);
    if (this.now().getTime() - since.getTime() < (poster.idempotencyWindowMs ?? 0)) return "post";
    const found: FindResult = poster.findPosted
      ? await poster.findPosted(row.channel, message, key, since)
      : { kind: "unverifiable", reason: `${row.platform} offers no way to check` };
    switch (found.kind) {
      case "absent":
        log.info(
          { part, attemptedAt },
          "digest part not found in the channel after an interrupted attempt; posting it",
        );
        return "post-afresh";
      case "found":
        if (!(await store.recordPart(row, this.owner, part, found.remoteId))) {
          this.lostLease(log);
          return "done";
        }
        log.info({ part, attemptedAt }, "digest part found already posted after an interrupted attempt; not resent");
        return "recorded";
      case "transient":
        await this.retry(
          row,
          `could not check whether part ${part + 1} was posted: ${found.reason}`,
          found.retryAfterMs,
          log,
        );
        return "done";
      case "unverifiable": {
        const reason = `an earlier attempt may have posted part ${part + 1} and it cannot be checked (${found.reason}); not resent, to avoid a double post`;
        await store.finishDelivery(row, this.owner, "unknown", reason, this.now().toISOString());
        this.observe("unknown", row);
        log.error({ part, attemptedAt }, `digest outcome unknown: ${reason}`);
        return "done";
      }
    }
  }

  private async retry(
    row: DeliveryRow,
    reason: string,
    retryAfterMs: number | undefined,
    log: Logger,
    nothingPosted = false,
  ): Promise<void> {
    const { store } = this.deps;
    if (row.attempts >= this.maxAttempts) {
      await store.finishDelivery(
        row,
        this.owner,
        "failed",
        `gave up after ${row.attempts} attempts: ${reason}`,
        this.now().toISOString(),
      );
      this.observe("failed", row);
      log.error({ reason }, "digest failed after every retry");
      return;
    }
    const backoff = Math.min(this.baseBackoffMs * 2 ** Math.max(0, row.attempts - 1), this.maxBackoffMs);
    const next = new Date(this.now().getTime() + Math.max(backoff, retryAfterMs ?? 0));
    if (!(await store.retryDelivery(row, this.owner, next.toISOString(), reason, nothingPosted)))
      return this.lostLease(log);
    this.observe("retry", row);
    log.warn({ reason, nextAttemptAt: next.toISOString() }, "digest not sent yet; will retry");
  }

  private lostLease(log: Logger): void {
    // Another sender took the row over after our lease ran out; it resumes from the last recorded part.
    log.warn("lost the claim on a digest to another sender; leaving it to them");
  }
}
