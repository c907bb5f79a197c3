// A typed subcommand that is the start of exactly one is answered as that one, saying so; ambiguous or unknown stays an error.
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
import { loadRealContent } from "../../helpers.js";

const context: CommandContext = {
  content: loadRealContent(),
  settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
  logger: silentLogger,
};
const asker: Asker = { user: { id: "U1", name: "Dana" }, channel: "console:local", platform: "test" };
const seenOf = (reply: Reply) => reply.actions.flatMap((a) => (a.kind === "share" ? [a.seen] : []))[0];

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
