// Content reload without restart: SIGHUP or a file change swaps in valid content; broken content is refused and the old keeps serving.
import type { ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { consoleAsker, LogReader, spawnBot } from "../bot-process.js";
import { contentDir } from "../helpers.js";

const PERSON = "people/adam-boehler.md";
const DESCRIPTION = /^description: .*$/m;

interface Bot {
  child: ChildProcess;
  log: LogReader;
  dir: string;
  /** Asks a question on stdin and resolves with the answer printed after it. */
  ask(line: string): Promise<string>;
}

let bot: Bot | undefined;

afterEach(() => {
  if (bot && bot.child.exitCode === null) bot.child.kill("SIGKILL");
  if (bot) rmSync(bot.dir, { recursive: true, force: true });
  bot = undefined;
});

async function startBot(env: Record<string, string> = {}): Promise<Bot> {
  const dir = mkdtempSync(path.join(tmpdir(), "newsbot-reload-"));
  cpSync(contentDir, dir, { recursive: true });
  // stdin stays open, as in a terminal, so the console keeps running while the content changes under it.
  const child = spawnBot({ CONTENT_DIR: dir, ...env }, "pipe");
  const log = new LogReader(child);
  const ask = consoleAsker(child);
  await log.waitFor((e) => e["msg"] === "content loaded");
  return { child, log, dir, ask };
}

function editPerson(dir: string, edit: (text: string) => string): void {
  const file = path.join(dir, PERSON);
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

describe("content reload", () => {
  it("keeps serving the last good content when SIGHUP finds broken content, and swaps in fixed content", async () => {
    bot = await startBot();
    expect(await bot.ask("/who boehler")).toContain("held several meetings with Hamas officials in Doha");

    editPerson(bot.dir, (text) =>
      text.replace(/^pubStatus: usable$/m, "pubStatus: maybe").replace(/^version: 1$/m, "version: lots"),
    );
    bot.child.kill("SIGHUP");
    const rejected = await bot.log.waitFor((e) => String(e["msg"]).startsWith("content reload rejected"));
    const problems = rejected["problems"] as string[];
    // Every problem is logged, each naming its file and field.
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.join("\n")).toMatch(/adam-boehler\.md: version/);
    expect(problems.join("\n")).toMatch(/adam-boehler\.md: pubStatus/);
    expect(await bot.ask("/who boehler")).toContain("held several meetings with Hamas officials in Doha");

    editPerson(bot.dir, (text) =>
      text
        .replace(/^pubStatus: maybe$/m, "pubStatus: usable")
        .replace(/^version: lots$/m, "version: 2")
        .replace(DESCRIPTION, 'description: "The US envoy for hostage affairs, in a corrected description."'),
    );
    bot.child.kill("SIGHUP");
    await bot.log.waitFor((e) => e["msg"] === "content reloaded");
    expect(await bot.ask("/who boehler")).toContain("in a corrected description");
  });

  it("reloads on its own after a file changes when CONTENT_WATCH is on", async () => {
    bot = await startBot({ CONTENT_WATCH: "true" });
    await bot.log.waitFor((e) => e["msg"] === "watching content for changes");
    editPerson(bot.dir, (text) =>
      text
        .replace(DESCRIPTION, 'description: "Described anew by a watching editor."')
        .replace(/^version: 1$/m, "version: 2"),
    );
    const reloaded = await bot.log.waitFor((e) => e["msg"] === "content reloaded");
    expect(reloaded["reason"]).toBe("file change");
    expect(await bot.ask("/who boehler")).toContain("Described anew by a watching editor.");
  });
});
