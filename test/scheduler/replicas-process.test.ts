// Three compiled bot processes on one Postgres against a fake Discord that forgets nonces: one SIGKILLed mid fan-out to 500 channels.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import type { DeliveryRow } from "../../src/store/store.js";
import { LogReader, spawnBot } from "../bot-process.js";
import { FakeDiscord, IDS } from "../fakes/discord.js";
import { postgresSuite, testSchema, type TestSchema } from "../postgres.js";
import { messagesPosted as countMessages, subscribeDueDiscordChannels, ledgerOf } from "../digest-seed.js";
import { allowedInStampedSecond, busiestSecond, watchStalls } from "../rate-window.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.replicas-process-token";
const CHANNELS = 500;
const REPLICAS = 3;
/** The shared budget: no second at the fake may hold more requests (allowing for stalls of the loop stamping them). */
const BUDGET = 40;
/** How long the fake Discord remembers a nonce: shorter than the lease, as Discord's few minutes are than a long outage. */
const NONCE_WINDOW_MS = 2000;
const channelId = (i: number) => `1112223334446${String(i).padStart(6, "0")}`;

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
    // Short, so the killed replica's rows are resumed within the test, after the fake forgot their nonces.
    DIGEST_LEASE_SECONDS: "5",
    DISCORD_NONCE_WINDOW_SECONDS: "1",
    LOG_LEVEL: "info",
  });
  children.push(child);
  return { child, logs: new LogReader(child) };
}

const ledger = (): Promise<DeliveryRow[]> => ledgerOf(() => openPostgresStore(schema.url));

const CHANNEL_IDS = Array.from({ length: CHANNELS }, (_, i) => channelId(i));
const messagesPosted = () => countMessages(fake, CHANNEL_IDS);

postgresSuite("replicas on one Postgres", () => {
  beforeAll(async () => {
    schema = await testSchema();
    fake = await FakeDiscord.start({ nonceWindowMs: NONCE_WINDOW_MS });
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
    it("delivers exactly one digest to every channel, the killed replica's rows finished by the others, in one budget", async () => {
      const stalls = watchStalls();
      let rows: DeliveryRow[] = [];
      const replicas = Array.from({ length: REPLICAS }, () => startReplica());
      const owners = await Promise.all(
        replicas.map(async (r) => String((await r.logs.waitFor((e) => e["msg"] === "digest sender started"))["owner"])),
      );
      await fake.waitFor("a fifth of the fan-out", () => (messagesPosted() >= CHANNELS / 5 ? true : undefined), 60_000);
      const [victim, ...survivors] = replicas;
      if (!victim) throw new Error("no replica");
      victim.child.kill("SIGKILL");
      await exited(victim.child);
      expect(messagesPosted()).toBeLessThan(CHANNELS);
      // The rows the killed replica held mid-send when it died.
      const held = (await ledger()).filter((r) => r.state === "sending" && r.leaseOwner === owners[0]);
      expect(held.length).toBeGreaterThan(0);

      await fake.waitFor("a digest in every channel", () => (messagesPosted() >= CHANNELS ? true : undefined), 90_000);
      const counts = Array.from({ length: CHANNELS }, (_, i) => fake.messagesIn(channelId(i)).length);
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      for (let i = 0; i < 100; i += 1) {
        rows = await ledger();
        if (rows.every((r) => r.state === "delivered")) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(rows).toHaveLength(CHANNELS);
      expect(rows.filter((r) => r.state !== "delivered").map((r) => [r.channel, r.state, r.error])).toEqual([]);

      // The killed replica's rows were finished by the survivors, marked resumed, each posted once.
      const finished = rows.filter((r) => held.some((h) => h.channel === r.channel));
      expect(finished).toHaveLength(held.length);
      expect(finished.every((r) => r.resumed === true && r.state === "delivered" && r.remoteIds.length === 1)).toBe(
        true,
      );
      const finishedBySurvivors = new Set(
        survivors.flatMap((s) =>
          s.logs
            .entries()
            .filter((e) => e["msg"] === "digest delivered")
            .map((e) => String(e["channel"])),
        ),
      );
      expect(held.filter((h) => !finishedBySurvivors.has(h.channel)).map((h) => h.channel)).toEqual([]);
      // Resumed past the fake's nonce window: a resend relying on the nonce would have been a second message.
      expect(fake.nonceRepeats.pastWindow).toBe(0);

      // The three replicas together kept within the one shared budget, with one nonce per channel.
      stalls.stop();
      const creates = fake.createRequests();
      expect(busiestSecond(creates.map((c) => c.at))).toBeLessThanOrEqual(
        allowedInStampedSecond(BUDGET, stalls.longestMs()),
      );
      // One create per channel, plus at most one more for each row the killed replica held.
      expect(creates.length).toBeGreaterThanOrEqual(CHANNELS);
      expect(creates.length).toBeLessThanOrEqual(CHANNELS + held.length);
      expect(new Set(creates.map((c) => String((c.body as { nonce?: unknown }).nonce))).size).toBe(CHANNELS);
    }, 150_000);
  });
});
