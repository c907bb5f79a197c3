// Content validation: the real content passes, and each rule of pass 1 (one file) and pass 2 (across files)
// reports a broken copy of it with the right file, field path and reason.
import { describe, expect, it } from "vitest";
import { formatContentError, type ContentError } from "../../../src/core/content/content-error.js";
import { buildContent, type LoadResult } from "../../../src/core/content/load.js";
import type { ContentFile } from "../../../src/core/content/parse-file.js";
import { realContentFiles, withEditedFile } from "../../helpers.js";

const STORY = "stories/hostages/story.md";
const SECRET_TALKS = "stories/hostages/updates/2025-03-05-secret-talks-revealed.md";
const ULTIMATUM = "stories/hostages/updates/2025-03-05-trump-ultimatum.md";
const REACTIONS = "stories/hostages/updates/2025-03-reactions.md";
const BOEHLER = "people/adam-boehler.md";
const TRUMP = "people/donald-trump.md";

/** How a content path is shown in errors. */
const shown = (relPath: string): string => `content/${relPath}`;

function build(files: readonly ContentFile[]): LoadResult {
  return buildContent(files, "content");
}

function listed(errors: readonly ContentError[]): string {
  return errors.length === 0 ? "(no errors)" : errors.map(formatContentError).join("\n");
}

/** The errors of content that must be invalid. */
function errorsOf(files: readonly ContentFile[]): ContentError[] {
  const result = build(files);
  if (result.ok) throw new Error("expected the content to be invalid, but it loaded");
  return result.errors;
}

/** Fails unless the content loads; shows the loader's errors when it does not. */
function expectValid(files: readonly ContentFile[]): void {
  const result = build(files);
  expect(result.ok ? [] : listed(result.errors)).toEqual([]);
}

interface Expected {
  file: string;
  path: string;
  /** A part of the message that carries the reason. */
  says: string;
}

function matches(error: ContentError, expected: Expected): boolean {
  return error.file === shown(expected.file) && error.path === expected.path && error.message.includes(expected.says);
}

/** Asserts that one of the errors is the expected one. */
function expectReported(errors: readonly ContentError[], expected: Expected): void {
  const found = errors.some((e) => matches(e, expected));
  expect(found, `expected ${shown(expected.file)}: ${expected.path}: …${expected.says}… among\n${listed(errors)}`).toBe(
    true,
  );
}

/** Asserts that the content is invalid for exactly the expected reasons and nothing else. */
function expectOnly(files: readonly ContentFile[], ...expected: Expected[]): void {
  const errors = errorsOf(files);
  for (const e of expected) expectReported(errors, e);
  expect(errors, `expected ${expected.length} error(s), got\n${listed(errors)}`).toHaveLength(expected.length);
}

/** The real files with the first occurrence of `from` in one file replaced by `to`. */
function replaced(relPath: string, from: string | RegExp, to: string, files?: ContentFile[]): ContentFile[] {
  return withEditedFile(relPath, (text) => text.replace(from, to), files);
}

function realText(relPath: string): string {
  const file = realContentFiles().find((f) => f.path === relPath);
  if (!file) throw new Error(`no content file ${relPath}`);
  return file.text;
}

const VERSIONING = ["version: 1", 'firstCreated: "2026-11-23T09:00:00Z"', 'versionCreated: "2026-11-23T09:00:00Z"'];

function frontMatter(lines: readonly string[], body = ""): string {
  return ["---", ...lines, "---", body, ""].join("\n");
}

/** A minimal valid person that collides with nothing in the real content. */
function personFile(fileName: string, id: string, name: string, extra: readonly string[] = []): ContentFile {
  return {
    path: `people/${fileName}.md`,
    text: frontMatter([
      `id: ${id}`,
      `name: "${name}"`,
      'description: "A made-up person for a validation test."',
      "sources: [source-article]",
      ...extra,
      ...VERSIONING,
    ]),
  };
}

/** A minimal valid story with no claims, so its ids collide with nothing but its own id and command. */
function storyFile(id: string, command: string): ContentFile {
  return {
    path: `stories/${id}/story.md`,
    text: frontMatter(
      [
        `id: ${id}`,
        `command: ${command}`,
        'headline: "A second story"',
        'summary: "A made-up story for a validation test."',
        "keyPoints:",
        '  - text: "A key point."',
        "    sources: [source-article]",
        "sources: [source-article]",
        ...VERSIONING,
      ],
      "An explainer.",
    ),
  };
}

/** A minimal valid update in the folder of `story`. */
function updateFile(story: string, slug: string, eventTime: string): ContentFile {
  return {
    path: `stories/${story}/updates/${slug}.md`,
    text: frontMatter([
      `id: ${slug}`,
      `story: ${story}`,
      `eventTime: "${eventTime}"`,
      'headline: "Something happened"',
      'summary: "A made-up update for a validation test."',
      "significance: minor",
      "sources: [source-article]",
      "version: 1",
      'versionCreated: "2026-11-23T09:00:00Z"',
    ]),
  };
}

function sourceFile(fileName: string, lines: readonly string[]): ContentFile {
  return { path: `sources/${fileName}.yaml`, text: [...lines, ""].join("\n") };
}

describe("the real content", () => {
  it("passes validation with one story, /hostages, its 4 updates, 12 people and organisations and 3 sources", () => {
    const result = build(realContentFiles());
    if (!result.ok) throw new Error(listed(result.errors));
    const { content } = result;
    expect(content.stories.map((s) => s.command)).toEqual(["hostages"]);
    expect(content.storyByCommand.get("hostages")?.updates).toHaveLength(4);
    expect(content.entities).toHaveLength(12);
    expect(content.sourceById.size).toBe(3);
  });
});

describe("pass 1: each file on its own", () => {
  it("rejects a misspelled or unknown field, at the top level and inside a claim", () => {
    expectOnly(replaced(BOEHLER, "edNote:", "editorNote:"), {
      file: BOEHLER,
      path: "editorNote",
      says: "is not a known field (misspelled?)",
    });
    expectOnly(replaced(SECRET_TALKS, "    kind: reported-fact\n", "    kind: reported-fact\n    confidence: high\n"), {
      file: SECRET_TALKS,
      path: "claims[0].confidence",
      says: "is not a known field",
    });
  });

  it("rejects a file that leaves out a required field", () => {
    expectOnly(replaced(STORY, /^headline: .*\n/m, ""), { file: STORY, path: "headline", says: "is required" });
    expectOnly(replaced(BOEHLER, /^version: 1\n/m, ""), { file: BOEHLER, path: "version", says: "is required" });
  });

  it("rejects an id that differs from the file's name", () => {
    expectOnly(replaced(REACTIONS, "id: 2025-03-reactions", "id: 2025-03-reaction"), {
      file: REACTIONS,
      path: "id",
      says: `"2025-03-reaction" must equal the file's name "2025-03-reactions"`,
    });
  });

  it("rejects an id with capitals or spaces even when it matches the file name", () => {
    const files = [...realContentFiles(), personFile("Jane Doe", "Jane Doe", "Jane Doe")];
    expectOnly(files, {
      file: "people/Jane Doe.md",
      path: "id",
      says: "must be lower-case letters, digits and single dashes",
    });
  });

  it("rejects a timestamp without a UTC offset, quoted or not", () => {
    // A day after firstCreated, so the order check cannot add an error whatever the machine's time zone.
    for (const value of ['"2026-11-24T09:00:00"', "2026-11-24T09:00:00", '"2026-11-24"']) {
      expectOnly(replaced(BOEHLER, 'versionCreated: "2026-11-23T09:00:00Z"', `versionCreated: ${value}`), {
        file: BOEHLER,
        path: "versionCreated",
        says: "must be ISO 8601 with an offset",
      });
    }
  });

  it("rejects a timestamp that names an impossible date or time", () => {
    const cases = [
      ["2026-02-30T09:00:00Z", '"2026-02-30T09:00:00Z" is not a real date'],
      ["2026-11-23T25:00:00Z", "must be ISO 8601 with an offset"],
      ["2026-11-23T24:00:00Z", "must be ISO 8601 with an offset"],
      ["2026-11-23T09:00:00+25:00", "must be ISO 8601 with an offset"],
    ] as const;
    for (const [value, says] of cases) {
      expectOnly(replaced(BOEHLER, 'firstCreated: "2026-11-23T09:00:00Z"', `firstCreated: "${value}"`), {
        file: BOEHLER,
        path: "firstCreated",
        says,
      });
    }
  });

  it("rejects version 0 and a fractional version", () => {
    for (const value of ["0", "1.5", "-1", '"1"']) {
      expectOnly(replaced(BOEHLER, /^version: 1$/m, `version: ${value}`), {
        file: BOEHLER,
        path: "version",
        says: "must be a whole number >= 1",
      });
    }
  });

  it("rejects a versionCreated earlier than firstCreated, comparing instants rather than text", () => {
    expectOnly(replaced(BOEHLER, 'versionCreated: "2026-11-23T09:00:00Z"', 'versionCreated: "2026-11-22T09:00:00Z"'), {
      file: BOEHLER,
      path: "versionCreated",
      says: "is earlier than firstCreated",
    });
    // 10:00 at +02:00 is 08:00Z: an hour before 09:00Z although it reads later.
    expectOnly(
      replaced(BOEHLER, 'versionCreated: "2026-11-23T09:00:00Z"', 'versionCreated: "2026-11-23T10:00:00+02:00"'),
      {
        file: BOEHLER,
        path: "versionCreated",
        says: "is earlier than firstCreated",
      },
    );
    // 08:30 at -01:00 is 09:30Z, half an hour after firstCreated although it reads earlier.
    expectValid(
      replaced(BOEHLER, 'versionCreated: "2026-11-23T09:00:00Z"', 'versionCreated: "2026-11-23T08:30:00-01:00"'),
    );
  });

  it("rejects a claim with an empty list of sources", () => {
    expectOnly(replaced(STORY, "    sources: [source-article]\ncorrections:", "    sources: []\ncorrections:"), {
      file: STORY,
      path: "claims[2].sources",
      says: "needs at least 1 source",
    });
  });

  it("rejects a statement that does not say who made it", () => {
    expectOnly(replaced(SECRET_TALKS, "    attributedTo: white-house\n", ""), {
      file: SECRET_TALKS,
      path: "claims[3].attributedTo",
      says: "is required: a statement must name who said it",
    });
  });

  it("rejects a quote claim without the quoted words", () => {
    expectOnly(replaced(ULTIMATUM, '    quote: "hell to pay"\n', ""), {
      file: ULTIMATUM,
      path: "claims[2].quote",
      says: "is required: a claim of kind quote carries the verbatim words",
    });
  });

  it("rejects quoted words on a claim that is not a quote", () => {
    const files = replaced(
      ULTIMATUM,
      "  - id: secret-talks-preceded-trump-ultimatum\n    kind: reported-fact\n",
      '  - id: secret-talks-preceded-trump-ultimatum\n    kind: reported-fact\n    quote: "secret discussions"\n',
    );
    expectOnly(files, {
      file: ULTIMATUM,
      path: "claims[0].quote",
      says: "only claims of kind quote carry a quote (this one is reported-fact)",
    });
  });

  it("rejects a headline longer than 150 characters and accepts one of exactly 150", () => {
    const withHeadline = (headline: string) => replaced(REACTIONS, /^headline: .*$/m, `headline: "${headline}"`);
    expectValid(withHeadline("H".repeat(150)));
    expectOnly(withHeadline("H".repeat(151)), {
      file: REACTIONS,
      path: "headline",
      says: "is longer than 150 characters",
    });
  });

  it("rejects a summary longer than 1024 characters and accepts one of exactly 1024", () => {
    const withSummary = (summary: string) => replaced(STORY, /^summary: .*$/m, `summary: "${summary}"`);
    expectValid(withSummary("s".repeat(1024)));
    expectOnly(withSummary("s".repeat(1025)), { file: STORY, path: "summary", says: "is longer than 1024 characters" });
  });

  it("rejects an alias longer than 100 characters and accepts one of exactly 100", () => {
    const withAlias = (alias: string) => replaced(BOEHLER, '  - "Boehler"', `  - "${alias}"`);
    expectValid(withAlias("B".repeat(100)));
    expectOnly(withAlias("B".repeat(101)), {
      file: BOEHLER,
      path: "aliases[0]",
      says: "is longer than 100 characters",
    });
  });

  it("rejects an eventTime that is not a month, a day or a full timestamp", () => {
    const errors = errorsOf(replaced(REACTIONS, 'eventTime: "2025-03"', 'eventTime: "March 2025"'));
    expectReported(errors, {
      file: REACTIONS,
      path: "eventTime",
      says: 'must be "YYYY-MM", "YYYY-MM-DD" or ISO 8601 with an offset',
    });
    expect(
      errors.every((e) => e.file === shown(REACTIONS) && e.path === "eventTime"),
      listed(errors),
    ).toBe(true);
    expectOnly(replaced(REACTIONS, 'eventTime: "2025-03"', 'eventTime: "2025-13"'), {
      file: REACTIONS,
      path: "eventTime",
      says: "is not a real date",
    });
  });

  it("rejects an update whose file name does not start with its eventTime", () => {
    expectOnly(replaced(REACTIONS, 'eventTime: "2025-03"', 'eventTime: "2025-04"'), {
      file: REACTIONS,
      path: "eventTime",
      says: '"2025-04" does not match the file name: it should start with "2025-04-"',
    });
    expectOnly(replaced(REACTIONS, 'eventTime: "2025-03"', 'eventTime: "2025-03-06"'), {
      file: REACTIONS,
      path: "eventTime",
      says: 'it should start with "2025-03-06-"',
    });
  });

  it("rejects an update whose story differs from the folder it is in", () => {
    expectOnly(replaced(REACTIONS, "story: hostages", "story: ceasefire"), {
      file: REACTIONS,
      path: "story",
      says: '"ceasefire" does not match the story folder "hostages"',
    });
  });

  it("rejects a story command that is not a valid slash command name", () => {
    for (const command of ['"Hostages!"', "hostage talks", "h".repeat(33)]) {
      expectOnly(replaced(STORY, "command: hostages", `command: ${command}`), {
        file: STORY,
        path: "command",
        says: "must be 1-32 lower-case letters, digits, - or _",
      });
    }
  });

  it("rejects an unknown pubStatus", () => {
    expectOnly(replaced(BOEHLER, "pubStatus: usable", "pubStatus: published"), {
      file: BOEHLER,
      path: "pubStatus",
      says: "must be one of usable, withheld, canceled",
    });
  });

  it("rejects a source url that is not http or https", () => {
    for (const url of ["ftp://example.com/axios", "javascript:alert(1)", "www.axios.com/talks"]) {
      expectOnly(replaced("sources/axios.yaml", /^publisher:/m, `url: "${url}"\npublisher:`), {
        file: "sources/axios.yaml",
        path: "url",
        says: "must be an http(s) URL",
      });
    }
    expectValid(replaced("sources/axios.yaml", /^publisher:/m, 'url: "https://www.axios.com/talks"\npublisher:'));
  });

  it("reports a YAML syntax error with a message that starts with YAML:", () => {
    const errors = errorsOf(replaced(REACTIONS, 'headline: "Netanyahu', 'headline: "Netanyahu" office'));
    expectReported(errors, { file: REACTIONS, path: "", says: "YAML: " });
    expect(
      errors.filter((e) => e.file === shown(REACTIONS)).every((e) => e.message.startsWith("YAML: ")),
      listed(errors),
    ).toBe(true);
  });

  it("rejects a field given twice in the same file", () => {
    expectOnly(replaced(REACTIONS, "significance: major\n", "significance: major\nsignificance: minor\n"), {
      file: REACTIONS,
      path: "",
      says: "YAML: Map keys must be unique",
    });
  });

  it("rejects a Markdown file with no front matter", () => {
    expectOnly(
      withEditedFile(REACTIONS, (text) => text.replace(/^---\n/, "").replace(/\n---\n?$/, "\n")),
      { file: REACTIONS, path: "", says: "has no YAML front matter" },
    );
  });

  it("says a missing significance is required, like any other missing field", () => {
    expectOnly(replaced(REACTIONS, "significance: major\n", ""), {
      file: REACTIONS,
      path: "significance",
      says: "is required",
    });
  });

  it("reads a YAML comment line that ends in --- as part of the front matter, not as its end", () => {
    expectValid(replaced(BOEHLER, /^version: 1$/m, "# --- versioning ---\nversion: 1"));
    // Worse when what follows the comment is optional: a withheld story must not be served.
    const result = build(replaced(STORY, "pubStatus: usable\n", "# --- publication ---\npubStatus: withheld\n"));
    if (!result.ok) throw new Error(listed(result.errors));
    expect(result.content.stories.map((s) => s.id)).toEqual([]);
  });

  it("rejects a control character in a field or in the body, which could restyle a terminal", () => {
    expectOnly(replaced(BOEHLER, 'name: "Adam Boehler"', 'name: "Adam \\u001b[31mBoehler"'), {
      file: BOEHLER,
      path: "name",
      says: "contains a control character",
    });
    expectOnly(
      withEditedFile(STORY, (t) => `${t}\nA line with a bell \u0007 in it.\n`),
      { file: STORY, path: "(body)", says: "contains a control character" },
    );
  });

  it("rejects a file that is not where content files live", () => {
    const files = [
      ...realContentFiles(),
      { path: "people/notes.txt", text: "remember to call Boehler\n" },
      { path: "misc/x.md", text: realText(BOEHLER) },
      { path: "stories/hostages/notes.md", text: "draft\n" },
    ];
    expectOnly(
      files,
      { file: "people/notes.txt", path: "", says: "unexpected file" },
      { file: "misc/x.md", path: "", says: "unexpected file" },
      { file: "stories/hostages/notes.md", path: "", says: "unexpected file" },
    );
  });

  it("ignores hidden files and a README at the top of the content folder", () => {
    expectValid([
      ...realContentFiles(),
      { path: "README.md", text: "Notes for editors.\n" },
      { path: ".DS_Store", text: "\u0000\u0001" },
      { path: "people/.adam-boehler.md.swp", text: "not content" },
    ]);
  });
});

describe("pass 2: across files", () => {
  it("rejects an id that a document of another type already uses", () => {
    const files = [
      ...realContentFiles(),
      sourceFile("adam-boehler", ["id: adam-boehler", 'publisher: "Boehler Press"', 'title: "A made-up source"']),
    ];
    expectOnly(files, {
      file: "sources/adam-boehler.yaml",
      path: "id",
      says: 'id "adam-boehler" is already used by a person in content/people/adam-boehler.md',
    });
  });

  it("rejects a claim id that another document already uses as its id", () => {
    expectOnly(replaced(REACTIONS, "  - id: hamas-had-not-commented-publicly", "  - id: adam-boehler"), {
      file: REACTIONS,
      path: "claims[2].id",
      says: 'id "adam-boehler" is already used by a person',
    });
  });

  it("rejects a reference to an unknown source and suggests the near miss", () => {
    expectOnly(
      replaced(BOEHLER, "sources: [source-article, reuters, axios]", "sources: [source-article, reuter, axios]"),
      {
        file: BOEHLER,
        path: "sources[1]",
        says: 'unknown source "reuter" (did you mean "reuters"?)',
      },
    );
  });

  it("suggests nothing for a reference that is not near any id", () => {
    const errors = errorsOf(
      replaced(BOEHLER, "sources: [source-article, reuters, axios]", "sources: [source-article, zzzzzzzz, axios]"),
    );
    const error = errors.find((e) => e.path === "sources[1]");
    expect(error?.message).toBe('unknown source "zzzzzzzz"');
  });

  it("rejects a story's people entry that names an organisation", () => {
    const errors = errorsOf(replaced(STORY, "{ ref: adam-boehler, rel: about }", "{ ref: qatar, rel: about }"));
    expectReported(errors, { file: STORY, path: "people[0].ref", says: '"qatar" is a' });
    expectReported(errors, {
      file: STORY,
      path: "people[0].ref",
      says: "(content/organisations/qatar.md), not a person",
    });
  });

  it('says "an organisation", not "a organisation", when a reference has the wrong type', () => {
    const errors = errorsOf(replaced(STORY, "{ ref: adam-boehler, rel: about }", "{ ref: qatar, rel: about }"));
    expectReported(errors, { file: STORY, path: "people[0].ref", says: '"qatar" is an organisation' });
  });

  it("rejects an attributedTo that names no known person or organisation", () => {
    expectOnly(replaced(SECRET_TALKS, "attributedTo: white-house", "attributedTo: white-houses"), {
      file: SECRET_TALKS,
      path: "claims[3].attributedTo",
      says: 'unknown person or organisation "white-houses" (did you mean "white-house"?)',
    });
  });

  it("rejects a correction of a claim that does not exist, and accepts one of a claim that does", () => {
    const withCorrection = (claim: string) =>
      replaced(
        STORY,
        "corrections: []",
        [
          "corrections:",
          "  - id: ceasefire-strain-correction",
          '    published: "2026-11-24T09:00:00Z"',
          `    claims: [${claim}]`,
          '    wrong: "We said the ceasefire had collapsed."',
          '    right: "The ceasefire is under strain."',
          "    sources: [source-article]",
        ].join("\n"),
      );
    expectValid(withCorrection("gaza-ceasefire-under-strain"));
    expectOnly(withCorrection("gaza-ceasefire-under-stain"), {
      file: STORY,
      path: "corrections[0].claims[0]",
      says: 'unknown claim "gaza-ceasefire-under-stain" (did you mean "gaza-ceasefire-under-strain"?)',
    });
  });

  it("rejects a source that cites an unknown source", () => {
    expectOnly(replaced("sources/source-article.yaml", "cites: [reuters, axios]", "cites: [reuters, axois]"), {
      file: "sources/source-article.yaml",
      path: "cites[1]",
      says: 'unknown source "axois" (did you mean "axios"?)',
    });
  });

  it("rejects a source that cites itself", () => {
    expectOnly(
      replaced("sources/source-article.yaml", "cites: [reuters, axios]", "cites: [reuters, axios, source-article]"),
      {
        file: "sources/source-article.yaml",
        path: "cites[2]",
        says: "a source cannot cite itself",
      },
    );
  });

  it("rejects an alias that another person already uses, ignoring case, accents and punctuation", () => {
    expectOnly(replaced(TRUMP, '  - "Donald J. Trump"\n', '  - "Donald J. Trump"\n  - "BÖEHLER!"\n'), {
      file: TRUMP,
      path: "aliases[2]",
      says: 'duplicate of "Boehler" in content/people/adam-boehler.md (aliases[0])',
    });
  });

  it("rejects an alias that repeats the person's own name", () => {
    expectOnly(replaced(BOEHLER, '  - "Boehler"', '  - "Adam  BOEHLER!"'), {
      file: BOEHLER,
      path: "aliases[0]",
      says: '"Adam  BOEHLER!" repeats name "Adam Boehler"',
    });
  });

  it("rejects a role alias that is another entity's name", () => {
    expectOnly(replaced(BOEHLER, '  - "US hostage envoy"\n', '  - "US hostage envoy"\n  - "donald trump"\n'), {
      file: BOEHLER,
      path: "roleAliases[3]",
      says: '"donald trump" is already the name "Donald Trump" in content/people/donald-trump.md',
    });
  });

  it("allows two entities to share a role alias", () => {
    const files = replaced(TRUMP, '  - "president"\n', '  - "president"\n  - "Envoy"\n');
    const result = build(files);
    if (!result.ok) throw new Error(listed(result.errors));
    expect(result.content.entityById.get("donald-trump")?.roleAliases).toContain("Envoy");
    expect(result.content.entityById.get("adam-boehler")?.roleAliases).toContain("envoy");
  });

  it("rejects a story command that the bot keeps for itself", () => {
    for (const command of ["who", "whois", "help", "digest", "exit", "quit"]) {
      expectOnly(replaced(STORY, "command: hostages", `command: ${command}`), {
        file: STORY,
        path: "command",
        says: `"${command}" is one of the bot's own commands`,
      });
    }
  });

  it("rejects a story command that Slack keeps for its own built-in command", () => {
    for (const command of ["status", "topic", "remind"]) {
      expectOnly(replaced(STORY, "command: hostages", `command: ${command}`), {
        file: STORY,
        path: "command",
        says: `"${command}" is a Slack built-in command (/${command}), which an app cannot use`,
      });
    }
  });

  it("rejects two stories with the same command", () => {
    expectOnly([...realContentFiles(), storyFile("other", "hostages")], {
      file: "stories/other/story.md",
      path: "command",
      says: '"hostages" is already the command of content/stories/hostages/story.md',
    });
    expectValid([...realContentFiles(), storyFile("other", "other")]);
  });

  it("rejects an update of a story that does not exist", () => {
    expectOnly([...realContentFiles(), updateFile("ghost", "2025-03-ghost-sighting", "2025-03")], {
      file: "stories/ghost/updates/2025-03-ghost-sighting.md",
      path: "story",
      says: 'unknown story "ghost"',
    });
  });

  it("rejects a content folder that holds no story", () => {
    const noStories = realContentFiles().filter((f) => !f.path.startsWith("stories/"));
    for (const files of [noStories, []]) {
      const errors = errorsOf(files);
      expect(errors).toEqual([{ file: "content", path: "", message: "holds no story: add stories/<id>/story.md" }]);
    }
  });

  it("rejects a published story that names a withheld person", () => {
    expectOnly(replaced("people/benjamin-netanyahu.md", "pubStatus: usable", "pubStatus: withheld"), {
      file: STORY,
      path: "people[2].ref",
      says: '"benjamin-netanyahu" is withheld (content/people/benjamin-netanyahu.md)',
    });
  });

  it("rejects a story that lists the same person twice", () => {
    const files = replaced(
      STORY,
      "  - { ref: jonathan-panikoff, rel: mentions }\n",
      "  - { ref: jonathan-panikoff, rel: mentions }\n  - { ref: adam-boehler, rel: mentions }\n",
    );
    expectOnly(files, { file: STORY, path: "people[4].ref", says: 'lists "adam-boehler" twice' });
  });
});

describe("error reporting", () => {
  it("reports every problem at once, from both passes and several files", () => {
    let files = replaced(BOEHLER, '  - "Boehler"', `  - "${"B".repeat(101)}"`);
    files = replaced("sources/reuters.yaml", /^publisher:/m, 'url: "ftp://reuters.example/x"\npublisher:', files);
    files = replaced(REACTIONS, "attributedTo: netanyahus-office", "attributedTo: netanyahu-office", files);
    expectOnly(
      files,
      { file: BOEHLER, path: "aliases[0]", says: "is longer than 100 characters" },
      { file: "sources/reuters.yaml", path: "url", says: "must be an http(s) URL" },
      { file: REACTIONS, path: "claims[0].attributedTo", says: 'unknown person or organisation "netanyahu-office"' },
    );
  });

  it("does not report references to a file that failed its own schema check", () => {
    const errors = errorsOf(replaced("sources/reuters.yaml", /^publisher: .*$/m, 'publisher: ""'));
    expectReported(errors, { file: "sources/reuters.yaml", path: "publisher", says: "must not be empty" });
    expect(
      errors.map((e) => e.file),
      listed(errors),
    ).toEqual([shown("sources/reuters.yaml")]);
    expect(errors.some((e) => e.message.includes('unknown source "reuters"'))).toBe(false);
  });

  it("does not report references to a file whose YAML does not parse", () => {
    const errors = errorsOf(replaced("sources/reuters.yaml", 'publisher: "Reuters"', 'publisher: "Reuters'));
    expectReported(errors, { file: "sources/reuters.yaml", path: "", says: "YAML: " });
    expect(errors.filter((e) => e.message.includes('unknown source "reuters"')).map(formatContentError)).toEqual([]);
  });

  it("formats an error as file: path: message, and leaves the path out for a whole file", () => {
    const aliasError = errorsOf(replaced(BOEHLER, '  - "Boehler"', '  - "Adam  BOEHLER!"'))[0];
    expect(aliasError && formatContentError(aliasError)).toBe(
      'content/people/adam-boehler.md: aliases[0]: "Adam  BOEHLER!" repeats name "Adam Boehler" (names are compared ignoring case, accents and punctuation)',
    );
    const fileError = errorsOf([...realContentFiles(), { path: "people/notes.txt", text: "x" }])[0];
    expect(fileError && formatContentError(fileError)).toMatch(/^content\/people\/notes\.txt: unexpected file: /);
  });
});
