// The layering rules of docs/ARCHITECTURE.md, checked on the real imports of src/ (read with the TypeScript compiler's parser).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./helpers.js";
import {
  describeImport,
  environmentReadsOf,
  importCycles,
  importsOf,
  isInside,
  isRelative,
  packageName,
  typeScriptFiles,
  type ImportRef,
} from "./import-graph.js";

const srcFiles = typeScriptFiles(projectRoot, "src");
const imports: ImportRef[] = srcFiles.flatMap((file) => importsOf(projectRoot, file));

/** The imports made by files inside `dir` (a project path such as "src/core"). */
function importsFrom(dir: string): ImportRef[] {
  return imports.filter((ref) => isInside(ref.from, dir));
}

/** The package a bare import names, or undefined for a relative import. */
function packageOf(ref: ImportRef): string | undefined {
  return ref.specifier === undefined || isRelative(ref.specifier) ? undefined : packageName(ref.specifier);
}

/** Libraries the core may use: validation, YAML, Markdown and string distance. Nothing that talks to a platform or a database. */
// luxon: time-zone arithmetic for the digest schedule, pure computation like the others.
const CORE_ALLOWED_PACKAGES = new Set(["zod", "yaml", "js-yaml", "marked", "fastest-levenshtein", "luxon"]);
const PLATFORM_SDK = (name: string) =>
  name === "discord.js" || name.startsWith("@discordjs/") || name.startsWith("@slack/");
const DATABASE_DRIVERS = new Set(["better-sqlite3", "pg"]);
/** The core's command machinery: adapters reach it only through the core's Answerer (src/core/answerer.ts). */
const COMMAND_MACHINERY = [
  "src/core/commands/dispatch.ts",
  "src/core/commands/parse.ts",
  "src/core/commands/registry.ts",
];
/** The one scheduler file adapters may see, and only its types: the DigestPoster port they implement. */
const SCHEDULER_PORT = "src/scheduler/poster.ts";

describe("the import graph", () => {
  it("has source files and imports to check", () => {
    expect(srcFiles.filter((file) => isInside(file, "src/core")).length).toBeGreaterThan(10);
    expect(imports.length).toBeGreaterThan(100);
  });

  it("names every module literally, and every relative import resolves to a file", () => {
    // A computed import(name) or a dangling path would slip past every rule below, so neither is allowed.
    const offending = imports
      .filter((ref) => ref.specifier === undefined || (isRelative(ref.specifier) && ref.target === undefined))
      .map(describeImport);
    expect(offending).toEqual([]);
  });
});

describe("the core layer (src/core)", () => {
  it("imports nothing outside src/core but node: built-ins and its allow-listed packages", () => {
    const offending = importsFrom("src/core")
      .filter((ref) => {
        const name = packageOf(ref);
        if (name === undefined) return !isInside(ref.target, "src/core");
        return !ref.specifier?.startsWith("node:") && !CORE_ALLOWED_PACKAGES.has(name);
      })
      .map(describeImport);
    expect(offending).toEqual([]);
  });

  it("reads no environment variable", () => {
    const offending = srcFiles
      .filter((file) => isInside(file, "src/core"))
      .flatMap((file) => environmentReadsOf(projectRoot, file).map((line) => `${file}:${line} reads the environment`));
    expect(offending).toEqual([]);
  });
});

describe("the store (src/store) and the scheduler (src/scheduler)", () => {
  it("import no platform SDK and nothing from src/adapters", () => {
    const offending = [...importsFrom("src/store"), ...importsFrom("src/scheduler")]
      .filter((ref) => {
        const name = packageOf(ref);
        return name === undefined ? isInside(ref.target, "src/adapters") : PLATFORM_SDK(name);
      })
      .map(describeImport);
    expect(offending).toEqual([]);
  });
});

describe("the adapters (src/adapters)", () => {
  it("import no database driver, and from src/store only types (import type)", () => {
    const offending = importsFrom("src/adapters")
      .filter((ref) => {
        const name = packageOf(ref);
        if (name !== undefined) return DATABASE_DRIVERS.has(name);
        return isInside(ref.target, "src/store") && ref.kind === "runtime";
      })
      .map(describeImport);
    expect(offending).toEqual([]);
  });

  it("do not import the core's command machinery (dispatch, parse, registry): the Answerer is their one way in", () => {
    const offending = importsFrom("src/adapters")
      .filter((ref) => ref.target !== undefined && COMMAND_MACHINERY.includes(ref.target))
      .map(describeImport);
    expect(offending).toEqual([]);
  });
});

describe("wiring layers together", () => {
  // Only src/main.ts and src/cli/** wire the layers to one another at run time. Outside them:
  // - a file under src/adapters refers to src/scheduler only with `import type` from src/scheduler/poster.ts (the DigestPoster port);
  // - a file under src/ops imports src/adapters and src/store with `import type` only, never at run time.
  // (Type-only means `import type` / `export type`: with verbatimModuleSyntax, `import { type X }` still loads the module.)
  it("is left to src/main.ts and src/cli: adapters see only the scheduler's port types, ops no adapter or store at run time", () => {
    const adaptersIntoScheduler = importsFrom("src/adapters").filter(
      (ref) => isInside(ref.target, "src/scheduler") && (ref.kind === "runtime" || ref.target !== SCHEDULER_PORT),
    );
    const opsIntoAdaptersOrStore = importsFrom("src/ops").filter(
      (ref) => ref.kind === "runtime" && (isInside(ref.target, "src/adapters") || isInside(ref.target, "src/store")),
    );
    expect([...adaptersIntoScheduler, ...opsIntoAdaptersOrStore].map(describeImport)).toEqual([]);
  });
});

describe("src/", () => {
  it("holds only main.ts at its root; everything else lives in a layer's folder", () => {
    const rootFiles = readdirSync(path.join(projectRoot, "src"), { withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => `src/${entry.name}`);
    expect(rootFiles).toEqual(["src/main.ts"]);
  });

  it("has no import cycle (type-only imports included)", () => {
    expect(importCycles(imports, "src").map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});

describe("every source file", () => {
  it("starts with a one-line header comment saying what it is for", () => {
    const files = [...typeScriptFiles(projectRoot, "src"), ...typeScriptFiles(projectRoot, "test")];
    const missing = files.filter((file) => !/^\/\/ \S.{10,}/.test(readFileSync(path.join(projectRoot, file), "utf8")));
    expect(missing).toEqual([]);
  });
});
