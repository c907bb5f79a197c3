// The console bot end to end: the compiled bot as a child process with piped stdin, as a user runs it, and at a
// real pseudo-terminal (util-linux `script`), where it completes on Tab and wraps at the terminal's width.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { madeUpOrganisation, projectRoot } from "../../helpers.js";

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

  it("suggests the nearest command with the asker's words kept: /whoo boehler offers /who boehler", () => {
    const { code, stdout } = runBot("/whoo boehler\n");
    expect(code).toBe(0);
    expect(stdout).toContain("I don't know the command “/whoo”");
    expect(stdout).toContain("Try: /who boehler");
  });

  it("suggests /who names as a reader types them, and each suggested line answers that card", () => {
    const { code, stdout } = runBot("/who netanyahoo\n");
    expect(code).toBe(0);
    const tryLine = stdout.split("\n").find((line) => line.startsWith("Try: "));
    expect(tryLine).toBe("Try: /who Benjamin Netanyahu  ·  /who Office of the Israeli Prime Minister");
    const asked = runBot(`${(tryLine ?? "").slice("Try: ".length).split("  ·  ").join("\n")}\n`);
    expect(asked.stdout).toContain("Benjamin Netanyahu\n==================");
    expect(asked.stdout).toContain("Office of the Israeli Prime Minister\n====================================");
  });

  it("suggests names with quotes and apostrophes as lines that answer when typed back", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "newsbot-content-"));
    const edited = path.join(dir, "content");
    cpSync(path.join(projectRoot, "content"), edited, { recursive: true });
    const names = ["Cairo’s Back Room", "Hamas's Political Bureau", 'The "Doha" Channel'];
    names.forEach((name, i) => {
      const file = madeUpOrganisation(`made-up-office-${i}`, name, ["go-between"]);
      writeFileSync(path.join(edited, file.path), file.text);
    });
    const { stdout } = runBot("/who go-between\n", { CONTENT_DIR: edited }, dir);
    const tryLine = stdout.split("\n").find((line) => line.startsWith("Try: "));
    expect(tryLine).toBe(`Try: ${names.map((name) => `/who ${name}`).join("  ·  ")}`);
    const asked = runBot(`${names.map((name) => `/who ${name}`).join("\n")}\n`, { CONTENT_DIR: edited }, dir);
    for (const name of names) expect(asked.stdout).toContain(`${name}\n${"=".repeat(name.length)}`);
  });

  it("answers /hostages tim as the timeline, saying so in one line, and keeps /hostages s a question", () => {
    const { code, stdout } = runBot("/hostages tim\n/hostages s\n");
    expect(code).toBe(0);
    expect(stdout).toContain("Showing /hostages timeline");
    expect(stdout).toContain("/hostages has no “s”");
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

/** util-linux `script` runs a command on a pseudo-terminal of its own; CI has it, and without CI a missing one skips. */
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
const running: { kill: () => void }[] = [];
afterEach(() => running.splice(0).forEach((bot) => bot.kill()));

/** The bot at a terminal `columns` wide, typed into key by key; `screen` is everything the terminal was sent. */
function botAtTerminal(columns: number) {
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  const command = `stty cols ${columns} rows 40 && exec ${quote(process.execPath)} ${quote(mainJs)}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: projectRoot,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "",
      TERM: "xterm",
      // Plain text, to compare word for word with the piped answer.
      NO_COLOR: "1",
      DATABASE_PATH: path.join(mkdtempSync(path.join(tmpdir(), "newsbot-tty-")), "bot.sqlite"),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (screen += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  running.push({ kill: () => child.kill("SIGKILL") });

  const until = async (what: string, seen: () => boolean) => {
    const deadline = Date.now() + 15_000;
    while (!seen()) {
      if (Date.now() > deadline) throw new Error(`never saw ${what}; the terminal shows:\n${screen.slice(-800)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  /** The prompt line as shown: readline redraws it after the last "news> " and appends typed letters. */
  const promptLine = () => stripVTControlCharacters(screen.slice(screen.lastIndexOf("news> "))).split(/[\r\n]/)[0];
  return {
    started: () => until("the prompt", () => screen.includes("news> ")),
    type: async (keys: string, expected: string) => {
      child.stdin.write(keys);
      await until(`the prompt line “${expected}”`, () => promptLine() === expected);
    },
    /** Presses Enter; resolves with the answer as the terminal showed it, once the next prompt is up. */
    enter: async () => {
      const before = screen.length;
      child.stdin.write("\r");
      await until("the next prompt", () => screen.indexOf("news> ", before) >= 0);
      const answer = screen.slice(before, screen.indexOf("news> ", before));
      return stripVTControlCharacters(answer).replace(/\r+\n/g, "\n").trim();
    },
    exit: async () => {
      child.stdin.write("exit\r");
      return exited;
    },
  };
}

/** The words of a text whatever its line breaks; the rule under a plain title is drawn as wide as the title shows. */
const wordsOf = (text: string) => text.split(/\s+/).filter((word) => word !== "" && !/^=+$/.test(word));

describe.skipIf(!hasScript && process.env["CI"] === undefined)("the console bot at a terminal", () => {
  it("completes commands, subcommands and /who names on Tab, and answers the completed line", async () => {
    const bot = botAtTerminal(80);
    await bot.started();
    await bot.type("/hos", "news> /hos");
    await bot.type("\t", "news> /hostages ");
    await bot.type("la", "news> /hostages la");
    await bot.type("\t", "news> /hostages latest ");
    expect(await bot.enter()).not.toContain("has no");
    await bot.type("/who adam bohler", "news> /who adam bohler");
    await bot.type("\t", "news> /who Adam Boehler ");
    const card = await bot.enter();
    expect(card).toContain("Adam Boehler\n============");
    expect(card).not.toContain("No exact match");
    expect(await bot.exit()).toBe(0);
  });

  it("wraps answers at the terminal's width on word boundaries, bullets hanging, while piped output stays whole", async () => {
    const piped = runBot("/hostages explainer\n/hostages summary\n");
    expect(piped.code).toBe(0);
    const [explainer = "", summary = ""] = piped.stdout.trim().split(/\n\n(?=US envoy held)/);
    expect(explainer).toContain("Netanyahu's office said Israel had conveyed its view");

    const bot = botAtTerminal(40);
    await bot.started();
    await bot.type("/hostages explainer", "news> /hostages explainer");
    const narrow = await bot.enter();
    await bot.type("/hostages summary", "news> /hostages summary");
    const items = await bot.enter();
    expect(await bot.exit()).toBe(0);

    for (const [wrapped, whole] of [
      [narrow, explainer],
      [items, summary],
    ] as const) {
      expect(wrapped.split("\n").every((line) => [...line].length <= 40)).toBe(true);
      expect(whole.split("\n").some((line) => [...line].length > 40)).toBe(true);
      // Every word is there, in order, and none is cut in two ("co / nveyed").
      expect(wordsOf(wrapped)).toEqual(wordsOf(whole));
    }
    expect(narrow).toMatch(/\bconveyed\b/);
    const keyPoints = items.slice(items.indexOf("Key points\n"), items.indexOf("\n\n", items.indexOf("Key points")));
    const lines = keyPoints.split("\n").slice(1);
    expect(lines.length).toBeGreaterThan(6);
    for (const line of lines) expect(line).toMatch(/^ {2}• \S|^ {4}\S/);
  });
});
