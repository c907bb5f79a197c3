// Counting requests per rolling second, for tests that check a rate budget at the fake platform.

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
