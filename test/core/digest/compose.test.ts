// Digest composition on the real content and edited copies: catch-up, New, Updated, corrections, withheld, quiet days, splitting.
import { describe, expect, it } from "vitest";
import { composeDigest, type DigestInput } from "../../../src/core/digest/compose.js";
import { splitReply } from "../../../src/core/digest/split.js";
import type { Reply } from "../../../src/core/reply.js";
import { buildValidContent, loadRealContent, withEditedFile } from "../../helpers.js";

const content = loadRealContent();
const story = content.stories[0];
const UPDATE = "stories/hostages/updates/2025-03-reactions.md";
const NOW = new Date("2026-12-01T08:00:00Z");

function input(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    content,
    stories: [],
    announced: new Map(),
    firstDigest: false,
    now: NOW,
    settings: { quietDays: "post", catchUpItems: 3 },
    timeZone: "UTC",
    ...overrides,
  };
}

/** What a channel holds after its catch-up digest. */
function afterCatchUp(): Map<string, number> {
  const first = composeDigest(input({ firstDigest: true }));
  return new Map((first?.announce ?? []).map((a) => [a.key, a.version]));
}

const headings = (reply: Reply | undefined) => (reply?.sections ?? []).map((s) => s.heading ?? "");

describe("composeDigest", () => {
  it("catches a new channel up: summary, key points, the latest updates newest first, and everything counted as told", () => {
    const digest = composeDigest(input({ firstDigest: true }));
    expect(digest?.kind).toBe("catch-up");
    expect(headings(digest?.reply).slice(0, 2)).toEqual([story?.headline, "Key points"]);
    const latest = headings(digest?.reply).filter((h) => h.startsWith("Latest: "));
    expect(latest).toHaveLength(3);
    expect(latest[0]).toContain("Netanyahu's office responds");
    expect(digest?.announce.map((a) => a.key).sort()).toEqual(
      (story?.updates ?? []).map((u) => `update:${u.id}`).sort(),
    );
    expect(digest?.reply.sources.length).toBeGreaterThan(0);
    expect(digest?.reply.updated).toBe(content.updatedAt);
  });

  it("with nothing new posts one line with the last update time, or nothing when quiet days are skipped", () => {
    const quiet = composeDigest(input({ announced: afterCatchUp() }));
    expect(quiet?.kind).toBe("quiet");
    expect(quiet?.reply.sections[0]?.body).toBe(
      `No new developments in ${story?.headline} since the last digest. Last updated 23 Nov 2026, 09:00 UTC.`,
    );
    expect(quiet?.announce).toEqual([]);
    expect(
      composeDigest(input({ announced: afterCatchUp(), settings: { quietDays: "skip", catchUpItems: 3 } })),
    ).toBeUndefined();
  });

  it("announces a major version bump as Updated, and neither shows nor records a minor one", () => {
    const bump = (significance: string) =>
      buildValidContent(
        withEditedFile(UPDATE, (t) =>
          t
            .replace("version: 1", "version: 2")
            .replace("significance: major", `significance: ${significance}`)
            .replace(/versionCreated: .*/, 'versionCreated: "2026-11-30T10:00:00Z"'),
        ),
      );
    const major = composeDigest(input({ content: bump("major"), announced: afterCatchUp() }));
    expect(headings(major?.reply)).toEqual([expect.stringMatching(/^Updated: Netanyahu's office responds/)]);
    expect(major?.announce).toEqual([{ key: "update:2025-03-reactions", version: 2 }]);
    const minor = composeDigest(input({ content: bump("minor"), announced: afterCatchUp() }));
    expect(minor?.kind).toBe("quiet");
    expect(minor?.announce).toEqual([]);
  });

  it("never shows a withheld update", () => {
    const withheld = buildValidContent(
      withEditedFile(UPDATE, (t) => t.replace("pubStatus: usable", "pubStatus: withheld")),
    );
    const digest = composeDigest(
      input({ content: withheld, firstDigest: true, settings: { quietDays: "post", catchUpItems: 10 } }),
    );
    expect(JSON.stringify(digest)).not.toContain("Netanyahu's office responds");
    expect(digest?.announce.map((a) => a.key)).not.toContain("update:2025-03-reactions");
  });

  it("shows a new correction once, with what was wrong and what is right", () => {
    const corrected = buildValidContent(
      withEditedFile("stories/hostages/story.md", (t) =>
        t.replace(
          "corrections: []",
          'corrections:\n  - id: wording\n    published: "2026-11-30T10:00:00Z"\n    claims: [gaza-ceasefire-under-strain]\n    wrong: "It collapsed."\n    right: "It was under strain."\n    sources: [source-article]',
        ),
      ),
    );
    const digest = composeDigest(input({ content: corrected, announced: afterCatchUp() }));
    expect(headings(digest?.reply)).toEqual(["Corrections"]);
    expect(digest?.reply.sections[0]?.items?.[0]).toContain("It was under strain.");
    expect(digest?.reply.sections[0]?.items?.[0]).toContain("It collapsed.");
    const told = new Map([...afterCatchUp(), ...(digest?.announce ?? []).map((a) => [a.key, a.version] as const)]);
    expect(composeDigest(input({ content: corrected, announced: told }))?.kind).toBe("quiet");
  });

  it("when every story the channel follows was withdrawn, says so instead of posting an empty digest", () => {
    const digest = composeDigest(input({ stories: ["no-such-story"], firstDigest: true }));
    expect(digest?.kind).toBe("quiet");
    expect(digest?.reply.sections[0]?.body).toMatch(/^None of the stories this channel follows is published any more/);
    expect(digest?.announce).toEqual([]);
    expect(
      composeDigest(input({ stories: ["no-such-story"], settings: { quietDays: "skip", catchUpItems: 3 } })),
    ).toBeUndefined();
  });
});

describe("splitReply", () => {
  const reply: Reply = {
    tone: "answer",
    title: "Digest",
    lead: "Intro",
    sections: [
      { heading: "A", body: "a".repeat(50) },
      { heading: "B", body: "b".repeat(50) },
      { heading: "C", items: ["c1".repeat(20), "c2".repeat(20), "c3".repeat(20)] },
    ],
    sources: [{ id: "s", label: "Source" }],
    updated: "2026-11-23T09:00:00Z",
    visibility: "shared",
    actions: [],
  };
  const size = (r: Reply) => JSON.stringify(r.sections).length + (r.lead?.length ?? 0);

  it("keeps a reply that fits as it is", () => {
    expect(splitReply(reply, () => true)).toEqual([reply]);
  });

  it("packs whole sections into numbered parts, splits an oversized list between its items, and keeps sources on every part", () => {
    const parts = splitReply(reply, (r) => size(r) <= 120);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((p) => p.title)).toEqual(parts.map((_, i) => `Digest (${i + 1}/${parts.length})`));
    expect(parts[0]?.lead).toBe("Intro");
    expect(parts.slice(1).every((p) => p.lead === undefined)).toBe(true);
    expect(parts.every((p) => p.sources.length === 1 && p.updated === reply.updated)).toBe(true);
    const items = parts.flatMap((p) => p.sections.flatMap((s) => s.items ?? []));
    expect(items).toEqual(reply.sections[2]?.items);
    expect(parts.flatMap((p) => p.sections.map((s) => s.heading))).toContain("C (continued)");
  });
});
