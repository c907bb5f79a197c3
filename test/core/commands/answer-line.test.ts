// Typed command lines (a subcommand by its start too), platform-named commands and the share re-run every adapter builds on.
import { describe, expect, it } from "vitest";
import {
  answerCommandLine,
  answerCommandText,
  answerShared,
  type Asker,
} from "../../../src/core/commands/answer-line.js";
import type { CommandContext } from "../../../src/core/commands/types.js";
import { silentLogger } from "../../../src/core/logger.js";
import type { Reply } from "../../../src/core/reply.js";
import { buildValidContent, loadRealContent, withEditedFile } from "../../helpers.js";

const context: CommandContext = {
  content: loadRealContent(),
  settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
  logger: silentLogger,
};
const asker: Asker = { user: { id: "U1", name: "Dana" }, channel: "slack:T1:C1", platform: "test" };

function shareLine(reply: Reply): string | undefined {
  return reply.actions.flatMap((a) => (a.kind === "share" ? [a.commandLine] : []))[0];
}

function seenOf(reply: Reply): string | undefined {
  return reply.actions.flatMap((a) => (a.kind === "share" ? [a.seen] : []))[0];
}

describe("answerCommandText", () => {
  it("answers a platform-named command with its text, as the typed line would", async () => {
    const viaText = await answerCommandText("/who", "  boehler ", asker, context);
    const viaLine = await answerCommandLine("/who boehler", asker, context);
    expect(viaText.title).toBe("Adam Boehler");
    expect({ ...viaText, actions: [] }).toEqual({ ...viaLine, actions: [] });
  });

  it("turns a missing subcommand into the default and a wrong one into a private error", async () => {
    expect((await answerCommandText("hostages", "", asker, context)).tone).toBe("answer");
    const wrong = await answerCommandText("hostages", "sumary", asker, context);
    expect(wrong.tone).toBe("error");
    expect(wrong.visibility).toBe("private");
    expect(wrong.actions).toContainEqual({ kind: "run", label: "/hostages summary", commandLine: "/hostages summary" });
  });

  it("explains a command the platform still has but the content no longer answers", async () => {
    const reply = await answerCommandText("/ceasefire", "summary", asker, context);
    expect(reply.tone).toBe("error");
    expect(reply.title).toContain("ceasefire");
  });
});

describe("share", () => {
  it("carries the cleaned command line that asks the same question again", async () => {
    expect(shareLine(await answerCommandText("who", "Adam   Boehler", asker, context))).toBe("/who Adam Boehler");
    expect(shareLine(await answerCommandLine("/HOSTAGES", asker, context))).toBe("/hostages summary");
  });

  it("re-asks for everyone, names the sharer as text and offers no second share", async () => {
    const shared = await answerShared("/who Adam Boehler", asker, context);
    expect(shared.visibility).toBe("shared");
    expect(shared.sharedBy).toBe("Dana");
    expect(shared.title).toBe("Adam Boehler");
    expect(shareLine(shared)).toBeUndefined();
  });

  it("keeps an error private when the shared question no longer has an answer", async () => {
    const shared = await answerShared("/who somebody-removed-since", asker, context);
    expect(shared.tone).not.toBe("answer");
    expect(shared.visibility).toBe("private");
    expect(shared.sharedBy).toBeUndefined();
  });

  it("shares what was shown while the content is unchanged, with nothing added", async () => {
    const shown = await answerCommandLine("/who Adam Boehler", asker, context);
    const shared = await answerShared("/who Adam Boehler", asker, context, "id", seenOf(shown));
    expect(shared.lead).toBe(shown.lead);
    expect({ ...shared, visibility: "private", sharedBy: undefined, actions: [] }).toEqual({
      ...shown,
      sharedBy: undefined,
      actions: [],
    });
  });

  it("shares the current answer, marked updated since the sharer looked, when the content changed in between", async () => {
    const shown = await answerCommandLine("/who Adam Boehler", asker, context);
    const edited = buildValidContent(
      withEditedFile("people/adam-boehler.md", (text) =>
        text.replace("held several meetings with Hamas officials in Doha", "held talks with Hamas officials in Doha"),
      ),
    );
    const later = { ...context, content: edited };
    const shared = await answerShared("/who Adam Boehler", asker, later, "id", seenOf(shown));
    expect(shared.lead).toMatch(/^Updated since Dana looked: this is the current answer\./);
    expect(JSON.stringify(shared)).toContain("held talks with Hamas officials in Doha");
    // A reader's name is shown as typed, never as Markdown (a link, emphasis).
    const sly = { ...asker, user: { id: "U2", name: "[Dana](https://example.com) *x*" } };
    const tricky = await answerShared("/who Adam Boehler", sly, later, "id", seenOf(shown));
    expect(tricky.lead).toContain("\\[Dana\\]\\(https://example\\.com\\) \\*x\\*");
  });
});

describe("a subcommand typed by its start", () => {
  it.each([
    ["tim", "timeline"],
    ["LAT", "latest"],
    ["expl", "explainer"],
    ["peo", "people"],
  ])("answers /hostages %s as /hostages %s, and says so in one line", async (typed, meant) => {
    const short = await answerCommandLine(`/hostages ${typed}`, asker, context);
    const full = await answerCommandLine(`/hostages ${meant}`, asker, context);
    expect(short.tone).toBe("answer");
    expect(short.lead?.split("\n")[0]).toBe(`Showing /hostages ${meant}`);
    expect({ ...short, lead: undefined }).toEqual({ ...full, lead: undefined });
    expect(full.lead ?? "").not.toContain("Showing");
  });

  it("keeps the error for the start of several subcommands, and for a word that starts none", async () => {
    const ambiguous = await answerCommandLine("/hostages s", asker, context);
    expect(ambiguous.tone).toBe("error");
    expect(ambiguous.title).toContain("has no “s”");
    const typo = await answerCommandLine("/hostages sumary", asker, context);
    expect(typo.tone).toBe("error");
    expect(typo.actions).toContainEqual({ kind: "run", label: "/hostages summary", commandLine: "/hostages summary" });
  });

  it("works on Slack's text path too, and a share of it asks the full line and finds the answer unchanged", async () => {
    const reply = await answerCommandText("hostages", "tim", asker, context);
    expect(reply.lead?.split("\n")[0]).toBe("Showing /hostages timeline");
    const share = reply.actions.find((a) => a.kind === "share");
    expect(share?.commandLine).toBe("/hostages timeline");
    const shared = await answerShared(share?.commandLine ?? "", asker, context, "id", seenOf(reply));
    expect(shared.lead ?? "").not.toContain("Updated since");
    expect(shared.lead ?? "").not.toContain("Showing");
  });
});
