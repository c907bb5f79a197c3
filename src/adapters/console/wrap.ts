// Wraps terminal text at a width on word boundaries, measuring what shows rather than ANSI codes, with hanging indents.

/** An escape sequence: CSI (SGR styles end in "m") or OSC (hyperlinks); both take no room on screen. */
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/y;
/** Combining marks (a decomposed accent), which sit on the letter before them. */
const MARK = /^\p{M}$/u;
/** East Asian wide and fullwidth letters and emoji shown as emoji: terminals give each two columns. */
const WIDE =
  /[\p{Emoji_Presentation}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** A line's pieces: escapes (no width) and characters (their width in columns), in order. */
type Piece = { text: string; width: number; escape: boolean };

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  while (i < text.length) {
    ESCAPE.lastIndex = i;
    const escape = ESCAPE.exec(text);
    if (escape) {
      out.push({ text: escape[0], width: 0, escape: true });
      i += escape[0].length;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
    out.push({ text: char, width: charWidth(char), escape: false });
    i += char.length;
  }
  return out;
}

/** Controls, soft hyphens, zero-width spaces and joiners, variation selectors and the byte order mark show nothing. */
function invisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0xad ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0xfe00 && code <= 0xfe0f) ||
    code === 0xfeff
  );
}

function charWidth(char: string): number {
  if (invisible(char.codePointAt(0) ?? 0) || MARK.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** Columns `text` takes in a terminal: escape codes take none, wide letters and emoji two. */
export function visibleWidth(text: string): number {
  return pieces(text).reduce((sum, p) => sum + p.width, 0);
}

/**
 * The SGR styles in effect, by what each sets, so a line broken inside a style can close it before the break
 * (else the continuation's indent would be underlined) and open it again after the indent.
 */
class Styles {
  private readonly active = new Map<string, string>();

  apply(escape: string): void {
    // eslint-disable-next-line no-control-regex
    const sgr = /^\u001b\[([0-9;]*)m$/.exec(escape);
    if (!sgr) return;
    const params = (sgr[1] ?? "").split(";");
    for (let i = 0; i < params.length; i += 1) {
      const code = Number(params[i] || "0");
      if (code === 38 || code === 48) {
        // Extended colours carry their arguments: 38;5;n or 38;2;r;g;b.
        const count = params[i + 1] === "5" ? 2 : params[i + 1] === "2" ? 4 : 0;
        this.active.set(code === 38 ? "fg" : "bg", params.slice(i, i + 1 + count).join(";"));
        i += count;
        continue;
      }
      this.set(code);
    }
  }

  private set(code: number): void {
    const slot = SLOTS.get(code);
    if (code === 0) this.active.clear();
    else if (code === 22) {
      this.active.delete("bold");
      this.active.delete("dim");
    } else if (slot?.on === false) this.active.delete(slot.name);
    else if (slot) this.active.set(slot.name, String(code));
  }

  get open(): boolean {
    return this.active.size > 0;
  }

  /** The one escape that turns every style in effect back on. */
  reopen(): string {
    return this.open ? `\u001b[${[...this.active.values()].join(";")}m` : "";
  }
}

const SLOTS = new Map<number, { name: string; on: boolean }>([
  [1, { name: "bold", on: true }],
  [2, { name: "dim", on: true }],
  [3, { name: "italic", on: true }],
  [23, { name: "italic", on: false }],
  [4, { name: "underline", on: true }],
  [24, { name: "underline", on: false }],
  [5, { name: "blink", on: true }],
  [25, { name: "blink", on: false }],
  [7, { name: "inverse", on: true }],
  [27, { name: "inverse", on: false }],
  [8, { name: "hidden", on: true }],
  [28, { name: "hidden", on: false }],
  [9, { name: "strike", on: true }],
  [29, { name: "strike", on: false }],
  [39, { name: "fg", on: false }],
  [49, { name: "bg", on: false }],
  ...[30, 31, 32, 33, 34, 35, 36, 37, 90, 91, 92, 93, 94, 95, 96, 97].map(
    (c): [number, { name: string; on: boolean }] => [c, { name: "fg", on: true }],
  ),
  ...[40, 41, 42, 43, 44, 45, 46, 47, 100, 101, 102, 103, 104, 105, 106, 107].map(
    (c): [number, { name: string; on: boolean }] => [c, { name: "bg", on: true }],
  ),
]);

/**
 * What starts a line and its continuations line up under: indentation, quote marks ("> "), then a bullet or a
 * number ("• ", "- ", "12. ", "3) ") and the spaces after it.
 */
const LEAD = /^[ \t]*(?:>[ \t]?)*(?:(?:[•◦▪‣*-]|\d{1,3}[.)])[ \t]+)?/u;

/** The indent continuations of a line starting with `lead` get: quote marks kept (a quote goes on), the rest blank. */
function hangingIndent(lead: string): string {
  return [...lead].map((c) => (c === ">" ? ">" : " ".repeat(charWidth(c) || 1))).join("");
}

/** Room a continuation must keep for words: a narrower terminal gets no hanging indent rather than one word a line. */
const MIN_TEXT_COLUMNS = 12;

/**
 * `text` with every line that is wider than `width` broken at spaces, continuations indented under the line's text.
 * A word wider than the width (a long URL) is left whole on a line of its own: cutting it would break it. Lines that
 * fit, and the breaks already there, are kept as they are.
 */
export function wrapText(text: string, width: number): string {
  const styles = new Styles();
  return text
    .split("\n")
    .map((line) => wrapLine(line, width, styles))
    .join("\n");
}

function wrapLine(line: string, width: number, styles: Styles): string {
  const all = pieces(line);
  if (all.reduce((sum, p) => sum + p.width, 0) <= width) {
    for (const p of all) if (p.escape) styles.apply(p.text);
    return line;
  }

  // The lead is measured on what shows; escapes before or inside it stay with it.
  const plain = all.filter((p) => !p.escape).map((p) => p.text);
  const leadChars = [...(LEAD.exec(plain.join(""))?.[0] ?? "")].length;
  let seen = 0;
  let cut = 0;
  while (cut < all.length && (seen < leadChars || all[cut]?.escape === true)) {
    if (all[cut]?.escape !== true) seen += 1;
    cut += 1;
  }
  const lead = all.slice(0, cut);
  const indentText = hangingIndent(
    lead
      .filter((p) => !p.escape)
      .map((p) => p.text)
      .join(""),
  );
  const indent = visibleWidth(indentText) + MIN_TEXT_COLUMNS > width ? "" : indentText;

  let out = "";
  let column = 0;
  for (const p of lead) {
    out += p.text;
    column += p.width;
    if (p.escape) styles.apply(p.text);
  }
  let wordsOnLine = 0;
  for (const { gap, word } of words(all.slice(cut))) {
    const gapWidth = gap.reduce((sum, p) => sum + p.width, 0);
    const wordWidth = word.reduce((sum, p) => sum + p.width, 0);
    const overflows = column + gapWidth + wordWidth > width;
    if (overflows && (wordsOnLine > 0 || wordWidth === 0)) {
      // The spaces go (trailing ones too, which would spill onto a line of their own); escapes among them still count.
      const close = styles.open ? "\u001b[0m" : "";
      const escapes = gap.filter((p) => p.escape);
      for (const p of escapes) styles.apply(p.text);
      if (wordWidth > 0) {
        out += `${close}\n${indent}${styles.reopen()}`;
        column = visibleWidth(indent);
        wordsOnLine = 0;
      } else {
        out += escapes.map((p) => p.text).join("");
      }
    } else {
      for (const p of gap) {
        out += p.text;
        if (p.escape) styles.apply(p.text);
      }
      column += gapWidth;
    }
    for (const p of word) {
      out += p.text;
      if (p.escape) styles.apply(p.text);
    }
    column += wordWidth;
    if (wordWidth > 0) wordsOnLine += 1;
  }
  return out;
}

/** The pieces after the lead as (spaces before, word) pairs; escapes next to a word belong to the word. */
function words(rest: Piece[]): { gap: Piece[]; word: Piece[] }[] {
  const out: { gap: Piece[]; word: Piece[] }[] = [];
  let gap: Piece[] = [];
  let word: Piece[] = [];
  const isSpace = (p: Piece) => !p.escape && (p.text === " " || p.text === "\t");
  for (const p of rest) {
    if (isSpace(p)) {
      if (word.some((w) => !w.escape)) {
        out.push({ gap, word });
        gap = [];
        word = [];
      } else if (word.length > 0) {
        // Only escapes since the last space: they belong with the spaces around them.
        gap.push(...word);
        word = [];
      }
      gap.push(p);
    } else {
      word.push(p);
    }
  }
  if (word.length > 0 || gap.length > 0) out.push({ gap, word });
  return out;
}
