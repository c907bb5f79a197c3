// SharedRateBudget over a store's slot reservation, on a virtual clock: spacing across replicas, and late grants given up.
import { describe, expect, it } from "vitest";
import { SharedRateBudget } from "../../src/scheduler/shared-rate-budget.js";

/** One clock for the "database" and every "replica"; it moves only when someone sleeps (plus any injected lag). */
function world() {
  let time = 10_000;
  let nextGrant = 0;
  const granted: number[] = [];
  /** Extra ms the next sleep overshoots by: a stalled event loop waking late. */
  const overshoots: number[] = [];
  return {
    now: () => time,
    sleep: (ms: number) => {
      time += ms + (overshoots.shift() ?? 0);
      return Promise.resolve();
    },
    // The store's GCRA, as both stores implement reserveGrant.
    store: {
      reserveGrant: (_name: string, intervalMs: number) => {
        const due = Math.max(nextGrant, time);
        nextGrant = due + intervalMs;
        return Promise.resolve(due - time);
      },
    },
    granted,
    overshoots,
  };
}

describe("SharedRateBudget", () => {
  it("spaces grants (1000 + allowance) / N ms apart, so any one-second window holds at most N even with arrivals that much out of step", async () => {
    const w = world();
    const budget = new SharedRateBudget(w.store, {
      name: "discord",
      perSecond: 10,
      jitterAllowanceMs: 50,
      now: w.now,
      sleep: w.sleep,
    });
    for (let i = 0; i < 31; i += 1) {
      await budget.take();
      w.granted.push(w.now());
    }
    const gaps = w.granted.slice(1).map((t, i) => t - (w.granted[i] ?? 0));
    expect(new Set(gaps)).toEqual(new Set([105]));
    // Shift every other grant 50 ms late (the allowance): still no window of 1000 ms holds more than 10.
    const arrivals = w.granted.map((t, i) => t + (i % 2 === 0 ? 50 : 0)).sort((a, b) => a - b);
    const busiest = Math.max(...arrivals.map((start) => arrivals.filter((t) => t >= start && t < start + 1000).length));
    expect(busiest).toBe(10);
  });

  it("interleaves several replicas on one store: together they keep one budget, not one each", async () => {
    const w = world();
    const replicas = [1, 2, 3].map(
      () =>
        new SharedRateBudget(w.store, {
          name: "discord",
          perSecond: 20,
          jitterAllowanceMs: 0,
          now: w.now,
          sleep: w.sleep,
        }),
    );
    const start = w.now();
    // Sequential takes in turn keep the virtual clock deterministic; each replica asks as soon as its previous grant came.
    for (let round = 0; round < 20; round += 1) {
      for (const replica of replicas) {
        await replica.take();
        w.granted.push(w.now());
      }
    }
    // 60 grants at 20/s: the last comes 59 intervals of 50 ms after the first, which came at once.
    expect(w.granted[0]).toBe(start);
    expect((w.granted.at(-1) ?? 0) - start).toBe(59 * 50);
  });

  it("gives up a grant it woke too late for and reserves another, rather than crowding the next second", async () => {
    const w = world();
    const late: number[] = [];
    const budget = new SharedRateBudget(w.store, {
      name: "discord",
      perSecond: 10,
      jitterAllowanceMs: 50,
      now: w.now,
      sleep: w.sleep,
      onLateGrant: (ms) => late.push(ms),
    });
    await budget.take(); // the first grant is due at once
    const first = w.now();
    w.overshoots.push(40); // the next wake is 40 ms late: more than half the 50 ms allowance
    await budget.take();
    expect(late).toEqual([40]);
    // The late slot (first + 105) went unused; the grant used is the one after it.
    expect(w.now()).toBe(first + 210);
    w.overshoots.push(20); // within half the allowance: used
    await budget.take();
    expect(late).toEqual([40]);
    expect(w.now()).toBe(first + 335);
  });

  it("does not wait when requests come slower than the rate", async () => {
    const w = world();
    const budget = new SharedRateBudget(w.store, { name: "discord", perSecond: 10, now: w.now, sleep: w.sleep });
    const start = w.now();
    for (let i = 0; i < 5; i += 1) {
      await budget.take();
      await w.sleep(500);
    }
    // Only the caller's own 500 ms pauses passed: every grant came at once.
    expect(w.now() - start).toBe(5 * 500);
  });

  it("refuses a budget below one request per second", () => {
    const w = world();
    expect(() => new SharedRateBudget(w.store, { name: "discord", perSecond: 0 })).toThrow(/at least 1/);
  });
});
