// The SQLite store's contract: subscriptions, the ledger's claims and leases, owner checks, announcements, migrations.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import type { DeliveryKey } from "../../src/store/store.js";
import { projectRoot } from "../helpers.js";

const KEY: DeliveryKey = { editionKey: "daily:2026-11-24", channel: "slack:T:C1" };
const plan = (key = KEY, dueAt = "2026-11-24T08:00:00.000Z") => ({ ...key, platform: "slack", dueAt, state: "pending" as const });
const claim = (store: SqliteStore, owner: string, now = "2026-11-24T08:00:00.000Z", leaseMs = 60_000) => store.claimDeliveries({ now, owner, leaseMs, limit: 10 });

let file: string;
let store: SqliteStore;

beforeEach(async () => {
  file = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-store-")), "nested", "ledger.sqlite");
  store = await openSqliteStore(file);
});

afterEach(async () => {
  await store.close();
});

describe("subscriptions", () => {
  it("round-trips, replaces on subscribe (lifting a pause), and deleting forgets what the channel was told", async () => {
    const subscription = { channel: "slack:T:C1", platform: "slack", time: "08:00", timeZone: "Europe/London", stories: ["hostages"], createdAt: "2026-11-23T10:00:00Z", createdBy: "Dana" };
    await store.putSubscription(subscription);
    expect(await store.getSubscription("slack:T:C1")).toEqual(subscription);
    await store.pauseSubscription("slack:T:C1", "is_archived", "2026-11-24T08:00:00Z");
    expect((await store.getSubscription("slack:T:C1"))?.paused).toEqual({ reason: "is_archived", at: "2026-11-24T08:00:00Z" });
    await store.putSubscription({ ...subscription, time: "09:00" });
    expect(await store.getSubscription("slack:T:C1")).toEqual({ ...subscription, time: "09:00" });

    await store.planEdition(plan());
    const [row] = await claim(store, "a");
    if (!row) throw new Error("no row");
    await store.savePayload(row, "a", { kind: "news", messages: ["m"], announce: [{ key: "update:x", version: 2 }] });
    await store.completeDelivery(row, "a", "2026-11-24T08:00:05Z");
    expect(await store.announced("slack:T:C1")).toEqual(new Map([["update:x", 2]]));
    expect(await store.deleteSubscription("slack:T:C1")).toBe(true);
    expect(await store.deleteSubscription("slack:T:C1")).toBe(false);
    expect((await store.announced("slack:T:C1")).size).toBe(0);
  });
});

describe("the delivery ledger", () => {
  it("plans an edition once per channel, however often it is asked", async () => {
    expect(await store.planEdition(plan())).toBe(true);
    expect(await store.planEdition({ ...plan(), dueAt: "2026-11-24T09:00:00.000Z" })).toBe(false);
    expect(await store.listDeliveries()).toMatchObject([{ ...KEY, dueAt: "2026-11-24T08:00:00.000Z", state: "pending", attempts: 0, partsSent: 0 }]);
  });

  it("claims a row once until its lease runs out; then another owner takes it over and the first owner's writes are refused", async () => {
    await store.planEdition(plan());
    expect(await claim(store, "a")).toHaveLength(1);
    expect(await claim(store, "b", "2026-11-24T08:00:30.000Z")).toHaveLength(0);
    const [taken] = await claim(store, "b", "2026-11-24T08:01:01.000Z");
    expect(taken).toMatchObject({ state: "sending", leaseOwner: "b", attempts: 2, resumed: true });
    expect(await store.recordPart(KEY, "a", 0, "late")).toBe(false);
    expect(await store.completeDelivery(KEY, "a", "2026-11-24T08:01:02Z")).toBe(false);
    expect(await store.recordPart(KEY, "b", 0, "m0")).toBe(true);
    expect(await store.completeDelivery(KEY, "b", "2026-11-24T08:01:03Z")).toBe(true);
    expect(await store.delivery(KEY)).toMatchObject({ state: "delivered", remoteIds: ["m0"], partsSent: 1, deliveredAt: "2026-11-24T08:01:03Z" });
  });

  it("claims only rows for the platforms the caller can post to", async () => {
    await store.planEdition(plan());
    await store.planEdition({ ...plan({ editionKey: KEY.editionKey, channel: "discord:g:1" }), platform: "discord" });
    const console = await store.claimDeliveries({ now: "2026-11-24T08:00:00.000Z", owner: "console", leaseMs: 60_000, limit: 10, platforms: ["console"] });
    expect(console).toEqual([]);
    const discord = await store.claimDeliveries({ now: "2026-11-24T08:00:00.000Z", owner: "d", leaseMs: 60_000, limit: 10, platforms: ["discord"] });
    expect(discord.map((r) => r.channel)).toEqual(["discord:g:1"]);
    expect((await store.delivery(KEY))?.state).toBe("pending");
  });

  it("keeps the first payload, records parts once each, and announces the highest version", async () => {
    await store.planEdition(plan());
    await claim(store, "a");
    expect(await store.savePayload(KEY, "a", { kind: "news", messages: ["one", "two"], announce: [{ key: "update:x", version: 3 }] })).toBe(true);
    await store.savePayload(KEY, "a", { kind: "quiet", messages: ["other"], announce: [] });
    expect((await store.delivery(KEY))?.payload).toEqual({ kind: "news", messages: ["one", "two"], announce: [{ key: "update:x", version: 3 }] });
    await store.recordPart(KEY, "a", 0, "r0");
    await store.recordPart(KEY, "a", 0, "r0-again");
    await store.recordPart(KEY, "a", 1, "r1");
    expect((await store.delivery(KEY))?.remoteIds).toEqual(["r0", "r1"]);
    await store.completeDelivery(KEY, "a", "2026-11-24T08:00:02Z");

    const next = { editionKey: "daily:2026-11-25", channel: KEY.channel };
    await store.planEdition(plan(next, "2026-11-25T08:00:00.000Z"));
    await claim(store, "a", "2026-11-25T08:00:00.000Z");
    await store.savePayload(next, "a", { kind: "news", messages: ["x"], announce: [{ key: "update:x", version: 2 }] });
    await store.completeDelivery(next, "a", "2026-11-25T08:00:01Z");
    expect((await store.announced(KEY.channel)).get("update:x")).toBe(3);
  });

  it("waits out a retry's backoff, pauses the subscription with a permanent error, and hands rows back at shutdown", async () => {
    await store.putSubscription({ channel: KEY.channel, platform: "slack", time: "08:00", timeZone: "UTC", stories: [], createdAt: "2026-11-01T00:00:00Z", createdBy: "D" });
    await store.planEdition(plan());
    await claim(store, "a");
    await store.retryDelivery(KEY, "a", "2026-11-24T08:05:00.000Z", "Slack rate limit");
    expect(await claim(store, "a", "2026-11-24T08:04:59.000Z")).toHaveLength(0);
    expect(await claim(store, "a", "2026-11-24T08:05:00.000Z")).toHaveLength(1);
    expect(await store.finishDelivery(KEY, "a", "paused", "the channel is archived", "2026-11-24T08:05:01Z")).toBe(true);
    expect((await store.getSubscription(KEY.channel))?.paused?.reason).toBe("the channel is archived");
    expect(await store.lastEdition(KEY.channel)).toMatchObject({ state: "paused", error: "the channel is archived" });
    expect(await store.lastDelivered(KEY.channel)).toBeUndefined();

    const other = { editionKey: "daily:2026-11-24", channel: "slack:T:C2" };
    await store.planEdition(plan(other));
    await claim(store, "b", "2026-11-24T08:06:00.000Z");
    expect(await store.releaseDeliveries("b", "unsent at shutdown")).toBe(1);
    expect(await store.delivery(other)).toMatchObject({ state: "pending", error: "unsent at shutdown", attempts: 1 });
    expect(await store.delivery(other)).not.toHaveProperty("leaseOwner");
    const counts = await store.countDeliveries();
    expect(counts).toMatchObject({ paused: 1, pending: 1, delivered: 0, sending: 0 });
  });
});

describe("the database file", () => {
  it("is created in a missing folder, migrated once, and answers ping until closed", async () => {
    await store.close();
    store = await openSqliteStore(file);
    const db = new Database(file, { readonly: true });
    const versions = db.prepare<[], { version: number }>("SELECT version FROM schema_migrations").all().map((r) => r.version);
    db.close();
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(/closed/);
    store = await openSqliteStore(file);
  });

  it("never hands one row to two processes claiming at the same time", async () => {
    const ROWS = 3000;
    for (let i = 0; i < ROWS; i += 1) await store.planEdition(plan({ editionKey: "daily:2026-11-24", channel: `slack:T:C${i}` }));
    const script = `
      import { openSqliteStore } from ${JSON.stringify(path.join(projectRoot, "dist/store/sqlite-store.js"))};
      const store = await openSqliteStore(process.argv[1]);
      // Start together however long each process took to start.
      await new Promise((resolve) => setTimeout(resolve, Number(process.argv[3]) - Date.now()));
      const claimed = [];
      for (;;) {
        const rows = await store.claimDeliveries({ now: "2026-11-24T08:00:00.000Z", owner: process.argv[2], leaseMs: 600000, limit: 1 });
        if (rows.length === 0) break;
        claimed.push(...rows.map((r) => r.channel));
      }
      await store.close();
      console.log(JSON.stringify(claimed));`;
    // Real concurrent children, each with its own connection, racing for the same rows.
    const startAt = Date.now() + 3000;
    const concurrent = (owner: string) =>
      new Promise<string[]>((resolve, reject) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script, file, owner, String(startAt)], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err))));
      });
    const results = await Promise.all(["p1", "p2", "p3"].map(concurrent));
    const all = results.flat();
    expect(all).toHaveLength(ROWS);
    expect(new Set(all).size).toBe(ROWS);
    // They really raced: more than one process won rows.
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
  });
});
