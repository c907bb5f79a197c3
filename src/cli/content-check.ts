// `npm run content:check`: validates content/ and prints every problem; exits 1 when there is any.
import path from "node:path";
import { formatContentReport } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";

const dir = path.resolve(process.argv[2] ?? process.env["CONTENT_DIR"] ?? "content");
const result = loadContentDir(dir);
if (result.ok) {
  const { content } = result;
  const updates = content.stories.reduce((n, s) => n + s.updates.length, 0);
  console.log(
    `Content is valid: ${content.fileCount} files, ${content.stories.length} stories (${content.stories.map((s) => `/${s.command}`).join(", ")}), ${updates} updates, ${content.entities.length} people and organisations, ${content.sourceById.size} sources.`,
  );
} else {
  console.error(formatContentReport(result.errors));
  process.exitCode = 1;
}
