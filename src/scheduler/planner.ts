// Plans due digests into the ledger each minute: idempotent, safe across restarts, clock jumps and replicas.
import { slotsBetween, type Slot } from "../core/digest/schedule.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../store/store.js";

export interface PlannerOptions {
  /** Slots missed by more than this are recorded as skipped_stale instead of being sent late. */
  catchUpMinutes: number;
  /** How far back the first tick after start-up looks for missed slots (each recorded, sent or skipped). */
  lookbackHours?: number;
  /** Plan only subscriptions on these platforms (the ones this process posts to); all when unset. */
  platforms?: readonly string[];
  /** Told about each slot recorded as skipped_stale (metrics). */
  onSkipped?: (platform: string) => void;
}

export interface PlanResult {
  planned: number;
  skipped: number;
}

const HOUR = 3_600_000;
/** Later ticks look back this far past the previous tick, so a late or repeated tick misses nothing. */
const OVERLAP_MS = HOUR;

export class Planner {
  private lastTick: Date | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: PlannerOptions,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Inserts a ledger row for every slot due since the last tick. The window overlaps the previous one and the
   * ledger ignores rows it already has, so repeating a tick, running it on two replicas, or a clock that jumps
   * back changes nothing; a clock that jumps forward leaves every slot it skipped in the window.
   */
  async tick(): Promise<PlanResult> {
    const now = this.clock();
    const from =
      this.lastTick === undefined
        ? new Date(now.getTime() - (this.options.lookbackHours ?? 48) * HOUR)
        : new Date(Math.min(this.lastTick.getTime(), now.getTime()) - OVERLAP_MS);
    const catchUpMs = this.options.catchUpMinutes * 60_000;
    const result: PlanResult = { planned: 0, skipped: 0 };
    // Thousands of channels share a handful of (time, zone) pairs: their slots are worked out once per tick.
    const slotsOf = new Map<string, Slot[]>();
    for (const subscription of await this.store.listSubscriptions()) {
      if (subscription.paused) continue;
      if (this.options.platforms !== undefined && !this.options.platforms.includes(subscription.platform)) continue;
      const key = `${subscription.time} ${subscription.timeZone}`;
      let slots = slotsOf.get(key);
      if (!slots) {
        slots = slotsBetween(
          { time: subscription.time, timeZone: subscription.timeZone, createdAt: new Date(0).toISOString() },
          from,
          now,
        );
        slotsOf.set(key, slots);
      }
      const created = Date.parse(subscription.createdAt);
      for (const slot of slots.filter((s) => s.dueAt.getTime() >= created)) {
        const lateMs = now.getTime() - slot.dueAt.getTime();
        const stale = lateMs > catchUpMs;
        const inserted = await this.store.planEdition({
          editionKey: slot.editionKey,
          channel: subscription.channel,
          platform: subscription.platform,
          dueAt: slot.dueAt.toISOString(),
          state: stale ? "skipped_stale" : "pending",
          ...(stale && {
            error: `missed by ${Math.round(lateMs / 60_000)} min, more than the ${this.options.catchUpMinutes} min catch-up window`,
          }),
        });
        if (!inserted) continue;
        if (stale) {
          result.skipped += 1;
          this.options.onSkipped?.(subscription.platform);
          this.logger.warn(
            {
              channel: subscription.channel,
              edition: slot.editionKey,
              dueAt: slot.dueAt.toISOString(),
              lateMinutes: Math.round(lateMs / 60_000),
            },
            "digest skipped: due longer ago than the catch-up window",
          );
        } else {
          result.planned += 1;
          if (lateMs > 5 * 60_000) {
            this.logger.info(
              { channel: subscription.channel, edition: slot.editionKey, lateMinutes: Math.round(lateMs / 60_000) },
              "digest planned late, within the catch-up window",
            );
          }
        }
      }
    }
    this.lastTick = now;
    return result;
  }
}
