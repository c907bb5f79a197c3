// Scenario 7: content releases on the large corpus: publish time, and how soon a bot serving a release answers.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { contentPublish } from "../src/cli/content-publish.js";
import { contentFromServed } from "../src/core/content/load.js";
import {
  contentFromCompiled,
  hashBytes,
  RELEASE_LIMITS,
  unpackJson,
  type CompiledContent,
} from "../src/core/content/release.js";
import { loadRelease } from "../src/ops/release-follower.js";
import { openPostgresStore } from "../src/store/postgres-store.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { projectRoot } from "../test/helpers.js";
import { FULL_CORPUS, QUICK_CORPUS, writeCorpusWithSummary, type CorpusSummary } from "./corpus.js";
import { drainStdout, LogReader, spawnBot, stopChild } from "./processes.js";
import type { GoalCheck, ResultRow, Scenario } from "./scenario.js";
import { median, nowMs, round } from "./stats.js";

const PUBLISH_GOAL_MS = 10_000;
const READY_GOAL_MS = 1000;
const MIB = 1024 * 1024;

/** A database for one series of publishes: the env contentPublish and the bot get, and a way to open it here. */
interface Database {
  env: Record<string, string>;
  open(): Promise<Store>;
  drop(): Promise<void>;
}

interface Backend {
  label: string;
  fresh(): Promise<Database>;
}

const sqliteBackend: Backend = {
  label: "SQLite",
  async fresh() {
    const dir = await mkdtemp(path.join(os.tmpdir(), "newsbot-release-bench-"));
    const file = path.join(dir, "bot.sqlite");
    return {
      env: { DATABASE_PATH: file },
      open: () => openSqliteStore(file),
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

/** BENCH_DATABASE_URL, else TEST_DATABASE_URL (which .ci/run sets), else none: Postgres is then left out. */
function postgresUrl(): string | undefined {
  const url = (process.env["BENCH_DATABASE_URL"] ?? process.env["TEST_DATABASE_URL"])?.trim();
  return url === undefined || url === "" ? undefined : url;
}

async function withClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** A throwaway schema per series, as test/postgres.ts makes them, so the bench never touches anyone's tables. */
function postgresBackend(url: string): Backend {
  return {
    label: "Postgres",
    async fresh() {
      const schema = `b_release_${process.pid}_${randomBytes(4).toString("hex")}`;
      await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
      const withSchema = new URL(url);
      withSchema.searchParams.set("options", `-c search_path=${schema}`);
      // %20, not the + URLSearchParams writes: pg reads either as a space, libpq only %20.
      withSchema.search = withSchema.searchParams.toString().replace(/\+/g, "%20");
      const schemaUrl = withSchema.toString();
      return {
        env: { DATABASE_URL: schemaUrl },
        open: () => openPostgresStore(schemaUrl),
        drop: () => withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
      };
    },
  };
}

/**
 * Runs content:publish in process as an editor would; its report is kept only to explain a failure. CONFIG_DIR names
 * the project's config/, which the CLI would otherwise look for beside its own file, here under build/bench/.
 */
async function publish(corpusDir: string, database: Database): Promise<number> {
  const lines: string[] = [];
  const out = { info: (line: string) => lines.push(line), error: (line: string) => lines.push(line) };
  const started = nowMs();
  const code = await contentPublish(
    ["--author", "bench", "--message", "bench"],
    { CONFIG_DIR: path.join(projectRoot, "config"), CONTENT_DIR: corpusDir, ...database.env },
    out,
  );
  const ms = nowMs() - started;
  const last = lines.at(-1) ?? "";
  if (code !== 0 || !last.includes("Published release")) {
    throw new Error(`content:publish did not publish (exit ${code}):\n${lines.join("\n").slice(-4000)}`);
  }
  return ms;
}

/** The first update file of the first story, by path: the one each second publish revises. */
async function firstUpdateFile(corpusDir: string): Promise<string> {
  const stories = path.join(corpusDir, "stories");
  for (const story of (await readdir(stories)).sort()) {
    const updates = path.join(stories, story, "updates");
    const names = await readdir(updates).catch(() => [] as string[]);
    const first = names.filter((n) => n.endsWith(".md")).sort()[0];
    if (first !== undefined) return path.join(updates, first);
  }
  throw new Error(`no update file in ${stories}`);
}

/** An editor's correction: the summary's text changes, so the version rises and versionCreated moves with it. */
function revise(text: string): string {
  const revised = text
    .replace(/^version: (\d+)$/m, (_line, version: string) => `version: ${Number(version) + 1}`)
    .replace(/^versionCreated: .*$/m, `versionCreated: "${new Date().toISOString().slice(0, 19)}Z"`)
    .replace(/^summary: "/m, 'summary: "Revised: ');
  if (revised === text) throw new Error("the update to revise has no version, versionCreated or summary line");
  return revised;
}

interface Series {
  first: number[];
  second: number[];
}

interface ReadyVariant {
  label: string;
  env: Record<string, string>;
  /** The log line that says the content is in place. */
  loadedLine: string;
}

interface ReadySample {
  loadedMs: number[];
  answerMs: number[];
  /** What the bot itself logged as its content load time (the `ms` of that line). */
  loggedMs: number[];
}

async function timeReady(
  variant: ReadyVariant,
  question: string,
): Promise<{ loadedMs: number; answerMs: number; loggedMs: number }> {
  const started = nowMs();
  const child = spawnBot({ ...variant.env, LOG_LEVEL: "info" }, "pipe");
  try {
    const logs = new LogReader(child);
    const loaded = logs.waitFor((e) => e["msg"] === variant.loadedLine).then((entry) => ({ entry, at: nowMs() }));
    // As in the start-up scenario: the console is ready when it answers a question waiting on stdin from the spawn.
    const answered = new Promise<number>((resolve) => child.stdout?.once("data", () => resolve(nowMs())));
    child.stdin?.write(`${question}\n`);
    const [line, answeredAt] = await Promise.all([loaded, answered]);
    drainStdout(child);
    return { loadedMs: line.at - started, answerMs: answeredAt - started, loggedMs: Number(line.entry["ms"]) };
  } finally {
    await stopChild(child);
  }
}

const fileSizeMiB = async (file: string): Promise<number> => {
  const sizes = await Promise.all(
    ["", "-wal"].map((suffix) =>
      stat(`${file}${suffix}`).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0) / MIB;
};

const timed = <T>(work: () => T): { value: T; ms: number } => {
  const started = nowMs();
  const value = work();
  return { value, ms: nowMs() - started };
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const row = (label: string, samples: readonly number[]): ResultRow => ({
  label,
  values: { "median ms": round(median(samples)), "max ms": round(Math.max(...samples)), runs: samples.length },
});

function corpusNote(summary: CorpusSummary): string {
  return `Corpus (bench/corpus.ts): ${summary.files.toLocaleString("en")} files: ${summary.stories.toLocaleString("en")} stories, ${summary.updates.toLocaleString("en")} updates, ${summary.people.toLocaleString("en")} people, ${summary.organisations} organisations, ${summary.sources.toLocaleString("en")} sources.`;
}

export const releaseScenario: Scenario = async ({ quick, progress }) => {
  const publishRuns = quick ? 1 : 3;
  const readyRuns = quick ? 1 : 7;
  const loadRuns = quick ? 2 : 7;
  const url = postgresUrl();
  const backends = [sqliteBackend, ...(url === undefined ? [] : [postgresBackend(url)])];
  const corpusDir = await mkdtemp(path.join(os.tmpdir(), "newsbot-release-corpus-"));
  // The last series of each backend is kept, holding release 2, for the load and start-up measures.
  const kept = new Map<string, Database>();
  const rows: ResultRow[] = [];
  const goals: GoalCheck[] = [];
  const notes: string[] = [];
  try {
    const summary = await writeCorpusWithSummary(corpusDir, quick ? QUICK_CORPUS : FULL_CORPUS);
    progress(`corpus: ${summary.files} files written`);
    const revisedFile = await firstUpdateFile(corpusDir);
    const original = await readFile(revisedFile, "utf8");

    // --- 1. publish: into an empty store, then one revised update against the stored release.
    const series = new Map<string, Series>();
    for (const backend of backends) {
      const samples: Series = { first: [], second: [] };
      series.set(backend.label, samples);
      for (let run = 0; run < publishRuns; run += 1) {
        const database = await backend.fresh();
        try {
          await writeFile(revisedFile, original);
          samples.first.push(await publish(corpusDir, database));
          await writeFile(revisedFile, revise(original));
          samples.second.push(await publish(corpusDir, database));
        } finally {
          if (run === publishRuns - 1) kept.set(backend.label, database);
          else await database.drop();
        }
        progress(`publish ${backend.label}: run ${run + 1} of ${publishRuns}`);
      }
      rows.push(row(`publish, first into an empty store (${backend.label})`, samples.first));
      rows.push(row(`publish, one update revised (${backend.label})`, samples.second));
    }
    const publishMedians = [...series].flatMap(([label, s]) => [
      { label: `first ${label}`, ms: median(s.first) },
      { label: `second ${label}`, ms: median(s.second) },
    ]);
    goals.push({
      goal: `content:publish of the large corpus under ${PUBLISH_GOAL_MS / 1000} s`,
      measured: publishMedians.map((m) => `${m.label} ${seconds(m.ms)}`).join(", "),
      met: publishMedians.every((m) => m.ms < PUBLISH_GOAL_MS),
    });

    // --- 2a. loadRelease in this process, with its parts, so process start-up is not counted in it.
    let compiledBytes = 0;
    let filesBytes = 0;
    for (const [label, database] of kept) {
      const store = await database.open();
      try {
        const id = await store.currentReleaseId();
        if (id === undefined) throw new Error(`no current release in the ${label} store`);
        const loads: number[] = [];
        const reads: number[] = [];
        for (let run = 0; run < loadRuns; run += 1) {
          const started = nowMs();
          const loaded = await loadRelease(store, id);
          loads.push(nowMs() - started);
          if (!loaded.ok) throw new Error(`release ${id} did not load from ${label}: ${loaded.reason}`);
          const readStarted = nowMs();
          await store.releaseCompiled(id);
          reads.push(nowMs() - readStarted);
        }
        rows.push(row(`loadRelease in process (${label})`, loads));
        rows.push(row(`  reading the compiled form (${label})`, reads));
        if (label !== sqliteBackend.label) continue;
        // The parts of contentFromCompiled, as it does them: the same on any store, so measured once.
        const stored = await store.releaseCompiled(id);
        const files = await store.releaseFiles(id);
        if (!stored || files === undefined) throw new Error(`release ${id} cannot be read back`);
        compiledBytes = stored.compiled.length;
        filesBytes = files.length;
        const parts = { hash: [] as number[], parse: [] as number[], index: [] as number[], whole: [] as number[] };
        for (let run = 0; run < loadRuns; run += 1) {
          parts.hash.push(timed(() => hashBytes(stored.compiled)).ms);
          const parsed = timed(() => unpackJson(stored.compiled) as CompiledContent);
          parts.parse.push(parsed.ms);
          parts.index.push(
            timed(() => contentFromServed(parsed.value.items, parsed.value.fingerprint, parsed.value.fileCount)).ms,
          );
          parts.whole.push(
            timed(() => contentFromCompiled(stored.compiled, stored.compiledHash, stored.schemaVersion)).ms,
          );
        }
        rows.push(row("  contentFromCompiled, all of it", parts.whole));
        rows.push(row("    sha256 of the packed compiled form", parts.hash));
        rows.push(row("    gunzip and JSON.parse", parts.parse));
        rows.push(row("    contentFromServed (the index)", parts.index));
        notes.push(
          `Release ${id} as stored (gzipped JSON): files ${(filesBytes / MIB).toFixed(1)} MiB and compiled ${(compiledBytes / MIB).toFixed(1)} MiB (the limit is ${RELEASE_LIMITS.releaseBytes / MIB} MiB of files unpacked); the SQLite file with releases 1 and 2 is ${(await fileSizeMiB(database.env["DATABASE_PATH"] ?? "")).toFixed(1)} MiB.`,
        );
      } finally {
        await store.close();
      }
      progress(`loadRelease ${label}: ${loadRuns} runs`);
    }

    // --- 2b. the compiled bot: from spawn to the content line and to its first answer, release against files.
    const sqlite = kept.get(sqliteBackend.label);
    if (!sqlite) throw new Error("no SQLite store was kept");
    const question = `/${summary.commands[0] ?? "help"} summary`;
    const variants: ReadyVariant[] = [
      ...[...kept].map(([label, database]) => ({
        label: `release (${label})`,
        env: { ...database.env, CONTENT_DIR: corpusDir },
        loadedLine: "serving content release 2",
      })),
      {
        label: "files (CONTENT_SOURCE=files)",
        env: { ...sqlite.env, CONTENT_DIR: corpusDir, CONTENT_SOURCE: "files" },
        loadedLine: "content loaded",
      },
    ];
    const ready = new Map<string, ReadySample>(
      variants.map((v) => [v.label, { loadedMs: [], answerMs: [], loggedMs: [] }]),
    );
    // Variants take turns run by run, so a slow moment of the machine does not fall on one of them only.
    for (let run = 0; run < readyRuns; run += 1) {
      for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
        const timing = await timeReady(variant, question);
        const sample = ready.get(variant.label);
        sample?.loadedMs.push(timing.loadedMs);
        sample?.answerMs.push(timing.answerMs);
        sample?.loggedMs.push(timing.loggedMs);
      }
      progress(`bot start: run ${run + 1} of ${readyRuns}`);
    }
    for (const variant of variants) {
      const sample = ready.get(variant.label);
      if (!sample) continue;
      rows.push(row(`bot from ${variant.label}: "${variant.loadedLine}"`, sample.loadedMs));
      rows.push(row(`bot from ${variant.label}: first answer`, sample.answerMs));
      rows.push(row(`bot from ${variant.label}: load ms it logged`, sample.loggedMs));
    }
    const fromRelease = [...ready].filter(([label]) => label.startsWith("release"));
    goals.push({
      goal: `Ready to answer from a release in under ${READY_GOAL_MS / 1000} s`,
      measured: fromRelease
        .map(([label, s]) => `${label} first answer ${Math.round(median(s.answerMs))} ms`)
        .concat(
          [...ready]
            .filter(([label]) => !label.startsWith("release"))
            .map(([, s]) => `files ${Math.round(median(s.answerMs))} ms`),
        )
        .join(", "),
      met: fromRelease.every(([, s]) => median(s.answerMs) < READY_GOAL_MS),
    });

    notes.push(
      corpusNote(summary),
      `Publish: contentPublish in this process with CONTENT_DIR and DATABASE_PATH or DATABASE_URL, a fresh store per run; the second publish revises ${path.relative(corpusDir, revisedFile)} (version + 1, versionCreated, summary text), so it is compared with the stored release. Median of ${publishRuns}.`,
      url === undefined
        ? "Postgres: not measured (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)."
        : "Postgres: a throwaway schema per series in the database of BENCH_DATABASE_URL or TEST_DATABASE_URL, dropped after.",
      `loadRelease: median of ${loadRuns} in this process (warm: the publishes ran here first); its parts timed apart on the same stored text.`,
      `Bot: node dist/main.js in console mode, "${question}" waiting on stdin from the spawn; the log line and the first answer timed from the spawn, median of ${readyRuns}, variants alternating. "load ms it logged" is the ms field of that line, measured inside the bot.`,
    );
  } finally {
    await Promise.all([...kept.values()].map((d) => d.drop()));
    await rm(corpusDir, { recursive: true, force: true });
  }
  return { name: "7. Content releases", rows, goals, notes };
};
