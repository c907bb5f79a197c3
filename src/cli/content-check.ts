// `npm run content:check`: validates content/ and prints every problem; exits 1 when there is any.
import path from "node:path";
import { formatContentReport } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";

const dir = path.resolve(process.argv[2] ?? process.env["CONTENT_DIR"] ?? "content");
const result = loadContentDir(dir);
const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
if (result.ok) {
  const { content } = result;
  const updates = content.stories.reduce((n, s) => n + s.updates.length, 0);
  console.log(
    `Content is valid: ${count(content.fileCount, "file", "files")}, ${count(content.stories.length, "story", "stories")} (${content.stories.map((s) => `/${s.command}`).join(", ")}), ${count(updates, "update", "updates")}, ${count(content.entities.length, "person or organisation", "people and organisations")}, ${count(content.sourceById.size, "source", "sources")}.`,
  );
} else {
  console.error(formatContentReport(result.errors));
  process.exitCode = 1;
}
