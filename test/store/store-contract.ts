// The Store port's contract, one suite run against every implementation: what the scheduler relies on from any database.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DELIVERY_STATES, type NewSubscription } from "../../src/core/digest/types.js";
import { randomBytes } from "node:crypto";
import { hashBytes, packJson, RELEASE_SCHEMA_VERSION, unpackJson } from "../../src/core/content/release.js";
import type { ClaimRequest, DeliveryKey, NewRelease, PlannedEdition, Store } from "../../src/store/store.js";

/** A new, empty database for one test. */
export interface TestDatabase {
  /** One more store on this database with its own connections, as another process (a replica) would open it. */
  connect(): Promise<Store>;
  /** Removes the database; called once every store on it is closed. */
  drop(): Promise<void>;
}

const KEY: DeliveryKey = { editionKey: "daily:2026-11-24", channel: "slack:T:C1" };
const plan = (key = KEY, dueAt = "2026-11-24T08:00:00.000Z"): PlannedEdition => ({
  ...key,
  platform: "slack",
  dueAt,
  state: "pending",
});
const subscription = (channel: string): NewSubscription => ({
  channel,
  platform: channel.split(":")[0] ?? "slack",
  time: "08:00",
  timeZone: "UTC",
  stories: [],
  createdAt: "2026-11-01T00:00:00Z",
  createdBy: "Dana",
});

/** A release as a publisher would store it; `compiled` is any bytes here, the store keeps them as they are. */
const newRelease = (message: string, extra: Partial<NewRelease> = {}): NewRelease => {
  const files = packJson([{ path: "stories/a.yaml", text: `id: a\ntitle: ${message}\n` }]);
  const compiled = extra.compiled ?? packJson({ schemaVersion: RELEASE_SCHEMA_VERSION, message });
  return {
    fingerprint: hashBytes(files).slice(0, 12),
    schemaVersion: RELEASE_SCHEMA_VERSION,
    counts: { files: 1, stories: 1, updates: 0, entities: 0, sources: 0 },
    files,
    compiled,
    compiledHash: hashBytes(compiled),
    createdAt: "2026-11-24T08:00:00.000Z",
    author: "Dana",
    message,
    ...extra,
  };
};

/**
 * Registers the contract's tests for one Store implementation. `freshDatabase` is called before every test; a second
 * connect() on the same database is how the concurrency tests get two replicas.
 */
export function storeContract(name: string, freshDatabase: () => Promise<TestDatabase>): void {
  describe(`the ${name} store`, () => {
    let database: TestDatabase;
    let store: Store;
    const opened: Store[] = [];

    const connect = async () => {
      const replica = await database.connect();
      opened.push(replica);
      return replica;
    };
    const claim = (owner: string, now = "2026-11-24T08:00:00.000Z", extra: Partial<ClaimRequest> = {}) =>
      store.claimDeliveries({ now, owner, leaseMs: 60_000, limit: 10, ...extra });

    beforeEach(async () => {
      database = await freshDatabase();
      store = await connect();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await database.drop();
    });

    describe("subscriptions", () => {
      it("round-trips, replaces on subscribe (lifting a pause), and deleting forgets what the channel was told", async () => {
        const first = {
          ...subscription("slack:T:C1"),
          timeZone: "Europe/London",
          stories: ["hostages"],
          createdAt: "2026-11-23T10:00:00Z",
        };
        await store.putSubscription(first);
        expect(await store.getSubscription("slack:T:C1")).toEqual(first);
        await store.pauseSubscription("slack:T:C1", "is_archived", "2026-11-24T08:00:00Z");
        expect((await store.getSubscription("slack:T:C1"))?.paused).toEqual({
          reason: "is_archived",
          at: "2026-11-24T08:00:00Z",
        });
        await store.putSubscription({ ...first, time: "09:00" });
        expect(await store.getSubscription("slack:T:C1")).toEqual({ ...first, time: "09:00" });

        await store.planEdition(plan());
        const [row] = await claim("a");
        if (!row) throw new Error("no row");
        await store.savePayload(row, "a", {
          kind: "news",
          messages: ["m"],
          announce: [{ key: "update:x", version: 2 }],
        });
        await store.completeDelivery(row, "a", "2026-11-24T08:00:05Z");
        expect(await store.announced("slack:T:C1")).toEqual(new Map([["update:x", 2]]));
        expect(await store.deleteSubscription("slack:T:C1")).toBe(true);
        expect(await store.deleteSubscription("slack:T:C1")).toBe(false);
        expect(await store.getSubscription("slack:T:C1")).toBeUndefined();
        expect((await store.announced("slack:T:C1")).size).toBe(0);
      });

      it("lists every subscription, paused ones included, ordered by channel", async () => {
        for (const channel of ["slack:T:C2", "discord:g:1", "slack:T:C1"])
          await store.putSubscription(subscription(channel));
        await store.pauseSubscription("slack:T:C2", "revoked", "2026-11-24T08:00:00Z");
        const listed = await store.listSubscriptions();
        expect(listed.map((s) => s.channel)).toEqual(["discord:g:1", "slack:T:C1", "slack:T:C2"]);
        expect(listed[2]?.paused).toEqual({ reason: "revoked", at: "2026-11-24T08:00:00Z" });
      });
    });

    describe("the delivery ledger", () => {
      it("plans an edition once per channel, however often it is asked", async () => {
        expect(await store.planEdition(plan())).toBe(true);
        expect(await store.planEdition({ ...plan(), dueAt: "2026-11-24T09:00:00.000Z" })).toBe(false);
        expect(await store.listDeliveries()).toMatchObject([
          { ...KEY, dueAt: "2026-11-24T08:00:00.000Z", state: "pending", attempts: 0, partsSent: 0, remoteIds: [] },
        ]);
        const stale = { editionKey: "daily:2026-11-23", channel: KEY.channel };
        await store.planEdition({
          ...plan(stale, "2026-11-23T08:00:00.000Z"),
          state: "skipped_stale",
          error: "outside the catch-up window",
        });
        expect(await store.delivery(stale)).toMatchObject({
          state: "skipped_stale",
          error: "outside the catch-up window",
          resumed: false,
        });
        expect(await claim("a", "2026-11-24T07:59:59.000Z")).toEqual([]);
      });

      it("claims a row once until its lease runs out; then another owner takes it over and the first owner's writes are refused", async () => {
        await store.planEdition(plan());
        expect(await claim("a")).toMatchObject([
          {
            ...KEY,
            state: "sending",
            leaseOwner: "a",
            leaseUntil: "2026-11-24T08:01:00.000Z",
            attempts: 1,
            resumed: false,
          },
        ]);
        expect(await claim("b", "2026-11-24T08:00:30.000Z")).toHaveLength(0);
        const [taken] = await claim("b", "2026-11-24T08:01:01.000Z");
        expect(taken).toMatchObject({ state: "sending", leaseOwner: "b", attempts: 2, resumed: true });
        expect(await store.savePayload(KEY, "a", { kind: "quiet", messages: [], announce: [] })).toBe(false);
        expect(await store.recordPart(KEY, "a", 0, "late")).toBe(false);
        expect(await store.completeDelivery(KEY, "a", "2026-11-24T08:01:02Z")).toBe(false);
        expect(await store.retryDelivery(KEY, "a", "2026-11-24T08:02:00.000Z", "late")).toBe(false);
        expect(await store.finishDelivery(KEY, "a", "failed", "late", "2026-11-24T08:01:02Z")).toBe(false);
        expect(await store.releaseDeliveries("a", "late")).toBe(0);
        expect(await store.recordPart(KEY, "b", 0, "m0")).toBe(true);
        expect(await store.completeDelivery(KEY, "b", "2026-11-24T08:01:03Z")).toBe(true);
        expect(await store.delivery(KEY)).toMatchObject({
          state: "delivered",
          remoteIds: ["m0"],
          partsSent: 1,
          deliveredAt: "2026-11-24T08:01:03Z",
        });
        expect(await store.delivery(KEY)).not.toHaveProperty("leaseOwner");
        expect(await store.lastDelivered(KEY.channel)).toEqual({
          editionKey: KEY.editionKey,
          dueAt: "2026-11-24T08:00:00.000Z",
          state: "delivered",
          deliveredAt: "2026-11-24T08:01:03Z",
        });
      });

      it("claims expired leases first, oldest lease first, then pending rows by due time and channel, up to the limit", async () => {
        const row = (channel: string, editionKey = "daily:2026-11-24") => ({ editionKey, channel });
        await store.planEdition(plan(row("slack:T:late"), "2026-11-24T07:00:00.000Z"));
        await store.planEdition(plan(row("slack:T:early"), "2026-11-24T06:00:00.000Z"));
        // The row due first gets the longer lease, so the expired phase's order (by lease) differs from due order.
        await claim("dead", "2026-11-24T07:00:00.000Z", { leaseMs: 120_000, limit: 1 });
        await claim("dead", "2026-11-24T07:00:00.000Z", { leaseMs: 60_000, limit: 1 });
        expect((await store.delivery(row("slack:T:early")))?.leaseUntil).toBe("2026-11-24T07:02:00.000Z");
        expect((await store.delivery(row("slack:T:late")))?.leaseUntil).toBe("2026-11-24T07:01:00.000Z");
        for (const channel of ["slack:T:b", "slack:T:a", "slack:T:c"])
          await store.planEdition(plan(row(channel), "2026-11-24T07:30:00.000Z"));
        await store.planEdition(plan(row("slack:T:z"), "2026-11-24T07:10:00.000Z"));
        await store.planEdition(plan(row("slack:T:future"), "2026-11-24T09:00:00.000Z"));

        const claimed = await claim("live", "2026-11-24T08:00:00.000Z", { limit: 5 });
        expect(claimed.map((r) => [r.channel, r.resumed])).toEqual([
          ["slack:T:late", true],
          ["slack:T:early", true],
          ["slack:T:z", false],
          ["slack:T:a", false],
          ["slack:T:b", false],
        ]);
        expect(claimed.every((r) => r.leaseOwner === "live" && r.leaseUntil === "2026-11-24T08:01:00.000Z")).toBe(true);
        expect((await claim("live", "2026-11-24T08:00:00.000Z")).map((r) => r.channel)).toEqual(["slack:T:c"]);
      });

      it("claims only rows for the platforms the caller can post to", async () => {
        await store.planEdition(plan());
        await store.planEdition({
          ...plan({ editionKey: KEY.editionKey, channel: "discord:g:1" }),
          platform: "discord",
        });
        expect(await claim("console", undefined, { platforms: ["console"] })).toEqual([]);
        expect(await claim("none", undefined, { platforms: [] })).toEqual([]);
        const discord = await claim("d", undefined, { platforms: ["discord"] });
        expect(discord.map((r) => r.channel)).toEqual(["discord:g:1"]);
        expect((await store.delivery(KEY))?.state).toBe("pending");
        expect((await claim("both", undefined, { platforms: ["slack", "discord"] })).map((r) => r.channel)).toEqual([
          KEY.channel,
        ]);
      });

      it("keeps the first payload, records parts once each, and announces the highest version", async () => {
        await store.planEdition(plan());
        await claim("a");
        expect(
          await store.savePayload(KEY, "a", {
            kind: "news",
            messages: ["one", "two"],
            announce: [{ key: "update:x", version: 3 }],
          }),
        ).toBe(true);
        expect(await store.savePayload(KEY, "a", { kind: "quiet", messages: ["other"], announce: [] })).toBe(true);
        expect((await store.delivery(KEY))?.payload).toEqual({
          kind: "news",
          messages: ["one", "two"],
          announce: [{ key: "update:x", version: 3 }],
        });
        expect(await store.recordPart(KEY, "a", 0, "r0")).toBe(true);
        expect(await store.recordPart(KEY, "a", 0, "r0-again")).toBe(true);
        expect(await store.recordPart(KEY, "a", 1, "r1")).toBe(true);
        expect(await store.delivery(KEY)).toMatchObject({ remoteIds: ["r0", "r1"], partsSent: 2 });
        await store.completeDelivery(KEY, "a", "2026-11-24T08:00:02Z");

        const next = { editionKey: "daily:2026-11-25", channel: KEY.channel };
        await store.planEdition(plan(next, "2026-11-25T08:00:00.000Z"));
        await claim("a", "2026-11-25T08:00:00.000Z");
        await store.savePayload(next, "a", {
          kind: "news",
          messages: ["x"],
          announce: [
            { key: "update:x", version: 2 },
            { key: "correction:y", version: 1 },
            { key: "correction:y", version: 4 },
          ],
        });
        await store.completeDelivery(next, "a", "2026-11-25T08:00:01Z");
        expect(await store.announced(KEY.channel)).toEqual(
          new Map([
            ["update:x", 3],
            ["correction:y", 4],
          ]),
        );
        expect(await store.lastEdition(KEY.channel)).toMatchObject({
          editionKey: "daily:2026-11-25",
          state: "delivered",
        });
      });

      it("notes the first attempt of the part being sent until it is recorded, or a retry proves nothing was posted", async () => {
        await store.planEdition(plan());
        const [row] = await claim("a");
        if (!row) throw new Error("nothing claimed");
        expect(row.partAttemptedAt).toBeUndefined();
        await store.savePayload(KEY, "a", { kind: "news", messages: [{ n: 0 }, { n: 1 }], announce: [] });
        expect(await store.markPartAttempt(KEY, "a", "2026-11-24T08:00:01.000Z")).toBe(true);
        // A second attempt of the same part keeps the first instant: the platform's window counts from it.
        await store.markPartAttempt(KEY, "a", "2026-11-24T08:00:05.000Z");
        expect((await store.delivery(KEY))?.partAttemptedAt).toBe("2026-11-24T08:00:01.000Z");
        expect(await store.markPartAttempt(KEY, "b", "2026-11-24T08:00:06.000Z")).toBe(false);
        // Recording the part clears it; the next part's attempt starts afresh.
        await store.recordPart(KEY, "a", 0, "m0");
        expect((await store.delivery(KEY))?.partAttemptedAt).toBeUndefined();
        await store.markPartAttempt(KEY, "a", "2026-11-24T08:00:07.000Z");
        // A retry after a failure that may have posted keeps the note, and the next claim sees it.
        await store.retryDelivery(KEY, "a", "2026-11-24T08:00:00.000Z", "timeout");
        const [again] = await claim("b", "2026-11-24T08:01:00.000Z");
        expect(again?.partAttemptedAt).toBe("2026-11-24T08:00:07.000Z");
        // After the caller made sure the earlier attempt posted nothing, restart replaces the instant.
        await store.markPartAttempt(KEY, "b", "2026-11-24T08:01:01.000Z", true);
        expect((await store.delivery(KEY))?.partAttemptedAt).toBe("2026-11-24T08:01:01.000Z");
        // A retry that provably posted nothing (a 429) clears it.
        await store.retryDelivery(KEY, "b", "2026-11-24T08:00:00.000Z", "rate limited", true);
        expect((await store.delivery(KEY))?.partAttemptedAt).toBeUndefined();
      });

      it("waits out a retry's backoff, pauses the subscription with a permanent error, and hands rows back at shutdown", async () => {
        await store.putSubscription(subscription(KEY.channel));
        await store.planEdition(plan());
        await claim("a");
        expect(await store.retryDelivery(KEY, "a", "2026-11-24T08:05:00.000Z", "Slack rate limit")).toBe(true);
        expect(await store.delivery(KEY)).toMatchObject({
          state: "pending",
          nextAttemptAt: "2026-11-24T08:05:00.000Z",
          error: "Slack rate limit",
        });
        expect(await claim("a", "2026-11-24T08:04:59.000Z")).toHaveLength(0);
        expect(await claim("a", "2026-11-24T08:05:00.000Z")).toHaveLength(1);
        expect(await store.finishDelivery(KEY, "a", "paused", "the channel is archived", "2026-11-24T08:05:01Z")).toBe(
          true,
        );
        expect((await store.getSubscription(KEY.channel))?.paused).toEqual({
          reason: "the channel is archived",
          at: "2026-11-24T08:05:01Z",
        });
        expect(await store.lastEdition(KEY.channel)).toMatchObject({
          state: "paused",
          error: "the channel is archived",
        });
        expect(await store.lastDelivered(KEY.channel)).toBeUndefined();

        const other = { editionKey: "daily:2026-11-24", channel: "slack:T:C2" };
        await store.planEdition(plan(other));
        await claim("b", "2026-11-24T08:06:00.000Z");
        expect(await store.releaseDeliveries("b", "unsent at shutdown")).toBe(1);
        expect(await store.delivery(other)).toMatchObject({
          state: "pending",
          error: "unsent at shutdown",
          attempts: 1,
        });
        expect(await store.delivery(other)).not.toHaveProperty("leaseOwner");
        const counts = await store.countDeliveries();
        expect(Object.keys(counts).sort()).toEqual([...DELIVERY_STATES].sort());
        expect(counts).toMatchObject({ paused: 1, pending: 1, delivered: 0, sending: 0, failed: 0 });
      });

      it("keeps a subscription's first pause when a later delivery ends paused", async () => {
        await store.putSubscription(subscription(KEY.channel));
        await store.pauseSubscription(KEY.channel, "is_archived", "2026-11-24T07:00:00Z");
        await store.planEdition(plan());
        await claim("a");
        expect(await store.finishDelivery(KEY, "a", "paused", "not_in_channel", "2026-11-24T08:00:01Z")).toBe(true);
        expect((await store.getSubscription(KEY.channel))?.paused).toEqual({
          reason: "is_archived",
          at: "2026-11-24T07:00:00Z",
        });
        expect(await store.delivery(KEY)).toMatchObject({ state: "paused", error: "not_in_channel" });
      });
    });

    describe("installations", () => {
      it("stores, replaces and deletes a sealed installation by key", async () => {
        const installation = {
          key: "slack:T123",
          sealed: "v1.sealed-one",
          installedAt: "2026-11-01T00:00:00Z",
          updatedAt: "2026-11-01T00:00:00Z",
        };
        expect(await store.getInstallation("slack:T123")).toBeUndefined();
        await store.putInstallation(installation);
        expect(await store.getInstallation("slack:T123")).toEqual(installation);
        const rotated = { ...installation, sealed: "v1.sealed-two", updatedAt: "2026-11-02T00:00:00Z" };
        await store.putInstallation(rotated);
        expect(await store.getInstallation("slack:T123")).toEqual(rotated);
        await store.putInstallation({ ...installation, key: "slack:E9" });
        expect(await store.deleteInstallation("slack:T123")).toBe(true);
        expect(await store.deleteInstallation("slack:T123")).toBe(false);
        expect(await store.getInstallation("slack:T123")).toBeUndefined();
        expect(await store.getInstallation("slack:E9")).toMatchObject({ sealed: "v1.sealed-one" });
      });
    });

    describe("workspace-wide pause and resume", () => {
      it("pauses only the prefix's unpaused channels, reading _ and % literally", async () => {
        for (const channel of [
          "slack:T_1:C1",
          "slack:T_1:C2",
          "slack:TX1:C3",
          "slack:T%:C4",
          "slack:T_10:C5",
          "discord:g:1",
        ]) {
          await store.putSubscription(subscription(channel));
        }
        await store.pauseSubscription("slack:T_1:C2", "is_archived", "2026-11-24T07:00:00Z");

        expect(await store.pauseChannels("slack:T_1:", "uninstalled", "2026-11-24T08:00:00Z")).toBe(1);
        expect(await store.pauseChannels("slack:T%", "uninstalled", "2026-11-24T08:00:00Z")).toBe(1);
        const paused = Object.fromEntries((await store.listSubscriptions()).map((s) => [s.channel, s.paused?.reason]));
        expect(paused).toEqual({
          "discord:g:1": undefined,
          "slack:T%:C4": "uninstalled",
          "slack:T_10:C5": undefined,
          "slack:T_1:C1": "uninstalled",
          "slack:T_1:C2": "is_archived",
          "slack:TX1:C3": undefined,
        });
      });

      it("resumes only the prefix's channels paused with exactly that reason", async () => {
        for (const channel of ["slack:T1:C1", "slack:T1:C2", "slack:T2:C3"])
          await store.putSubscription(subscription(channel));
        await store.pauseSubscription("slack:T1:C2", "is_archived", "2026-11-24T07:00:00Z");
        await store.pauseChannels("slack:T1:", "uninstalled", "2026-11-24T08:00:00Z");
        await store.pauseChannels("slack:T2:", "uninstalled", "2026-11-24T08:00:00Z");

        expect(await store.resumeChannels("slack:T1:", "uninstall")).toBe(0);
        expect(await store.resumeChannels("slack:T1:", "uninstalled")).toBe(1);
        expect(await store.resumeChannels("slack:T1:", "uninstalled")).toBe(0);
        const paused = Object.fromEntries((await store.listSubscriptions()).map((s) => [s.channel, s.paused?.reason]));
        expect(paused).toEqual({
          "slack:T1:C1": undefined,
          "slack:T1:C2": "is_archived",
          "slack:T2:C3": "uninstalled",
        });
        expect((await store.getSubscription("slack:T1:C1"))?.paused).toBeUndefined();
      });
    });

    describe("request budgets", () => {
      it("spaces grants intervalMs apart from now, each budget on its own", async () => {
        const INTERVAL = 1000;
        // Reserving takes a few ms, so each wait is its slot minus the time since the first reservation.
        const TOLERANCE = 300;
        const waits: number[] = [];
        for (let i = 0; i < 5; i += 1) waits.push(await store.reserveGrant("discord", INTERVAL));
        waits.forEach((wait, i) => {
          expect(wait).toBeGreaterThan(i * INTERVAL - TOLERANCE);
          expect(wait).toBeLessThanOrEqual(i * INTERVAL + 1);
        });
        const other = await store.reserveGrant("slack", INTERVAL);
        expect(other).toBeGreaterThanOrEqual(0);
        expect(other).toBeLessThan(TOLERANCE);
        expect(await store.reserveGrant("discord", INTERVAL)).toBeGreaterThan(5 * INTERVAL - TOLERANCE);
      });

      it("hands each grant out once across two stores on one database", async () => {
        const replica = await connect();
        const INTERVAL = 1000;
        const TOLERANCE = 300;
        const waits = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : replica).reserveGrant("discord", INTERVAL)),
        );
        // Slots are exactly one interval apart; each wait is its slot less the little time that passed before it was taken.
        const sorted = [...waits].sort((a, b) => a - b);
        sorted
          .slice(1)
          .forEach((wait, i) => expect(Math.abs(wait - (sorted[i] ?? 0) - INTERVAL)).toBeLessThan(TOLERANCE));
        // Twenty slots were taken, none twice: a lost update would leave the next grant an interval early.
        const next = await store.reserveGrant("discord", INTERVAL);
        expect(next).toBeGreaterThan(20 * INTERVAL - TOLERANCE);
        expect(next).toBeLessThanOrEqual(20 * INTERVAL + 1);
      });
    });

    describe("two replicas on one database", () => {
      it("never hand a row to both while its lease runs, whether the row is pending or its lease expired", async () => {
        const replica = await connect();
        const ROWS = 200;
        const ROUNDS = 4;
        const start = "2026-11-24T08:00:00.000Z";
        // Later than every first lease (60 s), earlier than every second one: only this round's rows are expired.
        const afterLease = "2026-11-24T08:01:01.000Z";
        const drain = async (replicaStore: Store, owner: string, now: string) => {
          const channels: string[] = [];
          for (;;) {
            const rows = await replicaStore.claimDeliveries({ now, owner, leaseMs: 60_000, limit: 7 });
            if (rows.length === 0) return channels;
            channels.push(...rows.map((r) => `${r.editionKey}/${r.channel}`));
          }
        };
        const race = async (now: string, expected: readonly string[]) => {
          const [a, b] = await Promise.all([drain(store, "a", now), drain(replica, "b", now)]);
          expect(a.filter((row) => b.includes(row))).toEqual([]);
          expect([...a, ...b].sort()).toEqual([...expected].sort());
          return [a.length, b.length];
        };
        const won: number[] = [];
        for (let round = 0; round < ROUNDS; round += 1) {
          const editionKey = `daily:2026-11-${24 + round}`;
          const channels = Array.from({ length: ROWS }, (_, i) => `slack:T:C${i}`);
          await Promise.all(channels.map((channel) => store.planEdition(plan({ editionKey, channel }, start))));
          const expected = channels.map((channel) => `${editionKey}/${channel}`);
          won.push(...(await race(start, expected)));
          won.push(...(await race(afterLease, expected)));
        }
        // They really raced: each replica won rows.
        expect(won.filter((_, i) => i % 2 === 0).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
        expect(won.filter((_, i) => i % 2 === 1).reduce((sum, n) => sum + n, 0)).toBeGreaterThan(0);
        const counts = await store.countDeliveries();
        expect(counts).toMatchObject({ sending: ROWS * ROUNDS, pending: 0 });
        expect((await store.listDeliveries()).every((r) => r.attempts === 2 && r.resumed)).toBe(true);
      });
    });

    describe("content releases", () => {
      it("has no current release until one is published; then each publish based on the current one is the next id", async () => {
        expect(await store.currentReleaseId()).toBeUndefined();
        expect(await store.currentRelease()).toBeUndefined();
        expect(await store.listReleases()).toEqual([]);
        expect(await store.releaseHead(1)).toBeUndefined();
        expect(await store.releaseCompiled(1)).toBeUndefined();
        expect(await store.releaseFiles(1)).toBeUndefined();

        expect(await store.publishRelease(newRelease("first"), undefined)).toEqual({ ok: true, id: 1 });
        expect(await store.currentReleaseId()).toBe(1);
        expect(await store.currentRelease()).toMatchObject({ id: 1, message: "first", author: "Dana" });
        const second = newRelease("second", { createdAt: "2026-11-24T09:00:00.000Z", author: "Sam" });
        expect(await store.publishRelease(second, 1)).toEqual({ ok: true, id: 2 });
        expect(await store.currentReleaseId()).toBe(2);
        expect(await store.currentRelease()).toEqual({
          id: 2,
          createdAt: "2026-11-24T09:00:00.000Z",
          author: "Sam",
          message: "second",
          fingerprint: second.fingerprint,
          schemaVersion: RELEASE_SCHEMA_VERSION,
          counts: second.counts,
        });
      });

      it("refuses a publish based on a release that is no longer current, naming the current one and storing nothing", async () => {
        expect(await store.publishRelease(newRelease("stale from nothing"), 3)).toEqual({
          ok: false,
          current: undefined,
        });
        expect(await store.listReleases()).toEqual([]);
        await store.publishRelease(newRelease("first"), undefined);
        await store.publishRelease(newRelease("second"), 1);
        const current = await store.currentRelease();
        for (const basedOn of [undefined, 1, 3]) {
          expect(await store.publishRelease(newRelease("stale"), basedOn)).toEqual({ ok: false, current });
        }
        expect((await store.listReleases()).map((r) => r.message)).toEqual(["second", "first"]);
        expect(await store.currentReleaseId()).toBe(2);
      });

      it("lets exactly one of two replicas publishing from the same release win", async () => {
        const replica = await connect();
        for (const basedOn of [undefined, 1, 2]) {
          const outcomes = await Promise.all([
            store.publishRelease(newRelease(`a after ${basedOn}`), basedOn),
            replica.publishRelease(newRelease(`b after ${basedOn}`), basedOn),
          ]);
          const won = outcomes.filter((o) => o.ok);
          expect(won).toEqual([{ ok: true, id: (basedOn ?? 0) + 1 }]);
          const lost = outcomes.find((o) => !o.ok);
          expect(lost).toEqual({ ok: false, current: await store.currentRelease() });
        }
        expect((await replica.listReleases()).map((r) => r.id)).toEqual([3, 2, 1]);
        expect(await replica.currentReleaseId()).toBe(3);
      });

      it("lists releases newest first with their counts, authors, messages and what a rollback restored", async () => {
        const counts = { files: 3, stories: 1, updates: 2, entities: 4, sources: 5 };
        await store.publishRelease(newRelease("first", { counts }), undefined);
        await store.publishRelease(newRelease("second", { author: "Sam" }), 1);
        await store.publishRelease(newRelease("Roll back to release 1", { rollbackOf: 1, counts }), 2);
        const listed = await store.listReleases();
        expect(listed.map((r) => [r.id, r.author, r.message, r.rollbackOf])).toEqual([
          [3, "Dana", "Roll back to release 1", 1],
          [2, "Sam", "second", undefined],
          [1, "Dana", "first", undefined],
        ]);
        expect(listed[0]?.counts).toEqual(counts);
        expect(listed[2]?.counts).toEqual(counts);
        expect(listed[1]).not.toHaveProperty("rollbackOf");
        expect(listed[1]).not.toHaveProperty("files");
        expect(listed[1]).not.toHaveProperty("compiled");
        expect(await store.releaseHead(3)).toEqual(listed[0]);
        expect(await store.releaseHead(4)).toBeUndefined();
      });

      it("keeps files and compiled documents byte for byte, non-ASCII and megabytes included", async () => {
        const files = packJson([
          { path: "people/boehler.yaml", text: "name: Bœhler — “quoted” 日本語 🙂\n" },
          { path: "stories/b.yaml", text: "title: 'tabs\tand\r\nnewlines'\n" },
        ]);
        // Random bytes do not compress: 5 MiB of them stay 5 MiB, and every byte value occurs.
        const compiled = randomBytes(5 * 1024 * 1024);
        const release = newRelease("large", { files, compiled, compiledHash: hashBytes(compiled) });
        expect(await store.publishRelease(release, undefined)).toEqual({ ok: true, id: 1 });
        const stored = await store.releaseCompiled(1);
        expect(stored?.compiled.equals(compiled)).toBe(true);
        expect(stored).toMatchObject({
          id: 1,
          schemaVersion: RELEASE_SCHEMA_VERSION,
          compiledHash: hashBytes(compiled),
        });
        expect(await store.releaseFiles(1)).toEqual(files);
        expect(unpackJson(files)).toEqual([
          { path: "people/boehler.yaml", text: "name: Bœhler — “quoted” 日本語 🙂\n" },
          { path: "stories/b.yaml", text: "title: 'tabs\tand\r\nnewlines'\n" },
        ]);
        expect(await store.releaseFiles(2)).toBeUndefined();
      });

      it("records what each edition was composed from, read back by lastEdition and lastDelivered", async () => {
        await store.planEdition(plan());
        await claim("a");
        await store.savePayload(KEY, "a", {
          kind: "news",
          messages: ["m"],
          announce: [],
          composedFrom: "release 12",
        });
        // The first payload stays, and with it what it was composed from.
        await store.savePayload(KEY, "a", { kind: "news", messages: ["n"], announce: [], composedFrom: "release 13" });
        expect(await store.lastEdition(KEY.channel)).toMatchObject({ state: "sending", composedFrom: "release 12" });
        await store.completeDelivery(KEY, "a", "2026-11-24T08:00:01Z");
        expect(await store.lastDelivered(KEY.channel)).toEqual({
          editionKey: KEY.editionKey,
          dueAt: "2026-11-24T08:00:00.000Z",
          state: "delivered",
          deliveredAt: "2026-11-24T08:00:01Z",
          composedFrom: "release 12",
        });

        const next = { editionKey: "daily:2026-11-25", channel: KEY.channel };
        await store.planEdition(plan(next, "2026-11-25T08:00:00.000Z"));
        await claim("a", "2026-11-25T08:00:00.000Z");
        await store.savePayload(next, "a", { kind: "quiet", messages: [], announce: [] });
        expect(await store.lastEdition(KEY.channel)).not.toHaveProperty("composedFrom");
      });
    });

    describe("reachability", () => {
      it("answers ping until closed", async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await expect(store.ping()).rejects.toThrow(/closed/);
        await store.close();
      });
    });
  });
}
