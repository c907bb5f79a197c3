// Child processes for the benchmarks: the compiled bot and the bare framework apps, with their JSON lines and memory.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LogReader, spawnBot as spawnTestBot } from "../test/bot-process.js";

export { LogReader };

/** Extra node flags for the bot under test, e.g. BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
const BOT_NODE_ARGS = process.env["BENCH_BOT_NODE_ARGS"]?.split(" ").filter(Boolean) ?? [];

/** The compiled bot with only `env` (and its own temporary database unless env names one). */
export function spawnBot(env: Record<string, string>, stdin: "pipe" | "ignore" = "ignore"): ChildProcess {
  return spawnTestBot(env, stdin, BOT_NODE_ARGS);
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts a compiled bench/bare/*.js app; it prints one JSON line with what it listens on once ready. */
export function spawnBare(name: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [path.join(here, "bare", `${name}.js`)], {
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/** The first line the child prints on stdout, parsed as JSON. */
export function firstJsonLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const newline = buffered.indexOf("\n");
      if (newline < 0) return;
      child.stdout?.off("data", onData);
      resolve(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`process exited with ${String(code)} before it was ready`)));
  });
}

export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** SIGTERM, as an orchestrator would stop it (a profile, if asked for, is written then); SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited(child);
  clearTimeout(timer);
}

/** Discards a child's stdout so a full pipe never blocks it (the bot logs to stderr, read by LogReader). */
export function drainStdout(child: ChildProcess): void {
  child.stdout?.resume();
}
