// RateBudget with an injected clock: even spacing, call order, and no waiting while under the rate.
import { describe, expect, it } from "vitest";
import { RateBudget } from "../../src/scheduler/rate-budget.js";

/** A clock that only moves when the budget sleeps, so grant times are exact. */
function virtualClock() {
  let time = 1000;
  const sleeps: number[] = [];
  return {
    now: () => time,
    sleep: (ms: number) => {
      sleeps.push(ms);
      time += ms;
      return Promise.resolve();
    },
    sleeps,
    advance: (ms: number) => (time += ms),
  };
}

describe("RateBudget", () => {
  it("spaces grants 1/N s apart after the first, so the long-run rate is N and no one-second window holds more than N + 1", async () => {
    const clock = virtualClock();
    const budget = new RateBudget(4, clock.now, clock.sleep);
    const granted: number[] = [];
    for (let i = 0; i < 41; i += 1) {
      await budget.take();
      granted.push(clock.now());
    }
    // One interval of tolerance for late timers: the second grant may come that much early, then every 250 ms.
    expect(granted.slice(0, 5)).toEqual([1000, 1000, 1250, 1500, 1750]);
    expect(granted.at(-1)).toBe(1000 + 39 * 250);
    for (const start of granted) expect(granted.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(5);
  });

  it("does not release every overdue grant at once after the process stalls", async () => {
    const clock = virtualClock();
    const budget = new RateBudget(10, clock.now, clock.sleep);
    await budget.take();
    // Callers queue up, then the process stalls for two seconds before any of them is served.
    const waiting = Array.from({ length: 10 }, () => budget.take().then(() => clock.now()));
    clock.advance(2000);
    const granted = await Promise.all(waiting);
    // Two grants on waking (one is the tolerance), then 100 ms apart again: the ten overdue grants do not go out together.
    expect(granted.slice(0, 3)).toEqual([3000, 3000, 3100]);
    for (let i = 2; i < granted.length; i += 1) expect(granted[i]! - granted[i - 1]!).toBe(100);
  });

  it("does not wait when requests come slower than the rate", async () => {
    const clock = virtualClock();
    const budget = new RateBudget(10, clock.now, clock.sleep);
    for (let i = 0; i < 5; i += 1) {
      await budget.take();
      clock.advance(500);
    }
    expect(clock.sleeps).toEqual([]);
  });

  it("serves concurrent callers in the order they asked", async () => {
    const clock = virtualClock();
    // Real timers (short ones), so the callers' promises interleave as they would in the bot.
    const budget = new RateBudget(2, () => clock.now(), (ms) => new Promise((resolve) => setTimeout(() => { clock.advance(ms); resolve(); }, 1)));
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => budget.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("refuses a rate below one per second", () => {
    expect(() => new RateBudget(0)).toThrow(/at least 1/);
  });
});
