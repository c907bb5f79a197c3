// Renders a Reply as terminal text: ANSI styles and wrapping at the terminal's width when the output is a TTY.
import { styleText } from "node:util";
import { plainStyle, renderMarkdown, type TextStyle } from "../../core/markdown.js";
import { metaLines, type Reply } from "../../core/reply.js";
import type { RenderOptions, Rendered, Renderer } from "../shared/renderer.js";
import { visibleWidth, wrapText } from "./wrap.js";

type Colour = Parameters<typeof styleText>[0];

export type ConsoleRenderOptions = RenderOptions & {
  /** ANSI styles: only when the output is a terminal and NO_COLOR is unset. */
  colour: boolean;
  /**
   * The terminal's width in columns: lines are broken at spaces to fit, since a terminal cuts them mid-word. Unset
   * (piped output), lines are left whole for whatever reads them.
   */
  width?: number | undefined;
};

function painter(enabled: boolean) {
  // Whether to colour is decided once, by `colour`; left to itself styleText drops a lone style (not an array of
  // them) whenever process.stdout is not a terminal, which would colour half an answer.
  return (format: Colour, text: string): string =>
    enabled && text !== "" ? styleText(format, text, { validateStream: false }) : text;
}

function ansiStyle(paint: ReturnType<typeof painter>): TextStyle {
  return {
    ...plainStyle,
    bold: (t) => paint("bold", t),
    italic: (t) => paint("italic", t),
    code: (t) => paint("cyan", t),
    link: (text, href) => (text === href ? paint("underline", href) : `${text} (${paint("underline", href)})`),
    heading: (t) => paint(["bold", "underline"], t),
  };
}

const indent = (text: string, by: string): string =>
  text
    .split("\n")
    .map((line) => (line === "" ? line : by + line))
    .join("\n");

/**
 * A Reply as terminal text. A terminal has no size limit, so nothing is shortened; run actions show as the "Try:" line
 * and sharing means nothing to a terminal's one reader, so nothing is dropped either.
 */
export const renderConsole: Renderer<string, ConsoleRenderOptions> = (
  reply: Reply,
  options: ConsoleRenderOptions,
): Rendered<string> => {
  const paint = painter(options.colour);
  const style = options.colour ? ansiStyle(paint) : plainStyle;
  const md = (text: string) => renderMarkdown(text, style);
  const blocks: string[] = [];

  if (reply.tone === "error") {
    blocks.push(paint(["bold", "red"], `✗ ${reply.title}`));
  } else {
    const title = paint(["bold", reply.tone === "notice" ? "yellow" : "cyan"], reply.title);
    // The rule under a plain title is as long as the title's widest line, and never wider than the terminal.
    const shown = options.width === undefined ? reply.title : wrapText(reply.title, options.width);
    const rule = Math.min(Math.max(...shown.split("\n").map(visibleWidth)), 72, options.width ?? 72);
    blocks.push(options.colour ? title : `${reply.title}\n${"=".repeat(rule)}`);
  }
  if (reply.lead) blocks.push(md(reply.lead));

  for (const section of reply.sections) {
    const lines: string[] = [];
    if (section.heading) lines.push(paint("bold", section.heading));
    if (section.body) lines.push(indent(md(section.body), "  "));
    for (const item of section.items ?? []) {
      const [first = "", ...rest] = md(item).split("\n");
      lines.push(`  ${style.bullet} ${first}`, ...rest.map((line) => `    ${line}`));
    }
    blocks.push(lines.join("\n"));
  }

  const runs = reply.actions.filter((a) => a.kind === "run");
  if (runs.length > 0) blocks.push(`Try: ${runs.map((a) => paint("cyan", a.commandLine)).join("  ·  ")}`);

  const meta = metaLines(reply, options.timeZone).map((line) => line.text);
  if (meta.length > 0) blocks.push(paint("dim", meta.join("\n")));

  const message = blocks.join("\n\n");
  return {
    message: options.width === undefined ? message : wrapText(message, options.width),
    shortened: false,
    dropped: [],
  };
};
