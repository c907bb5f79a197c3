// Planner + sender + SQLite ledger with an injected clock: DST days, clock jumps, downtime, content edits, two senders.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleDigestPoster } from "../../src/adapters/console/digest-poster.js";
import type { ContentIndex } from "../../src/core/content/model.js";
import type { DigestSettings, NewSubscription } from "../../src/core/digest/types.js";
import type { Reply } from "../../src/core/reply.js";
import { Planner } from "../../src/scheduler/planner.js";
import { Sender } from "../../src/scheduler/sender.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { buildValidContent, loadRealContent, realContentFiles, withEditedFile } from "../helpers.js";
import { RecordingLogger } from "../recording-logger.js";

const SETTINGS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};
const UPDATE = "stories/hostages/updates/2025-03-reactions.md";

interface Posted {
  channel: string;
  reply: Reply;
  at: string;
}

/** One bot process: a planner and a sender on a store, a console poster recording what it posts, a settable clock. */
class Bot {
  now: Date;
  readonly posted: Posted[] = [];
  readonly logger = new RecordingLogger();
  readonly planner: Planner;
  readonly sender: Sender;

  constructor(
    readonly store: Store,
    start: string,
    public content: ContentIndex = loadRealContent(),
    settings: DigestSettings = SETTINGS,
    owner = "bot-a",
  ) {
    this.now = new Date(start);
    const clock = () => this.now;
    this.planner = new Planner(store, { catchUpMinutes: settings.catchUpMinutes }, this.logger, clock);
    const poster = new ConsoleDigestPoster((reply, channel) =>
      this.posted.push({ channel, reply, at: this.now.toISOString() }),
    );
    this.sender = new Sender(
      {
        store,
        posters: new Map([["console", poster]]),
        content: () => this.content,
        settings,
        logger: this.logger,
        clock,
      },
      { owner, leaseMs: 60_000, baseBackoffMs: 1_000 },
    );
  }

  async tickAt(iso: string): Promise<void> {
    this.now = new Date(iso);
    await this.planner.tick();
    await this.sender.drain();
  }

  /** Ticks every `stepMinutes` from the current time (exclusive) to `untilIso` (inclusive). */
  async runUntil(untilIso: string, stepMinutes = 1): Promise<void> {
    for (let t = this.now.getTime() + stepMinutes * 60_000; t <= Date.parse(untilIso); t += stepMinutes * 60_000) {
      await this.tickAt(new Date(t).toISOString());
    }
  }
}

const stores: Store[] = [];
async function freshStore(
  file = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-flow-")), "ledger.sqlite"),
): Promise<Store> {
  const store = await openSqliteStore(file);
  stores.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function subscription(channel: string, time: string, timeZone: string, createdAt: string): NewSubscription {
  return { channel, platform: "console", time, timeZone, stories: [], createdAt, createdBy: "Dana" };
}

describe("daylight saving in America/New_York", () => {
  it("posts the 02:30 digest exactly once on 2026-03-08, at 03:00 EDT (the gap's next valid minute)", async () => {
    const store = await freshStore();
    await store.putSubscription(subscription("console:ny", "02:30", "America/New_York", "2026-03-06T12:00:00Z"));
    const bot = new Bot(store, "2026-03-07T00:00:00Z");
    await bot.runUntil("2026-03-09T12:00:00Z", 5);
    expect(bot.posted.map((p) => p.at)).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
    const rows = await store.listDeliveries();
    expect(rows.map((r) => [r.editionKey, r.state])).toEqual([
      ["daily:2026-03-07", "delivered"],
      ["daily:2026-03-08", "delivered"],
      ["daily:2026-03-09", "delivered"],
    ]);
  });

  it("posts the 01:30 digest exactly once on 2026-11-01, at the first 01:30 (EDT), not again at 01:30 EST", async () => {
    const store = await freshStore();
    await store.putSubscription(subscription("console:ny", "01:30", "America/New_York", "2026-10-30T12:00:00Z"));
    const bot = new Bot(store, "2026-10-31T12:00:00Z");
    await bot.runUntil("2026-11-02T12:00:00Z", 5);
    expect(bot.posted.map((p) => p.at)).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]);
  });
});

describe("clock jumps and downtime", () => {
  it("a clock jumping back over the digest time does not post the day twice; jumping forward skips no day", async () => {
    const store = await freshStore();
    await store.putSubscription(subscription("console:a", "08:00", "UTC", "2026-06-01T00:00:00Z"));
    const bot = new Bot(store, "2026-06-01T07:55:00Z");
    await bot.runUntil("2026-06-01T08:10:00Z");
    expect(bot.posted).toHaveLength(1);
    // NTP steps the clock back an hour: 08:00 comes round again.
    bot.now = new Date("2026-06-01T07:10:00Z");
    await bot.runUntil("2026-06-01T08:30:00Z");
    expect(bot.posted).toHaveLength(1);
    // Then forward over the next digest time: 2 June is posted (an hour late, within the window).
    await bot.tickAt("2026-06-02T09:00:00Z");
    expect(bot.posted.map((p) => p.at)).toEqual(["2026-06-01T08:00:00.000Z", "2026-06-02T09:00:00.000Z"]);
  });

  it("after downtime across the digest hour, a restart inside the catch-up window posts the digest late, once", async () => {
    const store = await freshStore();
    await store.putSubscription(subscription("console:a", "08:00", "UTC", "2026-06-01T00:00:00Z"));
    const before = new Bot(store, "2026-06-02T07:00:00Z");
    await before.runUntil("2026-06-02T07:30:00Z");
    // Down from 07:30 to 10:30: 2 h 30 min late, inside the 3 h window. A new process, a fresh planner.
    const after = new Bot(store, "2026-06-02T10:30:00Z");
    await after.tickAt("2026-06-02T10:30:00Z");
    await after.runUntil("2026-06-02T11:00:00Z");
    expect(after.posted.map((p) => p.at)).toEqual(["2026-06-02T10:30:00.000Z"]);
    expect((await store.delivery({ editionKey: "daily:2026-06-02", channel: "console:a" }))?.state).toBe("delivered");
  });

  it("outside the catch-up window the digest is recorded as skipped and logged; the next day's digest carries its news", async () => {
    const store = await freshStore();
    await store.putSubscription(subscription("console:a", "08:00", "UTC", "2026-12-01T00:00:00Z"));
    const first = new Bot(store, "2026-12-01T07:59:00Z");
    await first.tickAt("2026-12-01T08:00:00Z");
    expect(first.posted).toHaveLength(1);

    // Down from 08:01 on 1 June to 11:30 on 2 June: the 2 June digest is 3 h 30 min late. Meanwhile an update changed.
    const edited = buildValidContent(
      withEditedFile(UPDATE, (t) =>
        t.replace("version: 1", "version: 2").replace(/versionCreated: .*/, 'versionCreated: "2026-12-02T06:00:00Z"'),
      ),
    );
    const second = new Bot(store, "2026-12-02T11:30:00Z", edited);
    await second.tickAt("2026-12-02T11:30:00Z");
    expect(second.posted).toEqual([]);
    const skipped = await store.delivery({ editionKey: "daily:2026-12-02", channel: "console:a" });
    expect(skipped?.state).toBe("skipped_stale");
    expect(skipped?.error).toMatch(/catch-up window/);
    expect(
      second.logger.entries.some(
        (e) => e.level === "warn" && e.msg?.includes("catch-up window") && e.fields["edition"] === "daily:2026-12-02",
      ),
    ).toBe(true);

    await second.runUntil("2026-12-03T08:00:00Z", 30);
    expect(second.posted).toHaveLength(1);
    const text = JSON.stringify(second.posted[0]?.reply);
    expect(text).toContain("Updated");
  });
});

describe("what each digest holds as the content changes", () => {
  it("catch-up first, then New for a new update, Updated for a major bump, nothing for a minor one, and each correction once", async () => {
    const store = await freshStore();
    await store.putSubscription(subscription("console:a", "08:00", "UTC", "2026-12-01T00:00:00Z"));
    const bot = new Bot(store, "2026-12-01T07:59:00Z");
    const day = async (date: string) => {
      await bot.tickAt(`${date}T08:00:00Z`);
      const last = bot.posted.at(-1);
      expect(last?.at).toBe(`${date}T08:00:00.000Z`);
      return last?.reply;
    };
    const headings = (reply: Reply | undefined) => (reply?.sections ?? []).map((s) => s.heading ?? "");

    const first = await day("2026-12-01");
    expect(JSON.stringify(first)).toContain("Key points");

    const quiet = await day("2026-12-02");
    expect(JSON.stringify(quiet)).toMatch(/[Nn]o new developments/);

    const bump = (version: number, significance: "major" | "minor", at: string) => (text: string) =>
      text
        .replace("version: 1", `version: ${version}`)
        .replace("significance: major", `significance: ${significance}`)
        .replace(/versionCreated: .*/, `versionCreated: "${at}"`);
    bot.content = buildValidContent(withEditedFile(UPDATE, bump(2, "minor", "2026-12-02T12:00:00Z")));
    expect(JSON.stringify(await day("2026-12-03"))).toMatch(/[Nn]o new developments/);

    bot.content = buildValidContent(withEditedFile(UPDATE, bump(3, "major", "2026-12-03T12:00:00Z")));
    expect(headings(await day("2026-12-04")).filter((h) => h.startsWith("Updated"))).toHaveLength(1);

    const newUpdate = {
      path: "stories/hostages/updates/2026-12-04-new-talks.md",
      text: (realContentFiles().find((f) => f.path === UPDATE)?.text ?? "")
        .replace("id: 2025-03-reactions", "id: 2026-12-04-new-talks")
        .replace('eventTime: "2025-03"', 'eventTime: "2026-12-04"')
        .replace(/^headline: .*$/m, 'headline: "A new round of talks is reported"')
        .replace(/versionCreated: .*/, 'versionCreated: "2026-12-04T12:00:00Z"')
        .replace(/firstCreated: .*/, 'firstCreated: "2026-12-04T12:00:00Z"')
        .replace(/ {2}- id: ([a-z-]+)/g, "  - id: new-$1"),
    };
    bot.content = buildValidContent([...withEditedFile(UPDATE, bump(3, "major", "2026-12-03T12:00:00Z")), newUpdate]);
    const withNew = await day("2026-12-05");
    expect(headings(withNew).filter((h) => h.startsWith("New"))).toEqual(["New: A new round of talks is reported"]);
    expect(JSON.stringify(withNew)).toContain("A new round of talks is reported");
    expect(headings(withNew).filter((h) => h.startsWith("Updated"))).toEqual([]);

    const corrected = (text: string) =>
      text.replace(
        "corrections: []",
        'corrections:\n  - id: ceasefire-wording\n    published: "2026-12-05T10:00:00Z"\n    claims: [gaza-ceasefire-under-strain]\n    wrong: "The ceasefire collapsed."\n    right: "The ceasefire was under strain."\n    sources: [source-article]',
      );
    const files = withEditedFile("stories/hostages/story.md", corrected, [
      ...withEditedFile(UPDATE, bump(3, "major", "2026-12-03T12:00:00Z")),
      newUpdate,
    ]);
    bot.content = buildValidContent(files);
    const withCorrection = await day("2026-12-06");
    expect(headings(withCorrection)).toContain("Corrections");
    expect(JSON.stringify(withCorrection)).toContain("The ceasefire was under strain.");
    expect(JSON.stringify(await day("2026-12-07"))).not.toContain("The ceasefire was under strain.");
  });
});

describe("two senders on one database", () => {
  it("planning and sending at the same minute from two processes' connections delivers once per channel", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-flow-")), "shared.sqlite");
    const storeA = await freshStore(file);
    const storeB = await freshStore(file);
    for (let i = 0; i < 30; i += 1)
      await storeA.putSubscription(subscription(`console:c${i}`, "08:00", "UTC", "2026-06-01T00:00:00Z"));
    const a = new Bot(storeA, "2026-06-01T07:59:00Z", loadRealContent(), SETTINGS, "bot-a");
    const b = new Bot(storeB, "2026-06-01T07:59:00Z", a.content, SETTINGS, "bot-b");
    await Promise.all([a.tickAt("2026-06-01T08:00:00Z"), b.tickAt("2026-06-01T08:00:00Z")]);
    await Promise.all([a.tickAt("2026-06-01T08:01:00Z"), b.tickAt("2026-06-01T08:01:00Z")]);
    const channels = [...a.posted, ...b.posted].map((p) => p.channel).sort();
    expect(channels).toHaveLength(30);
    expect(new Set(channels).size).toBe(30);
  });
});

describe("rendering once for channels that receive the same digest", () => {
  /** The console poster, counting how often a digest is rendered. */
  class CountingPoster extends ConsoleDigestPoster {
    renders = 0;
    override render(part: Reply): ReturnType<ConsoleDigestPoster["render"]> {
      this.renders += 1;
      return super.render(part);
    }
  }

  it("renders a shared digest once, yet every channel gets its own copy, and a different zone or content renders anew", async () => {
    const store = await freshStore();
    const posted: { channel: string; reply: Reply }[] = [];
    const poster = new CountingPoster((reply, channel) => posted.push({ channel, reply }));
    let content = loadRealContent();
    let now = new Date("2026-12-01T07:59:00Z");
    const logger = new RecordingLogger();
    const planner = new Planner(store, { catchUpMinutes: 180 }, logger, () => now);
    const sender = new Sender({
      store,
      posters: new Map([["console", poster]]),
      content: () => content,
      settings: SETTINGS,
      logger,
      clock: () => now,
    });
    for (let i = 0; i < 20; i += 1)
      await store.putSubscription(subscription(`console:same-${i}`, "08:00", "UTC", "2026-11-30T00:00:00Z"));
    await store.putSubscription(subscription("console:tokyo", "17:00", "Asia/Tokyo", "2026-11-30T00:00:00Z"));

    now = new Date("2026-12-01T08:00:00Z");
    await planner.tick();
    await sender.drain();
    expect(posted).toHaveLength(21);
    // One rendering for the twenty UTC channels, one for Tokyo, whose times read differently.
    expect(poster.renders).toBe(2);
    const first = posted.find((p) => p.channel === "console:same-0")?.reply;
    const tokyo = posted.find((p) => p.channel === "console:tokyo")?.reply;
    expect(
      posted
        .filter((p) => p.channel.startsWith("console:same-"))
        .every((p) => JSON.stringify(p.reply) === JSON.stringify(first)),
    ).toBe(true);
    // Equal text, separate objects: no channel's copy can be changed through another's.
    expect(posted.find((p) => p.channel === "console:same-1")?.reply).not.toBe(first);
    expect(JSON.stringify(tokyo)).not.toBe(JSON.stringify(first));

    // The next day, after a content edit, the news is new text: rendered again, once per zone.
    content = buildValidContent(
      withEditedFile(UPDATE, (text) =>
        text
          .replace("version: 1", "version: 2")
          .replace(/versionCreated: .*/, 'versionCreated: "2026-12-01T12:00:00Z"'),
      ),
    );
    now = new Date("2026-12-02T08:00:00Z");
    await planner.tick();
    await sender.drain();
    expect(posted).toHaveLength(42);
    expect(poster.renders).toBe(4);
  });
});
