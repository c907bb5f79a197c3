// Button custom ids: the command line a click re-asks, and for a share the fingerprint of the answer as it was shown.
import { describe, expect, it } from "vitest";
import { customIdFor, parseCustomId } from "../../../src/adapters/discord/custom-id.js";

describe("Discord button custom ids", () => {
  it("carry a share's fingerprint beside its command line, and give both back on a click", () => {
    const id = customIdFor({ kind: "share", label: "Share", commandLine: "/who Adam Boehler", seen: "0123456789" });
    expect(id).toBe("share@0123456789:/who Adam Boehler");
    expect(parseCustomId(id ?? "")).toEqual({ kind: "share", commandLine: "/who Adam Boehler", seen: "0123456789" });
  });

  it("keep a share whose line is too long for the fingerprint, without it, rather than drop the button", () => {
    const line = `/who ${"x".repeat(85)}`;
    const id = customIdFor({ kind: "share", label: "Share", commandLine: line, seen: "0123456789" });
    expect(id).toBe(`share:${line}`);
    expect(parseCustomId(id ?? "")).toEqual({ kind: "share", commandLine: line });
    expect(customIdFor({ kind: "share", label: "Share", commandLine: `/who ${"x".repeat(95)}` })).toBeUndefined();
  });

  it("still read the ids older versions sent, and nothing that is not ours", () => {
    expect(parseCustomId("share:/hostages summary")).toEqual({ kind: "share", commandLine: "/hostages summary" });
    expect(parseCustomId("run:/hostages timeline")).toEqual({ kind: "run", commandLine: "/hostages timeline" });
    expect(parseCustomId("share@0123456789:")).toBeUndefined();
    expect(parseCustomId("poll:vote:3")).toBeUndefined();
  });
});
