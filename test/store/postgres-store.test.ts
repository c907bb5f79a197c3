// The Postgres store: the shared Store contract on a fresh schema per test, replicas starting together, and openStore.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { openStore } from "../../src/store/open-store.js";
import { openPostgresStore, withoutUrlSecrets } from "../../src/store/postgres-store.js";
import type { NewRelease, Store } from "../../src/store/store.js";
import {
  databaseUrlWithSchema,
  dropSchema,
  postgresSuite,
  requireTestDatabaseUrl,
  testSchema,
  type TestSchema,
  uniqueSchemaName,
  withClient,
} from "../postgres.js";
import { storeContract } from "./store-contract.js";

const appliedVersions = (schema: string) =>
  withClient(requireTestDatabaseUrl(), async (client) => {
    const result = await client.query<{ version: number }>(
      `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
    );
    return result.rows.map((r) => r.version);
  });

postgresSuite("on Postgres", () => {
  storeContract("Postgres", () => {
    const url = requireTestDatabaseUrl();
    const schema = uniqueSchemaName("contract");
    return Promise.resolve({
      connect: () => openPostgresStore(url, { schema, poolSize: 4 }),
      drop: () => dropSchema(url, schema),
    });
  });

  describe("content releases across replicas", () => {
    const release = (message: string): NewRelease => ({
      fingerprint: "f1",
      schemaVersion: 1,
      counts: { files: 0, stories: 0, updates: 0, entities: 0, sources: 0 },
      files: Buffer.from("[]"),
      compiled: Buffer.from("{}"),
      compiledHash: "h",
      createdAt: "2026-11-24T08:00:00.000Z",
      author: "Dana",
      message,
    });
    /** A URL whose connections carry the schema's name, so a test can find (and cut) exactly its own sessions. */
    const namedUrl = (schema: TestSchema) => {
      const url = new URL(schema.url);
      url.searchParams.set("application_name", schema.name);
      return url.toString().replace(/\+/g, "%20");
    };
    const listeners = (schema: TestSchema, terminate = false) =>
      withClient(requireTestDatabaseUrl(), async (client) => {
        const result = await client.query<{ n: string }>(
          `SELECT count(${terminate ? "pg_terminate_backend(pid)" : "*"})::text AS n FROM pg_stat_activity
           WHERE application_name = $1 AND query LIKE 'LISTEN %'`,
          [schema.name],
        );
        return Number(result.rows[0]?.n ?? 0);
      });

    it("tells a watching replica when another publishes, until the watch is stopped", async () => {
      const schema = await testSchema("watch");
      const watcher = await openPostgresStore(namedUrl(schema), { poolSize: 2 });
      const publisher = await openPostgresStore(schema.url, { poolSize: 2 });
      try {
        let told = 0;
        const failures: Error[] = [];
        const stop = await watcher.watchReleases(
          () => (told += 1),
          (error) => failures.push(error),
        );
        expect(await listeners(schema)).toBe(1);
        expect(await publisher.publishRelease(release("first"), undefined)).toEqual({ ok: true, id: 1 });
        await expect.poll(() => told, { timeout: 2000 }).toBe(1);
        // A refused publish commits nothing, so it notifies nobody.
        await publisher.publishRelease(release("stale"), undefined);
        await publisher.publishRelease(release("second"), 1);
        await expect.poll(() => told, { timeout: 2000 }).toBe(2);

        await stop();
        await stop();
        await publisher.publishRelease(release("third"), 2);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(told).toBe(2);
        expect(failures).toEqual([]);
        expect(await listeners(schema)).toBe(0);
      } finally {
        await Promise.all([watcher.close(), publisher.close()]);
        await schema.drop();
      }
    });

    it("reports a lost listening connection once, without the URL, and close() ends any watch still running", async () => {
      const schema = await testSchema("watch_lost");
      const store = await openPostgresStore(namedUrl(schema), { poolSize: 2 });
      try {
        const failures: Error[] = [];
        let told = 0;
        await store.watchReleases(
          () => (told += 1),
          (error) => failures.push(error),
        );
        expect(await listeners(schema, true)).toBe(1);
        await expect.poll(() => failures.length, { timeout: 2000 }).toBe(1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(failures).toHaveLength(1);
        expect(failures[0]?.message).not.toContain(schema.url);
        expect(told).toBe(0);

        // Watching again after a failure works, and closing the store ends it.
        await store.watchReleases(
          () => (told += 1),
          (error) => failures.push(error),
        );
        expect(await listeners(schema)).toBe(1);
        await store.close();
        await expect.poll(() => listeners(schema), { timeout: 2000 }).toBe(0);
        expect(failures).toHaveLength(1);
        await expect(
          store.watchReleases(
            () => undefined,
            () => undefined,
          ),
        ).rejects.toThrow(/closed/);
      } finally {
        await store.close();
        await schema.drop();
      }
    });

    it("publishes exactly one first release when two replicas race on an empty database, neither throwing", async () => {
      for (let round = 0; round < 3; round += 1) {
        const schema = await testSchema("first_release");
        const stores = await Promise.all([1, 2].map(() => openPostgresStore(schema.url, { poolSize: 2 })));
        try {
          // Holding the releases table in SHARE mode lets both publishers find no version row to lock, then stops
          // both at their INSERT: released together, they collide on release 1's primary key.
          const outcomes = await withClient(schema.url, async (locker) => {
            await locker.query("BEGIN");
            await locker.query("LOCK TABLE content_releases IN SHARE MODE");
            const racing = Promise.all(
              stores.map((store, i) => store.publishRelease(release(`from replica ${i}`), undefined)),
            );
            const waiting = async () => {
              const result = await locker.query<{ n: string }>(
                "SELECT count(*)::text AS n FROM pg_locks WHERE relation = 'content_releases'::regclass AND NOT granted",
              );
              return Number(result.rows[0]?.n ?? 0);
            };
            await expect.poll(waiting, { timeout: 5000 }).toBe(2);
            await locker.query("COMMIT");
            return racing;
          });
          expect(outcomes.filter((o) => o.ok)).toEqual([{ ok: true, id: 1 }]);
          const current = await stores[0]?.currentRelease();
          expect(current).toMatchObject({ id: 1 });
          expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, current }]);
          expect(await stores[1]?.listReleases()).toHaveLength(1);
          expect(await stores[1]?.currentReleaseId()).toBe(1);
        } finally {
          await Promise.all(stores.map((s) => s.close()));
          await schema.drop();
        }
      }
    });
  });

  describe("a database several replicas share", () => {
    it("is created and migrated exactly once when three replicas start on a brand-new schema at the same moment", async () => {
      const url = requireTestDatabaseUrl();
      for (let round = 0; round < 3; round += 1) {
        const schema = uniqueSchemaName("first_start");
        const stores: Store[] = [];
        try {
          const opening = await Promise.allSettled(
            [1, 2, 3].map(() => openPostgresStore(url, { schema, poolSize: 2 })),
          );
          for (const result of opening) if (result.status === "fulfilled") stores.push(result.value);
          expect(opening.map((r) => (r.status === "rejected" ? String(r.reason) : "opened"))).toEqual([
            "opened",
            "opened",
            "opened",
          ]);
          expect(await appliedVersions(schema)).toEqual(MIGRATIONS.map((m) => m.version));
          const [first, second] = stores;
          await first?.putSubscription({
            channel: "slack:T:C1",
            platform: "slack",
            time: "08:00",
            timeZone: "UTC",
            stories: [],
            createdAt: "2026-11-01T00:00:00Z",
            createdBy: "Dana",
          });
          expect((await second?.getSubscription("slack:T:C1"))?.createdBy).toBe("Dana");
        } finally {
          await Promise.all(stores.map((s) => s.close()));
          await dropSchema(url, schema);
        }
      }
    });

    it("survives the server dropping its pooled connections (a restart, a failover): told once each, the next query reconnects", async () => {
      const schema = await testSchema("dropped");
      const dropped: Error[] = [];
      // A name of its own, so only this store's connections are cut: other test files share the database.
      const url = new URL(schema.url);
      url.searchParams.set("application_name", schema.name);
      const store = await openPostgresStore(url.toString().replace(/\+/g, "%20"), {
        poolSize: 2,
        onIdleError: (error) => dropped.push(error),
      });
      try {
        await store.ping();
        const application = await withClient(requireTestDatabaseUrl(), async (client) => {
          const result = await client.query<{ n: string }>(
            "SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity WHERE application_name = $1",
            [schema.name],
          );
          return Number(result.rows[0]?.n ?? 0);
        });
        expect(application).toBeGreaterThan(0);
        await expect.poll(() => dropped.length).toBeGreaterThan(0);
        await store.ping();
        expect(dropped.every((e) => e.message.includes(schema.url) === false)).toBe(true);
      } finally {
        await store.close();
        await schema.drop();
      }
    });

    it("brings a schema from an older version up to date, keeping its rows", async () => {
      const schema = await testSchema("old");
      try {
        await withClient(schema.url, async (client) => {
          await client.query(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
          );
          for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) {
            for (const statement of migration.statements) await client.query(statement);
            await client.query("INSERT INTO schema_migrations VALUES ($1, $2, $3)", [
              migration.version,
              migration.name,
              "2026-01-01T00:00:00Z",
            ]);
          }
          await client.query(
            "INSERT INTO subscriptions VALUES ('slack:T:C1', 'slack', '08:00', 'UTC', '[]', '2026-01-01T00:00:00Z', 'Dana', NULL, NULL)",
          );
        });
        const store = await openPostgresStore(schema.url);
        try {
          expect(await appliedVersions(schema.name)).toEqual(MIGRATIONS.map((m) => m.version));
          expect((await store.getSubscription("slack:T:C1"))?.createdBy).toBe("Dana");
          expect(await store.reserveGrant("discord", 100)).toBe(0);
        } finally {
          await store.close();
        }
      } finally {
        await schema.drop();
      }
    });

    it("puts every connection of a DATABASE_URL carrying options=-c search_path=… in that schema", async () => {
      const schema = await testSchema("url");
      try {
        expect(schema.url).toContain("options=");
        expect(
          await withClient(
            schema.url,
            async (client) => (await client.query<{ search_path: string }>("SHOW search_path")).rows[0]?.search_path,
          ),
        ).toBe(schema.name);
        for (const url of [schema.url, schema.url.replace(/^postgres:/, "postgresql:")]) {
          const store = await openStore({ databaseUrl: url, databasePath: "/nonexistent/unused.sqlite" });
          try {
            expect(store.kind).toBe("postgres");
            await store.putInstallation({
              key: "slack:T1",
              sealed: "s",
              installedAt: "2026-11-01T00:00:00Z",
              updatedAt: "2026-11-01T00:00:00Z",
            });
          } finally {
            await store.close();
          }
        }
        const tables = await withClient(requireTestDatabaseUrl(), async (client) => {
          const result = await client.query<{ n: string }>(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1",
            [schema.name],
          );
          return Number(result.rows[0]?.n);
        });
        expect(tables).toBe(8);
        expect(databaseUrlWithSchema("postgres://u:p%40ss@db:5432/news?sslmode=require", "s1")).toBe(
          "postgres://u:p%40ss@db:5432/news?sslmode=require&options=-c%20search_path%3Ds1",
        );
      } finally {
        await schema.drop();
      }
    });
  });
});

describe("choosing and opening a store", () => {
  it("opens SQLite at DATABASE_PATH when there is no DATABASE_URL", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "newsbot-open-store-"));
    try {
      const store = await openStore({ databasePath: path.join(folder, "ledger.sqlite") });
      expect(store.kind).toBe("sqlite");
      await store.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("refuses a DATABASE_URL that is not postgres:// without repeating it", async () => {
    for (const databaseUrl of ["mysql://newsbot:hunter2-secret@db/news", "hunter2-secret", ""]) {
      const opening = openStore({ databaseUrl, databasePath: "/nonexistent/unused.sqlite" });
      await expect(opening).rejects.toThrow(/DATABASE_URL must be a postgres:\/\//);
      const message = await opening.catch((error: unknown) => String(error));
      expect(message).not.toContain("hunter2-secret");
      expect(message).not.toContain("mysql:");
    }
  });

  it("keeps the URL and its password out of the error when Postgres cannot be reached or the URL is malformed", async () => {
    for (const url of [
      "postgres://newsbot:hunter2-secret@127.0.0.1:1/news",
      "postgres://newsbot:hunter2-secret@[::1/news",
    ]) {
      const error: unknown = await openPostgresStore(url).then(
        async (store) => {
          await store.close();
          return undefined;
        },
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(Error);
      const everything = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ""}`;
      expect(everything).not.toContain("hunter2-secret");
      expect(everything).not.toContain(url);
    }
  });
});

describe("withoutUrlSecrets", () => {
  it("removes the URL and its password as written and decoded, even when the password cannot be decoded", () => {
    const url = "postgres://newsbot:p%40ss%2Fw0rd@db.internal:5432/newsbot";
    const message = `cannot connect to ${url} as newsbot with p%40ss%2Fw0rd (p@ss/w0rd)`;
    expect(withoutUrlSecrets(message, url)).toBe("cannot connect to *** as newsbot with *** (***)");
    // A lone "%" makes decodeURIComponent throw: the password as written must still go.
    const broken = "postgres://newsbot:50%off@db.internal/newsbot";
    expect(withoutUrlSecrets("auth failed for password 50%off", broken)).toBe("auth failed for password ***");
  });
});
