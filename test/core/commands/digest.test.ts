// /digest on a real SQLite store: subscribing with words in any order, permissions, bad input, status, preview.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answerCommandLine, type Asker } from "../../../src/core/commands/answer-line.js";
import type { CommandContext } from "../../../src/core/commands/types.js";
import type { DigestSettings } from "../../../src/core/digest/types.js";
import type { Reply } from "../../../src/core/reply.js";
import { StoreDigestBook } from "../../../src/scheduler/digest-book.js";
import { openSqliteStore, type SqliteStore } from "../../../src/store/sqlite-store.js";
import { loadRealContent } from "../../helpers.js";
import { RecordingLogger } from "../../recording-logger.js";

const SETTINGS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};
const NOW = new Date("2026-11-23T10:00:00Z");
const content = loadRealContent();
/** How the Slack and Discord adapters word who may manage a channel's digest. */
const SLACK_TERMS = {
  holders: { "manage-channel": "workspace admins and owners, and people the bot's operators have listed" },
};
const DISCORD_TERMS = { holders: { "manage-channel": "members with the Manage Channels permission" } };
const MANAGER: Asker = {
  user: { id: "U1", name: "Dana" },
  channel: "slack:T1:C1",
  platform: "slack",
  authority: { has: () => true },
  terms: SLACK_TERMS,
};
const MEMBER: Asker = { ...MANAGER, user: { id: "U2", name: "Sam" }, authority: { has: () => false } };

let store: SqliteStore;
let context: CommandContext;
const text = (reply: Reply) => JSON.stringify(reply);

beforeEach(async () => {
  store = await openSqliteStore(":memory:");
  context = {
    content,
    settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
    logger: new RecordingLogger(),
    digests: { book: new StoreDigestBook(store), settings: SETTINGS },
    now: () => NOW,
  };
});

afterEach(async () => {
  await store.close();
});

describe("/digest subscribe", () => {
  it("uses the defaults, confirms with the next delivery in the channel's zone, and saves the subscription", async () => {
    const reply = await answerCommandLine("/digest subscribe", MANAGER, context);
    expect(reply.tone).toBe("notice");
    expect(reply.visibility).toBe("private");
    expect(reply.title).toBe("Daily digest set up for this channel");
    expect(text(reply)).toContain("Next digest: 24 Nov 2026, 08:00 UTC");
    expect(await store.getSubscription("slack:T1:C1")).toMatchObject({
      time: "08:00",
      timeZone: "UTC",
      stories: [],
      createdBy: "Dana",
      platform: "slack",
    });
  });

  it("reads time, zone and story in any order, zones typed as city names included", async () => {
    await answerCommandLine("/digest subscribe hostages new york 7pm", MANAGER, context);
    expect(await store.getSubscription("slack:T1:C1")).toMatchObject({
      time: "19:00",
      timeZone: "America/New_York",
      stories: ["hostages"],
    });
    const reply = await answerCommandLine("/digest subscribe Europe/London", MANAGER, context);
    expect(reply.title).toBe("Digest updated for this channel");
    // What is not named is kept from the current subscription.
    expect(await store.getSubscription("slack:T1:C1")).toMatchObject({
      time: "19:00",
      timeZone: "Europe/London",
      stories: ["hostages"],
    });
  });

  it.each([
    ["25:00", "is not a time of day"],
    ["Europe/Londn", "is not a time zone I know"],
    ["weather", "is not a story, a time or a time zone"],
    ["08:00 09:00", "Give one time"],
    ["Europe/London new york", "Give one time zone"],
  ])("refuses %j with a clear private message and saves nothing", async (words, message) => {
    const reply = await answerCommandLine(`/digest subscribe ${words}`, MANAGER, context);
    expect(reply.tone).toBe("error");
    expect(reply.visibility).toBe("private");
    expect(reply.title).toContain(message);
    expect(await store.getSubscription("slack:T1:C1")).toBeUndefined();
  });

  it("offers the near time zones as one-click choices keeping the rest of the line", async () => {
    const reply = await answerCommandLine("/digest subscribe 07:30 Amerca/New_Yrok", MANAGER, context);
    expect(reply.lead).toContain("America/New_York");
    expect(reply.actions).toContainEqual({
      kind: "run",
      label: "America/New_York",
      commandLine: "/digest subscribe 07:30 America/New_York",
    });
  });

  it("refuses someone who may not manage the channel, naming who may, and changes nothing", async () => {
    const refused = await answerCommandLine("/digest subscribe 09:00", MEMBER, context);
    expect(refused.tone).toBe("error");
    expect(refused.title).toBe(
      "Only workspace admins and owners, and people the bot's operators have listed can set up this channel's digest.",
    );
    expect(await store.getSubscription("slack:T1:C1")).toBeUndefined();
    const discord = await answerCommandLine(
      "/digest unsubscribe",
      { ...MEMBER, platform: "discord", terms: DISCORD_TERMS },
      context,
    );
    expect(discord.title).toContain("members with the Manage Channels permission");
  });
});

describe("/digest status, preview and unsubscribe", () => {
  it("status says which content release the last digest was composed from", async () => {
    await answerCommandLine("/digest subscribe 08:00 UTC", MANAGER, context);
    const key = { editionKey: "daily:2026-11-23", channel: "slack:T1:C1" };
    await store.planEdition({ ...key, platform: "slack", dueAt: "2026-11-23T08:00:00.000Z", state: "pending" });
    await store.claimDeliveries({ now: "2026-11-23T08:00:00.000Z", owner: "sender", leaseMs: 60_000, limit: 1 });
    await store.savePayload(key, "sender", {
      kind: "catch-up",
      messages: ["m"],
      announce: [],
      composedFrom: "release 12",
    });
    await store.recordPart(key, "sender", 0, "ts1");
    await store.completeDelivery(key, "sender", "2026-11-23T08:00:02.000Z");
    const status = await answerCommandLine("/digest status", MEMBER, context);
    expect(text(status)).toContain("Last digest: 23 Nov 2026, 08:00 UTC, delivered, composed from content release 12");
  });

  it("status says when there is no digest, then the schedule, last and next digest, and a pause with its reason", async () => {
    expect((await answerCommandLine("/digest status", MEMBER, context)).title).toBe("This channel has no digest");
    await answerCommandLine("/digest subscribe 08:00 Europe/London", MANAGER, context);
    const status = await answerCommandLine("/digest", MEMBER, context);
    expect(text(status)).toContain("every day at 08:00 (Europe/London)");
    expect(text(status)).toContain("Last digest: none yet");
    expect(text(status)).toContain("Next digest: 24 Nov 2026, 08:00 GMT");

    await store.pauseSubscription("slack:T1:C1", "Slack says is_archived", "2026-11-23T08:00:00Z");
    const paused = await answerCommandLine("/digest status", MEMBER, context);
    expect(paused.title).toBe("Digest paused");
    expect(text(paused)).toContain("Slack says is_archived");
    expect(text(paused)).toContain("Next digest: none while paused");
    await answerCommandLine("/digest subscribe", MANAGER, context);
    expect((await store.getSubscription("slack:T1:C1"))?.paused).toBeUndefined();
  });

  it("preview shows the catch-up privately, with sources and updated time, and records nothing", async () => {
    await answerCommandLine("/digest subscribe", MANAGER, {
      ...context,
      settings: { ...context.settings, defaultVisibility: "shared" },
    });
    const preview = await answerCommandLine("/digest preview", MEMBER, {
      ...context,
      settings: { ...context.settings, defaultVisibility: "shared" },
    });
    expect(preview.visibility).toBe("private");
    expect(preview.actions).toEqual([]);
    expect(preview.lead).toMatch(/^Preview: only you see this/);
    expect(preview.sections.map((s) => s.heading)).toContain("Key points");
    expect(preview.sources.length).toBeGreaterThan(0);
    expect(preview.updated).toBe(content.updatedAt);
    expect((await store.announced("slack:T1:C1")).size).toBe(0);
    expect(await store.listDeliveries()).toEqual([]);
  });

  it("unsubscribe removes the subscription, and says so when there was none", async () => {
    await answerCommandLine("/digest subscribe", MANAGER, context);
    expect((await answerCommandLine("/digest unsubscribe", MANAGER, context)).title).toBe(
      "Digest stopped for this channel",
    );
    expect(await store.getSubscription("slack:T1:C1")).toBeUndefined();
    expect((await answerCommandLine("/digest unsubscribe", MANAGER, context)).title).toBe("This channel has no digest");
  });

  it("without a subscription book, /digest explains that digests are not set up instead of failing", async () => {
    const bare: CommandContext = { content: context.content, settings: context.settings, logger: context.logger };
    const reply = await answerCommandLine("/digest subscribe", MANAGER, bare);
    expect(reply.title).toBe("Digests are not set up on this bot");
  });
});
