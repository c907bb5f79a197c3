// Digests without any account: the console bot prints a due digest, and npm run digest -- --dry-run shows what would go out.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { projectRoot } from "../helpers.js";

let database: string;
const env = () => ({ PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", DATABASE_PATH: database });

/** A console subscription whose digest fell due two minutes ago. */
async function seedConsole(channel = "console:local"): Promise<void> {
  const store = await openSqliteStore(database);
  const due = new Date(Date.now() - 2 * 60_000);
  const time = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  await store.putSubscription({
    channel,
    platform: "console",
    time,
    timeZone: "UTC",
    stories: [],
    createdAt: new Date(Date.now() - 86_400_000).toISOString(),
    createdBy: "console user",
  });
  await store.close();
}

beforeEach(() => {
  database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-console-digest-")), "bot.sqlite");
});

afterEach(() => {
  database = "";
});

describe("digests in the console", () => {
  it("prints the digest that is due when the console bot starts, and records it as delivered", async () => {
    await seedConsole();
    const child = spawn(process.execPath, [path.join(projectRoot, "dist/main.js")], {
      cwd: projectRoot,
      env: env(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no digest printed:\n${stdout}`)), 15_000);
      child.stdout.on("data", () => {
        if (stdout.includes("Sources:")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.stdin.end();
    await new Promise((resolve) => child.once("exit", resolve));
    expect(stdout).toContain("Daily digest: US envoy held secret direct talks");
    expect(stdout).toContain("Key points");
    const store = await openSqliteStore(database);
    const rows = await store.listDeliveries();
    await store.close();
    expect(rows.map((r) => [r.channel, r.state])).toEqual([["console:local", "delivered"]]);
  });
});

describe("npm run digest -- --dry-run", () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(projectRoot, "dist/cli/digest.js"), ...args], {
      cwd: projectRoot,
      env: env(),
      encoding: "utf8",
      timeout: 15_000,
    });

  it("prints what each subscription would receive now, and posts or records nothing", async () => {
    await seedConsole("console:local");
    await seedConsole("slack:T1:C1");
    const result = cli(["--dry-run"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("=== console:local");
    expect(result.stdout).toContain("=== slack:T1:C1");
    expect(result.stdout).toContain("catch-up digest");
    const store = await openSqliteStore(database);
    expect(await store.listDeliveries()).toEqual([]);
    expect((await store.announced("console:local")).size).toBe(0);
    await store.close();
  });

  it("says so when nothing is subscribed, and refuses to send for real", () => {
    const empty = cli(["--dry-run"]);
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain("No channel subscribes to a digest yet");
    const real = cli([]);
    expect(real.status).toBe(2);
    expect(real.stderr).toContain("Only --dry-run is supported");
  });
});
