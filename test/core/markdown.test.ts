// Content Markdown re-emitted in a target style: structure kept, literal text escaped once, backslash escapes honoured.
import { describe, expect, it } from "vitest";
import { plainStyle, renderMarkdown, type TextStyle } from "../../src/core/markdown.js";

/** A style that marks every piece, so the tests see which hook produced what. */
const marking: TextStyle = {
  bold: (t) => `[b:${t}]`,
  italic: (t) => `[i:${t}]`,
  code: (t) => `[c:${t}]`,
  link: (text, href) => `[a:${text}|${href}]`,
  heading: (t, depth) => `[h${depth}:${t}]`,
  escape: (t) => t.replace(/\*/g, "<star>"),
  bullet: "-",
};

describe("renderMarkdown", () => {
  it("passes a backslash-escaped character to the target as the character itself", () => {
    expect(renderMarkdown("5 \\* 3 and a\\_b", plainStyle)).toBe("5 * 3 and a_b");
    expect(renderMarkdown("5 \\* 3", marking)).toBe("5 <star> 3");
  });

  it("maps emphasis, code, links, headings and lists onto the style", () => {
    const out = renderMarkdown(
      "## Head\n\n**bold** _it_ `x` [Reuters](https://example.com)\n\n1. one\n2. two",
      marking,
    );
    expect(out).toBe("[h2:Head]\n\n[b:bold] [i:it] [c:x] [a:Reuters|https://example.com]\n\n1. one\n2. two");
  });

  it("decodes entities once, so & and < reach the target's own escaping unmangled", () => {
    expect(renderMarkdown("AT&T <b>", { ...plainStyle, escape: (t) => t.replace(/&/g, "&amp;") })).toContain(
      "AT&amp;T",
    );
  });
});
