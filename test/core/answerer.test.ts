// The Answerer, every adapter's one way into the core: declared permissions asked lazily, platform names, one log line per command.
import { describe, expect, it } from "vitest";
import { Answerer, declarationsFor } from "../../src/core/answerer.js";
import type { Asker, CommandOutcome, Permission } from "../../src/core/commands/types.js";
import type { DigestSettings } from "../../src/core/digest/types.js";
import { StoreDigestBook } from "../../src/scheduler/digest-book.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { loadRealContent } from "../helpers.js";
import { RecordingLogger, type LogEntry } from "../recording-logger.js";

const content = loadRealContent();
const SETTINGS = { timeZone: "UTC", defaultVisibility: "private" as const, maxInputLength: 200 };
const DIGESTS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};
const SLACK_LIKE = { commandNames: { who: "whois" }, holders: { "manage-channel": "the channel's keepers" } };

function answererWith(entries: LogEntry[] = [], outcomes: CommandOutcome[] = []) {
  return new Answerer({
    content: () => content,
    settings: SETTINGS,
    logger: new RecordingLogger(entries),
    observe: (o) => outcomes.push(o),
  });
}

/** An asker whose authority records each question it is asked. */
function askerWith(grants: boolean, asked: Permission[]): Asker {
  return {
    user: { id: "U1", name: "Dana" },
    channel: "slack:T1:C1",
    platform: "slack",
    terms: SLACK_LIKE,
    authority: {
      has: (permission) => {
        asked.push(permission);
        return Promise.resolve(grants);
      },
    },
  };
}

describe("declared permissions", () => {
  it("asks the authority only for a subcommand that requires it, and refuses in the platform's words", async () => {
    const store = await openSqliteStore(":memory:");
    try {
      const answerer = new Answerer({
        content: () => content,
        settings: SETTINGS,
        logger: new RecordingLogger(),
        digests: { book: new StoreDigestBook(store), settings: DIGESTS },
      });
      const asked: Permission[] = [];
      const member = askerWith(false, asked);
      expect((await answerer.answerLine("/digest status", member)).title).toBe("This channel has no digest");
      expect((await answerer.answerLine("/hostages summary", member)).tone).toBe("answer");
      expect(asked).toEqual([]);
      const refused = await answerer.answerLine("/digest subscribe 09:00", member);
      expect(refused.title).toBe("Only the channel's keepers can set up this channel's digest.");
      expect(asked).toEqual(["manage-channel"]);
      expect(await store.getSubscription("slack:T1:C1")).toBeUndefined();
      const granted = await answerer.answerLine("/digest subscribe 09:00", askerWith(true, asked));
      expect(granted.title).toBe("Daily digest set up for this channel");
    } finally {
      await store.close();
    }
  });

  it("an asker without an authority holds no permission", async () => {
    const anonymous: Asker = { ...askerWith(true, []), authority: undefined };
    const store = await openSqliteStore(":memory:");
    try {
      const answerer = new Answerer({
        content: () => content,
        settings: SETTINGS,
        logger: new RecordingLogger(),
        digests: { book: new StoreDigestBook(store), settings: DIGESTS },
      });
      expect((await answerer.answerLine("/digest unsubscribe", anonymous)).tone).toBe("error");
    } finally {
      await store.close();
    }
  });

  it("hides from Discord members exactly the commands with a subcommand that requires a permission", () => {
    const hidden = declarationsFor(content)
      .filter((d) => d.requires.length > 0)
      .map((d) => d.spec.name);
    expect(hidden).toEqual(["digest"]);
  });
});

describe("platform command names", () => {
  it("writes answers with the platform's names and understands them back", async () => {
    const answerer = answererWith();
    const asker = askerWith(false, []);
    const help = await answerer.answerLine("/help whois", asker);
    expect(help.title).toBe("How to use /whois");
    expect(JSON.stringify(help)).toContain("`/whois <name>`");
    const people = await answerer.answerLine("/hostages people", asker);
    expect(people.footer).toContain("/whois <name>");
    expect(people.footer).not.toMatch(/\/who\b(?!is)/);
    const typo = await answerer.answerText("whoo", "boehler", asker);
    expect(typo.lead).toContain("Did you mean /whois?");
    // Elsewhere the core names stay.
    const plain = await answerer.answerLine("/help who", { ...asker, terms: {} });
    expect(plain.title).toBe("How to use /who");
  });

  it("completes options of a command asked by its platform name", () => {
    const completions = answererWith().complete(
      { command: "whois", option: "name", partial: "boeh", terms: SLACK_LIKE },
      25,
    );
    expect(completions.map((c) => c.name).join(" ")).toContain("Adam Boehler");
    expect(
      answererWith().complete({ command: "hostages", subcommand: "summary", option: "nothing", partial: "x" }, 25),
    ).toEqual([]);
  });
});

describe("one log line and one outcome per command", () => {
  it("whether the line fails to parse, the spec refuses it, or it is answered", async () => {
    for (const line of ["/hostages sumary", "/nosuchcommand", "/who", "/who boehler"]) {
      const entries: LogEntry[] = [];
      const outcomes: CommandOutcome[] = [];
      await answererWith(entries, outcomes).answerLine(line, askerWith(false, []));
      expect(
        entries.filter((e) => e.level === "info" || e.level === "error"),
        line,
      ).toHaveLength(1);
      expect(outcomes, line).toHaveLength(1);
    }
  });

  it("labels the metric with the core command, never with what was typed", async () => {
    const outcomes: CommandOutcome[] = [];
    const answerer = answererWith([], outcomes);
    await answerer.answerText("whois", "boehler", askerWith(false, []));
    await answerer.answerLine("/made-up-thing", askerWith(false, []));
    expect(outcomes.map((o) => o.command)).toEqual(["who", "unknown"]);
  });
});
