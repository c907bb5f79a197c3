// A request budget: grants spaced evenly at N per second, handed out in the order asked for.

/**
 * Even spacing rather than a token bucket: a bucket lets a full burst follow a refill, so one second can see nearly
 * twice the rate, and bursts leave the client bunched up by connection set-up and jitter. Evenly spaced grants keep
 * every one-second window near N as the server sees it, which is what Discord's global limit counts.
 */
export class RateBudget {
  private nextAt = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(perSecond >= 1)) throw new Error("a rate budget needs at least 1 request per second");
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves when the caller may send one request; callers are served in the order they asked. */
  async take(): Promise<void> {
    // Reserve the slot synchronously, so concurrent callers queue up in call order without a lock.
    const at = Math.max(this.now(), this.nextAt);
    this.nextAt = at + this.intervalMs;
    const wait = at - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}
