// Scenario 3 "Core": content load and every command, timed in process from the adapters' entry points to rendered payloads.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DISCORD_TERMS } from "../src/adapters/discord/invocation.js";
import { renderDiscord } from "../src/adapters/discord/render.js";
import { SLACK_TERMS } from "../src/adapters/slack/handlers.js";
import { renderSlack } from "../src/adapters/slack/render.js";
import type { RenderOptions } from "../src/adapters/shared/renderer.js";
import { Answerer } from "../src/core/answerer.js";
import { STORY_SUBCOMMANDS } from "../src/core/commands/story.js";
import type { AnswerSettings, Asker, Invocation } from "../src/core/commands/types.js";
import { loadContentDir, readContentFiles } from "../src/core/content/load.js";
import type { ContentIndex, Person } from "../src/core/content/model.js";
import { entityLookup, type LookupResult } from "../src/core/content/query.js";
import { silentLogger } from "../src/core/logger.js";
import type { Reply } from "../src/core/reply.js";
import { FULL_CORPUS, QUICK_CORPUS, Random, writeCorpusWithSummary, type CorpusSummary } from "./corpus.js";
import type { GoalCheck, ResultRow, Scenario } from "./scenario.js";
import { median, nowMs, percentile, round } from "./stats.js";

const LOAD_GOAL_MS = 2000;
const COMMAND_P99_GOAL_MS = 1;

/** The shipped defaults (config/default.yaml), so answers are built exactly as a fresh install builds them. */
const SETTINGS: AnswerSettings = { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 };

interface Mode {
  corpus: typeof FULL_CORPUS;
  iterations: number;
  warmup: number;
  /** Extra loads after the first, for a warm figure beside the cold one. */
  reloads: number;
  /**
   * Wall-clock cap per command for the timed iterations (and a tenth of it for the warm-up), so one very slow
   * command cannot hold the run for minutes; a capped row says how many iterations it got in its "n" column.
   */
  caseBudgetMs: number;
  /** Distinct queries of each kind for the /who rows and the lookup rows. */
  queriesPerKind: number;
  lookupPasses: number;
}

const FULL: Mode = {
  corpus: FULL_CORPUS,
  iterations: 2000,
  warmup: 200,
  reloads: 3,
  caseBudgetMs: 20_000,
  queriesPerKind: 500,
  lookupPasses: 4,
};
const QUICK: Mode = {
  corpus: QUICK_CORPUS,
  iterations: 50,
  warmup: 10,
  reloads: 1,
  caseBudgetMs: 2_000,
  queriesPerKind: 25,
  lookupPasses: 2,
};

/** The project root: the nearest folder above this module with package.json and content/, whatever outDir compiled it. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "package.json")) && existsSync(path.join(dir, "content"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Garbage collection, so heap growth counts what the index keeps, not what loading left behind.

type Collector = { collect: () => void; how: string };

function garbageCollector(): Collector {
  const exposed = globalThis.gc;
  if (typeof exposed === "function") return { collect: () => void exposed(), how: "global.gc (--expose-gc)" };
  try {
    // Without --expose-gc, V8 still hands a gc function to a context created after the flag is set.
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    if (typeof gc === "function")
      return { collect: () => void (gc as () => void)(), how: "gc via v8.setFlagsFromString" };
  } catch {
    // Fall through: figures are then an upper bound.
  }
  return { collect: () => undefined, how: "no gc available: heap figures include uncollected garbage" };
}

const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// Loading.

interface LoadFigures {
  content: ContentIndex;
  firstMs: number;
  warmMs: number;
  readMs: number;
  heapMiB: number;
  rssMiB: number;
}

function loadOnce(dir: string): { content: ContentIndex; ms: number } {
  const started = nowMs();
  const result = loadContentDir(dir, { displayRoot: "content" });
  const ms = nowMs() - started;
  if (!result.ok) {
    const shown = result.errors.slice(0, 10).map((e) => `${e.file}: ${e.path}: ${e.message}`);
    throw new Error(`core benchmark: ${dir} does not load (${result.errors.length} errors):\n${shown.join("\n")}`);
  }
  return { content: result.content, ms };
}

/** The bot's loader (both validation passes and the index), cold then warm, with the memory the index keeps. */
function measureLoad(dir: string, mode: Mode, gc: Collector): LoadFigures {
  gc.collect();
  const before = process.memoryUsage();
  const first = loadOnce(dir);
  gc.collect();
  const after = process.memoryUsage();
  const warm: number[] = [];
  for (let i = 0; i < mode.reloads; i += 1) warm.push(loadOnce(dir).ms);
  const readStarted = nowMs();
  readContentFiles(dir);
  const readMs = nowMs() - readStarted;
  return {
    content: first.content,
    firstMs: first.ms,
    warmMs: median(warm),
    readMs,
    heapMiB: (after.heapUsed - before.heapUsed) / MiB,
    rssMiB: (after.rss - before.rss) / MiB,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Queries: what people type into /who, derived from the loaded content so they exist (or deliberately do not).

type QueryKind = "exact surname" | "full name" | "typo" | "unknown name";
const QUERY_KINDS: readonly QueryKind[] = ["exact surname", "full name", "typo", "unknown name"];

const SYLLABLES = [
  "zor",
  "vak",
  "quen",
  "ibel",
  "thra",
  "mox",
  "yul",
  "dre",
  "xan",
  "plo",
  "gru",
  "fesk",
  "wob",
  "trin",
  "uzz",
  "kel",
];
const NEIGHBOUR_KEYS = "qwertyuiopasdfghjklzxcvbnm";

/** One or two slips of the finger inside the name (never its first or last letter, which would make it a prefix). */
function typoOf(name: string, random: Random): string {
  let chars = [...name];
  const edits = chars.length > 10 ? 2 : 1;
  for (let e = 0; e < edits; e += 1) {
    const letters = chars
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => /\p{L}/u.test(c) && i > 0 && i < chars.length - 1);
    if (letters.length === 0) break;
    const { i } = random.pick(letters);
    const kind = random.int(3);
    if (kind === 0) chars = [...chars.slice(0, i), ...chars.slice(i + 1)];
    else if (kind === 1) chars = [...chars.slice(0, i), random.pick([...NEIGHBOUR_KEYS]), ...chars.slice(i + 1)];
    else chars = [...chars.slice(0, i), chars[i] ?? "", ...chars.slice(i)];
  }
  return chars.join("");
}

function madeUpName(random: Random): string {
  const word = (parts: number) =>
    Array.from({ length: parts }, () => random.pick(SYLLABLES))
      .join("")
      .replace(/^./, (c) => c.toUpperCase());
  return `${word(2)} ${word(3)}`;
}

function whoQueries(content: ContentIndex, count: number, seed: number): Record<QueryKind, string[]> {
  const random = new Random(seed);
  const people = content.entities.filter((e): e is Person => e.kind === "person");
  const chosen = Array.from({ length: count }, () => random.pick(people));
  return {
    "exact surname": chosen.map((p) => p.name.split(" ").at(-1) ?? p.name),
    "full name": chosen.map((p) => p.name),
    typo: chosen.map((p) => typoOf(p.name, random)),
    "unknown name": Array.from({ length: count }, () => madeUpName(random)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Commands: each case is a list of requests, taken in turn so a case does not answer the same question 2,000 times.

interface Request {
  command: string;
  subcommand?: string;
  options: Record<string, string>;
  /** What a Slack user types after the command name, subcommand included. */
  slackText: string;
}

interface CommandCase {
  label: string;
  requests: Request[];
}

function commandCases(content: ContentIndex, queries: Record<QueryKind, string[]>, random: Random): CommandCase[] {
  const cases: CommandCase[] = STORY_SUBCOMMANDS.map((sub) => ({
    label: `/<story> ${sub}`,
    requests: content.stories.map((s) => ({ command: s.command, subcommand: sub, options: {}, slackText: sub })),
  }));
  for (const kind of QUERY_KINDS) {
    cases.push({
      label: `/who ${kind}`,
      requests: queries[kind].map((name) => ({ command: "who", options: { name }, slackText: name })),
    });
  }
  cases.push({ label: "/help", requests: [{ command: "help", options: {}, slackText: "" }] });
  cases.push({ label: "/help who", requests: [{ command: "help", options: { command: "who" }, slackText: "who" }] });
  // No digest store in the benchmark: /digest answers that digests are not set up (the no-store path only).
  cases.push({
    label: "/digest status (no store)",
    requests: [{ command: "digest", subcommand: "status", options: {}, slackText: "status" }],
  });
  // A stale or mistyped command name: the registry suggests the nearest one (its cost grows with the story count).
  cases.push({
    label: "unknown command (typo)",
    requests: content.stories
      .slice(0, 200)
      .map((s) => typoOf(s.command, random).toLowerCase())
      // A slip can land on another real command ("rail-lima" and "rail-lime"); that would be a different case.
      .filter((command) => !content.storyByCommand.has(command) && !["who", "help", "digest"].includes(command))
      .map((command) => ({ command, options: {}, slackText: "" })),
  });
  return cases;
}

interface CaseFigures {
  iterations: number;
  discord: number[];
  slack: number[];
  wallMs: number;
  tones: Set<Reply["tone"]>;
  payloadParts: number;
}

const DISCORD_USER = { id: "100000000000000001", name: "Bench" };
const SLACK_ASKER: Asker = {
  user: { id: "U0BENCH", name: "bench" },
  channel: "slack:T0BENCH:C0BENCH",
  platform: "slack",
  terms: SLACK_TERMS,
};

async function runCase(
  commandCase: CommandCase,
  answerer: Answerer,
  discordOptions: RenderOptions,
  slackOptions: RenderOptions,
  count: number,
  budgetMs: number,
  figures?: CaseFigures,
): Promise<void> {
  const started = nowMs();
  for (let i = 0; i < count && nowMs() - started < budgetMs; i += 1) {
    const request = commandCase.requests[i % commandCase.requests.length];
    if (!request) throw new Error(`core benchmark: ${commandCase.label} has no requests`);

    // Discord: the interaction handler builds an Invocation and dispatches it, then renders embeds and buttons.
    const d0 = nowMs();
    const invocation: Invocation = {
      id: answerer.newId(),
      command: request.command,
      ...(request.subcommand !== undefined && { subcommand: request.subcommand }),
      options: { ...request.options },
      user: DISCORD_USER,
      channel: "discord:200000000000000002:300000000000000003",
      platform: "discord",
      authority: { has: () => false },
      terms: DISCORD_TERMS,
    };
    const discordReply = await answerer.answer(invocation);
    const discordMessage = renderDiscord(discordReply, discordOptions).message;
    const d1 = nowMs();

    // Slack: the command handler passes the command name and its text, then renders Block Kit.
    const slackReply = await answerer.answerText(request.command, request.slackText, SLACK_ASKER);
    const slackMessage = renderSlack(slackReply, slackOptions).message;
    const s1 = nowMs();

    if (figures) {
      figures.iterations += 1;
      figures.discord.push(d1 - d0);
      figures.slack.push(s1 - d1);
      figures.tones.add(discordReply.tone);
      figures.payloadParts += discordMessage.embeds.length + slackMessage.blocks.length;
    }
  }
  if (figures) figures.wallMs = nowMs() - started;
}

interface CommandRowsResult {
  rows: ResultRow[];
  worst: { p99: number; label: string };
}

async function measureCommands(
  corpusLabel: string,
  content: ContentIndex,
  mode: Mode,
  seed: number,
  progress: (line: string) => void,
): Promise<CommandRowsResult> {
  const answerer = new Answerer({ content: () => content, settings: SETTINGS, logger: silentLogger });
  const first = content.stories[0];
  // As the Discord adapter renders: its hint names a narrower question from the content.
  const discordOptions: RenderOptions = {
    timeZone: SETTINGS.timeZone,
    shortenedHint: `…answer shortened; ask a narrower question such as ${first ? `/${first.command} latest` : "/help"}`,
  };
  const slackOptions: RenderOptions = { timeZone: SETTINGS.timeZone };
  const random = new Random(seed);
  const queries = whoQueries(content, Math.min(100, mode.queriesPerKind), seed + 1);
  const cases = commandCases(content, queries, random);

  const rows: ResultRow[] = [];
  let worst = { p99: 0, label: "" };
  for (const commandCase of cases) {
    await runCase(commandCase, answerer, discordOptions, slackOptions, mode.warmup, mode.caseBudgetMs / 10);
    const figures: CaseFigures = {
      iterations: 0,
      discord: [],
      slack: [],
      wallMs: 0,
      tones: new Set(),
      payloadParts: 0,
    };
    await runCase(commandCase, answerer, discordOptions, slackOptions, mode.iterations, mode.caseBudgetMs, figures);
    if (figures.payloadParts === 0) throw new Error(`core benchmark: ${commandCase.label} rendered nothing`);
    const all = [...figures.discord, ...figures.slack];
    const p99 = percentile(all, 99);
    if (p99 > worst.p99) worst = { p99, label: commandCase.label };
    rows.push({
      label: `${corpusLabel} · ${commandCase.label}`,
      values: {
        "ops/s": round((all.length / figures.wallMs) * 1000),
        "p50 ms": round(median(all)),
        "p99 ms": round(p99),
        "discord p99 ms": round(percentile(figures.discord, 99)),
        "slack p99 ms": round(percentile(figures.slack, 99)),
        "max ms": round(Math.max(...all)),
        n: figures.iterations,
        reply: [...figures.tones].join("+"),
      },
    });
    progress(`core: ${corpusLabel} ${commandCase.label}: p99 ${round(p99)} ms`);
  }
  return { rows, worst };
}

// ---------------------------------------------------------------------------------------------------------------
// The /who lookup alone (EntityLookup.find) and Discord autocomplete (complete), over many distinct queries.

function outcomeCounts(results: readonly LookupResult[]): string {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${kind} ${n}`).join(", ");
}

function measureLookup(
  corpusLabel: string,
  content: ContentIndex,
  mode: Mode,
  seed: number,
): { rows: ResultRow[]; worst: { p99: number; label: string } } {
  const lookup = entityLookup(content);
  const queries = whoQueries(content, mode.queriesPerKind, seed);
  const random = new Random(seed + 7);
  const prefixes = queries["full name"].map((name) => {
    const surname = name.split(" ").at(-1) ?? name;
    return surname.slice(0, Math.max(1, Math.min(surname.length, 2 + random.int(4))));
  });
  const kinds: [string, string[], (q: string) => unknown][] = [
    ...QUERY_KINDS.map((kind): [string, string[], (q: string) => unknown] => [
      `lookup ${kind}`,
      queries[kind],
      (q) => lookup.find(q),
    ]),
    ["autocomplete (1–5 letters)", prefixes, (q) => lookup.complete(q, 25)],
  ];
  const rows: ResultRow[] = [];
  let worst = { p99: 0, label: "" };
  for (const [label, list, run] of kinds) {
    for (const q of list) run(q);
    const samples: number[] = [];
    const results: unknown[] = [];
    const started = nowMs();
    for (let pass = 0; pass < mode.lookupPasses; pass += 1) {
      for (const q of list) {
        const t0 = nowMs();
        const result = run(q);
        samples.push(nowMs() - t0);
        if (pass === 0) results.push(result);
      }
    }
    const wallMs = nowMs() - started;
    const p99 = percentile(samples, 99);
    if (p99 > worst.p99) worst = { p99, label };
    const isLookup = (r: unknown): r is LookupResult => typeof r === "object" && r !== null && "kind" in r;
    rows.push({
      label: `${corpusLabel} · ${label}`,
      values: {
        "ops/s": round((samples.length / wallMs) * 1000),
        "p50 ms": round(median(samples)),
        "p99 ms": round(p99),
        "max ms": round(Math.max(...samples)),
        n: samples.length,
        reply: results.every(isLookup) ? outcomeCounts(results) : `${list.length} queries`,
      },
    });
  }
  return { rows, worst };
}

// ---------------------------------------------------------------------------------------------------------------

function corpusNote(summary: CorpusSummary): string {
  return (
    `Generated corpus: ${summary.files} files: ${summary.stories} stories, ${summary.updates} updates (about 1% withheld), ` +
    `${summary.people} people (${summary.sharedSurnames.length} surnames shared by two or more), ${summary.organisations} organisations, ` +
    `${summary.sources} sources, ${summary.claims} claims; seeded, the same on every run.`
  );
}

export const coreScenario: Scenario = async (options) => {
  const mode = options.quick ? QUICK : FULL;
  const gc = garbageCollector();
  // Other processes on the machine show up in the tail of every timing; the load average says how busy it was.
  const loadAtStart = os.loadavg()[0] ?? Number.NaN;
  const rows: ResultRow[] = [];
  const goals: GoalCheck[] = [];
  const realDir = path.join(projectRoot(), "content");
  const commandGoal = (label: string, worst: { p99: number; label: string }): GoalCheck => ({
    goal: `p99 of any command under ${COMMAND_P99_GOAL_MS} ms (${label})`,
    measured: `worst p99 ${round(worst.p99)} ms (${worst.label})`,
    met: worst.p99 < COMMAND_P99_GOAL_MS,
  });
  const loadRow = (label: string, figures: LoadFigures): ResultRow => ({
    label: `${label} · load`,
    values: {
      "load ms": round(figures.firstMs),
      "warm load ms": round(figures.warmMs),
      "read ms": round(figures.readMs),
      "heap MiB": round(figures.heapMiB),
      "rss MiB": round(figures.rssMiB),
      files: figures.content.fileCount,
    },
  });

  options.progress(`core: loading the real content from ${realDir}`);
  const real = measureLoad(realDir, mode, gc);
  rows.push(loadRow("real content", real));
  // The real content's commands run before the generated corpus exists, so its heap does not slow them.
  options.progress("core: commands on the real content");
  const realCommands = await measureCommands("real content", real.content, mode, 11, options.progress);

  const corpusDir = await mkdtemp(path.join(os.tmpdir(), "newsbot-core-bench-"));
  try {
    options.progress(`core: writing the generated corpus (${mode.corpus.stories} stories) to ${corpusDir}`);
    const summary = await writeCorpusWithSummary(corpusDir, mode.corpus);
    options.progress(`core: loading the generated corpus (${summary.files} files)`);
    const big = measureLoad(corpusDir, mode, gc);
    rows.push(loadRow("generated corpus", big));
    goals.push({
      goal: `load of the large corpus under ${LOAD_GOAL_MS / 1000} s${options.quick ? " (quick mode: small corpus)" : ""}`,
      measured: `${round(big.firstMs)} ms first load, ${round(big.warmMs)} ms warm (${summary.files} files)`,
      met: big.firstMs < LOAD_GOAL_MS,
    });

    options.progress("core: commands on the generated corpus");
    const bigCommands = await measureCommands("generated corpus", big.content, mode, 23, options.progress);
    rows.push(...realCommands.rows, ...bigCommands.rows);
    goals.push(commandGoal("real content", realCommands.worst), commandGoal("generated corpus", bigCommands.worst));

    options.progress("core: /who lookup and autocomplete on the generated corpus");
    rows.push(...measureLookup("generated corpus", big.content, mode, 37).rows);

    const notes = [
      "Single process, in process: each operation is timed with process.hrtime (nowMs) around one call; no network, no Discord or Slack client.",
      `Commands: up to ${mode.warmup} warm-up then ${mode.iterations} timed iterations per command and corpus (at most ${mode.caseBudgetMs / 1000} s each; "n" is what ran); ` +
        "each iteration answers once through Discord's path (Invocation -> Answerer.answer -> renderDiscord) and once through Slack's " +
        "(Answerer.answerText -> renderSlack); p50/p99 pool both, ops/s counts both.",
      "Story commands rotate over every story; /who rotates over 100 distinct queries per kind (surnames and full names of random people, typos of them, made-up names).",
      `Lookup rows: EntityLookup.find and complete alone, ${mode.queriesPerKind} distinct queries per kind, ${mode.lookupPasses} passes after one warm-up pass.`,
      `Load: loadContentDir (read, YAML + schema pass, cross-check pass, index), first load in this process then median of ${mode.reloads} more; ` +
        `heap and RSS growth across the first load, ${gc.how}. The real content's commands are measured before the generated corpus is written.`,
      `Real content: ${real.content.fileCount} files, ${real.content.stories.length} ${real.content.stories.length === 1 ? "story" : "stories"}, ` +
        `${real.content.entities.length} people and organisations.`,
      corpusNote(summary),
      "Logging goes to a silent logger, so log formatting and output are not in the figures. /digest runs without a digest store: it measures the 'not set up' answer only.",
      `Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}); 1-minute load average ${round(loadAtStart)} at the start, ` +
        `${round(os.loadavg()[0] ?? Number.NaN)} at the end (above the CPU count, other processes compete and p99 rises).`,
    ];
    if (options.quick) notes.push("Quick mode: small corpus and few iterations; the figures are not meaningful.");
    return { name: "3. Core", rows, goals, notes };
  } finally {
    await rm(corpusDir, { recursive: true, force: true });
  }
};
