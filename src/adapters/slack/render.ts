// Renders a Reply as a Slack Block Kit message plus fallback text, within Slack's limits and unable to ping anyone.
import type { types } from "@slack/bolt";
import { renderMarkdown, renderSection, type TextStyle } from "../../core/markdown.js";
import { metaLines, type Reply, type ReplyAction, type ReplySection } from "../../core/reply.js";
import { truncateAtWord } from "../../core/text/truncate.js";
import type { RenderOptions, Rendered, Renderer } from "../shared/renderer.js";
import { SLACK_LIMITS } from "./limits.js";

type KnownBlock = types.KnownBlock;
type Button = types.Button;

/** "One-click" follow-ups shown as buttons; more would bury the answer. */
const MAX_RUN_BUTTONS = 5;

export const SHORTENED_NOTE =
  "_This answer was shortened to fit in one Slack message. A narrower question shows the rest._";

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

// Slack turns these into live mentions in mrkdwn (and, with auto-parsing, even as bare words); a word joiner defuses them,
// wherever they start a word: "@here_now" too, since what a client parses next to them is not ours.
const BARE_BROADCASTS = /@(everyone|here|channel)/gi;
const WORD_JOINER = "\u2060";

/** Escapes content for mrkdwn: & < > per Slack's rules, so <!everyone> or <@U123> can never become a mention. */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(BARE_BROADCASTS, `@${WORD_JOINER}$1`);
}

/** plain_text is shown as typed (no entity decoding), so defuse mention syntax without visible escapes. */
export function defusePlain(text: string): string {
  return defuseBroadcasts(text.replace(/<([!@#])/g, `<${WORD_JOINER}$1`));
}

/** Bare @here and the like only: what is left to defuse in text that is already escaped for mrkdwn. */
function defuseBroadcasts(text: string): string {
  return text.replace(BARE_BROADCASTS, `@${WORD_JOINER}$1`);
}

/**
 * Defused `text` cut to at most `max` characters. Defusing lengthens text (a word joiner per mention), so it comes
 * before the cut, never after; the cut is defused again because cutting inside a word can make a mention
 * ("@heretofore" → "@here…"), and cut shorter until that fits too.
 */
function fit(text: string, max: number, defuse: (text: string) => string): string {
  const defused = defuse(text);
  for (let budget = max; ;) {
    const cut = defuse(truncateAtWord(defused, budget));
    const over = [...cut].length - max;
    if (over <= 0 || budget <= 1) return cut;
    budget -= over;
  }
}

const mrkdwnStyle: TextStyle = {
  bold: (t) => (t.trim() === "" ? t : `*${t}*`),
  italic: (t) => (t.trim() === "" ? t : `_${t}_`),
  code: (t) => `\`${t}\``,
  link: (text, href) => {
    // Link text arrives escaped; the URL must not carry | or > (they end Slack's <url|text> syntax).
    const url = href.replace(/&/g, "&amp;").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/\|/g, "%7C");
    if (!/^(https?:|mailto:)/i.test(href)) return text;
    return text === escapeMrkdwn(href) ? `<${url}>` : `<${url}|${text.replace(/\|/g, "¦")}>`;
  },
  heading: (t) => `*${t}*`,
  escape: escapeMrkdwn,
  bullet: "•",
};

function mrkdwn(markdown: string): string {
  return renderMarkdown(markdown, mrkdwnStyle);
}

/** Splits lines into pieces of at most `max` characters, at line breaks where possible, else at words; lazily. */
function* splitLines(lines: Iterable<string>, max: number): Generator<string> {
  let current = "";
  // Characters (code points) in current: counting the whole of it again for every line made long parts quadratic.
  let currentChars = 0;
  for (const line of lines) {
    const lineChars = [...line].length;
    const joined = current === "" ? line : `${current}\n${line}`;
    const joinedChars = current === "" ? lineChars : currentChars + 1 + lineChars;
    if (joinedChars <= max) {
      current = joined;
      currentChars = joinedChars;
      continue;
    }
    if (current !== "") yield current;
    let rest = [...line];
    while (rest.length > max) {
      // A split, not a cut: the next block carries on, so no ellipsis; break at the last space if there is a fair one.
      const space = rest.lastIndexOf(" ", max);
      const at = space > max / 2 ? space : max;
      yield rest.slice(0, at).join("");
      rest = rest.slice(space > max / 2 ? at + 1 : at);
    }
    current = rest.join("");
    currentChars = rest.length;
  }
  if (current !== "") yield current;
}

/**
 * The lines of `section` as renderSection joins them (heading and body, then each item's lines). Made part by part so
 * the items after the cut are never rendered.
 */
function* sectionLines(section: ReplySection): Generator<string> {
  const indent = "    ";
  if (section.heading || section.body)
    yield* renderSection({ heading: section.heading, body: section.body }, mrkdwnStyle, indent).split("\n");
  for (const item of section.items ?? []) yield* renderSection({ items: [item] }, mrkdwnStyle, indent).split("\n");
}

/**
 * The body as section texts of at most 3,000 characters, made only as they are asked for: a long answer is mostly
 * cut, and rendering what is cut was most of its time. Each part (lead, section) is split on its own.
 */
function* sectionsOf(reply: Reply): Generator<string> {
  if (reply.lead) yield* splitLines(mrkdwn(reply.lead).split("\n"), SLACK_LIMITS.sectionText);
  for (const section of reply.sections) yield* splitLines(sectionLines(section), SLACK_LIMITS.sectionText);
}

function section(text: string): KnownBlock {
  // verbatim: Slack must not auto-link names or parse mentions in what we send.
  return { type: "section", text: { type: "mrkdwn", text, verbatim: true } };
}

function button(action: ReplyAction, index: number): Button {
  const value = action.commandLine;
  return {
    type: "button",
    // A share's action id carries the fingerprint of the answer as shown, so the click can tell if it changed since.
    action_id:
      action.kind === "share" ? (action.seen === undefined ? "share" : `share:${action.seen}`) : `run:${index}`,
    text: { type: "plain_text", text: fit(action.label, SLACK_LIMITS.buttonText, defusePlain), emoji: true },
    value,
    ...(action.kind === "share" && { style: "primary" as const }),
  };
}

/** The buttons, and the actions left out: runs past MAX_RUN_BUTTONS, values too long, more than a block holds. */
function actionsBlock(reply: Reply): { block: KnownBlock | undefined; dropped: ReplyAction[] } {
  const allRuns = reply.actions.filter((a) => a.kind === "run");
  const runs = allRuns.slice(0, MAX_RUN_BUTTONS);
  const shares = reply.actions.filter((a) => a.kind === "share");
  const fitting = [...runs, ...shares].filter((a) => [...a.commandLine].length <= SLACK_LIMITS.buttonValue);
  const shown = new Set(fitting.slice(0, SLACK_LIMITS.buttonsPerActionsBlock));
  const buttons = fitting.map((a, i) => button(a, i)).slice(0, SLACK_LIMITS.buttonsPerActionsBlock);
  const dropped = reply.actions.filter((a) => !shown.has(a));
  return { block: buttons.length === 0 ? undefined : { type: "actions", elements: buttons }, dropped };
}

function contextBlock(reply: Reply, options: RenderOptions): KnownBlock | undefined {
  // The footer holds Markdown; the other lines are plain text. "Shared by" names the sharer as text: a <@U…> would notify them.
  const lines = metaLines(reply, options.timeZone).map((line) =>
    line.kind === "footer" ? mrkdwn(line.text) : escapeMrkdwn(line.text),
  );
  if (lines.length === 0) return undefined;
  const elements = lines.slice(0, SLACK_LIMITS.contextElements).map((text) => ({
    type: "mrkdwn" as const,
    text: fit(text, SLACK_LIMITS.contextText, defuseBroadcasts),
    verbatim: true,
  }));
  return { type: "context", elements };
}

function headerBlock(reply: Reply): KnownBlock {
  const title = reply.tone === "error" ? `⚠️ ${reply.title}` : reply.title;
  return {
    type: "header",
    text: { type: "plain_text", text: fit(title, SLACK_LIMITS.headerText, defusePlain), emoji: true },
  };
}

/** Characters of one block as sent (its JSON). */
export function blockChars(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

/** Characters of a message's blocks as sent, what SLACK_LIMITS.messageBlockChars bounds: the array's JSON. */
function blocksJsonChars(blocks: readonly KnownBlock[]): number {
  return JSON.stringify(blocks).length;
}

/** A cut part shorter than this reads as a stray fragment; the shortened note alone says more. */
const MIN_CUT_PART = 200;

/**
 * The start of `text` as a section of at most `room` characters of JSON, or undefined when less than MIN_CUT_PART
 * characters would fit. JSON escaping (quotes, backslashes, line breaks) makes a block's JSON longer than its text by
 * an amount the text decides, so each cut is measured and cut shorter by what it is over.
 */
function startOf(text: string, room: number): KnownBlock | undefined {
  for (let chars = Math.min(SLACK_LIMITS.sectionText, room - blockChars(section(""))); chars >= MIN_CUT_PART;) {
    const block = section(fit(text, chars, defuseBroadcasts));
    const over = blockChars(block) - room;
    if (over <= 0) return block;
    chars -= over;
  }
  return undefined;
}

/** The notification text carries no formatting: links and emphasis read as their words. */
const fallbackStyle: TextStyle = { ...mrkdwnStyle, bold: (t) => t, italic: (t) => t, link: (t) => t };

function fallbackText(reply: Reply): string {
  const lead = reply.lead ? `: ${renderMarkdown(reply.lead, fallbackStyle)}` : "";
  const shared = reply.sharedBy ? ` (shared by ${escapeMrkdwn(reply.sharedBy)})` : "";
  return fit(
    `${escapeMrkdwn(reply.title)}${lead}${shared}`.replace(/\s+/g, " "),
    SLACK_LIMITS.fallbackText,
    defuseBroadcasts,
  );
}

/** The shortened note as shown: the platform's own unless the caller names a hint of its own. */
function shortenedNote(options: RenderOptions): string {
  return options.shortenedHint === undefined ? SHORTENED_NOTE : `_${escapeMrkdwn(options.shortenedHint)}_`;
}

/** A Reply as Block Kit: header, body sections, buttons, then sources and "updated"; cut with a note when too long. */
function renderBlocks(reply: Reply, options: RenderOptions): Rendered<SlackMessage> {
  const header = headerBlock(reply);
  const actions = actionsBlock(reply);
  const tail = [actions.block, contextBlock(reply, options)].filter((b): b is KnownBlock => b !== undefined);
  const note = section(shortenedNote(options));

  // Room is measured on the array as sent, with the note counted in case the body must be cut; each body block then
  // adds its own JSON and a comma.
  let room = SLACK_LIMITS.messageBlockChars - blocksJsonChars([header, note, ...tail]);
  let roomBlocks = SLACK_LIMITS.blocksPerMessage - (2 + tail.length);

  const body: KnownBlock[] = [];
  let shortened = false;
  for (const text of sectionsOf(reply)) {
    const block = section(text);
    const size = blockChars(block) + 1;
    if (roomBlocks > 0 && size <= room) {
      body.push(block);
      room -= size;
      roomBlocks -= 1;
      continue;
    }
    shortened = true;
    // Fill what room is left with the start of this part rather than dropping it whole.
    const start = roomBlocks > 0 ? startOf(text, room - 1) : undefined;
    if (start) body.push(start);
    break;
  }
  const blocks = [header, ...body, ...(shortened ? [note] : []), ...tail];
  return { message: { text: fallbackText(reply), blocks }, shortened, dropped: actions.dropped };
}

/**
 * A Reply as Slack shows it. Command names arrive as Slack knows them (the core writes /whois for Slack askers), so
 * nothing in the text is rewritten here.
 */
export const renderSlack: Renderer<SlackMessage> = (reply: Reply, options: RenderOptions): Rendered<SlackMessage> =>
  renderBlocks(reply, options);
