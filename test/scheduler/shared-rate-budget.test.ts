// SharedRateBudget over a store's slot reservation, on a virtual clock: spacing across replicas, and late grants given up.
import { describe, expect, it } from "vitest";
import { SharedRateBudget } from "../../src/scheduler/shared-rate-budget.js";
import { busiestSecond } from "../rate-window.js";

/** One clock for the "database" and every "replica"; it moves only when someone sleeps (plus any injected lag). */
function world() {
  let time = 10_000;
  let nextGrant = 0;
  /** Each slot the store reserved, as the instant (virtual ms) it is due: what the budget granted, used or not. */
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
        granted.push(due);
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
      // Each request goes out at the slot the store granted it, not later.
      expect(w.now()).toBe(w.granted.at(-1));
    }
    expect(w.granted).toHaveLength(31);
    const gaps = w.granted.slice(1).map((t, i) => t - (w.granted[i] ?? 0));
    expect(new Set(gaps)).toEqual(new Set([105]));
    // Requests reaching Discord up to the allowance (50 ms) after their slot: every other one late, or any one alone
    // late (the worst case: it shares a window with all the slots that follow it). No window of 1000 ms holds more than 10.
    const everyOtherLate = (slots: number[]) => slots.map((t, i) => t + (i % 2 === 0 ? 50 : 0));
    const worstOneLate = (slots: number[]) =>
      Math.max(...slots.map((_, late) => busiestSecond(slots.map((t, i) => (i === late ? t + 50 : t)))));
    expect(busiestSecond(everyOtherLate(w.granted))).toBe(10);
    expect(worstOneLate(w.granted)).toBe(10);
    // Slots 1000 / N apart, without the allowance, let one late request put 11 in a window: the check can fail.
    expect(worstOneLate(w.granted.map((_, i) => 10_000 + i * 100))).toBe(11);
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
        expect(w.now()).toBe(w.granted.at(-1));
      }
    }
    // 60 grants at 20/s: one slot every 50 ms from the first, which came at once; never 20 a second per replica.
    expect(w.granted).toEqual(Array.from({ length: 60 }, (_, i) => start + i * 50));
    expect(busiestSecond(w.granted)).toBe(20);
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
    // The store reserved four slots, evenly spaced: giving one up never crowds the next.
    expect(w.granted.map((t) => t - first)).toEqual([0, 105, 210, 315]);
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
