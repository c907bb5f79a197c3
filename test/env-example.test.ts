// .env.example lists exactly the environment variables the source reads, so operators see every setting and nothing stale.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./helpers.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const NAME = "[A-Z][A-Z0-9_]*";
/** The ways the source reads a variable by name: env["X"] and process.env["X"], env.X, and helpers called as f(env, "X"). */
const READS = [
  new RegExp(`\\benv\\s*\\[\\s*["'](${NAME})["']\\s*\\]`, "g"),
  new RegExp(`\\benv\\??\\.(${NAME})\\b`, "g"),
  // Platform settings read through value(env, "SLACK_BOT_TOKEN"), which trims and treats "" as unset.
  new RegExp(`\\(\\s*env\\s*,\\s*["'](${NAME})["']`, "g"),
];
/** Reads whose name the scan cannot see, allowed only where the names are found another way (below). */
const DYNAMIC_READ = /\benv\s*\[\s*(?!["'])/g;
const DYNAMIC_ALLOWED: Record<string, string> = {
  "src/ops/config.ts": "env[variable] over the keys of ENV_OVERRIDES, collected below",
  "src/adapters/shared/env.ts": "env[name] in value(env, name), whose callers the scan reads",
};

function readsOfSource(): { names: Set<string>; unexplained: string[] } {
  const names = new Set<string>();
  const unexplained: string[] = [];
  for (const file of sourceFiles(path.join(projectRoot, "src"))) {
    const text = readFileSync(file, "utf8");
    const relative = path.relative(projectRoot, file).split(path.sep).join("/");
    for (const pattern of READS) for (const match of text.matchAll(pattern)) names.add(match[1] ?? "");
    if (DYNAMIC_READ.test(text) && DYNAMIC_ALLOWED[relative] === undefined) unexplained.push(relative);
    DYNAMIC_READ.lastIndex = 0;
  }
  // ops/config.ts maps each variable of ENV_OVERRIDES onto a setting; the keys are the names it reads.
  const config = readFileSync(path.join(projectRoot, "src/ops/config.ts"), "utf8");
  const block = /const ENV_OVERRIDES\b[^=]*=\s*\{([^}]*)\}/.exec(config)?.[1];
  if (block === undefined)
    throw new Error("src/ops/config.ts: ENV_OVERRIDES not found; update this test to where the overrides live");
  for (const match of block.matchAll(new RegExp(`^\\s*(${NAME})\\s*:`, "gm"))) names.add(match[1] ?? "");
  return { names, unexplained };
}

/** Variables the source reads that no operator sets: a library sets them for processes it starts. */
const SET_BY_LIBRARIES: Record<string, string> = {
  SHARDING_MANAGER: "discord.js sets it in each shard process its ShardingManager starts (src/cli/discord-shards.ts)",
};

/** Variables in .env.example, set (`NAME=`) or shown commented out (`# NAME=default`). */
function listedInExample(): string[] {
  const text = readFileSync(path.join(projectRoot, ".env.example"), "utf8");
  return [...text.matchAll(new RegExp(`^#?\\s*(${NAME})=`, "gm"))].map((m) => m[1] ?? "");
}

describe(".env.example", () => {
  const { names, unexplained } = readsOfSource();
  const listed = listedInExample();

  it("is checked against a scan that finds the variables the source reads", () => {
    // Guards against a scan gone blind: these are read in three different ways.
    expect([...names]).toEqual(
      expect.arrayContaining(["CONFIG_DIR", "LOG_LEVEL", "OPS_PORT", "SLACK_BOT_TOKEN", "DISCORD_TOKEN", "NODE_ENV"]),
    );
    expect(unexplained, "files reading env[...] with a computed name: make the names visible to this scan").toEqual([]);
  });

  it("lists every variable the source reads, each once", () => {
    expect([...names].filter((name) => !listed.includes(name) && SET_BY_LIBRARIES[name] === undefined).sort()).toEqual(
      [],
    );
    expect(listed.filter((name) => SET_BY_LIBRARIES[name] !== undefined)).toEqual([]);
    expect(listed.filter((name, i) => listed.indexOf(name) !== i)).toEqual([]);
  });

  it("lists nothing the source does not read", () => {
    expect(listed.filter((name) => !names.has(name)).sort()).toEqual([]);
  });

  it("explains each variable on the comment line above it", () => {
    const lines = readFileSync(path.join(projectRoot, ".env.example"), "utf8").split("\n");
    const bare = lines.flatMap((line, i) => {
      const name = new RegExp(`^#?\\s*(${NAME})=`).exec(line)?.[1];
      const above = lines[i - 1] ?? "";
      const explained = /^# \S/.test(above) && !new RegExp(`^#?\\s*${NAME}=`).test(above);
      return name !== undefined && !explained ? [name] : [];
    });
    expect(bare).toEqual([]);
  });
});
