// Shared by the two answer-path scenarios: alternating rounds of ours against a bare framework, and their table rows.
import type { GoalCheck, ResultRow } from "./scenario.js";
import { median, percentile, ratio, round } from "./stats.js";

/** One timed round of load against one side. */
export interface LoadRound {
  perSecond: number;
  /** CPU time the answering process used per answer. */
  cpuMsPerAnswer: number;
  latenciesMs: number[];
  failures: number;
}

/**
 * `rounds` rounds per side after a warm-up of each, alternating and swapping who goes first, so drift on a shared
 * machine falls on both sides alike.
 */
export async function alternate(
  run: (side: "bare" | "ours", seconds: number) => Promise<LoadRound>,
  rounds: number,
  seconds: number,
  warmUpSeconds: number,
) {
  await run("bare", warmUpSeconds);
  await run("ours", warmUpSeconds);
  const results = { bare: [] as LoadRound[], ours: [] as LoadRound[] };
  for (let i = 0; i < rounds; i += 1) {
    const order: ("bare" | "ours")[] = i % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"];
    for (const side of order) results[side].push(await run(side, seconds));
  }
  return results;
}

/** Rows for the reference, ours and their ratio, and the p99 goal (ours within 1.10x of the reference). */
export function compare(
  rounds: { bare: LoadRound[]; ours: LoadRound[] },
  labels: { bare: string; ours: string; rate: string; reference: string },
) {
  const summary = (list: LoadRound[]) => ({
    rate: median(list.map((r) => r.perSecond)),
    cpu: median(list.map((r) => r.cpuMsPerAnswer)),
    p50: median(list.map((r) => percentile(r.latenciesMs, 50))),
    p99: median(list.map((r) => percentile(r.latenciesMs, 99))),
    failures: list.reduce((sum, r) => sum + r.failures, 0),
  });
  const ours = summary(rounds.ours);
  const reference = summary(rounds.bare);
  const row = (label: string, s: typeof ours): ResultRow => ({
    label,
    values: {
      [labels.rate]: round(s.rate),
      "p50 ms": round(s.p50),
      "p99 ms": round(s.p99),
      "CPU ms/answer": round(s.cpu),
      failures: s.failures,
    },
  });
  const p99Ratio = ratio(ours.p99, reference.p99);
  const failures = ours.failures + reference.failures;
  const rows: ResultRow[] = [
    row(labels.bare, reference),
    row(labels.ours, ours),
    {
      label: "ratio newsbot / bare",
      values: {
        [labels.rate]: ratio(ours.rate, reference.rate),
        "p50 ms": ratio(ours.p50, reference.p50),
        "p99 ms": p99Ratio,
        "CPU ms/answer": ratio(ours.cpu, reference.cpu),
      },
    },
  ];
  const goals: GoalCheck[] = [
    { goal: `p99 within 1.10x of ${labels.reference}`, measured: `${p99Ratio}x`, met: p99Ratio <= 1.1 },
    { goal: "every command answered", measured: `${failures} failures`, met: failures === 0 },
  ];
  return { rows, goals };
}
