// The project's wiring files agree with the tree: package.json's scripts run files the build makes, and the process tests are the ones that need it.
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PROCESS_TESTS } from "../../vitest.config.js";
import { projectRoot } from "../helpers.js";
import { importsOf, isInside, stringLiteralsOf, toProjectPath, typeScriptFiles } from "../import-graph.js";

interface PackageJson {
  main?: string;
  scripts: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as PackageJson;
const scripts = Object.entries(pkg.scripts);

/** The commands of a shell line, each as its words: "a -b && c d" → [["a", "-b"], ["c", "d"]]. */
function commands(line: string): string[][] {
  return line
    .split(/&&|\|\||[;|]/)
    .map((command) => command.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0);
}

/** The word after `flag` (or after any of `flags`), if present. */
function argumentOf(words: readonly string[], ...flags: string[]): string | undefined {
  const at = words.findIndex((word) => flags.includes(word));
  return at < 0 ? undefined : words[at + 1];
}

/** The first word after position `from` that is not an option. */
function firstOperand(words: readonly string[], from: number): string | undefined {
  return words.slice(from).find((word) => !word.startsWith("-"));
}

/** The name of the script `npm run x` / `npm test` / `npm start` runs, if the command is one of those. */
function npmScriptOf(words: readonly string[]): string | undefined {
  if (words[0] !== "npm") return undefined;
  if (words[1] === "test" || words[1] === "start") return words[1];
  const run = words.findIndex((word) => word === "run" || word === "run-script");
  return run < 0 ? undefined : firstOperand(words, run + 1);
}

interface Emitter {
  readonly config: string;
  readonly outDir: string;
  readonly rootDir: string;
  readonly fileNames: ReadonlySet<string>;
}

/** The TypeScript projects the scripts compile (`tsc -p x` without --noEmit), with where each one writes. */
const emitters: Emitter[] = scripts.flatMap(([, line]) =>
  commands(line).flatMap((words) => {
    const config = words[0] === "tsc" ? argumentOf(words, "-p", "--project") : undefined;
    if (config === undefined || words.includes("--noEmit")) return [];
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(projectRoot, config), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
      },
    });
    const { outDir, rootDir } = parsed?.options ?? {};
    if (parsed === undefined || outDir === undefined || rootDir === undefined) return [];
    return [{ config, outDir, rootDir, fileNames: new Set(parsed.fileNames.map((file) => path.resolve(file))) }];
  }),
);

/** For a compiled path such as dist/cli/x.js: the source file a script's build compiles to it, or why there is none. */
function sourceOf(compiled: string): { source: string } | { problem: string } {
  const output = path.resolve(projectRoot, compiled);
  const emitter = emitters.find((e) => output.startsWith(`${path.resolve(e.outDir)}${path.sep}`));
  if (emitter === undefined) return { problem: `no script's tsc -p writes to ${path.dirname(compiled)}` };
  const source = path
    .join(path.resolve(emitter.rootDir), path.relative(path.resolve(emitter.outDir), output))
    .replace(/\.js$/, ".ts");
  if (!emitter.fileNames.has(source)) {
    return { problem: `${toProjectPath(projectRoot, source)} is not a source file that ${emitter.config} compiles` };
  }
  return { source: toProjectPath(projectRoot, source) };
}

/** A compiled file a command runs: dist/main.js, build/bench/bench/run.js. */
const COMPILED = /(?<![\w./-])((?:dist|build)\/[\w./-]+\.js)\b/g;
const isCompiled = (file: string) => /^(?:dist|build)\/.*\.js$/.test(file);

describe("package.json", () => {
  it("has scripts, and the tsc builds they run write somewhere", () => {
    expect(scripts.length).toBeGreaterThan(5);
    expect(emitters.map((e) => e.config)).toContain("tsconfig.build.json");
  });

  it("runs only compiled files whose source the build compiles (dist/cli/x.js ↔ src/cli/x.ts), main included", () => {
    const references = [...scripts, ["main", pkg.main ?? ""] as const].flatMap(([name, line]) =>
      [...line.matchAll(COMPILED)].map((match) => ({ name, compiled: match[1] ?? "" })),
    );
    expect(references.length).toBeGreaterThan(3);
    const problems = references.flatMap(({ name, compiled }) => {
      const found = sourceOf(compiled);
      return "problem" in found ? [`"${name}" runs ${compiled}: ${found.problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it("names only files that exist and scripts that exist", () => {
    const problems = scripts.flatMap(([name, line]) =>
      commands(line).flatMap((words) => {
        const found: string[] = [];
        const script = npmScriptOf(words);
        if (script !== undefined && !(script in pkg.scripts))
          found.push(`"${name}" runs npm script "${script}", which is not defined`);
        const files = [
          words[0] === "tsc" ? argumentOf(words, "-p", "--project") : undefined,
          words[0] === "vitest" ? argumentOf(words, "--config", "-c") : undefined,
          words[0] === "node" ? firstOperand(words, 1) : undefined,
        ];
        for (const file of files) {
          if (file === undefined || isCompiled(file)) continue;
          if (!existsInProject(file)) found.push(`"${name}" names ${file}, which does not exist`);
        }
        return found;
      }),
    );
    expect(problems).toEqual([]);
  });
});

function existsInProject(file: string): boolean {
  try {
    readFileSync(path.join(projectRoot, file));
    return true;
  } catch {
    return false;
  }
}

describe("the files that run the scripts", () => {
  it("call only npm scripts that exist (.ci/run, Dockerfile) and the Dockerfile runs a compiled file the build makes", () => {
    const problems = [".ci/run", "Dockerfile"].flatMap((file) => {
      const text = readFileSync(path.join(projectRoot, file), "utf8");
      const lines = text.split("\n").filter((line) => !line.trimStart().startsWith("#"));
      const missingScripts = lines
        .flatMap((line) => commands(line.replace(/^RUN\s+/, "")))
        .map(npmScriptOf)
        .filter((script): script is string => script !== undefined && !(script in pkg.scripts))
        .map((script) => `${file} runs npm script "${script}", which is not defined`);
      const compiled = lines.flatMap((line) => [...line.matchAll(COMPILED)].map((match) => match[1] ?? ""));
      const missingSources = compiled.flatMap((out) => {
        const found = sourceOf(out);
        return "problem" in found ? [`${file} runs ${out}: ${found.problem}`] : [];
      });
      return [...missingScripts, ...missingSources];
    });
    expect(problems).toEqual([]);
  });
});

describe("vitest.config.ts", () => {
  /** Why a test file needs the build, if it does: it or a test helper it imports (at any depth) spawns a process or names a path in dist/. */
  function needsBuild(file: string, seen = new Set<string>()): string | undefined {
    if (seen.has(file)) return undefined;
    seen.add(file);
    const refs = importsOf(projectRoot, file);
    const compiled = stringLiteralsOf(projectRoot, file).find((text) => /^dist(?:\/|$)/.test(text));
    if (compiled !== undefined) return `${file} names ${JSON.stringify(compiled)}`;
    const spawns = refs.find((ref) => ref.specifier === "node:child_process" || ref.specifier === "child_process");
    if (spawns !== undefined) return `${file} imports ${spawns.specifier ?? ""}`;
    for (const ref of refs) {
      if (ref.kind !== "runtime" || !isInside(ref.target, "test")) continue;
      const reason = ref.target === undefined ? undefined : needsBuild(ref.target, seen);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  it("puts exactly the tests that need dist/ in the process project (so npm run test:unit never builds)", () => {
    const testFiles = typeScriptFiles(projectRoot, "test").filter(
      (file) => file.endsWith(".test.ts") && !isInside(file, "test/dockerfile"),
    );
    const listed = new Set(PROCESS_TESTS);
    const missing = testFiles.flatMap((file) => {
      const reason = needsBuild(file);
      return reason !== undefined && !listed.has(file) ? [`${file} (${reason}) is not in PROCESS_TESTS`] : [];
    });
    const stale = PROCESS_TESTS.flatMap((file) => {
      if (!testFiles.includes(file)) return [`${file} is in PROCESS_TESTS but is not a test file`];
      return needsBuild(file) === undefined ? [`${file} is in PROCESS_TESTS but neither spawns nor uses dist/`] : [];
    });
    expect([...missing, ...stale]).toEqual([]);
  });
});
