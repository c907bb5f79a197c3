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
  it("spaces grants 1/N s apart, so no one-second window holds more than N", async () => {
    const clock = virtualClock();
    const budget = new RateBudget(4, clock.now, clock.sleep);
    const granted: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      await budget.take();
      granted.push(clock.now());
    }
    expect(granted.slice(0, 5)).toEqual([1000, 1250, 1500, 1750, 2000]);
    for (const start of granted) expect(granted.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(4);
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
    const budget = new RateBudget(2, () => clock.now(), (ms) => new Promise((resolve) => setTimeout(resolve, ms / 100)));
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => budget.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it("refuses a rate below one per second", () => {
    expect(() => new RateBudget(0)).toThrow(/at least 1/);
  });
});
