// npm run bench: runs every scenario, prints one table per scenario and writes bench/results.json (--quick: briefly).
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import path from "node:path";
import { projectRoot } from "../test/helpers.js";
import { coreScenario } from "./core.js";
import { discordAnswerScenario } from "./discord-answer.js";
import { fanoutScenario } from "./fanout.js";
import { releaseScenario } from "./release.js";
import type { ResultRow, Scenario, ScenarioResult } from "./scenario.js";
import { slackAnswerScenario } from "./slack-answer.js";
import { soakScenario } from "./soak.js";
import { startupScenario } from "./startup.js";

const SCENARIOS: Record<string, Scenario> = {
  slack: slackAnswerScenario,
  discord: discordAnswerScenario,
  core: coreScenario,
  fanout: fanoutScenario,
  startup: startupScenario,
  soak: soakScenario,
  release: releaseScenario,
};

function table(rows: readonly ResultRow[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const cell = (value: number | string | undefined) => (value === undefined ? "" : String(value));
  const header = ["", ...columns];
  const body = rows.map((r) => [r.label, ...columns.map((c) => cell(r.values[c]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((line) => (line[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), ...body.map(line)].join("\n");
}

function print(result: ScenarioResult): void {
  const goals = result.goals.map((g) => `  ${g.met ? "met   " : "MISSED"} ${g.goal}: ${g.measured}`);
  const notes = result.notes.map((n) => `  - ${n}`);
  process.stdout.write(`\n## ${result.name}\n\n${table(result.rows)}\n\n${[...goals, ...notes].join("\n")}\n`);
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.filter((a) => !a.startsWith("--"));
const unknown = only.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(`Unknown scenario ${unknown.join(", ")}; choose from ${Object.keys(SCENARIOS).join(", ")}.\n`);
  process.exit(2);
}
const chosen = Object.entries(SCENARIOS).filter(([name]) => only.length === 0 || only.includes(name));
const machine = {
  cores: availableParallelism(),
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
process.stdout.write(
  `# newsbot benchmarks${quick ? " (quick: checks that they run, figures mean nothing)" : ""}\n${JSON.stringify(machine)}\n`,
);

const started = Date.now();
const results: ScenarioResult[] = [];
for (const [name, scenario] of chosen) {
  process.stderr.write(`\n[${name}] starting\n`);
  const result = await scenario({ quick, progress: (line) => process.stderr.write(`[${name}] ${line}\n`) });
  results.push(result);
  print(result);
}
const seconds = Math.round((Date.now() - started) / 1000);
process.stdout.write(`\nAll scenarios ran in ${seconds} s.\n`);
const output = path.join(projectRoot, "bench", quick ? "results-quick.json" : "results.json");
writeFileSync(
  output,
  `${JSON.stringify({ date: new Date().toISOString(), quick, seconds, machine, results }, null, 2)}\n`,
);
process.stdout.write(`Wrote ${path.relative(projectRoot, output)}.\n`);
