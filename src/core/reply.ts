// The platform-neutral answer every command returns; each adapter renders it its own way.
import { createHash } from "node:crypto";
import { formatInstant } from "./format.js";

export type Visibility = "private" | "shared";

/** Text fields hold Markdown (emphasis, links, lists); renderers turn it into each platform's syntax. */
export interface ReplySection {
  heading?: string;
  body?: string;
  items?: string[];
}

export type ReplyAction =
  /**
   * Offer to post this same answer for the whole channel. `commandLine` re-asks it; `seen` is the answer's
   * replyFingerprint as shown, so a share after the content moved on can say the answer changed since.
   */
  | { kind: "share"; label: string; commandLine: string; seen?: string }
  /** A follow-up command the asker can run with one click (e.g. a "did you mean" choice). */
  | { kind: "run"; label: string; commandLine: string };

export interface SourceCredit {
  id: string;
  /** e.g. "Reuters, 5 Mar 2025" */
  label: string;
}

export interface Reply {
  tone: "answer" | "notice" | "error";
  title: string;
  lead?: string;
  sections: ReplySection[];
  /** Where the content shown comes from; every answer built from content carries at least one (/help shows none). */
  sources: SourceCredit[];
  /** ISO timestamp: when the content shown was last changed. */
  updated?: string;
  visibility: Visibility;
  actions: ReplyAction[];
  /** One line under the answer, e.g. what to ask next. */
  footer?: string;
  /** Display name of whoever shared a private answer into the channel; shown as text, never as a mention. */
  sharedBy?: string;
}

/**
 * A short digest of what a reader sees of an answer (not its buttons, visibility or sharer): equal for an answer
 * asked again while the content is unchanged, different once anything shown has changed.
 */
export function replyFingerprint(reply: Omit<Reply, "visibility" | "actions" | "sharedBy">): string {
  const { tone, title, lead, sections, sources, updated, footer } = reply;
  const shown = JSON.stringify([tone, title, lead, sections, sources, updated, footer]);
  return createHash("sha256").update(shown).digest("hex").slice(0, 10);
}

/** `reply` with `line` as its own first paragraph, before any lead it had: a note about the answer, not part of it. */
export function withLeadLine(reply: Reply, line: string): Reply {
  return { ...reply, lead: reply.lead === undefined ? line : `${line}\n\n${reply.lead}` };
}

export function sourcesLine(reply: Reply): string | undefined {
  return reply.sources.length === 0 ? undefined : `Sources: ${reply.sources.map((s) => s.label).join(" · ")}`;
}

/** One line under an answer; `footer` holds Markdown, the others plain text the renderer only escapes. */
export interface MetaLine {
  kind: "sources" | "updated" | "footer" | "sharedBy";
  text: string;
}

/**
 * The lines every renderer shows under an answer, in the order each shows them: sources, "Updated <time>" in
 * `timeZone`, the footer, "Shared by <name>". Built here once so the platforms cannot drift apart in wording.
 */
export function metaLines(reply: Reply, timeZone: string): MetaLine[] {
  const lines: MetaLine[] = [];
  const sources = sourcesLine(reply);
  if (sources) lines.push({ kind: "sources", text: sources });
  if (reply.updated) lines.push({ kind: "updated", text: `Updated ${formatInstant(reply.updated, timeZone)}` });
  if (reply.footer) lines.push({ kind: "footer", text: reply.footer });
  // The sharer is named as text everywhere: a platform mention would notify them.
  if (reply.sharedBy) lines.push({ kind: "sharedBy", text: `Shared by ${reply.sharedBy}` });
  return lines;
}
