// Starting the compiled bot as a child process in tests, and reading its JSON log lines from the first one on.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot } from "./helpers.js";

/**
 * `node dist/main.js` with only PATH, HOME and `env`, so no token from the developer's shell leaks in.
 * stdin "pipe" keeps it open (a console that keeps running); "ignore" closes it.
 * Each bot gets a database of its own in a temporary folder unless `env` names one (DATABASE_PATH).
 */
export function spawnBot(
  env: Record<string, string>,
  stdin: "pipe" | "ignore" = "ignore",
  nodeArgs: readonly string[] = [],
): ChildProcess {
  const database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-db-")), "bot.sqlite");
  return spawn(process.execPath, [...nodeArgs, path.join(projectRoot, "dist/main.js")], {
    cwd: projectRoot,
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", DATABASE_PATH: database, ...env },
    stdio: [stdin, "pipe", "pipe"],
  });
}

/** Reads the child's stderr (JSON lines) from the start, so no line is missed between two waits. */
export class LogReader {
  readonly lines: string[] = [];
  private buffered = "";
  private readonly listeners = new Set<() => void>();

  constructor(private readonly child: ChildProcess) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.buffered += chunk.toString("utf8");
      const parts = this.buffered.split("\n");
      this.buffered = parts.pop() ?? "";
      this.lines.push(...parts);
      for (const listener of [...this.listeners]) listener();
    });
  }

  entries(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  /** Resolves with the first log entry, already read or still to come, for which `match` holds. */
  waitFor(match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.entries().find(match);
        if (found) {
          this.listeners.delete(check);
          resolve(found);
        }
      };
      this.listeners.add(check);
      this.child.once("exit", (code) =>
        reject(new Error(`bot exited with ${String(code)}:\n${this.lines.join("\n")}`)),
      );
      check();
    });
  }
}

/**
 * Asks a console bot (started with stdin "pipe") a question and resolves with the answer printed after it: each answer
 * ends with a blank line, its "Updated" line last but one. Rejects if the bot exits first.
 */
export function consoleAsker(child: ChildProcess): (line: string) => Promise<string> {
  let stdout = "";
  const waiters: (() => void)[] = [];
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    waiters.splice(0).forEach((w) => w());
  });
  return (line) =>
    new Promise<string>((resolve, reject) => {
      const from = stdout.length;
      const check = () => {
        const answer = stdout.slice(from);
        if (/\n\n$/.test(answer) && answer.includes("Updated")) resolve(answer);
        else waiters.push(check);
      };
      waiters.push(check);
      child.once("exit", (code) => reject(new Error(`bot exited with ${String(code)} before answering ${line}`)));
      child.stdin?.write(`${line}\n`);
    });
}
