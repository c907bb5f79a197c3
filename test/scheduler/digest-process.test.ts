// The compiled bot as child processes on one SQLite file against the fake Discord: SIGKILL mid fan-out, two schedulers, SIGTERM.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DeliveryRow } from "../../src/store/store.js";
import { LogReader, spawnBot } from "../bot-process.js";
import { FakeDiscord, IDS, type RecordedCall } from "../fakes/discord.js";
import { messagesPosted as countMessages, subscribeDueDiscordChannels, ledgerOf } from "../digest-seed.js";
import { allowedInStampedSecond, busiestSecond, watchStalls } from "../rate-window.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.digest-process-token";
/** How long the fake Discord remembers a nonce: short, as if the bot had been down for minutes. */
const NONCE_WINDOW_MS = 2000;
const CREATE = /^\/api\/v10\/channels\/\d+\/messages$/;
const CHANNELS = 200;
const channelId = (i: number) => `1112223334445${String(i).padStart(6, "0")}`;

let fake: FakeDiscord;
let database: string;
const children: ChildProcess[] = [];

/** Subscribes CHANNELS Discord channels to a digest that fell due two minutes ago (inside the catch-up window). */
async function seed(): Promise<void> {
  const store = await openSqliteStore(database);
  await subscribeDueDiscordChannels(store, CHANNEL_IDS);
  await store.close();
}

function startBot(): { child: ChildProcess; logs: LogReader } {
  const child = spawnBot({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_APPLICATION_ID: IDS.application,
    DATABASE_PATH: database,
    // Slow enough that the fan-out is surely under way when the test strikes; short lease so a restart resumes soon.
    DISCORD_REQUESTS_PER_SECOND: "25",
    DIGEST_LEASE_SECONDS: "5",
    // Inside the fake's window, as the default (60 s) is inside Discord's few minutes.
    DISCORD_NONCE_WINDOW_SECONDS: "1",
    LOG_LEVEL: "info",
  });
  children.push(child);
  return { child, logs: new LogReader(child) };
}

const CHANNEL_IDS = Array.from({ length: CHANNELS }, (_, i) => channelId(i));
const messagesPosted = () => countMessages(fake, CHANNEL_IDS);

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Every channel has exactly one digest message and the ledger says delivered for all; returns the ledger rows. */
async function expectExactlyOnce(): Promise<DeliveryRow[]> {
  await fake.waitFor(
    "a digest in every channel",
    () =>
      Array.from({ length: CHANNELS }, (_, i) => fake.messagesIn(channelId(i)).length).every((n) => n >= 1)
        ? true
        : undefined,
    60_000,
  );
  const counts = Array.from({ length: CHANNELS }, (_, i) => fake.messagesIn(channelId(i)).length);
  expect(counts.filter((n) => n !== 1)).toEqual([]);
  const store = await openSqliteStore(database);
  try {
    const rows = await store.listDeliveries();
    // The bot records each delivery right after Discord answers; give the last ones a moment to land.
    for (let i = 0; i < 50 && rows.some((r) => r.state !== "delivered"); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows.splice(0, rows.length, ...(await store.listDeliveries()));
    }
    expect(rows).toHaveLength(CHANNELS);
    expect(rows.filter((r) => r.state !== "delivered").map((r) => [r.channel, r.state, r.error])).toEqual([]);
    return rows;
  } finally {
    await store.close();
  }
}

/** The ledger as the bot left it. */
const ledger = (): Promise<DeliveryRow[]> => ledgerOf(() => openSqliteStore(database));

function nonceOf(call: RecordedCall): string {
  const body = call.body as { nonce?: unknown };
  return String(body.nonce);
}

beforeEach(async () => {
  fake = await FakeDiscord.start({ nonceWindowMs: NONCE_WINDOW_MS });
  database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-fanout-")), "ledger.sqlite");
  await seed();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited(child);
    }
  }
  await fake.close();
});

describe("digest fan-out across process deaths", () => {
  it("SIGKILL mid fan-out to 200 channels, restart after Discord forgot the nonces: every channel gets exactly one digest", async () => {
    // The first post is created but never answered: the bot dies not knowing it went out.
    fake.script({ method: "POST", path: CREATE, status: 200, hang: true });
    const first = startBot();
    const hung = await fake.waitFor("the unanswered post", () =>
      fake.calls.find((c) => c.method === "POST" && c.status === 0 && CREATE.test(c.path)),
    );
    await fake.waitFor("half the fan-out", () => (messagesPosted() >= CHANNELS / 2 ? true : undefined), 30_000);
    first.child.kill("SIGKILL");
    await exited(first.child);
    const posted = messagesPosted();
    expect(posted).toBeLessThan(CHANNELS);
    const inFlight = (await ledger()).filter((r) => r.state === "sending");
    expect(inFlight.length).toBeGreaterThan(0);

    // Past the fake's nonce window (a blind resend with the same nonce would now be a second message), and past the
    // killed bot's leases, so the first tick after the restart resumes its rows.
    const leasesEnd = Math.max(...inFlight.map((r) => Date.parse(r.leaseUntil ?? "")));
    const killedAt = Date.now();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(killedAt + NONCE_WINDOW_MS, leasesEnd) - Date.now() + 250),
    );
    const second = startBot();
    await second.logs.waitFor((e) => e["msg"] === "bot ready");
    const rows = await expectExactlyOnce();
    expect(fake.nonceRepeats.pastWindow).toBe(0);
    // Every create the bot made: one per channel, plus at most one more for each row in flight at the kill.
    const creates = fake.createRequests();
    expect(creates.length).toBeLessThanOrEqual(CHANNELS + inFlight.length);
    expect(new Set(creates.map((c) => nonceOf(c))).size).toBe(CHANNELS);
    // The rows the killed process held were taken over after their lease ran out and finished.
    const resumed = rows.filter((r) => inFlight.some((held) => held.channel === r.channel));
    expect(resumed.every((r) => r.resumed === true && r.state === "delivered")).toBe(true);
    // The unanswered post was found in the channel and recorded, not posted again.
    const hungChannel = /channels\/(\d+)\/messages/.exec(hung.path)?.[1] ?? "";
    const hungRow = rows.find((r) => r.channel.endsWith(`:${hungChannel}`));
    expect(hungRow?.remoteIds).toEqual([fake.messagesIn(hungChannel)[0]?.["id"]]);
    expect(second.logs.entries().some((e) => e["msg"]?.toString().includes("found already posted"))).toBe(true);
  }, 120_000);

  it("two bot processes on one database at the same minute: one delivery per channel, one create request per channel", async () => {
    const stalls = watchStalls();
    startBot();
    startBot();
    await expectExactlyOnce();
    stalls.stop();
    const creates = fake.createRequests();
    expect(creates).toHaveLength(CHANNELS);
    // Both draw on one budget kept in the database file, so together they stay within 25 requests in any second.
    expect(busiestSecond(creates.map((c) => c.at))).toBeLessThanOrEqual(allowedInStampedSecond(25, stalls.longestMs()));
  }, 120_000);

  it("SIGTERM mid fan-out exits 0 leaving nothing half-sent; the next start delivers the rest, none twice", async () => {
    const first = startBot();
    await fake.waitFor("a third of the fan-out", () => (messagesPosted() >= CHANNELS / 3 ? true : undefined), 30_000);
    first.child.kill("SIGTERM");
    expect(await exited(first.child)).toBe(0);
    const store = await openSqliteStore(database);
    const rows = await store.listDeliveries();
    await store.close();
    expect(rows.filter((r) => r.state === "sending")).toEqual([]);
    const delivered = rows.filter((r) => r.state === "delivered").length;
    expect(delivered).toBe(messagesPosted());
    expect(delivered).toBeLessThan(CHANNELS);
    expect(rows.filter((r) => r.state === "pending")).toHaveLength(CHANNELS - delivered);

    startBot();
    await expectExactlyOnce();
  }, 120_000);
});
