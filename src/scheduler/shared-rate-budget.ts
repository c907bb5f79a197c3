// A request budget shared by every replica on one store: each grant is a slot reserved in the database, so N replicas together stay within one budget.
import type { Store } from "../store/store.js";
import type { RequestBudget } from "./poster.js";

export type { RequestBudget } from "./poster.js";

export interface SharedRateBudgetOptions {
  /** The budget's row in the store: one per limit enforced by the platform (Discord's is per bot). */
  name: string;
  perSecond: number;
  /**
   * Milliseconds of each second left unused so that replicas' grants can arrive out of step by that much and no
   * one-second window at the platform still holds more than perSecond (see take()). The price is the same fraction of
   * the rate: 50 ms keeps 95% of it.
   */
  jitterAllowanceMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told when a grant was given up because this process woke too late to use it (metrics, tests). */
  onLateGrant?: (lateMs: number) => void;
}

/**
 * Why slots in the database rather than a local budget per replica: Discord's global limit is per bot, so three
 * replicas each spending the whole budget would triple the rate. Why not one sender replica holding a lease: a slot
 * per request costs one short statement, and every replica keeps sending while any replica is alive, with no hand-over
 * gap after a crash.
 *
 * Slots are spaced (1000 + allowance) / perSecond ms apart on the store's clock. A request that reaches the platform
 * later than its slot makes room for one more grant in some one-second window; as long as no request is later than
 * the allowance, every window still holds at most perSecond. So a grant this process wakes up for too late (a stalled
 * event loop, a slow round trip) is given up, not used: half the allowance for waking, half for the request's way out.
 */
export class SharedRateBudget implements RequestBudget {
  readonly perSecond: number;
  private readonly intervalMs: number;
  private readonly latestWakeMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly store: Pick<Store, "reserveGrant">,
    private readonly options: SharedRateBudgetOptions,
  ) {
    if (!(options.perSecond >= 1)) throw new Error("a rate budget needs at least 1 request per second");
    const allowance = options.jitterAllowanceMs ?? 50;
    this.perSecond = options.perSecond;
    this.intervalMs = (1000 + allowance) / options.perSecond;
    this.latestWakeMs = allowance / 2;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async take(): Promise<void> {
    for (;;) {
      const asked = this.now();
      const waitMs = await this.store.reserveGrant(this.options.name, this.intervalMs);
      // The store counted waitMs from a moment between asking and hearing back: waiting from the answer is never early.
      if (waitMs > 0) await this.sleep(waitMs);
      // Lateness measured from the earliest the slot can have been, so a slow round trip counts against it too.
      const late = this.now() - (asked + waitMs);
      if (late <= this.latestWakeMs) return;
      this.options.onLateGrant?.(late);
    }
  }
}
