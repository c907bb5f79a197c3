// The platform-neutral answer every command returns; each adapter renders it its own way.

export type Visibility = "private" | "shared";

/** Text fields hold Markdown (emphasis, links, lists); renderers turn it into each platform's syntax. */
export interface ReplySection {
  heading?: string;
  body?: string;
  items?: string[];
}

export type ReplyAction =
  /** Offer to post this same answer for the whole channel; `commandLine` re-asks it (content may have moved on since). */
  | { kind: "share"; label: string; commandLine: string }
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

export function sourcesLine(reply: Reply): string | undefined {
  return reply.sources.length === 0 ? undefined : `Sources: ${reply.sources.map((s) => s.label).join(" · ")}`;
}
