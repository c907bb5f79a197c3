// InFlight: stopping waits for answers under way, and a failed one neither blocks the stop nor crashes the process.
import { describe, expect, it } from "vitest";
import { InFlight } from "../../../src/adapters/shared/in-flight.js";

describe("InFlight", () => {
  it("settles once every tracked answer has ended, rejected ones included, and leaves rejections to the caller", async () => {
    const inFlight = new InFlight();
    const order: string[] = [];
    let finish = (): void => undefined;
    const slow = inFlight.track(
      new Promise<void>((resolve) => (finish = resolve)).then(() => void order.push("slow done")),
    );
    const failed = inFlight.track(Promise.reject(new Error("ack failed")));
    await expect(failed).rejects.toThrow("ack failed");
    const settled = inFlight.settled().then(() => void order.push("settled"));
    finish();
    await Promise.all([slow, settled]);
    expect(order).toEqual(["slow done", "settled"]);
    await inFlight.settled();
  });
});
