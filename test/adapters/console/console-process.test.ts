// The console bot end to end: the compiled bot as a child process with piped stdin, as a user runs it.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../../helpers.js";

const mainJs = path.join(projectRoot, "dist/main.js");

function runBot(input: string, env: Record<string, string> = {}, cwd = projectRoot) {
  // Only what the bot needs: no platform tokens leak in from the developer's shell.
  const result = spawnSync(process.execPath, [mainJs], {
    cwd,
    input,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "",
      // A database of its own, so runs neither share digest state nor write into the project.
      DATABASE_PATH: path.join(mkdtempSync(path.join(tmpdir(), "newsbot-console-")), "bot.sqlite"),
      ...env,
    },
    encoding: "utf8",
    timeout: 15_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the console bot as a process", () => {
  it("answers piped questions on stdout, logs JSON on stderr, and exits 0 at end of input", () => {
    const { code, stdout, stderr } = runBot("/who boehler\n/hostages summary\n");
    expect(code).toBe(0);
    expect(stdout).toContain("Adam Boehler\n============");
    expect(stdout).toContain("Key points");
    expect(stdout).toContain("Sources: Source article (citing Reuters and Axios)");
    expect(stdout).toContain("Updated 23 Nov 2026");
    expect(stdout).not.toContain('{"level"');
    // eslint-disable-next-line no-control-regex
    expect(stdout).not.toMatch(/\u001b\[/);
    const logs = logLines(stderr);
    expect(logs.map((l) => l["msg"])).toEqual(expect.arrayContaining(["content loaded", "command answered"]));
    expect(logs.filter((l) => l["msg"] === "command answered")).toHaveLength(2);
  });

  it("runs from any working directory", () => {
    const { code, stdout } = runBot("/who trump\n", {}, tmpdir());
    expect(code).toBe(0);
    expect(stdout).toContain("Donald Trump");
  });

  it("answers bad input privately and helpfully, without a stack trace, and still exits 0", () => {
    const { code, stdout, stderr } = runBot(`/nonsense\n/who ${"x".repeat(500)}\n/who \u200Bboehler\n`);
    expect(code).toBe(0);
    expect(stdout).toContain("I don't know the command “/nonsense”");
    expect(stdout).toContain("longer than I accept (200 characters)");
    expect(stdout).toContain("Adam Boehler");
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(logLines(stderr).filter((l) => l["outcome"] === "user-error")).toHaveLength(2);
  });

  it("refuses to start on invalid content and prints every problem", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "newsbot-content-"));
    const broken = path.join(dir, "content");
    cpSync(path.join(projectRoot, "content"), broken, { recursive: true });
    writeFileSync(path.join(broken, "people/adam-boehler.md"), "---\nid: adam-boehler\nname: Adam Boehler\n---\n");
    writeFileSync(path.join(broken, "sources/extra.yaml"), "id: extra\npublisher: X\ntitle: Y\ncites: [nowhere]\n");
    const { code, stdout, stderr } = runBot("/who boehler\n", { CONTENT_DIR: broken }, dir);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("Content is invalid");
    expect(stderr).toContain("content/people/adam-boehler.md: description: is required");
    expect(stderr).toContain("content/people/adam-boehler.md: sources: is required");
    expect(stderr).toContain('content/sources/extra.yaml: cites[0]: unknown source "nowhere"');
  });

  it("refuses to start on invalid configuration and lists what is wrong", () => {
    const { code, stdout, stderr } = runBot("/help\n", { LOG_LEVEL: "loud", DISPLAY_TIME_ZONE: "Nowhere/Land" });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("The configuration is invalid");
    expect(stderr).toContain("logLevel (LOG_LEVEL)");
    expect(stderr).toContain("answers.timeZone (DISPLAY_TIME_ZONE)");
  });
});

describe("npm scripts", () => {
  it("npm start answers piped input (the README's command)", () => {
    const result = spawnSync("npm", ["start", "--silent"], {
      cwd: projectRoot,
      input: "/who netanyahu\n",
      encoding: "utf8",
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        DATABASE_PATH: path.join(mkdtempSync(path.join(tmpdir(), "newsbot-npm-start-")), "bot.sqlite"),
      },
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trimStart().startsWith("Benjamin Netanyahu")).toBe(true);
    // npm start compiles the whole bot first (prestart), which alone takes about 20 s of CPU here.
  }, 90_000);

  it("npm run content:check passes on the real content", () => {
    const result = spawnSync("npm", ["run", "--silent", "content:check"], {
      cwd: projectRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Content is valid");
    // The script compiles the whole bot first (about 20 s of CPU here) before it checks anything.
  }, 90_000);

  it("content:check exits 1 with the list of problems on broken content", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "newsbot-check-"));
    cpSync(path.join(projectRoot, "content"), dir, { recursive: true });
    writeFileSync(
      path.join(dir, "organisations/qatar.md"),
      '---\nid: qatar\nname: Qatar\naliases: [Hamas]\ndescription: x\nsources: [source-article]\nversion: 1\nfirstCreated: "2026-11-23T09:00:00Z"\nversionCreated: "2026-11-23T09:00:00Z"\n---\n',
    );
    const result = spawnSync(process.execPath, [path.join(projectRoot, "dist/cli/content-check.js"), dir], {
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/organisations\/qatar\.md: aliases\[0\]: duplicate of "Hamas"/);
  });
});
