// The console renderer: readable plain text for pipes, ANSI styling only when asked for.
import { describe, expect, it } from "vitest";
import { renderConsole } from "../../../src/adapters/console/render.js";
import type { Reply } from "../../../src/core/reply.js";

const reply: Reply = {
  tone: "answer",
  title: "A headline",
  lead: "Lead with **bold**, _italic_ and a [link](https://example.org/a).",
  sections: [
    { heading: "Key points", items: ["First point", "Second point\nwith a second line"] },
    { heading: "Background", body: "## Sub\n\nA paragraph." },
  ],
  sources: [
    { id: "a", label: "Source article (citing Reuters and Axios)" },
    { id: "b", label: "Reuters, 5 Mar 2025" },
  ],
  updated: "2026-11-23T09:00:00Z",
  visibility: "private",
  actions: [
    { kind: "share", label: "Share in channel", commandLine: "/hostages summary" },
    { kind: "run", label: "Qatar", commandLine: "/who qatar" },
  ],
  footer: "More: /hostages timeline",
};

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe("renderConsole", () => {
  it("renders plain text with no escape codes when colour is off", () => {
    const text = renderConsole(reply, { colour: false, timeZone: "UTC" }).message;
    expect(text).not.toMatch(ANSI);
    expect(text).toContain("A headline\n==========");
    expect(text).toContain("Lead with bold, italic and a link (https://example.org/a).");
    expect(text).toContain("Key points\n  • First point\n  • Second point\n    with a second line");
    expect(text).toContain("Sources: Source article (citing Reuters and Axios) · Reuters, 5 Mar 2025");
    expect(text).toContain("Updated 23 Nov 2026, 09:00 UTC");
    expect(text).toContain("More: /hostages timeline");
  });

  it("shows follow-up commands but not the share button, which means nothing in a terminal", () => {
    const text = renderConsole(reply, { colour: false, timeZone: "UTC" }).message;
    expect(text).toContain("Try: /who qatar");
    expect(text).not.toContain("Share in channel");
  });

  it("shows the updated time in the configured zone", () => {
    expect(renderConsole(reply, { colour: false, timeZone: "Asia/Tokyo" }).message).toContain(
      "Updated 23 Nov 2026, 18:00 GMT+9",
    );
  });

  it("styles with ANSI codes when colour is on, keeping the same words", () => {
    const text = renderConsole(reply, { colour: true, timeZone: "UTC" }).message;
    expect(text).toMatch(ANSI);
    // eslint-disable-next-line no-control-regex
    expect(text.replace(/\u001b\[[0-9;]*m/g, "")).toContain(
      "Lead with bold, italic and a link (https://example.org/a).",
    );
  });

  it("marks errors so they stand out from answers", () => {
    const text = renderConsole(
      { ...reply, tone: "error", title: "I don't know that", sources: [], updated: undefined },
      { colour: false, timeZone: "UTC" },
    ).message;
    expect(text.startsWith("✗ I don't know that")).toBe(true);
    expect(text).not.toContain("Sources:");
  });

  it("never shortens and drops nothing: a terminal has no size limit and run actions show as the Try line", () => {
    const long = {
      ...reply,
      lead: "word ".repeat(20_000),
      actions: [...reply.actions, { kind: "run" as const, label: "Long", commandLine: `/who ${"z".repeat(300)}` }],
    };
    const rendered = renderConsole(long, { colour: false, timeZone: "UTC" });
    expect(rendered.shortened).toBe(false);
    expect(rendered.dropped).toEqual([]);
    expect(rendered.message).toContain(`Try: /who qatar  ·  /who ${"z".repeat(300)}`);
  });
});

describe("renderConsole at a terminal's width", () => {
  const long: Reply = {
    ...reply,
    title: "US envoy held secret direct talks with Hamas before Trump's hostage ultimatum",
    lead: "Read it at https://example.org/2025/03/05/us-envoy-held-secret-direct-talks-with-hamas today.",
    sections: [
      {
        heading: "Key points",
        items: ["The White House confirmed Boehler's direct contact with Hamas and said he was authorised."],
      },
    ],
  };

  it("wraps at the width on word boundaries: the title's rule fits under it, items hang under their text", () => {
    const text = renderConsole(long, { colour: false, timeZone: "UTC", width: 40 }).message;
    expect(
      text.startsWith(
        `US envoy held secret direct talks with\nHamas before Trump's hostage ultimatum\n${"=".repeat(38)}\n`,
      ),
    ).toBe(true);
    expect(text).toContain(
      "Key points\n  • The White House confirmed Boehler's\n    direct contact with Hamas and said\n    he was authorised.",
    );
    // A URL is never cut: it stands whole on a line of its own.
    expect(text).toContain(
      "Read it at\nhttps://example.org/2025/03/05/us-envoy-held-secret-direct-talks-with-hamas\ntoday.",
    );
    const url = "https://example.org/2025/03/05/us-envoy-held-secret-direct-talks-with-hamas";
    for (const line of text.split("\n")) if (line !== url) expect([...line].length).toBeLessThanOrEqual(40);
  });

  it("counts only what shows when coloured, and leaves text whole with no width (piped output)", () => {
    const coloured = renderConsole(long, { colour: true, timeZone: "UTC", width: 40 }).message;
    // eslint-disable-next-line no-control-regex
    const plain = coloured.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).toContain(
      "  • The White House confirmed Boehler's\n    direct contact with Hamas and said\n    he was authorised.",
    );
    expect(renderConsole(long, { colour: false, timeZone: "UTC" }).message).toContain(
      "  • The White House confirmed Boehler's direct contact with Hamas and said he was authorised.",
    );
  });
});
