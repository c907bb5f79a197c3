// Memo: computes each key once, and starts again when full so memory stays bounded.
import { describe, expect, it } from "vitest";
import { Memo } from "../../src/core/memo.js";

describe("Memo", () => {
  it("computes a key once and returns the kept value after", () => {
    const memo = new Memo<number>(10);
    let computed = 0;
    const square = (n: number) => memo.get(String(n), () => ((computed += 1), n * n));
    expect([square(3), square(3), square(4), square(3)]).toEqual([9, 9, 16, 9]);
    expect(computed).toBe(2);
  });

  it("holds at most its limit: a full memo forgets everything and computes again", () => {
    const memo = new Memo<string>(2);
    let computed = 0;
    const get = (key: string) => memo.get(key, () => ((computed += 1), key.toUpperCase()));
    get("a");
    get("b");
    get("c"); // full: starts again with only c
    expect(computed).toBe(3);
    get("c");
    expect(computed).toBe(3);
    expect(get("a")).toBe("A");
    expect(computed).toBe(4);
  });
});
