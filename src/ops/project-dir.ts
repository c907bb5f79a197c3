// Where the project lives (one above dist/ or src/), so `npm start` and the CLIs work from any working directory.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project folder: this file is src/ops/project-dir.ts or dist/ops/project-dir.js. */
export const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The folder config/ and relative paths are read from: the working directory when CONFIG_DIR is set, else the project. */
export function configBaseDir(env: NodeJS.ProcessEnv): string {
  return env["CONFIG_DIR"] ? process.cwd() : projectDir;
}
