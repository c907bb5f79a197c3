// The comparison behind content:publish: what changed for readers, and the editorial rules it refuses.
import { describe, expect, it } from "vitest";
import { gainsFor } from "../../../src/core/content/change-report.js";
import { buildContent } from "../../../src/core/content/load.js";
import type { ContentIndex } from "../../../src/core/content/model.js";
import type { ContentFile, ParsedDoc } from "../../../src/core/content/parse-file.js";
import { compareReleases, nothingSeen } from "../../../src/core/content/release-diff.js";
import {
  addCorrection,
  addPerson,
  addUpdate,
  apply,
  BOEHLER,
  minorFix,
  reformatBoehler,
  REACTIONS,
  removeFile,
  replaceIn,
  setVersion,
  setVersionCreated,
  ULTIMATUM,
  withdrawReactions,
} from "../../content-edits.js";
import { realContentFiles } from "../../helpers.js";

function built(files: readonly ContentFile[]): {
  docs: ParsedDoc[];
  content: ContentIndex;
  files: readonly ContentFile[];
} {
  const result = buildContent(files, "content");
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join("\n"));
  return { docs: result.docs, content: result.content, files };
}

/** Compares `after` with `before` as content:publish does, release 7 being the current one. */
function compare(before: readonly ContentFile[], after: readonly ContentFile[]) {
  const old = new Map(before.map((f) => [f.path, f.text]));
  const changed = new Set(after.filter((f) => old.get(f.path) !== f.text).map((f) => `content/${f.path}`));
  return compareReleases(built(before).docs, built(after).docs, changed, 7);
}

const base = realContentFiles();

describe("comparing the content with the current release", () => {
  it("finds nothing in the same content", () => {
    const comparison = compare(base, base);
    expect(comparison.problems).toEqual([]);
    expect(nothingSeen(comparison)).toBe(true);
    expect(comparison.unseenChanges).toEqual([]);
  });

  it("groups a new update, a minor fix, a correction and a withdrawal under their story, and a new person apart", () => {
    const comparison = compare(base, apply(base, addUpdate, minorFix, addCorrection, withdrawReactions, addPerson));
    expect(comparison.problems).toEqual([]);
    const [story] = comparison.stories;
    expect(comparison.stories).toHaveLength(1);
    expect(story?.command).toBe("hostages");
    expect(story?.newUpdates.map((u) => u.headline)).toEqual(["Hamas responds to the ultimatum"]);
    expect(story?.revisedUpdates.map((u) => [u.id, u.from, u.version, u.significance])).toEqual([
      ["2025-03-05-secret-talks-revealed", 1, 2, "minor"],
      ["2025-03-05-trump-ultimatum", 1, 2, "major"],
    ]);
    expect(story?.newCorrections.map((c) => c.correction.right)).toEqual([
      "Trump posted the warning after meeting the freed hostages.",
    ]);
    expect(story?.statusChanges.map((c) => [c.id, c.from, c.to])).toEqual([
      ["2025-03-reactions", "usable", "withheld"],
    ]);
    expect(comparison.entities.map((e) => [e.name, e.change])).toEqual([["Steve Witkoff", "added"]]);
  });

  it("refuses a silent edit: shown text changed while the version stayed, naming the file and field", () => {
    const comparison = compare(base, apply(base, replaceIn(ULTIMATUM, /^summary: "After/m, 'summary: "Soon after')));
    expect(comparison.problems).toEqual([
      {
        file: `content/${ULTIMATUM}`,
        path: "summary",
        message: expect.stringMatching(
          /^changed, but version is still 1 \(a silent edit\): raise version to 2/,
        ) as string,
      },
    ]);
  });

  it("names the claim field a silent edit changed", () => {
    const comparison = compare(
      base,
      apply(base, replaceIn(ULTIMATUM, "The Trump administration had already", "The Trump administration had")),
    );
    expect(comparison.problems.map((p) => [p.file, p.path])).toEqual([[`content/${ULTIMATUM}`, "claims[0].text"]]);
  });

  it("refuses a version that went down", () => {
    const comparison = compare(apply(base, setVersion(BOEHLER, 3)), base);
    expect(comparison.problems).toEqual([
      {
        file: `content/${BOEHLER}`,
        path: "version",
        message: "went down from 3 to 1 (release 7 has 3): a version only rises",
      },
    ]);
  });

  it("refuses an item that vanished instead of being withdrawn, and allows removing one already withdrawn", () => {
    const gone = compare(base, apply(base, removeFile(REACTIONS)));
    expect(gone.problems).toEqual([
      {
        file: `content/${REACTIONS}`,
        path: "",
        message:
          "was published in release 7 and is gone: withdraw it with pubStatus: withheld (or canceled) instead of deleting it",
      },
    ]);
    const withdrawn = apply(base, withdrawReactions);
    const removed = compare(withdrawn, apply(withdrawn, removeFile(REACTIONS)));
    expect(removed.problems).toEqual([]);
    expect(removed.stories[0]?.statusChanges.map((c) => [c.from, c.to])).toEqual([["withheld", "removed"]]);
  });

  it("refuses a published correction edited, or removed, even with the version raised", () => {
    const corrected = apply(base, addCorrection);
    const edited = compare(
      corrected,
      apply(
        corrected,
        replaceIn(ULTIMATUM, "after meeting the freed hostages.", "after meeting them."),
        setVersion(ULTIMATUM, 3),
      ),
    );
    expect(edited.problems).toEqual([
      {
        file: `content/${ULTIMATUM}`,
        path: "corrections[0].right",
        message:
          'correction "ultimatum-posted-after-meeting" was published in release 7 and cannot be edited (corrections are append-only): add a new correction instead',
      },
    ]);
    const removed = compare(
      corrected,
      base.map((f) => (f.path === ULTIMATUM ? { ...f, text: f.text.replace(/^version: 1$/m, "version: 3") } : f)),
    );
    expect(removed.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "corrections",
        'correction "ultimatum-posted-after-meeting" was published in release 7 and is gone: corrections are append-only, so it stays',
      ],
    ]);
  });

  it("counts a changed versionCreated, an editor's note or re-indented YAML as no change to what readers see", () => {
    const after = apply(
      base,
      setVersionCreated(ULTIMATUM, "2026-11-30T12:00:00Z"),
      replaceIn(REACTIONS, /^edNote: "The article/m, 'edNote: "Checked again. The article'),
      reformatBoehler,
    );
    const comparison = compare(base, after);
    expect(comparison.problems).toEqual([]);
    expect(nothingSeen(comparison)).toBe(true);
    expect(comparison.unseenChanges).toEqual([`content/${BOEHLER}`, `content/${ULTIMATUM}`, `content/${REACTIONS}`]);
  });

  it("tells a subscriber's next digest only what this release adds: new, major revisions and corrections, not minor fixes", () => {
    const before = built(base).content;
    const after = built(apply(base, addUpdate, minorFix, addCorrection)).content;
    const told = new Map(before.stories.flatMap((s) => s.updates).map((u) => [`update:${u.id}`, u.version]));
    const reader = { channel: "slack:T1:C1", stories: [], paused: false, firstDigest: false, announced: told };
    expect(gainsFor(before, after, reader).map((g) => g.label)).toEqual([
      "Correction in /hostages: Trump posted the warning after meeting the freed hostages.",
      "New: Hamas responds to the ultimatum",
      "Updated: Trump warns Hamas of “hell to pay” unless all hostages are freed",
    ]);
    const unchanged = built(apply(base, setVersionCreated(ULTIMATUM, "2026-11-30T12:00:00Z"), reformatBoehler)).content;
    expect(gainsFor(before, unchanged, reader)).toEqual([]);
    // A channel following another story gains nothing from this one.
    expect(gainsFor(before, after, { ...reader, stories: ["another-story"] })).toEqual([]);
  });
});
