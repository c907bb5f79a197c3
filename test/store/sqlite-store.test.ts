// The SQLite store: the shared Store contract, plus what only a file has (folders, old files, processes sharing one file).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import { projectRoot } from "../helpers.js";
import { storeContract } from "./store-contract.js";

const newFolder = () => mkdtempSync(path.join(tmpdir(), "newsbot-store-"));

storeContract("SQLite", () => {
  const folder = newFolder();
  const file = path.join(folder, "ledger.sqlite");
  return Promise.resolve({
    connect: () => openSqliteStore(file),
    drop: () => Promise.resolve(rmSync(folder, { recursive: true, force: true })),
  });
});

describe("the SQLite database file", () => {
  let folder: string;
  let file: string;
  let store: SqliteStore | undefined;

  beforeEach(() => {
    folder = newFolder();
    file = path.join(folder, "nested", "ledger.sqlite");
  });

  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  const appliedVersions = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare<[], { version: number }>("SELECT version FROM schema_migrations ORDER BY version")
        .all()
        .map((r) => r.version);
    } finally {
      db.close();
    }
  };

  it("is created in a missing folder and migrated once, however often it is opened", async () => {
    store = await openSqliteStore(file);
    await store.close();
    store = await openSqliteStore(file);
    expect(appliedVersions()).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("brings a file from an older version up to date, keeping its rows", async () => {
    file = path.join(folder, "old.sqlite");
    // A file as version 2 left it: the tables and the bookkeeping, with one subscription in it.
    const old = new Database(file);
    old.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    for (const migration of MIGRATIONS.filter((m) => m.version <= 2)) {
      for (const statement of migration.statements) old.exec(statement);
      old
        .prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)")
        .run(migration.version, migration.name, "2026-01-01T00:00:00Z");
    }
    old
      .prepare(
        "INSERT INTO subscriptions VALUES ('slack:T:C1', 'slack', '08:00', 'UTC', '[]', '2026-01-01T00:00:00Z', 'Dana', NULL, NULL)",
      )
      .run();
    // Two ledger rows: one caught mid-send by the upgrade (its next part may have gone out), one delivered.
    const row = old.prepare(
      `INSERT INTO deliveries (edition_key, channel, platform, due_at, state, attempts, next_attempt_at, payload, parts_sent,
         remote_ids, resumed, updated_at) VALUES (?, ?, 'slack', '2026-01-01T08:00:00Z', ?, 1, '2026-01-01T08:00:00Z', ?, 0, '[]', 0, ?)`,
    );
    const payload = JSON.stringify({ kind: "news", messages: [{}], announce: [] });
    row.run("daily:2026-01-01", "slack:T:C1", "sending", payload, "2026-01-01T08:00:05Z");
    row.run("daily:2026-01-01", "slack:T:C2", "delivered", payload, "2026-01-01T08:00:06Z");
    old.close();

    store = await openSqliteStore(file);
    expect(appliedVersions()).toEqual(MIGRATIONS.map((m) => m.version));
    expect((await store.getSubscription("slack:T:C1"))?.createdBy).toBe("Dana");
    const rows = await store.listDeliveries();
    expect(rows.map((r) => [r.channel, r.partAttemptedAt])).toEqual([
      ["slack:T:C1", "2026-01-01T08:00:05Z"],
      ["slack:T:C2", undefined],
    ]);
    await store.putInstallation({
      key: "slack:T",
      sealed: "s",
      installedAt: "2026-11-01T00:00:00Z",
      updatedAt: "2026-11-01T00:00:00Z",
    });
    expect(await store.reserveGrant("discord", 100)).toBe(0);
  });

  it("never hands one row to two processes claiming at the same time", async () => {
    store = await openSqliteStore(file);
    const ROWS = 3000;
    for (let i = 0; i < ROWS; i += 1) {
      await store.planEdition({
        editionKey: "daily:2026-11-24",
        channel: `slack:T:C${i}`,
        platform: "slack",
        dueAt: "2026-11-24T08:00:00.000Z",
        state: "pending",
      });
    }
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
        const child = spawn(process.execPath, ["--input-type=module", "-e", script, file, owner, String(startAt)], {
          stdio: ["ignore", "pipe", "pipe"],
        });
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
