// Loads the content folder: both validation passes, then the served index with backlinks.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ContentError } from "./content-error.js";
import { crossCheck } from "./cross-check.js";
import { errorMessage } from "../errors.js";
import type {
  Backlinks,
  ClaimOwner,
  ClaimRecord,
  ContentIndex,
  Entity,
  Organisation,
  Person,
  SourceDoc,
  Story,
  Update,
} from "./model.js";
import { parseContentFile, type ClaimedId, type ContentFile, type ParsedDoc } from "./parse-file.js";

export type LoadResult =
  | { ok: true; content: ContentIndex; files: ContentFile[]; docs: ParsedDoc[] }
  | { ok: false; errors: ContentError[] };

export interface LoadOptions {
  /** Prefix for file names in messages; defaults to the folder's path relative to the working directory. */
  displayRoot?: string;
}

/**
 * Reads every file under `dir` (sorted, so errors come out in a stable order). Dot files and folders (an editor's swap
 * file, .git) are not content: they are left out, so they neither change the fingerprint nor enter a release.
 */
export function readContentFiles(dir: string): ContentFile[] {
  const files: ContentFile[] = [];
  const walk = (rel: string): void => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const relPath = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(relPath);
      else if (entry.isFile()) files.push({ path: relPath, text: readFileSync(path.join(dir, relPath), "utf8") });
    }
  };
  walk("");
  return files;
}

export function loadContentDir(dir: string, options: LoadOptions = {}): LoadResult {
  const displayRoot = options.displayRoot ?? path.relative(process.cwd(), path.resolve(dir)).split(path.sep).join("/");
  let files: ContentFile[];
  try {
    files = readContentFiles(dir);
  } catch (error) {
    const reason = errorMessage(error);
    return { ok: false, errors: [{ file: displayRoot || dir, path: "", message: `cannot read the content folder: ${reason}` }] };
  }
  return buildContent(files, displayRoot);
}

/** Validates files given in memory and, when all is well, indexes them. */
export function buildContent(files: readonly ContentFile[], displayRoot = "content"): LoadResult {
  const docs: ParsedDoc[] = [];
  const claimedIds: ClaimedId[] = [];
  const errors: ContentError[] = [];
  for (const file of files) {
    const outcome = parseContentFile(file, displayRoot);
    errors.push(...outcome.errors);
    if (outcome.doc) docs.push(outcome.doc);
    claimedIds.push(...outcome.claimedIds);
  }
  errors.push(...crossCheck(docs, claimedIds));
  if (docs.filter((d) => d.type === "story").length === 0 && errors.length === 0) {
    errors.push({ file: displayRoot, path: "", message: "holds no story: add stories/<id>/story.md" });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, content: contentFromDocs(docs, fingerprintFiles(files), files.length), files: [...files], docs };
}

/** A short hash of every file's path and text: changes whenever the content does. */
export function fingerprintFiles(files: readonly ContentFile[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file.path).update("\0").update(file.text).update("\0");
  return hash.digest("hex").slice(0, 12);
}

/**
 * Sort key that orders "2025-03", "2025-03-05" and full timestamps with offsets chronologically. The less
 * precise an event is, the later it sorts within its period: something known only as "March" is placed
 * after the March events whose day is known, because an editor dates it by month when the day is unclear.
 */
export function eventSortKey(eventTime: string): string {
  if (eventTime.includes("T")) return new Date(eventTime).toISOString();
  return eventTime.length === 7 ? `${eventTime}-99` : `${eventTime}T99`;
}

/** Indexes documents already validated (by buildContent, or at publish time for a release) for serving. */
export function contentFromDocs(docs: readonly ParsedDoc[], fingerprint: string, fileCount: number): ContentIndex {
  const allStories: Story[] = [];
  const updates: Update[] = [];
  const entities: Entity[] = [];
  const sourceById = new Map<string, SourceDoc>();

  for (const doc of docs) {
    switch (doc.type) {
      case "story":
        allStories.push({ ...doc.data, kind: "story", file: doc.file, body: doc.body, updates: [] });
        break;
      case "update":
        updates.push({ ...doc.data, kind: "update", file: doc.file, body: doc.body });
        break;
      case "person":
        entities.push({ ...doc.data, kind: "person", file: doc.file, body: doc.body } satisfies Person);
        break;
      case "organisation":
        entities.push({ ...doc.data, kind: "organisation", file: doc.file, body: doc.body } satisfies Organisation);
        break;
      case "source":
        sourceById.set(doc.data.id, { ...doc.data, kind: "source", file: doc.file });
        break;
    }
  }

  const stories = allStories.filter((s) => s.pubStatus === "usable").sort((a, b) => a.command.localeCompare(b.command));
  const storyById = new Map(stories.map((s) => [s.id, s]));
  for (const update of updates) {
    if (update.pubStatus !== "usable") continue;
    storyById.get(update.story)?.updates.push(update);
  }
  for (const story of stories) {
    story.updates.sort((a, b) => eventSortKey(a.eventTime).localeCompare(eventSortKey(b.eventTime)) || a.id.localeCompare(b.id));
  }

  const servedEntities = entities.filter((e) => e.pubStatus === "usable").sort((a, b) => a.name.localeCompare(b.name));
  const entityById = new Map(servedEntities.map((e) => [e.id, e]));
  const claimById = new Map<string, ClaimRecord>();
  const links = new Map<string, { stories: Set<Story>; updates: Set<Update>; claims: ClaimRecord[] }>();
  const linksOf = (entityId: string) => {
    let entry = links.get(entityId);
    if (!entry) {
      entry = { stories: new Set(), updates: new Set(), claims: [] };
      links.set(entityId, entry);
    }
    return entry;
  };

  const indexClaims = (owner: ClaimOwner, story: Story): void => {
    for (const claim of owner.claims) {
      const record: ClaimRecord = { claim, owner };
      claimById.set(claim.id, record);
      const refs = new Set([...(claim.about ?? []), ...(claim.attributedTo !== undefined ? [claim.attributedTo] : [])]);
      for (const ref of refs) {
        const entry = linksOf(ref);
        entry.claims.push(record);
        entry.stories.add(story);
        if (owner.kind === "update") entry.updates.add(owner);
      }
    }
  };

  for (const story of stories) {
    for (const ref of [...story.people, ...story.organisations]) linksOf(ref.ref).stories.add(story);
    indexClaims(story, story);
    for (const update of story.updates) indexClaims(update, story);
  }

  const versioned: { versionCreated: string }[] = [...stories, ...stories.flatMap((s) => s.updates), ...servedEntities];
  const updatedAt = versioned.reduce(
    (latest, doc) => (Date.parse(doc.versionCreated) > Date.parse(latest) ? doc.versionCreated : latest),
    versioned[0]?.versionCreated ?? new Date(0).toISOString(),
  );

  return {
    stories,
    storyByCommand: new Map(stories.map((s) => [s.command, s])),
    entities: servedEntities,
    entityById,
    sourceById,
    claimById,
    backlinks(entityId: string): Backlinks {
      const entry = links.get(entityId);
      if (!entry) return { stories: [], updates: [], claims: [] };
      return { stories: [...entry.stories], updates: [...entry.updates], claims: [...entry.claims] };
    },
    updatedAt,
    fingerprint,
    fileCount,
  };
}
