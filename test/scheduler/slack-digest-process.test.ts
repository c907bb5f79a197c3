// The compiled bot posting Slack digests to 120 channels, SIGKILLed mid fan-out and restarted: counts what the fake Slack received.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DeliveryRow } from "../../src/store/store.js";
import { LogReader, spawnBot } from "../bot-process.js";
import { ledgerOf } from "../digest-seed.js";
import { FAKE_TEAM, FakeSlack } from "../fakes/slack.js";

const BOT_TOKEN = "xoxb-4444-5555-slackdigestprocess";
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const CHANNELS = 120;
const channelId = (i: number) => `C0FAN${String(i).padStart(6, "0")}`;
const CHANNEL_IDS = Array.from({ length: CHANNELS }, (_, i) => channelId(i));

let fake: FakeSlack;
let database: string;
const children: ChildProcess[] = [];

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

function startBot(): { child: ChildProcess; logs: LogReader } {
  const child = spawnBot({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    DATABASE_PATH: database,
    DIGEST_LEASE_SECONDS: "5",
    LOG_LEVEL: "info",
  });
  children.push(child);
  return { child, logs: new LogReader(child) };
}

const ledger = (): Promise<DeliveryRow[]> => ledgerOf(() => openSqliteStore(database));

/** Waits until every lease among `rows` has run out. */
async function untilLeasesEnd(rows: readonly DeliveryRow[]): Promise<void> {
  const end = Math.max(...rows.map((r) => Date.parse(r.leaseUntil ?? "")));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, end - Date.now()) + 250));
}

const posted = () => CHANNEL_IDS.reduce((total, id) => total + fake.messagesIn(id).length, 0);

beforeEach(async () => {
  fake = await FakeSlack.start();
  // Every post is made at once and answered late: a kill mid fan-out leaves posts that went out unrecorded.
  fake.postAnswerDelayMs = 250;
  database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-slack-fanout-")), "ledger.sqlite");
  const store = await openSqliteStore(database);
  const due = new Date(Date.now() - 2 * 60_000);
  const time = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  for (const id of CHANNEL_IDS) {
    await store.putSubscription({
      channel: `slack:${FAKE_TEAM}:${id}`,
      platform: "slack",
      time,
      timeZone: "UTC",
      stories: [],
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      createdBy: "Dana",
    });
  }
  await store.close();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited(child);
  }
  await fake.close();
});

describe("Slack digests across a process death", () => {
  it("SIGKILL mid fan-out, then a restart: every channel gets exactly one digest, the posts cut off found, not resent", async () => {
    const first = startBot();
    await fake.waitFor(() => posted() >= CHANNELS / 3, 30_000);
    first.child.kill("SIGKILL");
    await exited(first.child);
    expect(posted()).toBeLessThan(CHANNELS);
    const inFlight = (await ledger()).filter((r) => r.state === "sending");
    // Posts the fake accepted whose answer the killed bot never read: without a look, each would be posted again.
    const unrecorded = inFlight.filter((r) => fake.messagesIn(r.channel.split(":")[2] ?? "").length > 0);
    expect(unrecorded.length).toBeGreaterThan(0);

    // Restarted once the killed bot's claims have run out, so the first tick resumes them (not the next minute's).
    await untilLeasesEnd(inFlight);
    const second = startBot();
    await fake.waitFor(() => CHANNEL_IDS.every((id) => fake.messagesIn(id).length >= 1), 60_000);
    let rows = await ledger();
    for (let i = 0; i < 100 && rows.some((r) => r.state !== "delivered"); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await ledger();
    }
    expect(CHANNEL_IDS.map((id) => fake.messagesIn(id).length).filter((n) => n !== 1)).toEqual([]);
    expect(rows.filter((r) => r.state !== "delivered").map((r) => [r.channel, r.state, r.error])).toEqual([]);
    // One post per channel, plus at most one more for each row in flight at the kill.
    expect(fake.callsTo("chat.postMessage").length).toBeLessThanOrEqual(CHANNELS + inFlight.length);
    const resumed = rows.filter((r) => inFlight.some((held) => held.channel === r.channel));
    expect(resumed.every((r) => r.resumed === true)).toBe(true);
    for (const row of rows.filter((r) => unrecorded.some((u) => u.channel === r.channel))) {
      expect(row.remoteIds).toEqual([fake.messagesIn(row.channel.split(":")[2] ?? "")[0]?.ts]);
    }
    expect(second.logs.entries().some((e) => String(e["msg"]).includes("found already posted"))).toBe(true);
  }, 120_000);
});
