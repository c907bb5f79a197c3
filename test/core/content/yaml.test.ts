// The fast YAML path (js-yaml) against the reference (the yaml package): same values for all content, same errors.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { QUICK_CORPUS, writeCorpus } from "../../../bench/corpus.js";
import { readContentFiles } from "../../../src/core/content/load.js";
import { parseYaml, parseYamlStrictly } from "../../../src/core/content/parse-file.js";
import { realContentFiles } from "../../helpers.js";

function frontMatter(text: string): string {
  return /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? text;
}

const corpusDir = mkdtempSync(path.join(tmpdir(), "newsbot-yaml-"));
afterAll(() => rmSync(corpusDir, { recursive: true, force: true }));

describe("parseYaml", () => {
  it("reads every real content file and a generated corpus exactly as the yaml package does", async () => {
    await writeCorpus(corpusDir, QUICK_CORPUS);
    const texts = [...realContentFiles(), ...readContentFiles(corpusDir)].map((f) => frontMatter(f.text));
    expect(texts.length).toBeGreaterThan(500);
    for (const text of texts) expect(parseYaml(text)).toEqual(parseYamlStrictly(text));
  });

  it("keeps dates and times as strings, and numbers and booleans as the core schema says", () => {
    expect(
      parseYaml(
        'eventTime: 2025-03-05\nversionCreated: "2026-11-23T10:00:00Z"\nversion: 2\npublished: true\nnote: yes',
      ),
    ).toEqual({
      ok: true,
      value: {
        eventTime: "2025-03-05",
        versionCreated: "2026-11-23T10:00:00Z",
        version: 2,
        published: true,
        note: "yes",
      },
    });
  });

  it("reports a duplicate key and broken syntax with the yaml package's messages", () => {
    for (const text of ["id: a\nid: b", "title: [unclosed", "key: value\n  bad indent: here"]) {
      const outcome = parseYaml(text);
      expect(outcome.ok).toBe(false);
      expect(outcome).toEqual(parseYamlStrictly(text));
    }
  });

  it("reads anchors and aliases only through the strict parser, and & or * in text through either alike", () => {
    expect(parseYaml("base: &base [a, b]\ncopy: *base")).toEqual({
      ok: true,
      value: { base: ["a", "b"], copy: ["a", "b"] },
    });
    const text = 'title: "AT&T and **bold** words"\nsummary: Q & A, 2 * 3\nitems:\n  - "*emphasis*"';
    expect(parseYaml(text)).toEqual(parseYamlStrictly(text));
    expect(parseYaml(text)).toEqual({
      ok: true,
      value: { title: "AT&T and **bold** words", summary: "Q & A, 2 * 3", items: ["*emphasis*"] },
    });
  });

  it("refuses an alias bomb with a message instead of expanding it or throwing", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ].join("\n");
    expect(parseYaml(bomb)).toEqual({
      ok: false,
      messages: ["YAML: too many aliases (*name); write the values out instead"],
    });
  });
});
