// npm run digest -- --dry-run reads the database the bot reads: Postgres when DATABASE_URL is set, never printing the URL.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import { projectRoot } from "../helpers.js";
import { postgresSuite, testSchema, withClient, type TestSchema } from "../postgres.js";

const CLI = path.join(projectRoot, "dist/cli/digest.js");
const CHANNEL = "discord:111222333444555666:777888999000111222";

/** A SQLite path that does not exist: the old CLI read it whatever DATABASE_URL said, and must find nothing there. */
function absentSqlitePath(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "newsbot-dry-run-")), "never-created.sqlite");
}

function dryRun(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CLI, "--dry-run"], {
    cwd: projectRoot,
    // Only what the CLI needs: a DATABASE_URL or DATABASE_PATH from the developer's shell must not leak in.
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    all: `${result.stdout}\n${result.stderr}`,
  };
}

postgresSuite("npm run digest -- --dry-run with DATABASE_URL", () => {
  let seeded: TestSchema;
  let empty: TestSchema;
  let behind: TestSchema;

  beforeAll(async () => {
    [seeded, empty, behind] = await Promise.all([
      testSchema("dry_run_seeded"),
      testSchema("dry_run_empty"),
      testSchema("dry_run_behind"),
    ]);
    const store = await openPostgresStore(seeded.url);
    await store.putSubscription({
      channel: CHANNEL,
      platform: "discord",
      time: "07:30",
      timeZone: "Europe/London",
      stories: [],
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      createdBy: "Dana",
    });
    await store.close();
    // A database migrated by an older bot: its first migration only.
    await withClient(behind.url, async (client) => {
      await client.query(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
      );
      await client.query("INSERT INTO schema_migrations VALUES (1, 'first', '2026-01-01T00:00:00.000Z')");
    });
  });

  afterAll(async () => {
    await Promise.all([seeded?.drop(), empty?.drop(), behind?.drop()]);
  });

  it("lists the subscription kept in Postgres with the digest it would receive, and records nothing", async () => {
    const sqlite = absentSqlitePath();
    const result = dryRun({ DATABASE_URL: seeded.url, DATABASE_PATH: sqlite });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`=== ${CHANNEL} (07:30 Europe/London; next digest `);
    // Subscribed yesterday and never delivered to: the first digest is the story so far.
    expect(result.stdout).toMatch(/catch-up digest, \d+ item\(s\):/);
    expect(result.stdout).toContain("Your first digest: the story so far.");
    expect(result.all).not.toContain("postgres://");
    expect(existsSync(sqlite)).toBe(false);
    const store = await openPostgresStore(seeded.url);
    try {
      expect(await store.listDeliveries()).toEqual([]);
      expect((await store.announced(CHANNEL)).size).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("says nothing is subscribed on a database the bot never set up, without creating its tables", async () => {
    const result = dryRun({ DATABASE_URL: empty.url, DATABASE_PATH: absentSqlitePath() });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "No channel subscribes to a digest yet: the Postgres database in DATABASE_URL has no bot tables yet",
    );
    const tables = await withClient(empty.url, (client) =>
      client.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1",
        [empty.name],
      ),
    );
    expect(tables.rows).toEqual([]);
  });

  it("refuses to migrate a database an older bot set up, and leaves it as it was", async () => {
    const result = dryRun({ DATABASE_URL: behind.url, DATABASE_PATH: absentSqlitePath() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("The Postgres database in DATABASE_URL lacks");
    expect(result.stderr).toContain("a dry run changes nothing");
    const versions = await withClient(behind.url, (client) =>
      client.query<{ version: number }>("SELECT version FROM schema_migrations"),
    );
    expect(versions.rows.map((r) => r.version)).toEqual([1]);
  });
});

// No Postgres needed: nothing listens on port 1, and a bad scheme is refused before any connection.
describe("npm run digest -- --dry-run with an unusable DATABASE_URL", () => {
  it("stops with a clear error that holds neither the URL nor its password", () => {
    const result = dryRun({
      DATABASE_URL: "postgres://user:s3cret@127.0.0.1:1/test",
      DATABASE_PATH: absentSqlitePath(),
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("The Postgres database in DATABASE_URL could not be opened");
    expect(result.stderr).toContain("Check that it is running and that the URL is right.");
    expect(result.all).not.toContain("s3cret");
    expect(result.all).not.toContain("postgres://");
    expect(result.all).not.toContain("user:");
  });

  it("refuses a URL that is not Postgres, again without repeating it", () => {
    const result = dryRun({ DATABASE_URL: "mysql://user:s3cret@127.0.0.1:1/test", DATABASE_PATH: absentSqlitePath() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(result.all).not.toContain("s3cret");
    expect(result.all).not.toContain("mysql://");
  });
});
