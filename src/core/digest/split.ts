// Splits one Reply into several that each fit a platform message, keeping sections whole where they fit.
import type { Reply, ReplySection } from "../reply.js";

/**
 * Greedy and deterministic: sections are packed in order while `fits` accepts the part; a section too big for a
 * part on its own is split between its items, and a single item too big is left for the renderer to shorten.
 * Every part keeps the title (numbered "(2/3)" from the second part on), sources and updated time, so each message
 * stands on its own in the channel.
 */
export function splitReply(reply: Reply, fits: (part: Reply) => boolean): Reply[] {
  if (fits(reply)) return [reply];
  // Parts are measured with the longest number they could be given, so the "(2/3)" added afterwards never pushes a
  // part over the platform's limit.
  const fitsNumbered = (part: Reply) => fits({ ...part, title: `${reply.title} ${NUMBERING_ROOM}` });
  const pieces = reply.sections.flatMap((section) => piecesOf(section, reply, fitsNumbered));
  const groups: ReplySection[][] = [];
  let current: ReplySection[] = [];
  for (const piece of pieces) {
    const candidate = [...current, piece];
    if (current.length > 0 && !fitsNumbered(partOf(reply, candidate, groups.length > 0))) {
      groups.push(current);
      current = [piece];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);
  if (groups.length === 1) return [reply];
  return groups.map((sections, index) => ({
    ...partOf(reply, sections, index > 0),
    title: `${reply.title} (${index + 1}/${groups.length})`,
  }));
}

const NUMBERING_ROOM = "(999/999)";

function partOf(reply: Reply, sections: ReplySection[], continued: boolean): Reply {
  // The lead introduces the digest once; later parts would repeat it for nothing.
  return { ...reply, sections, lead: continued ? undefined : reply.lead, actions: [] };
}

function piecesOf(section: ReplySection, reply: Reply, fits: (part: Reply) => boolean): ReplySection[] {
  if (fits(partOf(reply, [section], false)) || !section.items || section.items.length <= 1) return [section];
  const pieces: ReplySection[] = [];
  let items: string[] = [];
  const withItems = (list: string[], first: boolean): ReplySection =>
    first
      ? { ...section, items: list }
      : { heading: section.heading ? `${section.heading} (continued)` : undefined, items: list };
  for (const item of section.items) {
    const candidate = [...items, item];
    if (items.length > 0 && !fits(partOf(reply, [withItems(candidate, pieces.length === 0)], false))) {
      pieces.push(withItems(items, pieces.length === 0));
      items = [item];
    } else {
      items = candidate;
    }
  }
  if (items.length > 0) pieces.push(withItems(items, pieces.length === 0));
  return pieces;
}
