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
import { FakeDiscord, IDS } from "../fakes/discord.js";
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

function posters(): Map<string, DigestPoster> {
  const discordPoster = new DiscordDigestPoster({
    rest: digestRest(DISCORD_TOKEN, discord.apiUrl),
    budget: new SharedRateBudget(store, { name: "discord", perSecond: 50 }),
    logger,
    timeZone: "UTC",
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
  async function halfSent(
    platform: "discord" | "slack",
    channel: string,
    map: Map<string, DigestPoster>,
  ): Promise<number> {
    await subscribe(channel, platform);
    now = new Date("2026-11-24T08:00:00Z");
    await new Planner(store, { catchUpMinutes: 180 }, logger, () => now).tick();
    // A sender that dies after posting the first of several parts: claim, store the payload, post part 0, record it.
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
    return messages.length;
  }

  it("Discord: after the lease runs out, another sender posts only the parts not yet recorded", async () => {
    const map = posters();
    const parts = await halfSent("discord", `discord:${IDS.guild}:${discordChannel(7)}`, map);
    await tick("2026-11-24T08:00:30Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(7))).toHaveLength(1);
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(discord.messagesIn(discordChannel(7))).toHaveLength(parts);
    const row = (await store.listDeliveries())[0];
    expect(row?.state).toBe("delivered");
    expect(row?.remoteIds).toHaveLength(parts);
  });

  it("Slack: a resumed send is recorded as unknown, not posted again, and reported", async () => {
    const map = posters();
    await halfSent("slack", "slack:T0FAKE0001:C0SLACK009", map);
    await tick("2026-11-24T08:02:00Z", sender("bot-b", map));
    expect(slack.messagesIn("C0SLACK009")).toHaveLength(1);
    const row = (await store.listDeliveries())[0];
    expect(row?.state).toBe("unknown");
    expect(logger.entries.some((e) => e.level === "error" && e.msg?.includes("outcome unknown"))).toBe(true);
  });
});
