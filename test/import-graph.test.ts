// Tests for the import walker behind the architecture test: every import form, type-only detection, resolution, env reads.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  environmentReadsOf,
  importCycles,
  importsOf,
  isInside,
  packageName,
  resolveRelative,
  type ImportRef,
} from "./import-graph.js";

/** A throwaway project holding `files` (project path → text); returns its root. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "import-graph-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe("importsOf", () => {
  it("finds every import form, tells type-only ones apart and resolves relative ones to .ts files", () => {
    const root = project({
      "src/a.ts": [
        'import { x } from "./b.js";',
        'import type { T } from "./c.js";',
        'import { type U } from "./d.js";',
        'export { y } from "./e.js";',
        'export type { V } from "./f.js";',
        'export * from "./g/index.js";',
        'import h = require("./h.js");',
        'import type i = require("./i.js");',
        'const j = await import("./j.js");',
        'type K = typeof import("./k.js");',
        'import { createRequire } from "node:module";',
        'const l = createRequire(import.meta.url)("pkg-l");',
        "const load = createRequire(import.meta.url);",
        'const m = load("pkg-m/sub");',
        'const n = require("@scope/n/deep");',
        "const computed = await import(name);",
        'createRequire(import.meta.url).resolve("not-an-import");',
      ].join("\n"),
      ...Object.fromEntries(["b", "c", "d", "e", "f", "h", "i", "j", "k"].map((name) => [`src/${name}.ts`, ""])),
      "src/g/index.ts": "",
    });
    const refs = importsOf(root, "src/a.ts").map((ref) => [ref.line, ref.specifier, ref.kind, ref.target]);
    expect(refs).toEqual([
      [1, "./b.js", "runtime", "src/b.ts"],
      [2, "./c.js", "type", "src/c.ts"],
      // verbatimModuleSyntax keeps `import {} from "./d.js"`: the module still loads.
      [3, "./d.js", "runtime", "src/d.ts"],
      [4, "./e.js", "runtime", "src/e.ts"],
      [5, "./f.js", "type", "src/f.ts"],
      [6, "./g/index.js", "runtime", "src/g/index.ts"],
      [7, "./h.js", "runtime", "src/h.ts"],
      [8, "./i.js", "type", "src/i.ts"],
      [9, "./j.js", "runtime", "src/j.ts"],
      [10, "./k.js", "type", "src/k.ts"],
      [11, "node:module", "runtime", undefined],
      [12, "pkg-l", "runtime", undefined],
      [14, "pkg-m/sub", "runtime", undefined],
      [15, "@scope/n/deep", "runtime", undefined],
      [16, undefined, "runtime", undefined],
    ]);
  });

  it("leaves the target undefined when a relative import names no file", () => {
    const root = project({ "src/a.ts": 'import "./missing.js";' });
    expect(importsOf(root, "src/a.ts").map((ref) => ref.target)).toEqual([undefined]);
  });
});

describe("resolveRelative", () => {
  it("maps .js to .ts, accepts an extensionless path or a folder's index.ts, and keeps other files as they are", () => {
    const root = project({ "src/x/y.ts": "", "src/z/index.ts": "", "package.json": "{}" });
    expect(resolveRelative(root, "src/a.ts", "./x/y.js")).toBe("src/x/y.ts");
    expect(resolveRelative(root, "src/a.ts", "./x/y")).toBe("src/x/y.ts");
    expect(resolveRelative(root, "src/a.ts", "./z")).toBe("src/z/index.ts");
    expect(resolveRelative(root, "src/a.ts", "../package.json")).toBe("package.json");
    expect(resolveRelative(root, "src/a.ts", "./nowhere.js")).toBeUndefined();
  });
});

describe("isInside and packageName", () => {
  it("compare whole path segments and name the package of a deep or scoped specifier", () => {
    expect(isInside("src/core/a.ts", "src/core")).toBe(true);
    expect(isInside("src/core-x/a.ts", "src/core")).toBe(false);
    expect(isInside("src/core", "src/core")).toBe(true);
    expect(isInside(undefined, "src/core")).toBe(false);
    expect(packageName("@slack/bolt/dist/x")).toBe("@slack/bolt");
    expect(packageName("zod/v4")).toBe("zod");
  });
});

describe("environmentReadsOf", () => {
  it("finds process.env, process['env'], a destructured env and env imported from node:process", () => {
    const root = project({
      "src/a.ts": [
        'import { env as environment } from "node:process";',
        'import proc from "node:process";',
        'const a = process.env["A"];',
        'const b = process["env"];',
        "const { env } = process;",
        "const c = proc.env;",
        "const d = globalThis.process.env;",
        "const e = { env: 1 }.env;",
      ].join("\n"),
    });
    expect(environmentReadsOf(root, "src/a.ts")).toEqual([1, 3, 4, 5, 6, 7]);
  });
});

describe("importCycles", () => {
  const edge = (from: string, target: string, kind: ImportRef["kind"] = "runtime"): ImportRef => ({
    from,
    target,
    kind,
    specifier: target,
    line: 1,
  });

  it("reports each cycle as a path back to its start, type-only edges included, and nothing for a tree", () => {
    const refs = [
      edge("src/a.ts", "src/b.ts"),
      edge("src/b.ts", "src/a.ts", "type"),
      edge("src/c.ts", "src/c.ts"),
      edge("src/d.ts", "src/e.ts"),
      edge("src/e.ts", "src/f.ts"),
      edge("src/f.ts", "src/d.ts"),
      edge("src/e.ts", "src/d.ts"),
      edge("src/t.ts", "src/a.ts"),
      edge("src/t.ts", "src/u.ts"),
      edge("src/u.ts", "src/v.ts"),
    ];
    expect(importCycles(refs, "src").map((cycle) => cycle.join(" → "))).toEqual([
      "src/a.ts → src/b.ts → src/a.ts",
      "src/c.ts → src/c.ts",
      "src/d.ts → src/e.ts → src/d.ts",
      "src/e.ts → src/f.ts → src/d.ts → src/e.ts",
    ]);
  });

  it("ignores edges leaving the folder it checks", () => {
    expect(importCycles([edge("src/a.ts", "test/b.ts"), edge("test/b.ts", "src/a.ts")], "src")).toEqual([]);
  });
});
