// The layering rules from docs/architecture.md, checked on the source itself.
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

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? "");
}

const coreFiles = sourceFiles(path.join(projectRoot, "src/core"));
/** Libraries the core may use: validation, YAML, Markdown and string distance. Nothing that talks to a platform or a database. */
// luxon: time-zone arithmetic for the digest schedule, pure computation like the others.
const CORE_ALLOWED_PACKAGES = new Set(["zod", "yaml", "js-yaml", "marked", "fastest-levenshtein", "luxon"]);

describe("the core layer", () => {
  it("has source files to check", () => {
    expect(coreFiles.length).toBeGreaterThan(10);
  });

  it("imports no platform SDK, database driver or package outside its allow-list", () => {
    const offending = coreFiles.flatMap((file) =>
      importsOf(file)
        .filter((spec) => !spec.startsWith(".") && !spec.startsWith("node:") && !CORE_ALLOWED_PACKAGES.has(spec))
        .map((spec) => `${path.relative(projectRoot, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("imports nothing from the adapters, the store, the scheduler or the composition root", () => {
    const offending = coreFiles.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => path.resolve(path.dirname(file), spec))
        .filter((target) => !target.startsWith(path.join(projectRoot, "src/core")))
        .map((target) => `${path.relative(projectRoot, file)} imports ${path.relative(projectRoot, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it("reads no environment variable", () => {
    const offending = coreFiles.filter((file) => /process\.env|process\[["']env["']\]/.test(readFileSync(file, "utf8")));
    expect(offending.map((f) => path.relative(projectRoot, f))).toEqual([]);
  });
});

describe("every source file", () => {
  it("starts with a one-line header comment saying what it is for", () => {
    const files = [...sourceFiles(path.join(projectRoot, "src")), ...sourceFiles(path.join(projectRoot, "test"))];
    const missing = files.filter((file) => !/^\/\/ \S.{10,}/.test(readFileSync(file, "utf8")));
    expect(missing.map((f) => path.relative(projectRoot, f))).toEqual([]);
  });
});
