// Loads the content folder: both validation passes, then the served index with backlinks.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ContentError } from "./content-error.js";
import { crossCheck } from "./cross-check.js";
import { errorMessage } from "../errors.js";
import type {
  OrganisationFrontMatter,
  PersonFrontMatter,
  Source,
  StoryFrontMatter,
  UpdateFrontMatter,
} from "./schema.js";
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
  { ok: true; content: ContentIndex; files: ContentFile[]; docs: ParsedDoc[] } | { ok: false; errors: ContentError[] };

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
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
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
    return {
      ok: false,
      errors: [{ file: displayRoot || dir, path: "", message: `cannot read the content folder: ${reason}` }],
    };
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

/** String.prototype.localeCompare's order (the default locale), from one collator instead of one per call. */
const collator = new Intl.Collator();

/** A document as it is served: its fields with its kind, file and body. A story's updates are linked when indexed. */
export type ServedDoc = Omit<Story, "updates"> | Update | Person | Organisation | SourceDoc;

export function servedDoc(doc: ParsedDoc): ServedDoc {
  switch (doc.type) {
    case "story":
      return { ...doc.data, kind: "story", file: doc.file, body: doc.body };
    case "update":
      return { ...doc.data, kind: "update", file: doc.file, body: doc.body };
    case "person":
      return { ...doc.data, kind: "person", file: doc.file, body: doc.body };
    case "organisation":
      return { ...doc.data, kind: "organisation", file: doc.file, body: doc.body };
    case "source":
      return { ...doc.data, kind: "source", file: doc.file };
  }
}

/** The parsed document a served one came from (a story without the updates indexing linked to it). */
export function parsedDoc(served: ServedDoc): ParsedDoc {
  const data: Record<string, unknown> = { ...served };
  for (const key of ["kind", "file", "body", "updates"]) delete data[key];
  switch (served.kind) {
    case "story":
      return { type: "story", data: data as StoryFrontMatter, body: served.body, file: served.file };
    case "update":
      return {
        type: "update",
        data: data as UpdateFrontMatter,
        body: served.body,
        file: served.file,
        folderStory: served.story,
      };
    case "person":
      return { type: "person", data: data as PersonFrontMatter, body: served.body, file: served.file };
    case "organisation":
      return { type: "organisation", data: data as OrganisationFrontMatter, body: served.body, file: served.file };
    case "source":
      return { type: "source", data: data as Source, file: served.file };
  }
}

/** Indexes documents already validated (by buildContent) for serving; `docs` are copied, never changed. */
export function contentFromDocs(docs: readonly ParsedDoc[], fingerprint: string, fileCount: number): ContentIndex {
  return contentFromServed(docs.map(servedDoc), fingerprint, fileCount);
}

/**
 * Indexes served documents (a release's compiled form, or contentFromDocs' copies) for serving. It takes them over:
 * each story gains its list of updates in place, so a release loads without copying 18,000 objects.
 */
export function contentFromServed(items: readonly ServedDoc[], fingerprint: string, fileCount: number): ContentIndex {
  const allStories: Story[] = [];
  const updates: Update[] = [];
  const entities: Entity[] = [];
  const sourceById = new Map<string, SourceDoc>();

  for (const item of items) {
    switch (item.kind) {
      case "story": {
        const story = item as Story;
        story.updates = [];
        allStories.push(story);
        break;
      }
      case "update":
        updates.push(item);
        break;
      case "person":
      case "organisation":
        entities.push(item);
        break;
      case "source":
        sourceById.set(item.id, item);
        break;
    }
  }

  const stories = allStories
    .filter((s) => s.pubStatus === "usable")
    .sort((a, b) => collator.compare(a.command, b.command));
  const storyById = new Map(stories.map((s) => [s.id, s]));
  for (const update of updates) {
    if (update.pubStatus !== "usable") continue;
    storyById.get(update.story)?.updates.push(update);
  }
  for (const story of stories) {
    // Each key once per update, not twice per comparison: toISOString in eventSortKey is not free.
    const keys = new Map(story.updates.map((u) => [u, eventSortKey(u.eventTime)]));
    story.updates.sort(
      (a, b) => collator.compare(keys.get(a) ?? "", keys.get(b) ?? "") || collator.compare(a.id, b.id),
    );
  }

  const servedEntities = entities
    .filter((e) => e.pubStatus === "usable")
    .sort((a, b) => collator.compare(a.name, b.name));
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
      const link = (ref: string): void => {
        const entry = linksOf(ref);
        entry.claims.push(record);
        entry.stories.add(story);
        if (owner.kind === "update") entry.updates.add(owner);
      };
      // `about` lists each id once (the schema refuses repeats); the speaker is linked once more only if not among them.
      const about = claim.about ?? [];
      for (const ref of about) link(ref);
      if (claim.attributedTo !== undefined && !about.includes(claim.attributedTo)) link(claim.attributedTo);
    }
  };

  for (const story of stories) {
    for (const ref of [...story.people, ...story.organisations]) linksOf(ref.ref).stories.add(story);
    indexClaims(story, story);
    for (const update of story.updates) indexClaims(update, story);
  }

  let updatedAt = new Date(0).toISOString();
  let latestMs = Number.NEGATIVE_INFINITY;
  for (const doc of [...stories, ...stories.flatMap((s) => s.updates), ...servedEntities]) {
    const ms = Date.parse(doc.versionCreated);
    if (ms > latestMs) {
      latestMs = ms;
      updatedAt = doc.versionCreated;
    }
  }

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
