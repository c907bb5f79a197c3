// Renders a Reply as Discord embeds and buttons: within Discord's limits, shortened cleanly when long, unable to ping anyone.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
} from "discord.js";
import { renderMarkdown, renderSection, type TextStyle } from "../../core/markdown.js";
import { metaLines, type Reply, type ReplyAction, type ReplySection } from "../../core/reply.js";
import { truncateAtWord } from "../../core/text/truncate.js";
import type { RenderOptions, Rendered, Renderer } from "../shared/renderer.js";
import { customIdFor } from "./custom-id.js";
import { DISCORD_LIMITS } from "./limits.js";

/** The adapter passes a shortenedHint naming a narrower command from the content. */
export type DiscordRenderOptions = RenderOptions;

export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
}

export const DEFAULT_SHORTENED_HINT = "…answer shortened to fit in Discord; a narrower question shows the rest.";

const TONE_COLOUR: Record<Reply["tone"], number> = { answer: 0x5865f2, notice: 0xfee75c, error: 0xed4245 };

/** Footer lines other than the sources get at most this much, so the sources line keeps most of the footer. */
const FOOTER_LINE_MAX = 300;

// Discord parses these as pings or live links wherever markdown is rendered; a zero-width space after the
// opening character keeps the text readable and inert. allowed_mentions is the second guard, not the only one.
// No word boundary: "@here_now" or "@everyonex" is defused too, since what a client parses next to them is not ours.
const ZWSP = "\u200b";
const BROADCAST = /@(everyone|here)/gi;
const MENTION_OPENER = /<([@#/])/g;

/** Makes @everyone, @here, <@id>, <@&id>, <#id> and </command:id> show as text. */
export function defuseMentions(text: string): string {
  return text.replace(BROADCAST, `@${ZWSP}$1`).replace(MENTION_OPENER, `<${ZWSP}$1`);
}

// Inline markers Discord's markdown reacts to anywhere; block markers only matter at the start of a line.
const INLINE_MARKERS = /[\\*_~`|[\]]/g;
const BLOCK_MARKER = /^(\s*)([#>]|-(?=[#\s]))/gm;
const NUMBERED_ITEM = /^(\s*\d+)\.(?=\s)/gm;

/** Escapes literal content text for Discord markdown and defuses mentions in it. */
export function escapeDiscordMarkdown(text: string): string {
  return defuseMentions(
    text.replace(INLINE_MARKERS, "\\$&").replace(BLOCK_MARKER, "$1\\$2").replace(NUMBERED_ITEM, "$1\\."),
  );
}

/** Undoes escapeDiscordMarkdown's backslashes: inside a code span Discord shows them literally. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\*_~`|[\]#>.-])/g, "$1");
}

function codeSpan(text: string): string {
  // A backtick cannot be escaped inside a Discord code span; a look-alike keeps the span closed.
  const literal = text.replace(/`/g, "ˋ");
  return literal.includes("\n") ? `\`\`\`\n${literal}\n\`\`\`` : `\`${literal}\``;
}

const discordStyle: TextStyle = {
  bold: (t) => (t.trim() === "" ? t : `**${t}**`),
  italic: (t) => (t.trim() === "" ? t : `*${t}*`),
  code: (t) => codeSpan(unescapeMarkdown(t)),
  link: (text, href) => {
    if (!/^https?:\/\//i.test(href)) return text;
    // Parentheses and spaces would end the masked link early.
    const url = href.replace(/\(/g, "%28").replace(/\)/g, "%29").replace(/\s/g, "%20");
    return text === escapeDiscordMarkdown(href) ? url : `[${text}](${url})`;
  },
  heading: (t) => `**${t}**`,
  escape: escapeDiscordMarkdown,
  bullet: "•",
};

/** Content Markdown as Discord markdown. */
export function discordMarkdown(markdown: string): string {
  return renderMarkdown(markdown, discordStyle);
}

/**
 * `text` cut to at most `max` UTF-16 units at a word boundary, with "…". Discord may count code points or
 * UTF-16 units; the UTF-16 length is never the smaller, so a text that fits by it fits either way.
 */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let budget = max;
  let cut = truncateAtWord(text, budget);
  while (cut.length > max && budget > 1) {
    budget -= cut.length - max;
    cut = truncateAtWord(text, Math.max(1, budget));
  }
  return cut;
}

/** Splits one overlong line into pieces of at most `max` units, at spaces where there are any. */
function wrapLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    // Never split a surrogate pair.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

/**
 * The lines of `section` as renderSection joins them: the heading and body, then each item's lines. Made part by part
 * so the items after the cut are never rendered.
 */
function* sectionLines(section: ReplySection, style: TextStyle): Generator<string> {
  if (section.heading || section.body)
    yield* renderSection({ heading: section.heading, body: section.body }, style).split("\n");
  for (const item of section.items ?? []) yield* renderSection({ items: [item] }, style).split("\n");
}

/** Each block of the answer (lead, sections, the Try line) as lines, in order; blank blocks included. */
function* blockLines(reply: Reply): Generator<Iterable<string>> {
  if (reply.lead) yield discordMarkdown(reply.lead).split("\n");
  for (const section of reply.sections) yield sectionLines(section, discordStyle);
  const runs = reply.actions.filter((a) => a.kind === "run");
  if (runs.length > 0)
    yield `Try: ${runs.map((a) => codeSpan(defuseMentions(a.commandLine))).join("  ·  ")}`.split("\n");
}

/**
 * The lines of the non-blank blocks joined by blank lines, made only as layOut asks for them: a long answer is
 * mostly cut, and rendering what is cut was most of its time.
 */
function* textLines(reply: Reply): Generator<string> {
  let first = true;
  for (const block of blockLines(reply)) {
    // A block of nothing but whitespace is left out whole, so its lines wait until one with text turns up.
    const waiting: string[] = [];
    let shown = false;
    for (const line of block) {
      if (shown) {
        yield line;
        continue;
      }
      waiting.push(line);
      if (line.trim() === "") continue;
      if (!first) yield "";
      first = false;
      shown = true;
      yield* waiting;
    }
  }
}

/** Every line of `lines` as wrapLine splits it, lazily. */
function* wrappedPieces(lines: Iterable<string>, max: number): Generator<string> {
  for (const line of lines) yield* wrapLine(line, max);
}

/**
 * Lays `lines` out over embed descriptions: each at most 4,096 units, all together within `budget`, at most
 * `maxEmbeds`. What does not fit is dropped at a line boundary and replaced by `hint`; the lines after the first
 * that does not fit are never asked for.
 */
function layOut(
  lines: Iterable<string>,
  budget: number,
  maxEmbeds: number,
  hint: string,
): { descriptions: string[]; shortened: boolean } {
  const limit = DISCORD_LIMITS.embedDescription;
  const chunks: string[][] = [[]];
  const lengthOf = (chunk: readonly string[]) => chunk.join("\n").length;
  let used = 0;
  let currentLength = 0;
  let overflow = false;
  for (const piece of wrappedPieces(lines, limit)) {
    let current = chunks[chunks.length - 1] ?? [];
    if (current.length === 0 && piece.trim() === "") continue;
    let added = (current.length > 0 ? 1 : 0) + piece.length;
    if (currentLength + added > limit) {
      if (chunks.length >= maxEmbeds) {
        overflow = true;
        break;
      }
      current = [];
      chunks.push(current);
      currentLength = 0;
      if (piece.trim() === "") continue;
      added = piece.length;
    }
    if (used + added > budget) {
      overflow = true;
      break;
    }
    current.push(piece);
    currentLength += added;
    used += added;
  }
  if (overflow) {
    const last = chunks[chunks.length - 1] ?? [];
    const room = () => (last.length > 0 ? 2 : 0) + hint.length;
    while (
      last.length > 0 &&
      (lengthOf(last) + room() > limit || used + room() > budget || last[last.length - 1]?.trim() === "")
    ) {
      const dropped = last.pop() ?? "";
      used -= dropped.length + (last.length > 0 ? 1 : 0);
    }
    last.push(...(last.length > 0 ? ["", hint] : [hint]));
  }
  return { descriptions: chunks.map((c) => c.join("\n")).filter((d) => d !== ""), shortened: overflow };
}

function footerText(reply: Reply, timeZone: string): string | undefined {
  const meta = metaLines(reply, timeZone);
  // Footers show no markdown, so the footer line goes in as typed, like the others.
  const rest = meta
    .filter((line) => line.kind !== "sources")
    .map((line) => clip(defuseMentions(line.text), FOOTER_LINE_MAX));
  const sources = meta.find((line) => line.kind === "sources")?.text;
  const restLength = rest.reduce((n, line) => n + line.length + 1, 0);
  const lines = sources ? [clip(defuseMentions(sources), DISCORD_LIMITS.embedFooter - restLength), ...rest] : rest;
  const text = lines.join("\n");
  return text === "" ? undefined : text;
}

function button(action: ReplyAction, customId: string): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: customId,
    label: clip(defuseMentions(action.label), DISCORD_LIMITS.buttonLabel) || action.kind,
    style: action.kind === "share" ? ButtonStyle.Primary : ButtonStyle.Secondary,
  };
}

/**
 * Run buttons five to a row, then "Share in channel" on a row of its own. Actions whose id would not fit, and those
 * past what the rows hold, are left out and listed in `dropped`, in the reply's order.
 */
function components(reply: Reply): { rows: DiscordMessage["components"]; dropped: ReplyAction[] } {
  const seen = new Set<string>();
  const left = new Set<ReplyAction>();
  const buttonsOf = (kind: ReplyAction["kind"]) =>
    reply.actions.flatMap((action) => {
      if (action.kind !== kind) return [];
      const id = customIdFor(action);
      if (id === undefined) {
        left.add(action);
        return [];
      }
      // A repeat of a button already shown is not lost: the same click is there.
      if (seen.has(id)) return [];
      seen.add(id);
      return [{ action, button: button(action, id) }];
    });
  const shares = buttonsOf("share");
  const share = shares.slice(0, 1).map((s) => s.button);
  const runRows = DISCORD_LIMITS.rowsPerMessage - (share.length > 0 ? 1 : 0);
  const allRuns = buttonsOf("run");
  const runs = allRuns.slice(0, runRows * DISCORD_LIMITS.buttonsPerRow).map((r) => r.button);
  for (const { action } of [...shares.slice(1), ...allRuns.slice(runs.length)]) left.add(action);
  const rows: DiscordMessage["components"] = [];
  for (let i = 0; i < runs.length; i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: runs.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  if (share.length > 0) rows.push({ type: ComponentType.ActionRow, components: share });
  return { rows, dropped: reply.actions.filter((action) => left.has(action)) };
}

function layOutReply(reply: Reply, options: DiscordRenderOptions) {
  const title = clip(defuseMentions(reply.title), DISCORD_LIMITS.embedTitle);
  const footer = footerText(reply, options.timeZone);
  const hint = `*${escapeDiscordMarkdown(options.shortenedHint ?? DEFAULT_SHORTENED_HINT)}*`;
  const budget = DISCORD_LIMITS.embedsTotal - title.length - (footer?.length ?? 0);
  return { title, footer, ...layOut(textLines(reply), budget, DISCORD_LIMITS.embedsPerMessage, hint) };
}

/** A Reply as embeds and buttons; `shortened` when some text gave way to the hint (a title is only clipped). */
export const renderDiscord: Renderer<DiscordMessage> = (
  reply: Reply,
  options: RenderOptions,
): Rendered<DiscordMessage> => {
  const colour = TONE_COLOUR[reply.tone];
  const { title, footer, descriptions, shortened } = layOutReply(reply, options);

  const embeds: APIEmbed[] = (descriptions.length > 0 ? descriptions : [undefined]).map((description) => ({
    color: colour,
    ...(description !== undefined && { description }),
  }));
  const first = embeds[0];
  const last = embeds[embeds.length - 1];
  if (first) first.title = title;
  if (last && footer) last.footer = { text: footer };
  const { rows, dropped } = components(reply);
  return { message: { embeds, components: rows }, shortened, dropped };
};
