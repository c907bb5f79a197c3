// Word-boundary truncation used for command descriptions and, later, platform limits.
import { describe, expect, it } from "vitest";
import { truncateAtWord } from "../../../src/core/text/truncate.js";

describe("truncateAtWord", () => {
  it("leaves text that fits untouched", () => {
    expect(truncateAtWord("short text", 10)).toBe("short text");
  });

  it("cuts at the last whole word and adds an ellipsis, staying within the limit", () => {
    const out = truncateAtWord("News: US envoy held secret direct talks with Hamas", 30);
    expect(out).toBe("News: US envoy held secret…");
    expect([...out].length).toBeLessThanOrEqual(30);
  });

  it("drops trailing punctuation before the ellipsis", () => {
    expect(truncateAtWord("One, two, three, four", 12)).toBe("One, two…");
  });

  it("cuts inside a word only when there is no space in a sensible place", () => {
    expect(truncateAtWord("Supercalifragilistic", 10)).toBe("Supercali…");
  });

  it("counts characters, not UTF-16 units, so emoji are never split", () => {
    const out = truncateAtWord("😀😀😀😀😀😀", 4);
    expect(out).toBe("😀😀😀…");
  });
});
