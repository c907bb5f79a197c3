// A request budget: grants spaced evenly at N per second, handed out in the order asked for, with no catch-up burst.

/** What a poster waits on before each request: this process's RateBudget, or the replicas' SharedRateBudget. */
export interface RequestBudget {
  readonly perSecond: number;
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
}

/**
 * Even spacing rather than a token bucket: a bucket lets a full burst follow a refill, so one second can see nearly
 * twice the rate. Each grant is decided when it is due, not when it was asked for (GCRA, the "virtual scheduling"
 * form): a process that stalls (garbage collection, a slow disk write) does not release every overdue grant at once
 * when it wakes, which a fan-out through fakes enforcing Discord's global limit showed as bursts of 429s. One
 * interval of tolerance absorbs a late timer or a busy event loop (half an interval lost a tenth of the rate in a
 * 10,000-channel fan-out), so the long-run rate stays N; the price is that one second can hold N + 1 grants, which the
 * default budget (48 of Discord's 50) leaves room for.
 */
export class RateBudget implements RequestBudget {
  /** When the next grant is due at the steady rate (the theoretical arrival time). */
  private dueAt = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  /** Grants are decided one after another, in the order asked for. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(perSecond >= 1)) throw new Error("a rate budget needs at least 1 request per second");
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when the caller may send one request; callers are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.grant());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async grant(): Promise<void> {
    for (;;) {
      const now = this.now();
      // One interval of tolerance: a grant may come that much before it is due.
      const earliest = this.dueAt - this.intervalMs;
      if (now >= earliest) {
        this.dueAt = Math.max(this.dueAt, now) + this.intervalMs;
        return;
      }
      await this.sleep(earliest - now);
    }
  }
}
