// Small statistics for benchmark samples: percentiles, medians and ratios, without a dependency for ten lines.

/** The p-th percentile (0–100) of `samples` by the nearest-rank method; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** `ours / reference`, rounded to 3 places; a ratio above 1 means ours is slower (for times) or faster (for rates). */
export function ratio(ours: number, reference: number): number {
  return Math.round((ours / reference) * 1000) / 1000;
}

/** Rounds for display: 3 significant digits below 100, whole numbers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}

/** Resident set size of a process from /proc (Linux), in MiB; the peak (VmHWM) or the current (VmRSS). */
export async function residentMiB(pid: number, which: "VmRSS" | "VmHWM" = "VmRSS"): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${which}:\\s+(\\d+) kB`, "m").exec(status);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
}

/** Nanosecond clock in milliseconds, for per-operation timings. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux): robust to other load on the machine. */
export async function cpuMs(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")"; utime and stime are 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}
