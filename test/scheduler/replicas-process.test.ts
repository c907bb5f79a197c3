// Three compiled bot processes on one Postgres against a rate-limited fake Discord: one SIGKILLed mid fan-out to 500 channels.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import type { DeliveryRow } from "../../src/store/store.js";
import { LogReader, spawnBot } from "../bot-process.js";
import { FakeDiscord, IDS } from "../fakes/discord.js";
import { postgresSuite, testSchema, type TestSchema } from "../postgres.js";
import { messagesPosted as countMessages, subscribeDueDiscordChannels } from "../digest-seed.js";
import { busiestSecond } from "../rate-window.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.replicas-process-token";
const CHANNELS = 500;
const REPLICAS = 3;
/** The shared budget, and the fake's global limit: Discord would answer 429 past it. */
const BUDGET = 40;
const channelId = (i: number) => `1112223334446${String(i).padStart(6, "0")}`;
const CREATE = /^\/api\/v10\/channels\/\d+\/messages$/;

let fake: FakeDiscord;
let schema: TestSchema;
const children: ChildProcess[] = [];

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

function startReplica(): { child: ChildProcess; logs: LogReader } {
  const child = spawnBot({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_APPLICATION_ID: IDS.application,
    DATABASE_URL: schema.url,
    DISCORD_REQUESTS_PER_SECOND: String(BUDGET),
    // Short, so the killed replica's rows are resumed within the test.
    DIGEST_LEASE_SECONDS: "5",
    LOG_LEVEL: "info",
  });
  children.push(child);
  return { child, logs: new LogReader(child) };
}

const CHANNEL_IDS = Array.from({ length: CHANNELS }, (_, i) => channelId(i));
const messagesPosted = () => countMessages(fake, CHANNEL_IDS);

postgresSuite("replicas on one Postgres", () => {
  beforeAll(async () => {
    schema = await testSchema();
    fake = await FakeDiscord.start({
      limits: { globalPerSecond: BUDGET, channelMessages: { limit: 5, windowMs: 5000 } },
    });
    const store = await openPostgresStore(schema.url);
    await subscribeDueDiscordChannels(store, CHANNEL_IDS);
    await store.close();
  });

  afterAll(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited(child);
    }
    await fake?.close();
    await schema?.drop();
  });

  describe("a fan-out to 500 channels by three schedulers, one SIGKILLed midway", () => {
    let rows: DeliveryRow[] = [];

    it("delivers exactly one digest to every channel, the killed replica's rows resumed by the others", async () => {
      const replicas = Array.from({ length: REPLICAS }, () => startReplica());
      await fake.waitFor("a fifth of the fan-out", () => (messagesPosted() >= CHANNELS / 5 ? true : undefined), 60_000);
      const victim = replicas[0];
      if (!victim) throw new Error("no replica");
      victim.child.kill("SIGKILL");
      await exited(victim.child);
      expect(messagesPosted()).toBeLessThan(CHANNELS);
      // Every replica took part: each one logged deliveries before the kill or after it.
      await fake.waitFor("a digest in every channel", () => (messagesPosted() >= CHANNELS ? true : undefined), 90_000);

      const counts = Array.from({ length: CHANNELS }, (_, i) => fake.messagesIn(channelId(i)).length);
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      const store = await openPostgresStore(schema.url);
      try {
        for (let i = 0; i < 100; i += 1) {
          rows = await store.listDeliveries();
          if (rows.every((r) => r.state === "delivered")) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await store.close();
      }
      expect(rows).toHaveLength(CHANNELS);
      expect(rows.filter((r) => r.state !== "delivered").map((r) => [r.channel, r.state, r.error])).toEqual([]);
      // The killed replica held rows mid-send; another replica claimed them after the lease ran out.
      expect(rows.filter((r) => r.attempts >= 2).length).toBeGreaterThan(0);
      const survivors = replicas
        .slice(1)
        .map((r) => r.logs.entries().filter((e) => e["msg"] === "digest delivered").length);
      expect(survivors.every((n) => n > 0)).toBe(true);
    }, 150_000);

    it("kept the three replicas together within the one shared budget: no second at the fake held more than it, and no 429", () => {
      const creates = fake.calls.filter((c) => c.method === "POST" && CREATE.test(c.path));
      expect(busiestSecond(creates.map((c) => c.at))).toBeLessThanOrEqual(BUDGET);
      expect(fake.rateLimited).toEqual({ global: 0, route: 0 });
      // Resumed rows are re-sent with the same nonce (Discord drops the repeat), so requests may exceed messages, but
      // not by more than the rows the killed replica held.
      expect(creates.length).toBeGreaterThanOrEqual(CHANNELS);
      expect(creates.length).toBeLessThan(CHANNELS + 50);
    });
  });
});
