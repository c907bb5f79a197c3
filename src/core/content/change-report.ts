// The change report content:publish prints: by story, then people, organisations and sources, then what each digest gains.
import { correctionKey, followed, newsFor, updateKey } from "../digest/compose.js";
import type { AnnouncedVersions } from "../digest/types.js";
import { counted } from "../format.js";
import type { ContentIndex } from "./model.js";
import type { EntityChange, ReleaseComparison, StatusChange, StoryChanges } from "./release-diff.js";

/** A subscription as the report needs it: what it follows and what its channel was already told. */
export interface Reader {
  channel: string;
  stories: readonly string[];
  paused: boolean;
  /** No digest was delivered yet: the first one catches up on the story so far. */
  firstDigest: boolean;
  announced: AnnouncedVersions;
}

/** One item a subscription's next digest gains, worded as the digest heads it. */
export interface Gain {
  key: string;
  label: string;
}

/** A long list shows this many lines, then how many more. */
const LIST_LIMIT = 25;
const CHANNELS_SHOWN = 5;

/** Every item a digest would list from `content` for a reader, keyed by item and version. */
function newsItems(content: ContentIndex | undefined, reader: Reader): Map<string, Gain> {
  const items = new Map<string, Gain>();
  if (!content) return items;
  const news = newsFor(followed(content, reader.stories), reader.announced);
  for (const { correction, story } of news.corrections) {
    items.set(`${correctionKey(correction)}@1`, {
      key: correctionKey(correction),
      label: `Correction in /${story.command}: ${correction.right}`,
    });
  }
  for (const update of news.fresh) {
    items.set(`${updateKey(update)}@${update.version}`, { key: updateKey(update), label: `New: ${update.headline}` });
  }
  for (const update of news.revised) {
    items.set(`${updateKey(update)}@${update.version}`, {
      key: updateKey(update),
      label: `Updated: ${update.headline}`,
    });
  }
  return items;
}

/** What `reader`'s next digest lists from `next` that it would not have listed from `previous`. */
export function gainsFor(previous: ContentIndex | undefined, next: ContentIndex, reader: Reader): Gain[] {
  const before = newsItems(previous, reader);
  return [...newsItems(next, reader)].filter(([k]) => !before.has(k)).map(([, gain]) => gain);
}

function limited(lines: readonly string[], indent: string): string[] {
  if (lines.length <= LIST_LIMIT) return lines.map((l) => `${indent}${l}`);
  return [
    ...lines.slice(0, LIST_LIMIT).map((l) => `${indent}${l}`),
    `${indent}… and ${lines.length - LIST_LIMIT} more`,
  ];
}

const STATUS_WORDS: Record<string, string> = {
  withheld: "withdrawn (pubStatus withheld)",
  canceled: "cancelled (pubStatus canceled)",
  usable: "published again (pubStatus usable)",
  removed: "removed (it was already withdrawn)",
};

function statusLine(change: StatusChange): string {
  if (change.from === "absent") return `Added but not published (pubStatus ${change.to}): ${change.title}`;
  const what = change.kind === "story" ? "The story" : `Update "${change.title}"`;
  return `${what}: ${STATUS_WORDS[change.to] ?? change.to}`;
}

function storyLines(story: StoryChanges): string[] {
  const lines: string[] = [];
  if (story.story?.change === "new") lines.push("New story");
  if (story.story?.change === "revised")
    lines.push(`The story revised: version ${story.story.from} → ${story.story.to}`);
  for (const update of story.newUpdates) lines.push(`New update (${update.significance}): ${update.headline}`);
  for (const update of story.revisedUpdates) {
    lines.push(
      `Revised (${update.significance}): ${update.headline}, version ${update.from ?? "?"} → ${update.version}`,
    );
  }
  for (const { correction, on } of story.newCorrections) {
    lines.push(`New correction to "${on}": ${correction.right} (previously: ${correction.wrong})`);
  }
  lines.push(...story.statusChanges.map(statusLine));
  return lines;
}

function entityLine(change: EntityChange): string {
  const kind = change.kind === "organisation" ? "Organisation" : change.kind === "person" ? "Person" : "Source";
  if (change.change === "added") return `${kind} added: ${change.name}`;
  if (change.change === "removed") return `${kind} removed: ${change.name}`;
  const details = [
    ...(change.version ? [`version ${change.version.from} → ${change.version.to}`] : []),
    ...(change.status ? [STATUS_WORDS[change.status.to] ?? change.status.to] : []),
  ];
  return `${kind} changed: ${change.name}${details.length > 0 ? `, ${details.join(", ")}` : ""}`;
}

function channelList(channels: readonly string[]): string {
  const shown = channels.slice(0, CHANNELS_SHOWN).join(", ");
  return channels.length > CHANNELS_SHOWN ? `${shown} and ${channels.length - CHANNELS_SHOWN} more` : shown;
}

function readerLines(previous: ContentIndex | undefined, next: ContentIndex, readers: readonly Reader[]): string[] {
  if (readers.length === 0) return ["  No channel subscribes to a digest."];
  const groups = new Map<string, { gains: Gain[]; channels: string[] }>();
  let paused = 0;
  let first = 0;
  let nothing = 0;
  for (const reader of readers) {
    if (reader.paused) paused += 1;
    else if (reader.firstDigest) first += 1;
    else {
      const gains = gainsFor(previous, next, reader);
      if (gains.length === 0) {
        nothing += 1;
        continue;
      }
      const signature = gains.map((g) => g.label).join("\n");
      const group = groups.get(signature) ?? { gains, channels: [] };
      group.channels.push(reader.channel);
      groups.set(signature, group);
    }
  }
  const lines: string[] = [];
  for (const { gains, channels } of groups.values()) {
    lines.push(`  ${counted(channels.length, "channel", "channels")} (${channelList(channels)}), in the next digest:`);
    lines.push(
      ...limited(
        gains.map((g) => g.label),
        "    ",
      ),
    );
  }
  if (first > 0) {
    lines.push(
      `  ${counted(first, "channel has", "channels have")} had no digest yet: the first one tells the story so far.`,
    );
  }
  if (nothing > 0) lines.push(`  ${counted(nothing, "channel gains", "channels gain")} nothing from this release.`);
  if (paused > 0)
    lines.push(`  ${counted(paused, "paused subscription is", "paused subscriptions are")} told nothing.`);
  return lines;
}

export interface ReportInput {
  comparison: ReleaseComparison;
  /** The current release, or undefined for the first. */
  previous?: { id: number; content: ContentIndex };
  next: ContentIndex;
  readers: readonly Reader[];
}

/** The report's lines, without the closing line (the publisher adds what it did). */
export function changeReport(input: ReportInput): string[] {
  const { comparison, previous, next } = input;
  const lines: string[] = [
    previous
      ? `Changes from release ${previous.id} (fingerprint ${previous.content.fingerprint}) to the content folder (fingerprint ${next.fingerprint}):`
      : `No release was published yet: the content folder (fingerprint ${next.fingerprint}) would be the first.`,
  ];
  if (!previous) {
    for (const story of next.stories) {
      lines.push(`/${story.command}: ${story.headline}: ${counted(story.updates.length, "update", "updates")}`);
    }
  } else {
    for (const story of comparison.stories) {
      lines.push("", `/${story.command}: ${story.headline}`, ...limited(storyLines(story), "  "));
    }
    const people = comparison.entities.map(entityLine);
    if (people.length > 0) lines.push("", "People and organisations", ...limited(people, "  "));
    const sources = comparison.sources.map(entityLine);
    if (sources.length > 0) lines.push("", "Sources", ...limited(sources, "  "));
    if (comparison.unseenChanges.length > 0) {
      lines.push(
        "",
        "No change to what readers see (versionCreated, editors' notes or formatting only):",
        ...limited(comparison.unseenChanges, "  "),
      );
    }
  }
  lines.push("", "What readers will be told", ...readerLines(previous?.content, next, input.readers));
  return lines;
}
