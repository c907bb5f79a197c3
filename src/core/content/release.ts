// A content release: the files as published, and the compiled documents a bot serves without parsing YAML again.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import type { ContentError } from "./content-error.js";
import { contentFromServed, parsedDoc, servedDoc, type ServedDoc } from "./load.js";
import type { ContentIndex } from "./model.js";
import type { ContentFile, ParsedDoc } from "./parse-file.js";

/**
 * The shape of `compiled` this code writes and reads. A bot refuses a release with a higher number (written by a newer
 * version, whose documents it may misread) and rebuilds one with a lower number from the release's files.
 */
export const RELEASE_SCHEMA_VERSION = 1;

/** Bounds that keep one editor's mistake (a video saved into content/) from filling the database. */
export const RELEASE_LIMITS = { fileBytes: 1024 * 1024, releaseBytes: 200 * 1024 * 1024 } as const;

/** What a release holds, counted for content:releases. */
export interface ReleaseCounts {
  files: number;
  stories: number;
  updates: number;
  entities: number;
  sources: number;
}

/**
 * The compiled form: every document as validated at publish time (withdrawn ones too, for the next comparison), in
 * the shape it is served in, so a bot indexes them without copying.
 */
export interface CompiledContent {
  schemaVersion: number;
  fingerprint: string;
  fileCount: number;
  items: ServedDoc[];
}

/** A release ready to store: the record of what was published and the form the bots load. */
export interface PreparedRelease {
  fingerprint: string;
  schemaVersion: number;
  counts: ReleaseCounts;
  /** The ContentFile list, in path order, packed (packJson). */
  files: Buffer;
  /** CompiledContent, packed (packJson). */
  compiled: Buffer;
  /** sha256 (hex) of the packed `compiled`, checked by every bot before it serves the release. */
  compiledHash: string;
}

export const hashBytes = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/**
 * JSON, gzipped: the large corpus's 22 MiB of compiled documents become 2 MiB, so a release costs a tenth of the
 * space (history only grows) and a bot reads it faster than the text, from Postgres most of all.
 */
export function packJson(value: unknown): Buffer {
  return gzipSync(JSON.stringify(value));
}

/** What packJson packed; throws when the bytes are not gzipped JSON. */
export function unpackJson(bytes: Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString("utf8"));
}

export function countsOf(docs: readonly ParsedDoc[], fileCount: number): ReleaseCounts {
  const count = (type: ParsedDoc["type"]) => docs.filter((d) => d.type === type).length;
  return {
    files: fileCount,
    stories: count("story"),
    updates: count("update"),
    entities: count("person") + count("organisation"),
    sources: count("source"),
  };
}

/** The release of validated `files` and their `docs`; `fingerprint` is the loaded content's, so files and release agree. */
export function prepareRelease(
  files: readonly ContentFile[],
  docs: readonly ParsedDoc[],
  fingerprint: string,
): PreparedRelease {
  const compiledContent: CompiledContent = {
    schemaVersion: RELEASE_SCHEMA_VERSION,
    fingerprint,
    fileCount: files.length,
    items: docs.map(servedDoc),
  };
  const compiled = packJson(compiledContent);
  return {
    fingerprint,
    schemaVersion: RELEASE_SCHEMA_VERSION,
    counts: countsOf(docs, files.length),
    files: packJson(files),
    compiled,
    compiledHash: hashBytes(compiled),
  };
}

/** Only the folders and names the content layout has (the loader's own check then says what each file must be). */
const LAYOUT_PATH = /^(?:README\.md|(?:stories|people|organisations|sources)\/[^/]+(?:\/[^/]+)*)$/;

/**
 * Checks every path and size before anything is stored: a path must be relative, inside the layout's folders, with
 * no "." or ".." segment; a file over 1 MiB, or a release over 200 MiB, is refused naming the file.
 */
export function checkReleaseFiles(files: readonly ContentFile[], displayRoot = "content"): ContentError[] {
  const errors: ContentError[] = [];
  let total = 0;
  for (const file of files) {
    const shown = `${displayRoot}/${file.path}`;
    const segments = file.path.split("/");
    const bytes = Buffer.byteLength(file.text, "utf8");
    total += bytes;
    if (file.path.startsWith("/") || file.path.includes("\\") || /^[A-Za-z]:/.test(file.path)) {
      errors.push({ file: shown, path: "", message: "is not a relative path inside the content folder" });
    } else if (segments.some((s) => s === "" || s === "." || s === "..")) {
      errors.push({ file: shown, path: "", message: 'has an empty, "." or ".." part in its path' });
    } else if (!LAYOUT_PATH.test(file.path)) {
      errors.push({
        file: shown,
        path: "",
        message: "is outside the content layout (stories/, people/, organisations/, sources/)",
      });
    }
    if (bytes > RELEASE_LIMITS.fileBytes) {
      errors.push({
        file: shown,
        path: "",
        message: `is ${mebibytes(bytes)}; a content file may be at most ${mebibytes(RELEASE_LIMITS.fileBytes)}`,
      });
    }
  }
  if (total > RELEASE_LIMITS.releaseBytes) {
    const largest = [...files].sort((a, b) => b.text.length - a.text.length)[0];
    errors.push({
      file: displayRoot,
      path: "",
      message: `holds ${mebibytes(total)}; a release may be at most ${mebibytes(RELEASE_LIMITS.releaseBytes)} (the largest file is ${largest?.path ?? "?"})`,
    });
  }
  return errors;
}

const mebibytes = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

/** Shapes of credentials that have no place in a story, named without repeating them. */
const SECRET_SHAPES: readonly { name: string; pattern: RegExp }[] = [
  { name: "a Slack token", pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/ },
  { name: "a Slack app-level token", pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/ },
  { name: "a Discord bot token", pattern: /\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}/ },
  { name: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: "a database URL with a password", pattern: /\bpostgres(?:ql)?:\/\/[^\s/:@]+:[^\s/@]+@/i },
];

/**
 * Files holding something shaped like a credential, or one of `secrets` (the publisher's own tokens and database URL):
 * a release is kept forever and read by every replica, so a pasted token would outlive its rotation. The secret is
 * never repeated in the message.
 */
export function secretsIn(
  files: readonly ContentFile[],
  secrets: readonly string[],
  displayRoot = "content",
): ContentError[] {
  const known = secrets.filter((s) => s.length >= 8);
  const errors: ContentError[] = [];
  for (const file of files) {
    const found = known.some((secret) => file.text.includes(secret))
      ? "one of this machine's secrets (a token or the database URL)"
      : SECRET_SHAPES.find((shape) => shape.pattern.test(file.text))?.name;
    if (found !== undefined) {
      errors.push({
        file: `${displayRoot}/${file.path}`,
        path: "",
        message: `holds ${found}: remove it; a release is kept for good`,
      });
    }
  }
  return errors;
}

export type CompiledOutcome =
  /** `docs()`: the documents as parsed, for comparing a release; built only when asked for. */
  | { ok: true; content: ContentIndex; docs: () => ParsedDoc[] }
  | { ok: false; reason: string; rebuildFromFiles?: boolean };

/**
 * The content of a stored release, from its compiled form: its hash must match, and its schema be one this code knows.
 * An older schema asks the caller to rebuild from the release's files; a newer one is refused.
 */
export function contentFromCompiled(
  compiled: Uint8Array,
  compiledHash: string,
  schemaVersion: number,
): CompiledOutcome {
  if (schemaVersion > RELEASE_SCHEMA_VERSION) {
    return {
      ok: false,
      reason: `it was written with release schema ${schemaVersion}, and this version of the bot reads up to schema ${RELEASE_SCHEMA_VERSION} (upgrade the bot)`,
    };
  }
  if (schemaVersion < RELEASE_SCHEMA_VERSION) {
    return { ok: false, reason: `it was compiled with release schema ${schemaVersion}`, rebuildFromFiles: true };
  }
  if (hashBytes(compiled) !== compiledHash) {
    return {
      ok: false,
      reason: "its compiled documents do not match the hash stored with them",
      rebuildFromFiles: true,
    };
  }
  let parsed: CompiledContent;
  try {
    parsed = unpackJson(compiled) as CompiledContent;
  } catch {
    return { ok: false, reason: "its compiled documents are not gzipped JSON", rebuildFromFiles: true };
  }
  if (parsed.schemaVersion !== schemaVersion || !Array.isArray(parsed.items)) {
    return {
      ok: false,
      reason: "its compiled documents do not say the schema stored with them",
      rebuildFromFiles: true,
    };
  }
  const { items } = parsed;
  return {
    ok: true,
    content: contentFromServed(items, parsed.fingerprint, parsed.fileCount),
    docs: () => items.map(parsedDoc),
  };
}

const filesSchema = z.array(z.object({ path: z.string(), text: z.string() }));

/** The files of a stored release (packed); undefined when they are not a list of paths and texts. */
export function unpackFiles(packed: Uint8Array): ContentFile[] | undefined {
  try {
    const files = filesSchema.safeParse(unpackJson(packed));
    return files.success ? files.data : undefined;
  } catch {
    return undefined;
  }
}

/** What a digest or a log line names as its source: "release 12", or "files 3f2a9c1b0d4e" without releases. */
export function contentOrigin(content: Pick<ContentIndex, "release" | "fingerprint">): string {
  return content.release !== undefined ? `release ${content.release}` : `files ${content.fingerprint}`;
}
