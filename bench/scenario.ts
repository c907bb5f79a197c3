// What every benchmark scenario returns, so run.ts can print one table and write bench/results.json.

export interface BenchOptions {
  /** --quick: every scenario briefly, to prove the benchmarks still run (CI); figures are not meaningful. */
  quick: boolean;
  /** Progress lines on stderr, so stdout keeps only the table. */
  progress: (line: string) => void;
}

/** One line of the results table: a measured side ("newsbot", "bare Bolt", "real content", …) and its figures. */
export interface ResultRow {
  label: string;
  /** Column name -> value; numbers are printed rounded, units go in the column name ("p99 ms", "req/s"). */
  values: Record<string, number | string>;
}

/** A goal from BENCHMARKS.md and whether this run met it. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  /** "1. Slack answer path", … */
  name: string;
  rows: ResultRow[];
  goals: GoalCheck[];
  /** How it was measured in this run (scale factors, concurrency, rounds), shown under the table. */
  notes: string[];
}

export type Scenario = (options: BenchOptions) => Promise<ScenarioResult>;
