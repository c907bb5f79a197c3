// content:publish, content:releases and content:rollback in process: the change report, the editorial refusals, races.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Client } from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentPublish } from "../../src/cli/content-publish.js";
import { contentReleases } from "../../src/cli/content-releases.js";
import { contentRollback } from "../../src/cli/content-rollback.js";
import type { CliOutput } from "../../src/cli/bootstrap.js";
import { contentFromCompiled } from "../../src/core/content/release.js";
import { composeDigest } from "../../src/core/digest/compose.js";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import {
  addCorrection,
  addPerson,
  addUpdate,
  apply,
  BOEHLER,
  contentFolder,
  minorFix,
  realContentFiles,
  reformatBoehler,
  replaceIn,
  setVersion,
  setVersionCreated,
  ULTIMATUM,
  withdrawReactions,
  type Edit,
} from "../content-edits.js";
import { loadRealContent } from "../helpers.js";
import { postgresSuite, testSchema, withClient, type TestSchema } from "../postgres.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function output(): { out: CliOutput; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: { info: (l) => stdout.push(l), error: (l) => stderr.push(l) }, stdout, stderr };
}

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A content folder holding the real content with `edits` applied (each call a fresh folder, so removals apply). */
function folderWith(...edits: Edit[]): string {
  const dir = contentFolder(apply(realContentFiles(), ...edits));
  folders.push(dir);
  return dir;
}

/** Fingerprints, ISO instants and the temporary folder's path vary from run to run; the words must not. */
const normalise = (text: string): string =>
  text.replace(/fingerprint [0-9a-f]{12}/g, "fingerprint <fp>").replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/g, "<when>");

function suite(
  name: string,
  open: () => Promise<{ env: Record<string, string>; store: () => Promise<Store>; drop: () => Promise<void> }>,
) {
  describe(`publishing content (${name})`, () => {
    let env: Record<string, string>;
    let connect: () => Promise<Store>;
    let drop: () => Promise<void>;

    beforeEach(async () => {
      ({ env, store: connect, drop } = await open());
    });
    afterEach(async () => drop());

    const publish = async (dir: string, ...args: string[]): Promise<Run> => {
      const { out, stdout, stderr } = output();
      const code = await contentPublish(["--author", "Dana", ...args], { ...env, CONTENT_DIR: dir }, out);
      return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
    };
    const releasesNow = async (): Promise<number[]> => {
      const store = await connect();
      try {
        return (await store.listReleases()).map((r) => r.id);
      } finally {
        await store.close();
      }
    };

    it("publishes the first release, then says there is nothing to publish for the same tree", async () => {
      const dir = folderWith();
      const first = await publish(dir, "--message", "First edition");
      expect(first.code).toBe(0);
      expect(normalise(first.stdout)).toContain(
        'Published release 1 by Dana (fingerprint <fp>; 20 files, 1 story, 4 updates, 12 people and organisations, 3 sources): "First edition".',
      );
      const again = await publish(dir);
      expect(again.code).toBe(0);
      expect(normalise(again.stdout)).toBe(
        "Nothing to publish: the content folder is the same as the current release 1, published <when> by Dana (fingerprint <fp>).",
      );
      expect(await releasesNow()).toEqual([1]);
    });

    it("prints the change report of a prepared change exactly, and what a subscriber's next digest gains", async () => {
      await publish(folderWith());
      const store = await connect();
      await subscribe(store, "slack:T1:C1");
      await subscribe(store, "discord:1:2");
      await deliverFirstDigest(store, "slack:T1:C1");
      await store.close();

      const run = await publish(
        folderWith(addUpdate, minorFix, addCorrection, withdrawReactions, addPerson),
        "--message",
        "Hamas responds",
      );
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(normalise(run.stdout)).toBe(
        [
          "Changes from release 1 (fingerprint <fp>) to the content folder (fingerprint <fp>):",
          "",
          "/hostages: US envoy held secret direct talks with Hamas before Trump's hostage ultimatum, sources say",
          "  New update (major): Hamas responds to the ultimatum",
          "  Revised (minor): US envoy's secret talks with Hamas in Doha revealed, version 1 → 2",
          "  Revised (major): Trump warns Hamas of “hell to pay” unless all hostages are freed, version 1 → 2",
          '  New correction to "Trump warns Hamas of “hell to pay” unless all hostages are freed": Trump posted the warning after meeting the freed hostages. (previously: Trump posted the warning before meeting the freed hostages.)',
          "  Update \"Netanyahu's office responds and Palestinian Mujahideen denounce Trump's remarks; Hamas yet to comment\": withdrawn (pubStatus withheld)",
          "",
          "People and organisations",
          "  Person added: Steve Witkoff",
          "",
          "What readers will be told",
          "  1 channel (slack:T1:C1), in the next digest:",
          "    Correction in /hostages: Trump posted the warning after meeting the freed hostages.",
          "    New: Hamas responds to the ultimatum",
          "    Updated: Trump warns Hamas of “hell to pay” unless all hostages are freed",
          "  1 channel has had no digest yet: the first one tells the story so far.",
          "",
          'Published release 2 by Dana (fingerprint <fp>; 22 files, 1 story, 5 updates, 13 people and organisations, 3 sources): "Hamas responds". Every bot on this store serves it within seconds.',
        ].join("\n"),
      );
    });

    it.each<[string, Edit, string, RegExp]>([
      [
        "a silent edit",
        replaceIn(ULTIMATUM, /^summary: "After/m, 'summary: "Soon after'),
        `${ULTIMATUM}: summary`,
        /silent edit/,
      ],
      ["a lowered version", (files) => files, `${BOEHLER}: version`, /went down from 2 to 1/],
    ])("refuses %s, naming the file and field, and stores nothing", async (_name, edit, where, why) => {
      await publish(folderWith(setVersion(BOEHLER, 2)));
      const run = await publish(folderWith(edit));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(where);
      expect(run.stderr).toMatch(why);
      expect(run.stderr).toContain("Nothing was published");
      expect(await releasesNow()).toEqual([1]);
    });

    it("refuses a published correction edited, and invalid content, storing nothing", async () => {
      await publish(folderWith(addCorrection));
      const edited = await publish(
        folderWith(
          addCorrection,
          replaceIn(ULTIMATUM, "before meeting the freed", "while meeting the freed"),
          setVersion(ULTIMATUM, 3),
        ),
      );
      expect(edited.code).toBe(1);
      expect(edited.stderr).toContain(
        `${ULTIMATUM}: corrections[0].wrong: correction "ultimatum-posted-after-meeting"`,
      );
      expect(edited.stderr).toContain("append-only");
      const invalid = await publish(folderWith(replaceIn(BOEHLER, /^version: 1$/m, "version: lots")));
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/Content is invalid: 1 problem found\.\n {2}.*adam-boehler\.md: version: /);
      expect(await releasesNow()).toEqual([1]);
    });

    it("publishes re-indented YAML and a changed versionCreated as no change to readers, and the next digest announces nothing new", async () => {
      await publish(folderWith());
      const store = await connect();
      await subscribe(store, "slack:T1:C1");
      await deliverFirstDigest(store, "slack:T1:C1");
      await store.close();

      const run = await publish(folderWith(reformatBoehler, setVersionCreated(ULTIMATUM, "2026-11-30T12:00:00Z")));
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        "No change to what readers see (versionCreated, editors' notes or formatting only):",
      );
      expect(run.stdout).toContain("1 channel gains nothing from this release.");
      expect(normalise(run.stdout)).toContain(
        "Published release 2 by Dana (fingerprint <fp>; no change to what readers see).",
      );

      const after = await connect();
      try {
        const compiled = await after.releaseCompiled(2);
        if (!compiled) throw new Error("release 2 is not stored");
        const served = contentFromCompiled(compiled.compiled, compiled.compiledHash, compiled.schemaVersion);
        if (!served.ok) throw new Error(served.reason);
        const digest = composeDigest({
          content: served.content,
          stories: [],
          announced: await after.announced("slack:T1:C1"),
          firstDigest: false,
          now: new Date("2026-12-01T08:00:00Z"),
          settings: { quietDays: "post", catchUpItems: 5 },
          timeZone: "UTC",
        });
        expect(digest?.kind).toBe("quiet");
        expect(digest?.announce).toEqual([]);
      } finally {
        await after.close();
      }
    });

    it("dry-runs on a database that does not exist yet without creating it", async () => {
      const dry = await publish(folderWith(), "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain("would be the first");
      expect(dry.stdout).toContain("Dry run: nothing was stored. Publishing would make release 1 current");
      const file = env["DATABASE_PATH"];
      if (file !== undefined) expect(existsSync(file)).toBe(false);
      else {
        const url = env["DATABASE_URL"] ?? "";
        const tables = await withClient(url, (client) =>
          client.query("SELECT to_regclass('content_releases')::text AS name"),
        );
        expect(tables.rows[0]).toEqual({ name: null });
      }
    });

    it("dry-runs without storing, lists the history, and rolls back as a new release", async () => {
      await publish(folderWith(), "--message", "one");
      const dry = await publish(folderWith(setVersion(BOEHLER, 2)), "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain("Dry run: nothing was stored. Publishing would make release 2 current");
      expect(await releasesNow()).toEqual([1]);
      await publish(folderWith(setVersion(BOEHLER, 2)), "--message", "two");

      const { out, stdout } = output();
      expect(await contentRollback(["1", "--author", "Eli"], env, out)).toBe(0);
      expect(stdout.join("\n")).toContain("Person changed: Adam Boehler, version 2 → 1");
      expect(stdout.join("\n")).toContain("Rolled back: release 3 by Eli is a copy of release 1");
      expect(await releasesNow()).toEqual([3, 2, 1]);

      const listed = output();
      expect(await contentReleases(env, listed.out)).toBe(0);
      const text = normalise(listed.stdout.join("\n"));
      expect(text).toContain("* 3  <when>  Eli  fingerprint <fp> (rollback to release 1)");
      expect(text).toContain('     "two"; 20 files');
      expect(text).toContain("  1  <when>  Dana  fingerprint <fp>");

      const refused = output();
      expect(await contentRollback(["9"], env, refused.out)).toBe(1);
      expect(refused.stderr.join("\n")).toContain("There is no release 9 in this store");
    });

    it("refuses a file outside the layout's bounds, and one holding a token, naming the file", async () => {
      await publish(folderWith());
      const big = await publish(folderWith(replaceIn(BOEHLER, /^---\n/, `---\n# ${"x".repeat(1024 * 1024)}\n`)));
      expect(big.code).toBe(1);
      expect(big.stderr).toMatch(/adam-boehler\.md: is 1\.0 MiB; a content file may be at most 1\.0 MiB/);
      const token = await publish(
        folderWith(replaceIn(BOEHLER, /^description: "/m, 'description: "xoxb-123456789012-abcdefghijkl ')),
      );
      expect(token.code).toBe(1);
      expect(token.stderr).toContain("holds a Slack token");
      expect(token.stderr).not.toContain("xoxb-123456789012");
      expect(await releasesNow()).toEqual([1]);
    });
  });
}

/** A daily digest at 08:00 UTC following every story. */
function subscribe(store: Store, channel: string): Promise<unknown> {
  return store.putSubscription({
    channel,
    platform: channel.split(":")[0] ?? "slack",
    time: "08:00",
    timeZone: "UTC",
    stories: [],
    createdAt: "2026-11-01T00:00:00Z",
    createdBy: "Dana",
  });
}

/** Records a first digest as delivered for `channel`, announcing everything current, as the sender would. */
async function deliverFirstDigest(store: Store, channel: string): Promise<void> {
  const key = { editionKey: "daily:2026-11-30", channel };
  await store.planEdition({
    ...key,
    platform: channel.split(":")[0] ?? "slack",
    dueAt: "2026-11-30T08:00:00.000Z",
    state: "pending",
  });
  const [row] = await store.claimDeliveries({
    now: "2026-11-30T08:00:00.000Z",
    owner: "test",
    leaseMs: 60_000,
    limit: 1,
  });
  if (!row) throw new Error("nothing to claim");
  const updates = loadRealContent().stories.flatMap((s) => s.updates);
  await store.savePayload(key, "test", {
    kind: "catch-up",
    messages: ["first"],
    announce: updates.map((u) => ({ key: `update:${u.id}`, version: u.version })),
    composedFrom: "release 1",
  });
  await store.recordPart(key, "test", 0, "m1");
  await store.completeDelivery(key, "test", "2026-11-30T08:00:05.000Z");
}

suite("SQLite", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "newsbot-publish-"));
  const file = path.join(dir, "bot.sqlite");
  return Promise.resolve({
    env: { DATABASE_PATH: file },
    store: () => openSqliteStore(file),
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

postgresSuite("publishing content on Postgres", () => {
  let schema: TestSchema;
  suite("Postgres", async () => {
    schema = await testSchema("publish");
    return { env: { DATABASE_URL: schema.url }, store: () => openPostgresStore(schema.url), drop: () => schema.drop() };
  });

  describe("two editors publishing at once", () => {
    let race: TestSchema;
    beforeEach(async () => {
      race = await testSchema("publish_race");
    });
    afterEach(async () => race.drop());

    it("lets exactly one win; the other is told the release moved under it and to run again", async () => {
      const env = { DATABASE_URL: race.url };
      const first = output();
      expect(await contentPublish(["--author", "Dana"], { ...env, CONTENT_DIR: folderWith() }, first.out)).toBe(0);
      // Both read release 1, then wait at the lock on the current release: neither can have seen the other's.
      await withClient(race.url, async (locker) => {
        await locker.query("BEGIN");
        await locker.query("SELECT release_id FROM content_state WHERE name = 'current' FOR UPDATE");
        const a = output();
        const b = output();
        const racing = Promise.all([
          contentPublish(["--author", "Ann"], { ...env, CONTENT_DIR: folderWith(setVersion(BOEHLER, 2)) }, a.out),
          contentPublish(["--author", "Bo"], { ...env, CONTENT_DIR: folderWith(addPerson) }, b.out),
        ]);
        await waitForLockWaiters(locker, 2);
        await locker.query("COMMIT");
        const codes = await racing;
        expect([...codes].sort()).toEqual([0, 1]);
        const loser = codes[0] === 1 ? a : b;
        expect(loser.stderr.join("\n")).toMatch(
          /Not published: the current release moved while this ran \(now release 2, published .* by (Ann|Bo)\)\. Nothing was stored: run npm run content:publish again/,
        );
      });
      const store = await openPostgresStore(race.url);
      try {
        expect((await store.listReleases()).map((r) => r.id)).toEqual([2, 1]);
      } finally {
        await store.close();
      }
    });
  });
});

/** Waits until `count` sessions wait behind a lock `client` holds, directly or queued behind one another. */
async function waitForLockWaiters(client: Client, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  const me = Number((await client.query<{ me: number }>("SELECT pg_backend_pid() AS me")).rows[0]?.me);
  for (;;) {
    // Inside a transaction Postgres answers from one snapshot of pg_stat_activity unless it is cleared.
    await client.query("SELECT pg_stat_clear_snapshot()");
    const result = await client.query<{ pid: number; blockers: number[] }>(
      "SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity WHERE wait_event_type = 'Lock'",
    );
    const behind = new Set<number>([me]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const row of result.rows) {
        if (!behind.has(row.pid) && row.blockers.some((b) => behind.has(b))) {
          behind.add(row.pid);
          grew = true;
        }
      }
    }
    if (behind.size - 1 >= count) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} publishers waited on the lock`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
