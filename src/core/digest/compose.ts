// Composes a channel's digest from the content and what the channel was already told: New, Updated, Corrections.
import { SourceCollector, correctionLine, latestTimestamp } from "../commands/attribution.js";
import { storyUpdatedAt } from "../commands/story.js";
import type { ContentIndex, Story, Update } from "../content/model.js";
import type { Correction } from "../content/schema.js";
import { formatEventTime, formatInstant } from "../format.js";
import type { ReplySection } from "../reply.js";
import type { AnnouncedItem, AnnouncedVersions, ComposedDigest, DigestSettings } from "./types.js";

export interface DigestInput {
  content: ContentIndex;
  /** Story ids followed; empty means every served story. */
  stories: readonly string[];
  announced: AnnouncedVersions;
  /** No digest was delivered to the channel yet: catch it up instead of listing the whole archive as new. */
  firstDigest: boolean;
  now: Date;
  settings: Pick<DigestSettings, "quietDays" | "catchUpItems">;
  /** The channel's zone, for every time shown. */
  timeZone: string;
}

export const updateKey = (update: Update): string => `update:${update.id}`;
export const correctionKey = (correction: Correction): string => `correction:${correction.id}`;

/** Every current item of a story, with the version a digest would record. */
function itemsOf(story: Story): { corrections: Correction[]; updates: Update[] } {
  return {
    corrections: [...story.corrections, ...story.updates.flatMap((u) => u.corrections)],
    updates: story.updates,
  };
}

const newestFirst = <T>(items: readonly T[], at: (item: T) => string): T[] =>
  [...items].sort((a, b) => Date.parse(at(b)) - Date.parse(at(a)));

/** The story's own timeline position (its updates come oldest first), so "latest" follows the editors' order. */
function timelinePosition(update: Update, stories: readonly Story[]): number {
  for (const story of stories) {
    const index = story.updates.indexOf(update);
    if (index >= 0) return index;
  }
  return 0;
}

/** Most recently edited first; among edits made together, the latest in the timeline first. */
function newestUpdatesFirst(updates: readonly Update[], stories: readonly Story[]): Update[] {
  return [...updates].sort(
    (a, b) =>
      Date.parse(b.versionCreated) - Date.parse(a.versionCreated) ||
      timelinePosition(b, stories) - timelinePosition(a, stories),
  );
}

function updateSection(update: Update, label: string, timeZone: string, sources: SourceCollector): ReplySection {
  sources.add(update.sources);
  return {
    heading: `${label}: ${update.headline}`,
    body: `**${formatEventTime(update.eventTime, timeZone)}.** ${update.summary}\n_Updated ${formatInstant(update.versionCreated, timeZone)}_`,
  };
}

/** What a digest after the first one lists for a channel, before it is ordered and worded. */
export interface DigestNews {
  corrections: { correction: Correction; story: Story }[];
  /** Updates never announced to the channel. */
  fresh: Update[];
  /** Announced updates whose version rose with significance major (a minor edit is not announced). */
  revised: Update[];
}

/** The items of `stories` a channel told `announced` has not been told yet. */
export function newsFor(stories: readonly Story[], announced: AnnouncedVersions): DigestNews {
  const news: DigestNews = { corrections: [], fresh: [], revised: [] };
  for (const story of stories) {
    const items = itemsOf(story);
    for (const correction of items.corrections)
      if (!announced.has(correctionKey(correction))) news.corrections.push({ correction, story });
    for (const update of items.updates) {
      const told = announced.get(updateKey(update));
      if (told === undefined) news.fresh.push(update);
      else if (update.version > told && update.significance === "major") news.revised.push(update);
    }
  }
  return news;
}

/** The served stories a subscription follows: `ids` empty means every story. */
export function followed(content: ContentIndex, ids: readonly string[]): Story[] {
  return ids.length === 0 ? content.stories : content.stories.filter((s) => ids.includes(s.id));
}

/**
 * What is new for one channel, or undefined when nothing is and quiet days are skipped. Items never announced are
 * New; an announced update whose version rose with significance major is Updated (a minor edit is not announced
 * and not recorded); a correction is shown once. The words all come from the content.
 */
export function composeDigest(input: DigestInput): ComposedDigest | undefined {
  const { content, announced, timeZone } = input;
  const stories = followed(content, input.stories);
  const sources = new SourceCollector();
  const sections: ReplySection[] = [];
  const announce: AnnouncedItem[] = [];
  const updated = latestTimestamp(stories.map(storyUpdatedAt));
  const title =
    stories.length === 1 && stories[0]
      ? `Daily digest: ${stories[0].headline}`
      : `Daily digest: ${stories.length} stories`;

  if (stories.length === 0) {
    // Every story the channel chose was withdrawn: say so rather than post an empty digest.
    if (input.settings.quietDays === "skip") return undefined;
    return {
      kind: "quiet",
      reply: {
        tone: "notice",
        title: "Daily digest",
        sections: [
          {
            body: "None of the stories this channel follows is published any more. /digest subscribe changes which stories it follows.",
          },
        ],
        sources: [],
        ...(content.updatedAt !== "" && { updated: content.updatedAt }),
        visibility: "shared",
        actions: [],
      },
      announce: [],
    };
  }

  if (input.firstDigest) {
    for (const story of stories) {
      const { corrections, updates } = itemsOf(story);
      sources.add(story.sources);
      sections.push({ heading: story.headline, body: story.summary });
      sections.push({ heading: "Key points", items: story.keyPoints.map((p) => (sources.add(p.sources), p.text)) });
      for (const update of [...updates].reverse().slice(0, input.settings.catchUpItems)) {
        sections.push(updateSection(update, "Latest", timeZone, sources));
      }
      if (corrections.length > 0) {
        sections.push({
          heading: "Corrections",
          items: newestFirst(corrections, (c) => c.published).map(
            (c) => (sources.add(c.sources), correctionLine(content, c, timeZone)),
          ),
        });
      }
      // Everything current counts as told, so tomorrow's digest lists only what changes after today.
      announce.push(
        ...updates.map((u) => ({ key: updateKey(u), version: u.version })),
        ...corrections.map((c) => ({ key: correctionKey(c), version: 1 })),
      );
    }
    return {
      kind: "catch-up",
      reply: {
        tone: "answer",
        title,
        lead: "Your first digest: the story so far. From tomorrow, only what is new or corrected.",
        sections,
        sources: sources.credits(content),
        ...(updated !== undefined && { updated }),
        visibility: "shared",
        actions: [],
      },
      announce,
    };
  }

  const { corrections, fresh, revised } = newsFor(stories, announced);

  if (corrections.length > 0) {
    const sorted = newestFirst(corrections, (c) => c.correction.published);
    sections.push({
      heading: "Corrections",
      items: sorted.map(
        ({ correction }) => (sources.add(correction.sources), correctionLine(content, correction, timeZone)),
      ),
    });
    announce.push(...sorted.map(({ correction }) => ({ key: correctionKey(correction), version: 1 })));
  }
  for (const update of newestUpdatesFirst(fresh, stories)) {
    sections.push(updateSection(update, "New", timeZone, sources));
    announce.push({ key: updateKey(update), version: update.version });
  }
  for (const update of newestUpdatesFirst(revised, stories)) {
    sections.push(updateSection(update, "Updated", timeZone, sources));
    announce.push({ key: updateKey(update), version: update.version });
  }

  if (sections.length > 0) {
    return {
      kind: "news",
      reply: {
        tone: "answer",
        title,
        sections,
        sources: sources.credits(content),
        ...(updated !== undefined && { updated }),
        visibility: "shared",
        actions: [],
      },
      announce,
    };
  }
  if (input.settings.quietDays === "skip") return undefined;
  for (const story of stories) sources.add(story.sources);
  return {
    kind: "quiet",
    reply: {
      tone: "answer",
      title,
      sections: stories.map((story) => ({
        body: `No new developments in ${story.headline} since the last digest. Last updated ${formatInstant(storyUpdatedAt(story), timeZone)}.`,
      })),
      sources: sources.credits(content),
      ...(updated !== undefined && { updated }),
      visibility: "shared",
      actions: [],
    },
    announce: [],
  };
}
