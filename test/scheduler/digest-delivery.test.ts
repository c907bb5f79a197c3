// The sender with the real Discord and Slack posters against the fakes: rate limits, 5xx, permanent errors, resumed parts.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiscordDigestPoster, digestRest } from "../../src/adapters/discord/digest-poster.js";
import { SlackDigestPoster } from "../../src/adapters/slack/digest-poster.js";
import type { DigestSettings, NewSubscription } from "../../src/core/digest/types.js";
import { Planner } from "../../src/scheduler/planner.js";
import type { DigestPoster } from "../../src/scheduler/poster.js";
import { SharedRateBudget } from "../../src/scheduler/shared-rate-budget.js";
import { Sender, digestMessages, idempotencyKey } from "../../src/scheduler/sender.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { FakeDiscord, IDS, type FakeDiscordOptions } from "../fakes/discord.js";
import { FakeSlack } from "../fakes/slack.js";
import { loadRealContent } from "../helpers.js";
import { RecordingLogger } from "../recording-logger.js";

const SETTINGS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};
const DISCORD_TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.digest-delivery-token";
const SLACK_TOKEN = "xoxb-1111-2222-digestdeliverytoken";
const MESSAGES = /^\/api\/v10\/channels\/\d+\/messages$/;
const discordChannel = (i: number) => `11122233344455${String(i).padStart(5, "0")}`;
const content = loadRealContent();

let discord: FakeDiscord;
let slack: FakeSlack;
let store: SqliteStore;
let logger: RecordingLogger;
let now: Date;
const outcomes: string[] = [];

function posters(options: { nonceWindowMs?: number } = {}): Map<string, DigestPoster> {
  const discordPoster = new DiscordDigestPoster({
    rest: digestRest(DISCORD_TOKEN, discord.apiUrl),
    budget: new SharedRateBudget(store, { name: "discord", perSecond: 50 }),
    logger,
    timeZone: "UTC",
    ...options,
  });
  const slackPoster = new SlackDigestPoster({
    token: SLACK_TOKEN,
    apiUrl: slack.apiUrl,
    logger,
    timeZone: "UTC",
    perChannelIntervalMs: 50,
  });
  return new Map<string, DigestPoster>([
    ["discord", discordPoster],
    ["slack", slackPoster],
  ]);
}

function sender(owner = "bot-a", map = posters()): Sender {
  return new Sender(
    {
      store,
      posters: map,
      content: () => content,
      settings: SETTINGS,
      logger,
      clock: () => now,
      observe: (outcome, platform) => outcomes.push(`${platform}:${outcome}`),
    },
    { owner, leaseMs: 60_000, baseBackoffMs: 60_000 },
  );
}

async function subscribe(channel: string, platform: string): Promise<void> {
  const subscription: NewSubscription = {
    channel,
    platform,
    time: "08:00",
    timeZone: "UTC",
    stories: [],
    createdAt: "2026-11-24T00:00:00Z",
    createdBy: "Dana",
  };
  await store.putSubscription(subscription);
}

/** Replaces the fake Discord with one started with `options` (the nonce window, say). */
async function restartDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  await discord.close();
  return FakeDiscord.start(options);
}

/** Plans and sends at `iso` with a fresh planner (as a process would after a restart) and the given sender. */
async function tick(iso: string, send: Sender): Promise<void> {
  now = new Date(iso);
  await new Planner(store, { catchUpMinutes: 180 }, logger, () => now).tick();
  await send.drain();
}

beforeEach(async () => {
  discord = await FakeDiscord.start();
  slack = await FakeSlack.start();
  store = await openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), "newsbot-delivery-")), "ledger.sqlite"));
  logger = new RecordingLogger();
  outcomes.length = 0;
});

afterEach(async () => {
  expect(JSON.stringify(logger.entries)).not.toContain(DISCORD_TOKEN);
  expect(JSON.stringify(logger.entries)).not.toContain(SLACK_TOKEN);
  await store.close();
  await discord.close();
  await slack.close();
});

describe("rate limits and server errors", () => {
  it("Discord: a 429 on every third post and one global 429 still deliver every channel exactly once", async () => {
    for (let i = 0; i < 9; i += 1) await subscribe(`discord:${IDS.guild}:${discordChannel(i)}`, "discord");
    const limited = {
      method: "POST",
      path: MESSAGES,
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.05 },
    };
    discord.script({ ...limited, headers: { "retry-after": "0", "x-ratelimit-scope": "user" }, every: 3, times: 100 });
    discord.script({
      ...limited,
      headers: { "retry-after": "0", "x-ratelimit-global": "true", "x-ratelimit-scope": "global" },
      body: { ...limited.body, global: true },
    });
    await tick("2026-11-24T08:00:00Z", sender());
    const statuses = discord.calls.filter((c) => MESSAGES.test(c.path)).map((c) => c.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(4);
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    for (let i = 0; i < 9; i += 1) expect(discord.messagesIn(discordChannel(i))).toHaveLength(1);
    expect(outcomes.filter((o) => o === "discord:delivered")).toHaveLength(9);
    // Each ledger row names the content its digest was composed from (here the folder, no release published).
    const last = await store.lastEdition(`discord:${IDS.guild}:${discordChannel(0)}`);
    expect(last?.composedFrom).toBe(`files ${content.fingerprint}`);
  });

  it("Discord: a 500 after the message was created is retried with the same nonce: one message", async () => {
    await subscribe(`discord:${IDS.guild}:${discordChannel(1)}`, "discord");
    discord.script({
      method: "POST",
      path: MESSAGES,
      status: 500,
      afterHandling: true,
      body: { message: "Internal Server Error", code: 0 },
    });
    await tick("2026-11-24T08:00:00Z", sender());
    expect(discord.messagesIn(discordChannel(1))).toHaveLength(1);
    expect((await store.listDeliveries())[0]?.state).toBe("delivered");
  });

  it("Slack: a 429 goes back to the ledger with Slack's Retry-After and is delivered once on a later tick", async () => {
    await subscribe("slack:T0FAKE0001:C0SLACK001", "slack");
    slack.script("chat.postMessage", [
      { status: 429, headers: { "retry-after": "90" }, body: { ok: false, error: "ratelimited" } },
    ]);
    const send = sender();
    await tick("2026-11-24T08:00:00Z", send);
    const waiting = await store.listDeliveries();
    expect(waiting.map((r) => [r.state, r.nextAttemptAt])).toEqual([["pending", "2026-11-24T08:01:30.000Z"]]);
    await tick("2026-11-24T08:01:00Z", send);
    expect(slack.messagesIn("C0SLACK001")).toHaveLength(0);
    await tick("2026-11-24T08:02:00Z", send);
    expect(slack.messagesIn("C0SLACK001")).toHaveLength(1);
    expect(outcomes).toEqual(["slack:retry", "slack:delivered"]);
  });
});

describe("permanent errors pause only the channel they concern", () => {
  it("Discord 403 and 404, Slack is_archived and token_revoked: those four pause with a reason; the others are delivered", async () => {
    for (let i = 0; i < 4; i += 1) await subscribe(`discord:${IDS.guild}:${discordChannel(i)}`, "discord");
    for (const c of ["C0SLACK001", "C0SLACK002", "C0SLACK003"]) await subscribe(`slack:T0FAKE0001:${c}`, "slack");
    discord.script({
      method: "POST",
      path: new RegExp(`/channels/${discordChannel(1)}/messages$`),
      status: 403,
      body: { message: "Missing Access", code: 50001 },
    });
    discord.script({
      method: "POST",
      path: new RegExp(`/channels/${discordChannel(2)}/messages$`),
      status: 404,
      body: { message: "Unknown Channel", code: 10003 },
    });
    slack.script("chat.postMessage", [
      { status: 200, body: { ok: false, error: "is_archived" } },
      { status: 200, body: { ok: false, error: "token_revoked" } },
    ]);
    await tick("2026-11-24T08:00:00Z", sender());

    const paused = (await store.listSubscriptions()).filter((s) => s.paused).map((s) => [s.channel, s.paused?.reason]);
    expect(paused).toHaveLength(4);
    expect(paused).toContainEqual([`discord:${IDS.guild}:${discordChannel(1)}`, expect.stringContaining("403")]);
    expect(paused).toContainEqual([`discord:${IDS.guild}:${discordChannel(2)}`, expect.stringContaining("404")]);
    expect(paused.map(([, reason]) => reason).join(" ")).toMatch(
      /is_archived.*token_revoked|token_revoked.*is_archived/,
    );
    expect(discord.messagesIn(discordChannel(0))).toHaveLength(1);
    expect(discord.messagesIn(discordChannel(3))).toHaveLength(1);
    expect([1, 2, 3].map((n) => slack.messagesIn(`C0SLACK00${n}`).length).reduce((a, b) => a + b)).toBe(1);

    // The next day nothing is planned for paused channels; subscribing again resumes.
    await tick("2026-11-25T08:00:00Z", sender());
    expect(discord.messagesIn(discordChannel(1))).toHaveLength(0);
    expect((await store.listDeliveries()).filter((r) => r.editionKey === "daily:2026-11-25")).toHaveLength(3);
  });
});

describe("a multi-part digest resumed after its sender died", () => {
  const HISTORY = /^\/api\/v10\/channels\/\d+\/messages$/;

  /**
   * A sender ("dead") that claims the row, stores a digest of several parts, posts and records part 0, and dies while
   * sending part 1: the attempt noted in the ledger, the message created on the platform (unless `created` is false,
   * a death before the request left), and nothing recorded. Returns the number of parts.
   */
  async function diedMidPost(
    platform: "discord" | "slack",
    channel: string,
    map: Map<string, DigestPoster>,
    created = true,
  ): Promise<number> {
    await subscribe(channel, platform);
    now = new Date("2026-11-24T08:00:00Z");
    await new Planner(store, { catchUpMinutes: 180 }, logger, () => now).tick();
    const [row] = await store.claimDeliveries({ now: now.toISOString(), owner: "dead", leaseMs: 60_000, limit: 1 });
    if (!row) throw new Error("nothing claimed");
    const sections = Array.from({ length: 40 }, (_, i) => ({
      heading: `New: development ${i}`,
      body: `Item ${i}: ${"word ".repeat(150)}`,
    }));
    const poster = map.get(platform);
    if (!poster) throw new Error(`no ${platform} poster`);
    const messages = digestMessages(
      poster,
      { tone: "answer", title: "Daily digest", sections, sources: [], visibility: "shared", actions: [] },
      "UTC",
    );
    expect(messages.length).toBeGreaterThan(2);
    await store.savePayload(row, "dead", { kind: "news", messages, announce: [] });
    const first = await poster.post(channel, messages[0], idempotencyKey(row, 0));
    if (!first.ok) throw new Error("first part failed");
    await store.recordPart(row, "dead", 0, first.remoteId);
    await store.markPartAttempt(row, "dead", now.toISOString());
    if (created) {
      const second = await poster.post(channel, messages[1], idempotencyKey(row, 1));
      if (!second.ok) throw new Error("second part failed");
    }
    return messages.length;
  }

  async function onlyRow() {
    const rows = await store.listDeliveries();
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it("Discord, within the nonce window: the interrupted part is resent with its nonce and Discord drops the repeat", async () => {
    const map = posters({ nonceWindowMs: 10 * 60_000 });
    const parts = await diedMidPost("discord", `discord:${IDS.guild}:${discordChannel(7)}`, map);
    await tick("2026-11-24T08:00:30Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(7))).toHaveLength(2); // the lease still runs: nothing happens
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(7))).toHaveLength(parts);
    expect(discord.nonceRepeats).toEqual({ dropped: 1, pastWindow: 0 });
    expect(discord.calls.filter((c) => c.method === "GET" && HISTORY.test(c.path))).toHaveLength(0);
    const row = await onlyRow();
    expect(row).toMatchObject({ state: "delivered", resumed: true });
    expect(row?.remoteIds).toHaveLength(parts);
    expect(row?.partAttemptedAt).toBeUndefined();
  });

  it("Discord, past the nonce window: the channel is read, the part found and recorded, and nothing posted twice", async () => {
    discord = await restartDiscord({ nonceWindowMs: 0 });
    const map = posters({ nonceWindowMs: 60_000 });
    const parts = await diedMidPost("discord", `discord:${IDS.guild}:${discordChannel(7)}`, map);
    const created = discord.messagesIn(discordChannel(7))[1]?.["id"];
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(7))).toHaveLength(parts);
    // Without the look, the resend would have been a second copy: Discord no longer remembers the nonce.
    expect(discord.nonceRepeats.pastWindow).toBe(0);
    expect(discord.calls.filter((c) => c.method === "GET" && HISTORY.test(c.path)).length).toBeGreaterThan(0);
    const row = await onlyRow();
    expect(row).toMatchObject({ state: "delivered", resumed: true });
    expect(row?.remoteIds[1]).toBe(created);
    expect(logger.entries.some((e) => e.msg?.includes("found already posted"))).toBe(true);
  });

  it("Discord, past the window, the part never left: the channel is read, the part is not there, and it is posted once", async () => {
    discord = await restartDiscord({ nonceWindowMs: 0 });
    const map = posters({ nonceWindowMs: 60_000 });
    const parts = await diedMidPost("discord", `discord:${IDS.guild}:${discordChannel(8)}`, map, false);
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(8))).toHaveLength(parts);
    expect(await onlyRow()).toMatchObject({ state: "delivered" });
    expect(logger.entries.some((e) => e.msg?.includes("not found in the channel"))).toBe(true);
  });

  it("Discord, past the window, without Read Message History: recorded unknown and logged, not resent", async () => {
    discord = await restartDiscord({ nonceWindowMs: 0 });
    const map = posters({ nonceWindowMs: 60_000 });
    await diedMidPost("discord", `discord:${IDS.guild}:${discordChannel(9)}`, map);
    discord.script({
      method: "GET",
      path: HISTORY,
      status: 403,
      body: { message: "Missing Access", code: 50001 },
      times: 10,
    });
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(9))).toHaveLength(2);
    const row = await onlyRow();
    expect(row?.state).toBe("unknown");
    expect(row?.error).toContain("Read Message History");
    expect(logger.entries.some((e) => e.level === "error" && e.msg?.includes("outcome unknown"))).toBe(true);
  });

  it("Discord: a 500 after the message was created is retried past the window as a look, not a second post", async () => {
    discord = await restartDiscord({ nonceWindowMs: 0 });
    await subscribe(`discord:${IDS.guild}:${discordChannel(10)}`, "discord");
    // Created, then answered 500 three times: discord.js retries twice itself, and gives up.
    discord.script({
      method: "POST",
      path: MESSAGES,
      status: 500,
      body: { message: "oops" },
      afterHandling: true,
      times: 3,
    });
    const map = posters({ nonceWindowMs: 60_000 });
    await tick("2026-11-24T08:00:00Z", sender("bot-a", map));
    const created = discord.messagesIn(discordChannel(10)).length;
    expect(created).toBeGreaterThan(0);
    expect((await onlyRow())?.state).toBe("pending");
    await tick("2026-11-24T08:05:00Z", sender("bot-a", map));
    expect(discord.messagesIn(discordChannel(10)).length).toBe(created);
    expect(await onlyRow()).toMatchObject({ state: "delivered" });
  });

  it("Slack: the interrupted part is found in the channel by its marker, recorded, and the rest posted once", async () => {
    const map = posters();
    const parts = await diedMidPost("slack", "slack:T0FAKE0001:C0SLACK009", map);
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(slack.messagesIn("C0SLACK009")).toHaveLength(parts);
    expect(slack.callsTo("conversations.history").length).toBeGreaterThan(0);
    const row = await onlyRow();
    expect(row).toMatchObject({ state: "delivered", resumed: true });
    expect(row?.remoteIds[1]).toBe(slack.messagesIn("C0SLACK009")[1]?.ts);
  });

  it("Slack: without channels:history the interrupted part is recorded unknown, not posted again, and reported", async () => {
    const map = posters();
    await diedMidPost("slack", "slack:T0FAKE0001:C0SLACK010", map);
    slack.script("conversations.history", [{ status: 200, body: { ok: false, error: "missing_scope" } }]);
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(slack.messagesIn("C0SLACK010")).toHaveLength(2);
    const row = await onlyRow();
    expect(row?.state).toBe("unknown");
    expect(row?.error).toContain("channels:history");
    expect(logger.entries.some((e) => e.level === "error" && e.msg?.includes("outcome unknown"))).toBe(true);
  });

  it("Slack: a post whose connection dropped is looked for on the next attempt and posted once", async () => {
    await subscribe("slack:T0FAKE0001:C0SLACK011", "slack");
    slack.script("chat.postMessage", [{ status: 200, body: {}, reset: true }]);
    await tick("2026-11-24T08:00:00Z", sender());
    expect(slack.messagesIn("C0SLACK011")).toHaveLength(0);
    expect((await onlyRow())?.state).toBe("pending");
    await tick("2026-11-24T08:05:00Z", sender());
    expect(slack.messagesIn("C0SLACK011")).toHaveLength(1);
    expect(slack.callsTo("conversations.history")).toHaveLength(1);
    expect(await onlyRow()).toMatchObject({ state: "delivered" });
  });
});
