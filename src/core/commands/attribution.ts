// Turning claims and sources into attributed lines: who said it, which outlet reported it.
import type { ClaimRecord, ContentIndex, Entity } from "../content/model.js";
import type { Claim, Correction } from "../content/schema.js";
import { formatInstant, formatShortDate } from "../format.js";
import type { SourceCredit } from "../reply.js";

export function nameOf(content: ContentIndex, id: string): string {
  return content.entityById.get(id)?.name ?? content.sourceById.get(id)?.publisher ?? id;
}

/** "Reuters, 5 Mar 2025" or "News outlet (citing Reuters and Axios)". */
export function sourceLabel(content: ContentIndex, sourceId: string): string {
  const source = content.sourceById.get(sourceId);
  if (!source) return sourceId;
  const dated = source.published ? `${source.publisher}, ${formatShortDate(source.published)}` : source.publisher;
  if (source.cites.length === 0) return dated;
  return `${dated} (citing ${joinNames(source.cites.map((c) => nameOf(content, c)))})`;
}

export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1) ?? ""}`;
}

/** Collects sources in first-seen order, without repeats. */
export class SourceCollector {
  private readonly ids = new Set<string>();

  add(sourceIds: readonly string[]): this {
    for (const id of sourceIds) this.ids.add(id);
    return this;
  }

  credits(content: ContentIndex): SourceCredit[] {
    return [...this.ids].map((id) => ({ id, label: sourceLabel(content, id) }));
  }
}

function publishersOf(content: ContentIndex, sourceIds: readonly string[]): string {
  return joinNames(sourceIds.map((id) => content.sourceById.get(id)?.publisher ?? id));
}

/** "**Adam Boehler**: US presidential envoy for hostage affairs": a name with its role, for lists and pick-lists. */
export function entityLine(entity: Entity): string {
  const role = entity.kind === "person" && entity.jobTitle ? entity.jobTitle.text : entity.description;
  return `**${entity.name}**: ${role}`;
}

const stripEnd = (text: string): string => text.replace(/[\s.:;,]+$/u, "");

/** One claim as Markdown, with the speaker and the outlets it rests on. */
export function claimLine(content: ContentIndex, claim: Claim): string {
  const who = claim.attributedTo !== undefined ? nameOf(content, claim.attributedTo) : undefined;
  const via = publishersOf(content, claim.sources);
  switch (claim.kind) {
    case "quote":
      return `${stripEnd(claim.text)}: “${claim.quote ?? ""}” _(${who ?? "unattributed"}; source: ${via})_`;
    case "statement":
      return `${claim.text} _(statement by ${who ?? "unattributed"}; source: ${via})_`;
    case "analysis":
      return `${claim.text} _(analysis by ${who ?? "unattributed"}; source: ${via})_`;
    case "reported-fact":
      return `${claim.text} _(${who !== undefined ? `${who}; ` : ""}source: ${via})_`;
  }
}

/**
 * `text` ended as a sentence: its own closing . ? ! or … (before any closing quote or bracket) is kept, else a full
 * stop is added, so what follows can start a sentence of its own whatever the editor's text ends with.
 */
export function asSentence(text: string): string {
  const trimmed = text.trim();
  return /[.?!…]["'”’»)\]]*$/u.test(trimmed) ? trimmed : `${trimmed}.`;
}

export function correctionLine(content: ContentIndex, correction: Correction, timeZone: string): string {
  // The earlier wording is a sentence (or more) of the editor's; the source follows as a sentence of its own.
  const previously = `previously: ${asSentence(correction.wrong)} Source: ${asSentence(publishersOf(content, correction.sources))}`;
  return `**Correction, ${formatInstant(correction.published, timeZone)}:** ${correction.right} _(${previously})_`;
}

/** Corrections that name this claim, so a corrected claim is never shown without them. */
export function correctionsFor(record: ClaimRecord): Correction[] {
  return record.owner.corrections.filter((c) => c.claims.includes(record.claim.id));
}

export function latestTimestamp(timestamps: readonly string[]): string | undefined {
  let latest: string | undefined;
  for (const t of timestamps) if (latest === undefined || Date.parse(t) > Date.parse(latest)) latest = t;
  return latest;
}
