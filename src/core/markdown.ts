// Walks the Markdown in content with marked's lexer and re-emits it in a target style (plain, ANSI, mrkdwn...).
import { Lexer, type Token, type Tokens } from "marked";
import type { ReplySection } from "./reply.js";
import { Memo } from "./memo.js";

export interface TextStyle {
  bold(text: string): string;
  italic(text: string): string;
  code(text: string): string;
  link(text: string, href: string): string;
  heading(text: string, depth: number): string;
  /** Escapes literal text for the target (e.g. & < > for Slack); identity for plain text. */
  escape(text: string): string;
  bullet: string;
}

export const plainStyle: TextStyle = {
  bold: (t) => t,
  italic: (t) => t,
  code: (t) => t,
  link: (text, href) => (text === href ? href : `${text} (${href})`),
  heading: (t) => t,
  escape: (t) => t,
  bullet: "•",
};

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function inline(tokens: readonly Token[] | undefined, style: TextStyle): string {
  if (!tokens) return "";
  return tokens
    .map((token) => {
      switch (token.type) {
        case "strong":
          return style.bold(inline((token as Tokens.Strong).tokens, style));
        case "em":
          return style.italic(inline((token as Tokens.Em).tokens, style));
        case "codespan":
          return style.code(style.escape(decodeEntities((token as Tokens.Codespan).text)));
        case "link": {
          const link = token as Tokens.Link;
          return style.link(inline(link.tokens, style), link.href);
        }
        case "br":
          return "\n";
        case "escape":
          // "\*" in content means a literal "*": hand the target the character, not the backslash.
          return style.escape(decodeEntities((token as Tokens.Escape).text));
        case "del":
          return inline((token as Tokens.Del).tokens, style);
        case "text": {
          const text = token as Tokens.Text;
          return text.tokens ? inline(text.tokens, style) : style.escape(decodeEntities(text.text));
        }
        default:
          return "raw" in token && typeof token.raw === "string" ? style.escape(token.raw) : "";
      }
    })
    .join("");
}

function blocks(tokens: readonly Token[], style: TextStyle, indent = ""): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "heading": {
        const heading = token as Tokens.Heading;
        out.push(indent + style.heading(inline(heading.tokens, style), heading.depth));
        break;
      }
      case "paragraph":
        out.push(indent + inline((token as Tokens.Paragraph).tokens, style));
        break;
      case "list": {
        const list = token as Tokens.List;
        const start = typeof list.start === "number" ? list.start : 1;
        const lines = list.items.map((item, i) => {
          const marker = list.ordered ? `${start + i}.` : style.bullet;
          const [first = "", ...rest] = blocks(item.tokens, style, `${indent}  `).join("\n").trimStart().split("\n");
          return [`${indent}${marker} ${first}`, ...rest].join("\n");
        });
        out.push(lines.join("\n"));
        break;
      }
      case "blockquote":
        out.push(blocks((token as Tokens.Blockquote).tokens, style, `${indent}> `).join("\n"));
        break;
      case "code":
        out.push(style.code(style.escape((token as Tokens.Code).text)));
        break;
      case "text": {
        const text = token as Tokens.Text;
        out.push(indent + (text.tokens ? inline(text.tokens, style) : style.escape(decodeEntities(text.text))));
        break;
      }
      case "space":
      case "hr":
      case "html":
      case "def":
        break;
      default:
        if ("raw" in token && typeof token.raw === "string" && token.raw.trim() !== "")
          out.push(indent + style.escape(token.raw.trim()));
    }
  }
  return out;
}

/** Rendered texts per style: content changes rarely and is asked for often, and lexing was most of an answer's time. */
const rendered = new WeakMap<TextStyle, Memo<string>>();

/** Markdown to text in the given style; blocks are separated by a blank line. */
export function renderMarkdown(markdown: string, style: TextStyle): string {
  let memo = rendered.get(style);
  if (!memo) {
    memo = new Memo(5_000);
    rendered.set(style, memo);
  }
  return memo.get(markdown, () => blocks(Lexer.lex(markdown), style).join("\n\n"));
}

/** A reply section in `style`: the heading in bold, the body, then one bullet per item with its later lines indented. */
export function renderSection(section: ReplySection, style: TextStyle, continuationIndent = "  "): string {
  const lines: string[] = [];
  if (section.heading) lines.push(style.bold(style.escape(section.heading)));
  if (section.body) lines.push(renderMarkdown(section.body, style));
  for (const item of section.items ?? []) {
    const [first = "", ...rest] = renderMarkdown(item, style).split("\n");
    lines.push(`${style.bullet} ${first}`, ...rest.map((line) => continuationIndent + line));
  }
  return lines.join("\n");
}

/**
 * `text` as Markdown that shows exactly those characters: for words that are not the editors' (a reader's display
 * name), which must not become a link, emphasis or a heading.
 */
export function markdownLiteral(text: string): string {
  return text.replace(/[\\`*_[\]()#+\-.!<>~|{}]/g, (c) => `\\${c}`);
}
