// Counting requests per rolling second, for tests that check a rate budget at the fake platform.
import { monitorEventLoopDelay } from "node:perf_hooks";

/** The most timestamps (ms) that fall within any one second: a window opening at each timestamp in turn. */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let busiest = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= 1000) first += 1;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

/**
 * Watches this process's event loop from now on. A fake platform stamps each request when its handler runs, so while
 * the loop is stalled (a busy machine, a synchronous read) requests that arrived over the stall get one late stamp
 * together: a window of one second can then hold what really arrived over one second plus the stall.
 */
export function watchStalls(): { longestMs(): number; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    longestMs: () => histogram.max / 1e6,
    stop: () => histogram.disable(),
  };
}

/**
 * The most requests a fake may see in one stamped second from a sender that keeps `perSecond` in every real second,
 * given the longest stall of the loop that stamped them: the budget over one second plus the stall (exactly the budget
 * when nothing stalled).
 */
export function allowedInStampedSecond(perSecond: number, longestStallMs: number): number {
  return Math.floor(perSecond * (1 + longestStallMs / 1000));
}
