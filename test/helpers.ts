// Shared test helpers: the real content, in memory, ready to load or to break on purpose.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AdapterDependencies } from "../src/adapters/adapter.js";
import { Answerer, type AnswererDependencies } from "../src/core/answerer.js";
import type { ContentIndex } from "../src/core/content/model.js";
import { buildContent, readContentFiles } from "../src/core/content/load.js";
import type { ContentFile } from "../src/core/content/parse-file.js";

/** The folder holding package.json above this file, so the benchmarks' compiled copy (build/bench/test) finds it too. */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
export const contentDir = path.join(projectRoot, "content");

/** The real content files, as the loader reads them. */
export function realContentFiles(): ContentFile[] {
  return readContentFiles(contentDir);
}

/** Content built from files that must be valid; throws with the loader's error list if they are not. */
export function buildValidContent(files: readonly ContentFile[]): ContentIndex {
  const result = buildContent(files, "content");
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join("\n"));
  return result.content;
}

/** The real content, loaded. */
export function loadRealContent(): ContentIndex {
  return buildValidContent(realContentFiles());
}

/** The real content files with one file's text changed by `edit` (the file must exist). */
export function withEditedFile(
  relPath: string,
  edit: (text: string) => string,
  files = realContentFiles(),
): ContentFile[] {
  const index = files.findIndex((f) => f.path === relPath);
  if (index < 0) throw new Error(`no content file ${relPath}`);
  const copy = [...files];
  const original = copy[index];
  if (!original) throw new Error(`no content file ${relPath}`);
  const edited = edit(original.text);
  if (edited === original.text) throw new Error(`edit left ${relPath} unchanged`);
  copy[index] = { path: relPath, text: edited };
  return copy;
}

/** What the composition root hands an adapter: the core's Answerer over these dependencies, and the same logger. */
export function adapterDeps(deps: AnswererDependencies & { rateLimited?: () => void }): AdapterDependencies {
  const { rateLimited, ...core } = deps;
  return { answerer: new Answerer(core), logger: deps.logger, ...(rateLimited && { rateLimited }) };
}

/**
 * A made-up organisation's file for tests that need names the real content lacks. `name` is written YAML
 * single-quoted, so double quotes and apostrophes pass as given; `roles` become its role aliases.
 */
export function madeUpOrganisation(id: string, name: string, roles: readonly string[] = []): ContentFile {
  const text = [
    "---",
    `id: ${id}`,
    `name: '${name.replace(/'/g, "''")}'`,
    ...(roles.length > 0 ? ["roleAliases:", ...roles.map((role) => `  - "${role}"`)] : []),
    'description: "A made-up organisation for testing."',
    "sources: [source-article]",
    "version: 1",
    'firstCreated: "2026-11-23T09:00:00Z"',
    'versionCreated: "2026-11-23T09:00:00Z"',
    "pubStatus: usable",
    "---",
    "",
  ].join("\n");
  return { path: `organisations/${id}.md`, text };
}
