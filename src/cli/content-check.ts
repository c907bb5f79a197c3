// `npm run content:check`: validates content/ and prints every problem; exits 1 when there is any.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { counted } from "../core/format.js";
import { configBaseDir } from "../ops/project-dir.js";
import { loadContent, report, runCli, type CliOutput } from "./bootstrap.js";

/**
 * The folder to check: a path given on the command line is the user's, relative to where they stand; CONTENT_DIR and
 * the default "content" are read against the folder the bot reads them against, so both name the same folder.
 */
export function contentDirToCheck(args: readonly string[], env: NodeJS.ProcessEnv): string {
  const given = args[0];
  if (given !== undefined) return path.resolve(given);
  return path.resolve(configBaseDir(env), env["CONTENT_DIR"] || "content");
}

/** Checks the content folder and reports through `out`; returns the exit code. */
export function contentCheck(args: readonly string[], env: NodeJS.ProcessEnv, out: CliOutput): number {
  const loaded = loadContent(contentDirToCheck(args, env));
  if (!loaded.ok) return report(out, loaded);
  const content = loaded.value;
  const updates = content.stories.reduce((n, s) => n + s.updates.length, 0);
  out.info(
    `Content is valid: ${counted(content.fileCount, "file", "files")}, ${counted(content.stories.length, "story", "stories")} (${content.stories.map((s) => `/${s.command}`).join(", ")}), ${counted(updates, "update", "updates")}, ${counted(content.entities.length, "person or organisation", "people and organisations")}, ${counted(content.sourceById.size, "source", "sources")}.`,
  );
  return 0;
}

// Run only as a program, so a test can import contentCheck without checking anything.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli("content:check stopped unexpectedly", (out) =>
    Promise.resolve(contentCheck(process.argv.slice(2), process.env, out)),
  );
}
