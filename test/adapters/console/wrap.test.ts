// Wrapping terminal text: word boundaries, hanging indents, whole URLs, and ANSI codes that take no room.
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { visibleWidth, wrapText } from "../../../src/adapters/console/wrap.js";

const ESC = "\u001b";
const bold = (t: string) => `${ESC}[1m${t}${ESC}[22m`;
const underline = (t: string) => `${ESC}[4m${t}${ESC}[24m`;
const dim = (t: string) => `${ESC}[2m${t}${ESC}[22m`;

/** Columns of a line as a terminal shows it; our text is Latin letters and punctuation, one column each. */
const shown = (line: string) => [...stripVTControlCharacters(line)].length;
const words = (text: string) => stripVTControlCharacters(text).split(/\s+/).filter(Boolean);

describe("wrapText", () => {
  it("breaks long lines at spaces, never inside a word, and keeps every word in order", () => {
    const text =
      "Netanyahu's office said Israel had conveyed its view on direct negotiations between the US and Hamas.";
    const wrapped = wrapText(text, 20);
    expect(wrapped.split("\n")).toEqual([
      "Netanyahu's office",
      "said Israel had",
      "conveyed its view on",
      "direct negotiations",
      "between the US and",
      "Hamas.",
    ]);
    expect(words(wrapped)).toEqual(words(text));
  });

  it("indents a bullet's, a number's and a quote's continuations under its text", () => {
    const text = [
      "  • The White House confirmed Boehler's direct contact with Hamas.",
      "1. The first of several numbered points in a list.",
      "12) Another numbering style that content may use.",
      "> A quoted line that runs on well past the width.",
      "> • A bullet inside a quote keeps both marks aligned.",
    ].join("\n");
    expect(wrapText(text, 30)).toBe(
      [
        "  • The White House confirmed",
        "    Boehler's direct contact",
        "    with Hamas.",
        "1. The first of several",
        "   numbered points in a list.",
        "12) Another numbering style",
        "    that content may use.",
        "> A quoted line that runs on",
        "> well past the width.",
        "> • A bullet inside a quote",
        ">   keeps both marks aligned.",
      ].join("\n"),
    );
  });

  it("leaves a URL wider than the terminal whole, on a line of its own", () => {
    const url = "https://www.example.org/2025/03/05/us-envoy-held-secret-direct-talks-with-hamas";
    const wrapped = wrapText(`Read the source article (${url}) for more.`, 30);
    expect(wrapped.split("\n")).toEqual(["Read the source article", `(${url})`, "for more."]);
  });

  it("keeps lines that fit, blank lines and existing breaks as they are", () => {
    const text = "Short line\n\n  • A bullet\n    its second line\n";
    expect(wrapText(text, 30)).toBe(text);
  });

  it("measures what shows: ANSI codes take no room", () => {
    const text = `${bold("Key")} ${bold("points")} are ${underline("these")} few words here`;
    expect(visibleWidth(text)).toBe("Key points are these few words here".length);
    // 35 columns of text fit in 35 although the string is longer.
    expect(wrapText(text, 35)).toBe(text);
    const wrapped = wrapText(text, 20);
    expect(wrapped.split("\n").map(shown)).toEqual([20, 14]);
    expect(words(wrapped)).toEqual(words(text));
  });

  it("closes a style before a break and opens it again after the indent, so the indent is not styled", () => {
    const text = `  • See ${underline("the source article from Reuters")} today`;
    const lines = wrapText(text, 24).split("\n");
    expect(lines).toEqual([
      `  • See ${ESC}[4mthe source${ESC}[0m`,
      `    ${ESC}[4marticle from Reuters${ESC}[24m`,
      "    today",
    ]);
  });

  it("carries a style across the lines it already spans (a dim block of several lines)", () => {
    const text = dim("Updated 23 Nov\nSources: Source article (citing Reuters and Axios)");
    // The second line starts inside the dim block, with no code of its own: its continuation is dim again.
    expect(wrapText(text, 30)).toBe(
      `${ESC}[2mUpdated 23 Nov\nSources: Source article${ESC}[0m\n${ESC}[2m(citing Reuters and Axios)${ESC}[22m`,
    );
  });

  it("counts wide letters and emoji as two columns and combining accents as none", () => {
    expect(visibleWidth("東京")).toBe(4);
    expect(visibleWidth("🙂 ok")).toBe(5);
    expect(visibleWidth("Cafe\u0301")).toBe(4);
    expect(wrapText("東京 東京 東京", 9)).toBe("東京 東京\n東京");
  });

  it("drops the hanging indent on a terminal too narrow to keep room for words", () => {
    expect(wrapText("        • deeply indented words go on", 16)).toBe("        • deeply\nindented words\ngo on");
  });
});
