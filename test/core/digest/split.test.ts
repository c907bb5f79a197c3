// splitReply against a plain character budget: every part fits after numbering, and no item is lost or repeated.
import { describe, expect, it } from "vitest";
import { splitReply } from "../../../src/core/digest/split.js";
import type { Reply } from "../../../src/core/reply.js";

function length(reply: Reply): number {
  const sections = reply.sections.map(
    (s) => (s.heading ?? "").length + (s.body ?? "").length + (s.items ?? []).join("").length,
  );
  return reply.title.length + (reply.lead ?? "").length + sections.reduce((a, b) => a + b, 0);
}

function digest(itemCount: number, itemLength: number): Reply {
  const items = Array.from(
    { length: itemCount },
    (_, i) => `${String(i).padStart(4, "0")}${"x".repeat(itemLength - 4)}`,
  );
  return {
    tone: "answer",
    title: "Daily digest: hostages",
    lead: "What changed since yesterday.",
    sections: [
      { heading: "New", items: items.slice(0, itemCount / 2) },
      { heading: "Corrections", items: items.slice(itemCount / 2) },
    ],
    sources: [{ id: "reuters", label: "Reuters" }],
    visibility: "shared",
    actions: [],
  };
}

const itemsOf = (parts: Reply[]) => parts.flatMap((p) => p.sections.flatMap((s) => s.items ?? []));

describe("splitReply", () => {
  it("returns the reply itself, unnumbered, when it fits", () => {
    const reply = digest(4, 20);
    expect(splitReply(reply, (part) => length(part) <= 1000)).toEqual([reply]);
  });

  it("keeps every numbered part within the limit at every budget near a boundary, losing and repeating nothing", () => {
    const reply = digest(40, 50);
    for (let budget = 300; budget <= 1200; budget += 1) {
      const fits = (part: Reply) => length(part) <= budget;
      const parts = splitReply(reply, fits);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) expect(length(part), `budget ${budget}: ${part.title}`).toBeLessThanOrEqual(budget);
      expect(itemsOf(parts)).toEqual(itemsOf([reply]));
      expect(parts.map((p) => p.title)).toEqual(
        parts.map((_, i) => `Daily digest: hostages (${i + 1}/${parts.length})`),
      );
      expect(parts.slice(1).every((p) => p.lead === undefined)).toBe(true);
    }
  });
});
