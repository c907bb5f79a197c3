// Compares the content to publish with the current release: what changed for readers, and the editorial rules only a comparison can enforce.
import { formatFieldPath, type ContentError } from "./content-error.js";
import type { ParsedDoc } from "./parse-file.js";
import type { Correction, PubStatus } from "./schema.js";

type VersionedDoc = Exclude<ParsedDoc, { type: "source" }>;

export interface UpdateChange {
  id: string;
  headline: string;
  file: string;
  version: number;
  significance: "major" | "minor";
  /** The version before, for a revision. */
  from?: number;
}

export interface CorrectionChange {
  correction: Correction;
  /** The document that carries it: the story, or an update's headline. */
  on: string;
  file: string;
}

export interface StatusChange {
  kind: "story" | "update" | "person" | "organisation";
  id: string;
  title: string;
  file: string;
  from: PubStatus | "absent";
  to: PubStatus | "removed";
}

export interface StoryChanges {
  storyId: string;
  command: string;
  headline: string;
  /** The story's own document: new, or revised (its version rose). */
  story?: { change: "new" } | { change: "revised"; from: number; to: number };
  newUpdates: UpdateChange[];
  revisedUpdates: UpdateChange[];
  newCorrections: CorrectionChange[];
  /** Withdrawn, cancelled, restored, or removed after being withdrawn. */
  statusChanges: StatusChange[];
}

export interface EntityChange {
  kind: "person" | "organisation" | "source";
  id: string;
  name: string;
  file: string;
  change: "added" | "changed" | "removed";
  /** For a person or organisation whose version rose. */
  version?: { from: number; to: number };
  /** For a person or organisation withdrawn, cancelled or restored. */
  status?: { from: PubStatus | "absent"; to: PubStatus | "removed" };
}

export interface ReleaseComparison {
  /** Editorial refusals: when any, nothing may be stored. */
  problems: ContentError[];
  stories: StoryChanges[];
  entities: EntityChange[];
  sources: EntityChange[];
  /** Files whose documents changed only where readers never look: versionCreated, edNote, formatting. */
  unseenChanges: string[];
}

const key = (doc: ParsedDoc): string => `${doc.type}:${doc.data.id}`;

/** The editors' notes are never shown; they may change freely. */
function withoutNotes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNotes);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "edNote")
        .map(([k, v]) => [k, withoutNotes(v)]),
    );
  }
  return value;
}

/** What readers are shown of a document: everything but its versioning, its status, its corrections and its notes. */
const UNSHOWN_FIELDS = new Set(["version", "versionCreated", "firstCreated", "pubStatus", "corrections"]);

function shown(doc: ParsedDoc): Record<string, unknown> {
  const fields = Object.entries(doc.data).filter(([field]) => !UNSHOWN_FIELDS.has(field));
  const out = withoutNotes(Object.fromEntries(fields)) as Record<string, unknown>;
  if (doc.type !== "source") out["(body)"] = doc.body;
  return out;
}

/** The path of the first difference between two JSON-like values (keys in sorted order), or undefined when equal. */
export function firstDifference(a: unknown, b: unknown, at: PropertyKey[] = []): PropertyKey[] | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      if (i >= a.length || i >= b.length) return [...at, i];
      const found = firstDifference(a[i], b[i], [...at, i]);
      if (found) return found;
    }
    return undefined;
  }
  if (
    a !== null &&
    b !== null &&
    typeof a === "object" &&
    typeof b === "object" &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const found = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, k]);
      if (found) return found;
    }
    return undefined;
  }
  return at;
}

const titleOf = (doc: ParsedDoc): string =>
  doc.type === "story" || doc.type === "update"
    ? doc.data.headline
    : doc.type === "source"
      ? doc.data.title
      : doc.data.name;

const correctionsOf = (doc: ParsedDoc): Correction[] =>
  doc.type === "story" || doc.type === "update" ? doc.data.corrections : [];

/**
 * Compares `next` (the content folder, already valid) with `previous` (the current release's documents). `release`
 * names the current release in refusals. Nothing here looks at files' bytes: re-indented YAML or reordered keys parse
 * to the same documents and so are no change at all.
 */
export function compareReleases(
  previous: readonly ParsedDoc[],
  next: readonly ParsedDoc[],
  changedFiles: ReadonlySet<string>,
  release: number,
): ReleaseComparison {
  const problems: ContentError[] = [];
  const before = new Map(previous.map((d) => [key(d), d]));
  const after = new Map(next.map((d) => [key(d), d]));
  const stories = new Map<string, StoryChanges>();
  const entities: EntityChange[] = [];
  const sources: EntityChange[] = [];
  const unseen = new Set<string>();

  const storyDocs = new Map<string, Extract<ParsedDoc, { type: "story" }>>();
  for (const doc of [...previous, ...next]) if (doc.type === "story") storyDocs.set(doc.data.id, doc);
  const storyOf = (id: string): StoryChanges => {
    let entry = stories.get(id);
    if (!entry) {
      const doc = storyDocs.get(id);
      entry = {
        storyId: id,
        command: doc?.data.command ?? id,
        headline: doc?.data.headline ?? id,
        newUpdates: [],
        revisedUpdates: [],
        newCorrections: [],
        statusChanges: [],
      };
      stories.set(id, entry);
    }
    return entry;
  };
  const storyIdOf = (doc: VersionedDoc): string | undefined =>
    doc.type === "story" ? doc.data.id : doc.type === "update" ? doc.data.story : undefined;
  const statusChange = (doc: VersionedDoc, from: StatusChange["from"], to: StatusChange["to"]): void => {
    const change: StatusChange = { kind: doc.type, id: doc.data.id, title: titleOf(doc), file: doc.file, from, to };
    const storyId = storyIdOf(doc);
    if (storyId !== undefined) storyOf(storyId).statusChanges.push(change);
    else if (doc.type === "person" || doc.type === "organisation")
      entities.push({
        kind: doc.type,
        id: doc.data.id,
        name: titleOf(doc),
        file: doc.file,
        change: to === "removed" ? "removed" : "changed",
        status: { from, to },
      });
  };

  for (const [k, old] of before) {
    if (after.has(k)) continue;
    if (old.type === "source") {
      sources.push({ kind: "source", id: old.data.id, name: old.data.title, file: old.file, change: "removed" });
    } else if (old.data.pubStatus !== "usable") {
      statusChange(old, old.data.pubStatus, "removed");
    } else {
      problems.push({
        file: old.file,
        path: "",
        message: `was published in release ${release} and is gone: withdraw it with pubStatus: withheld (or canceled) instead of deleting it`,
      });
    }
  }

  for (const doc of next) {
    const old = before.get(key(doc));
    if (doc.type === "source") {
      if (!old)
        sources.push({ kind: "source", id: doc.data.id, name: doc.data.title, file: doc.file, change: "added" });
      else if (firstDifference(shown(old), shown(doc))) {
        sources.push({ kind: "source", id: doc.data.id, name: doc.data.title, file: doc.file, change: "changed" });
      } else if (changedFiles.has(doc.file)) unseen.add(doc.file);
      continue;
    }
    if (!old || old.type !== doc.type) {
      recordNew(doc);
      continue;
    }
    checkCorrections(old, doc);
    const difference = firstDifference(shown(old), shown(doc));
    if (doc.data.version < old.data.version) {
      problems.push({
        file: doc.file,
        path: "version",
        message: `went down from ${old.data.version} to ${doc.data.version} (release ${release} has ${old.data.version}): a version only rises`,
      });
    } else if (difference && doc.data.version === old.data.version) {
      problems.push({
        file: doc.file,
        path: formatFieldPath(difference),
        message: `changed, but version is still ${doc.data.version} (a silent edit): raise version to ${doc.data.version + 1} and set versionCreated, or undo the change`,
      });
    }
    // Recorded even when refused: a rollback reports a version going back as what it is.
    recordChange(old, doc, doc.data.version !== old.data.version);
  }

  function recordNew(doc: VersionedDoc): void {
    if (doc.type === "person" || doc.type === "organisation") {
      entities.push({ kind: doc.type, id: doc.data.id, name: doc.data.name, file: doc.file, change: "added" });
      return;
    }
    const story = storyOf(doc.type === "story" ? doc.data.id : doc.data.story);
    if (doc.data.pubStatus !== "usable") {
      statusChange(doc, "absent", doc.data.pubStatus);
      return;
    }
    if (doc.type === "story") story.story = { change: "new" };
    else story.newUpdates.push(updateChange(doc));
  }

  /** `versionChanged`: it only goes down in a refused publish, or in a rollback. */
  function recordChange(old: VersionedDoc, doc: VersionedDoc, versionChanged: boolean): void {
    const statusMoved = old.data.pubStatus !== doc.data.pubStatus;
    const published = new Set(correctionsOf(old).map((c) => c.id));
    const added = correctionsOf(doc).filter((c) => !published.has(c.id));
    if (doc.type === "person" || doc.type === "organisation") {
      if (versionChanged || statusMoved) {
        entities.push({
          kind: doc.type,
          id: doc.data.id,
          name: doc.data.name,
          file: doc.file,
          change: "changed",
          ...(versionChanged && { version: { from: old.data.version, to: doc.data.version } }),
          ...(statusMoved && { status: { from: old.data.pubStatus, to: doc.data.pubStatus } }),
        });
      }
    } else {
      if (statusMoved) statusChange(doc, old.data.pubStatus, doc.data.pubStatus);
      if (versionChanged || added.length > 0) {
        const story = storyOf(doc.type === "story" ? doc.data.id : doc.data.story);
        for (const correction of added) story.newCorrections.push({ correction, on: titleOf(doc), file: doc.file });
        if (versionChanged && doc.type === "update")
          story.revisedUpdates.push({ ...updateChange(doc), from: old.data.version });
        if (versionChanged && doc.type === "story")
          story.story = { change: "revised", from: old.data.version, to: doc.data.version };
      }
    }
    if (!versionChanged && added.length === 0 && !statusMoved && changedFiles.has(doc.file)) unseen.add(doc.file);
  }

  function checkCorrections(old: VersionedDoc, doc: VersionedDoc): void {
    const now = correctionsOf(doc);
    for (const published of correctionsOf(old)) {
      const index = now.findIndex((c) => c.id === published.id);
      if (index < 0) {
        problems.push({
          file: doc.file,
          path: "corrections",
          message: `correction "${published.id}" was published in release ${release} and is gone: corrections are append-only, so it stays`,
        });
        continue;
      }
      const difference = firstDifference(withoutNotes(published), withoutNotes(now[index]));
      if (difference) {
        problems.push({
          file: doc.file,
          path: formatFieldPath(["corrections", index, ...difference]),
          message: `correction "${published.id}" was published in release ${release} and cannot be edited (corrections are append-only): add a new correction instead`,
        });
      }
    }
  }

  const storyOrder = [...stories.values()].sort((a, b) => a.command.localeCompare(b.command));
  return {
    problems,
    stories: storyOrder,
    entities: entities.sort((a, b) => a.name.localeCompare(b.name)),
    sources: sources.sort((a, b) => a.name.localeCompare(b.name)),
    unseenChanges: [...unseen].sort(),
  };
}

function updateChange(doc: Extract<ParsedDoc, { type: "update" }>): UpdateChange {
  return {
    id: doc.data.id,
    headline: doc.data.headline,
    file: doc.file,
    version: doc.data.version,
    significance: doc.data.significance,
  };
}

/** True when the comparison found nothing a reader would see. */
export function nothingSeen(comparison: ReleaseComparison): boolean {
  return comparison.stories.length === 0 && comparison.entities.length === 0 && comparison.sources.length === 0;
}
