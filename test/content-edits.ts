// Editors' changes to the real content, prepared for the release tests: each a function from files to files.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ContentFile } from "../src/core/content/parse-file.js";
import { contentDir, realContentFiles, withEditedFile } from "./helpers.js";

export const ULTIMATUM = "stories/hostages/updates/2025-03-05-trump-ultimatum.md";
export const REACTIONS = "stories/hostages/updates/2025-03-reactions.md";
export const SECRET_TALKS = "stories/hostages/updates/2025-03-05-secret-talks-revealed.md";
export const BOEHLER = "people/adam-boehler.md";
export const NEW_UPDATE = "stories/hostages/updates/2025-03-06-hamas-responds.md";
export const NEW_PERSON = "people/steve-witkoff.md";

export type Edit = (files: ContentFile[]) => ContentFile[];

export const replaceIn =
  (file: string, from: string | RegExp, to: string): Edit =>
  (files) =>
    withEditedFile(file, (text) => text.replace(from, to), files);

export const setVersion = (file: string, version: number): Edit =>
  replaceIn(file, /^version: \d+$/m, `version: ${version}`);

export const setVersionCreated = (file: string, at: string): Edit =>
  replaceIn(file, /^versionCreated: .*$/m, `versionCreated: "${at}"`);

export const addFile =
  (relPath: string, text: string): Edit =>
  (files) =>
    [...files, { path: relPath, text }].sort((a, b) => a.path.localeCompare(b.path));

export const removeFile =
  (relPath: string): Edit =>
  (files) =>
    files.filter((f) => f.path !== relPath);

export const apply = (files: ContentFile[], ...edits: Edit[]): ContentFile[] => edits.reduce((f, e) => e(f), files);

/** A correction on the ultimatum's first claim, whose text is corrected with it (so the update's version rises). */
export const CORRECTION = `corrections:
  - id: ultimatum-posted-after-meeting
    published: "2026-11-25T10:00:00Z"
    claims: [trump-demanded-release-of-all-hostages]
    wrong: "Trump posted the warning before meeting the freed hostages."
    right: "Trump posted the warning after meeting the freed hostages."
    sources: [source-article]
`;

export const addCorrection: Edit = (files) =>
  apply(
    files,
    replaceIn(ULTIMATUM, /^claims:$/m, `${CORRECTION}claims:`),
    setVersion(ULTIMATUM, 2),
    setVersionCreated(ULTIMATUM, "2026-11-25T10:00:00Z"),
  );

export const newUpdateText = (headline = "Hamas responds to the ultimatum"): string => `---
id: 2025-03-06-hamas-responds
story: hostages
eventTime: "2025-03-06"
headline: "${headline}"
summary: "Hamas said it would study the demand, according to the source article."
significance: major
sources: [source-article]
version: 1
firstCreated: "2026-11-25T09:00:00Z"
versionCreated: "2026-11-25T09:00:00Z"
pubStatus: usable
---
`;

export const addUpdate: Edit = addFile(NEW_UPDATE, newUpdateText());

export const NEW_PERSON_TEXT = `---
id: steve-witkoff
name: "Steve Witkoff"
description: "The US special envoy to the Middle East."
sources: [source-article]
version: 1
firstCreated: "2026-11-25T09:00:00Z"
versionCreated: "2026-11-25T09:00:00Z"
pubStatus: usable
---
`;

export const addPerson: Edit = addFile(NEW_PERSON, NEW_PERSON_TEXT);

/** A minor fix: the secret-talks summary reworded, version 2, significance minor (readers are not told of it). */
export const minorFix: Edit = (files) =>
  apply(
    files,
    replaceIn(SECRET_TALKS, /^summary: "/m, 'summary: "Reworded: '),
    replaceIn(SECRET_TALKS, /^significance: major$/m, "significance: minor"),
    setVersion(SECRET_TALKS, 2),
  );

export const withdrawReactions: Edit = replaceIn(REACTIONS, /^pubStatus: usable$/m, "pubStatus: withheld");

/** The same documents written differently: a flow list as a block list, and a key moved. */
export const reformatBoehler: Edit = replaceIn(
  BOEHLER,
  /^sources: \[source-article, reuters, axios\]$/m,
  "sources:\n    - source-article\n    - reuters\n    - axios",
);

/** A copy of the real content folder (or of `files`) in a temporary folder of its own. */
export function contentFolder(files?: readonly ContentFile[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), "newsbot-content-"));
  if (files === undefined) cpSync(contentDir, dir, { recursive: true });
  else writeFiles(dir, files);
  return dir;
}

/** Writes `files` into `dir`; files not listed are left alone, so a removal needs a fresh folder. */
export function writeFiles(dir: string, files: readonly ContentFile[]): void {
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
}

export { realContentFiles };
