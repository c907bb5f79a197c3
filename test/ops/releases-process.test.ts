// Content releases across processes: compiled bots follow a publish and a rollback within seconds, refuse an unknown schema, outlive a killed publisher.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { afterEach, describe, expect, it } from "vitest";
import type { CliOutput } from "../../src/cli/bootstrap.js";
import { contentPublish } from "../../src/cli/content-publish.js";
import { contentRollback } from "../../src/cli/content-rollback.js";
import { loadContentDir } from "../../src/core/content/load.js";
import { prepareRelease, type PreparedRelease } from "../../src/core/content/release.js";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { consoleAsker, LogReader, spawnBot } from "../bot-process.js";
import {
  apply,
  BOEHLER,
  contentFolder,
  realContentFiles,
  replaceIn,
  setVersion,
  writeFiles,
} from "../content-edits.js";
import { projectRoot } from "../helpers.js";
import { postgresSuite, testSchema, type TestSchema } from "../postgres.js";

/** The real description of Adam Boehler, which release 1 holds (his claims say the rest of it again). */
const OLD_TEXT = "The US official who, according to sources cited by Reuters and Axios, held several meetings";
const NEW_TEXT = "The US envoy for hostage affairs, as described in a later release.";
const THIRD_TEXT = "The US envoy for hostage affairs, as described in release 3.";
/** What every bot on a store must meet after a publish or a rollback returns. */
const SWITCH_MS = 5000;
const DESCRIPTION = /^description: .*$/m;

interface Bot {
  child: ChildProcess;
  log: LogReader;
  /** Asks a question on stdin and resolves with the answer printed after it. */
  ask(line: string): Promise<string>;
}

const children: ChildProcess[] = [];
const folders: string[] = [];
const schemas: TestSchema[] = [];
const cleanups: (() => Promise<void>)[] = [];

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited(child);
  }
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
  for (const schema of schemas.splice(0)) await schema.drop();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** A copy of the real content, removed after the test. */
function realContent(): string {
  const dir = contentFolder();
  folders.push(dir);
  return dir;
}

/** A folder holding `files`, removed after the test. */
function contentFolderOf(files: Parameters<typeof contentFolder>[0]): string {
  const dir = contentFolder(files);
  folders.push(dir);
  return dir;
}

async function schemaForTest(label: string): Promise<TestSchema> {
  const schema = await testSchema(label);
  schemas.push(schema);
  return schema;
}

/** The real content files with Adam Boehler's description replaced and his version set, as an editor would. */
const describedBoehler = (text: string, version: number) =>
  apply(realContentFiles(), replaceIn(BOEHLER, DESCRIPTION, `description: "${text}"`), setVersion(BOEHLER, version));

/** A CLI's output kept in memory, to assert on and to show when an exit code is not the expected one. */
function memoryOutput(): CliOutput & { text(): string } {
  const lines: string[] = [];
  return {
    info: (line) => lines.push(line),
    error: (line) => lines.push(line),
    text: () => lines.join("\n"),
  };
}

/** content:publish in this process; the CLI's whole output is the failure message when it does not exit with 0. */
async function publish(env: Record<string, string>): Promise<string> {
  const out = memoryOutput();
  const code = await contentPublish(["--author", "Test"], env, out);
  expect(code, out.text()).toBe(0);
  return out.text();
}

function startBot(env: Record<string, string>): Bot {
  // stdin stays open, as in a terminal, so the console keeps running while releases change under it.
  const child = spawnBot(env, "pipe");
  children.push(child);
  const log = new LogReader(child);
  const ask = consoleAsker(child);
  return { child, log, ask };
}

/** Resolves with the log entry in which the bot started serving release `id`. */
async function serving(bot: Bot, id: number): Promise<Record<string, unknown>> {
  const entry = await bot.log.waitFor((e) => e["msg"] === `serving content release ${id}`);
  expect(entry["release"]).toBe(id);
  return entry;
}

/** Milliseconds from `since` until every bot has logged serving release `id`: an upper bound of the slowest switch. */
async function allServing(bots: readonly Bot[], id: number, since: number): Promise<number> {
  await Promise.all(bots.map((bot) => serving(bot, id)));
  return performance.now() - since;
}

/** A pg session, ended after the test. */
async function connected(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

/** Polls `probe` every 50 ms until it yields a value, for up to 20 s. */
async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs a compiled CLI with only PATH, HOME and `env`, as spawnBot runs the bot, so nothing leaks in from the shell. */
function spawnCli(script: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(projectRoot, "dist/cli", script), ...args], {
    cwd: projectRoot,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function outputOf(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return { stdout: () => stdout, stderr: () => stderr };
}

function runCli(script: string, args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawnCli(script, args, env);
  const output = outputOf(child);
  return new Promise((resolve) =>
    child.once("close", (code) => resolve({ code, stdout: output.stdout(), stderr: output.stderr() })),
  );
}

/**
 * Two bots on one store: release 1 served by both, release 2 published and release 1 rolled back to as release 3,
 * each switch seen by both bots within SWITCH_MS of the command returning, and their answers following it.
 */
async function followPublishAndRollback(store: Record<string, string>): Promise<void> {
  const dir = realContent();
  const env = { CONTENT_DIR: dir, ...store };
  await publish(env);
  const bots = [startBot(env), startBot(env)];
  const first = await Promise.all(bots.map((bot) => serving(bot, 1)));
  for (const bot of bots) expect(await bot.ask("/who boehler")).toContain(OLD_TEXT);

  writeFiles(dir, describedBoehler(NEW_TEXT, 2));
  expect(await publish(env)).toContain("Published release 2");
  const publishedAfter = await allServing(bots, 2, performance.now());
  expect(publishedAfter).toBeLessThan(SWITCH_MS);
  for (const bot of bots) {
    const answer = await bot.ask("/who boehler");
    expect(answer).toContain(NEW_TEXT);
    expect(answer).not.toContain(OLD_TEXT);
  }

  const out = memoryOutput();
  expect(await contentRollback(["1", "--author", "Test"], env, out), out.text()).toBe(0);
  const rolledBackAfter = await allServing(bots, 3, performance.now());
  expect(rolledBackAfter).toBeLessThan(SWITCH_MS);
  for (const [i, bot] of bots.entries()) {
    // Release 3 is release 1's content again, fingerprint and all.
    expect((await serving(bot, 3))["fingerprint"]).toBe(first[i]?.["fingerprint"]);
    const answer = await bot.ask("/who boehler");
    expect(answer).toContain(OLD_TEXT);
    expect(answer).not.toContain(NEW_TEXT);
  }
}

postgresSuite("content releases on Postgres", () => {
  it("two bots serve a publish and a rollback within 5 s of the command returning", { timeout: 90_000 }, async () => {
    const schema = await schemaForTest("releases_follow");
    await followPublishAndRollback({ DATABASE_URL: schema.url });
  });

  it(
    "a publisher SIGKILLed after storing its release row, before making it current, leaves the previous release current",
    { timeout: 60_000 },
    async () => {
      const schema = await schemaForTest("releases_killed");
      const dir = realContent();
      const env = { CONTENT_DIR: dir, DATABASE_URL: schema.url };
      await publish(env);
      writeFiles(dir, describedBoehler(NEW_TEXT, 2));

      // A SHARE table lock lets the publisher take its row lock and insert the release, and stops it at the upsert
      // that makes the release current: the one moment a kill could leave a release stored but not current.
      const locker = await connected(schema.url);
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE content_state IN SHARE MODE");
      const lockerPid = (await locker.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]?.pid;
      // Watched from a session of its own: inside a transaction, pg_stat_activity keeps showing its first snapshot.
      const watcher = await connected(schema.url);

      const child = spawnCli("content-publish.js", ["--author", "Test"], env);
      const output = outputOf(child);
      const blocked = await until("the publisher to wait on the lock", async () => {
        if (child.exitCode !== null)
          throw new Error(`the publisher exited first:\n${output.stdout()}\n${output.stderr()}`);
        const waiting = await watcher.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO content_state%' AND $1 = ANY (pg_blocking_pids(pid))`,
          [lockerPid],
        );
        return waiting.rows[0]?.pid;
      });
      // Its release row is written (inside its open transaction): the insert's lock on content_releases is held.
      const inserted = await watcher.query(
        `SELECT 1 FROM pg_locks WHERE pid = $1 AND granted AND mode = 'RowExclusiveLock'
            AND relation = 'content_releases'::regclass`,
        [blocked],
      );
      expect(inserted.rowCount).toBe(1);

      child.kill("SIGKILL");
      await exited(child);
      await locker.query("ROLLBACK");
      // The killed publisher's session ends once the server finds its client gone; only then is the outcome final.
      await until("the killed publisher's session to end", async () => {
        const session = await watcher.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [blocked]);
        return session.rowCount === 0 ? true : undefined;
      });

      const store = await openPostgresStore(schema.url);
      try {
        expect(await store.currentReleaseId()).toBe(1);
        expect((await store.listReleases()).map((r) => r.id)).toEqual([1]);
      } finally {
        await store.close();
      }

      expect(await publish(env)).toContain("Published release 2");
      const after = await openPostgresStore(schema.url);
      try {
        expect(await after.currentReleaseId()).toBe(2);
      } finally {
        await after.close();
      }
    },
  );
});

describe("content releases on one SQLite file", () => {
  it("two bots serve a publish and a rollback within 5 s of the command returning", { timeout: 90_000 }, async () => {
    await followPublishAndRollback({ DATABASE_PATH: path.join(tempFolder("newsbot-releases-"), "shared.sqlite") });
  });

  it(
    "a bot refuses a release of an unknown schema, keeps serving the one before, and serves the next good one",
    { timeout: 60_000 },
    async () => {
      const database = path.join(tempFolder("newsbot-releases-"), "shared.sqlite");
      const env = { CONTENT_DIR: realContent(), DATABASE_PATH: database };
      await publish(env);
      const bot = startBot({ ...env, OPS_PORT: "0", OPS_HOST: "127.0.0.1" });
      const listening = await bot.log.waitFor((e) => e["msg"] === "ops endpoint listening");
      const base = `http://127.0.0.1:${String(listening["port"])}`;
      await serving(bot, 1);

      const store: Store = await openSqliteStore(database);
      cleanups.push(() => store.close());
      const release = (text: string, version: number): PreparedRelease => {
        const loaded = loadContentDir(contentFolderOf(describedBoehler(text, version)));
        if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
        return prepareRelease(loaded.files, loaded.docs, loaded.content.fingerprint);
      };
      const stamp = { createdAt: new Date().toISOString(), author: "Test" };
      // As a newer bot would write it: a schema this bot does not know.
      expect(
        await store.publishRelease({ ...release(NEW_TEXT, 2), schemaVersion: 99, ...stamp, message: "newer" }, 1),
      ).toEqual({ ok: true, id: 2 });

      const refused = await bot.log.waitFor((e) => String(e["msg"]).startsWith("content release 2 refused:"));
      expect(refused["msg"]).toMatch(/schema 99/);
      expect(refused["reason"]).toMatch(/schema 99/);
      expect(refused["level"]).toBe(50);
      const answer = await bot.ask("/who boehler");
      expect(answer).toContain(OLD_TEXT);
      expect(answer).not.toContain(NEW_TEXT);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^newsbot_content_releases_refused_total 1$/m);
      expect(metrics).toMatch(/^newsbot_content_release 1$/m);
      const ready = (await (await fetch(`${base}/readyz`)).json()) as {
        content?: { source?: string; release?: number; refusedRelease?: number };
      };
      expect(ready.content).toMatchObject({ source: "release", release: 1, refusedRelease: 2 });

      expect(await store.publishRelease({ ...release(THIRD_TEXT, 3), ...stamp, message: "good again" }, 2)).toEqual({
        ok: true,
        id: 3,
      });
      await serving(bot, 3);
      expect(await bot.ask("/who boehler")).toContain(THIRD_TEXT);
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^newsbot_content_release 3$/m);
      // Refused once, not again at every poll that found release 2 still current.
      expect(bot.log.entries().filter((e) => String(e["msg"]).startsWith("content release 2 refused:"))).toHaveLength(
        1,
      );
    },
  );

  it(
    "the compiled content:publish refuses a silent edit with exit code 1, naming file and field, and stores nothing",
    { timeout: 60_000 },
    async () => {
      const dir = realContent();
      const env = { CONTENT_DIR: dir, DATABASE_PATH: path.join(tempFolder("newsbot-releases-"), "shared.sqlite") };
      await publish(env);
      // Text changed, version still 1.
      writeFiles(dir, apply(realContentFiles(), replaceIn(BOEHLER, DESCRIPTION, `description: "${NEW_TEXT}"`)));

      const refused = await runCli("content-publish.js", ["--author", "Test"], env);
      expect(refused.code, refused.stdout + refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(/people\/adam-boehler\.md: description: changed, but version is still 1/);
      expect(refused.stderr).toContain("Nothing was published");

      const listed = await runCli("content-releases.js", [], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(/^\* 1 {2}/m);
      expect(listed.stdout).not.toMatch(/^[* ] 2 {2}/m);
      expect(listed.stdout).toContain("current release (1)");
    },
  );
});
