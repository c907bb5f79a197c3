// Every command's Reply, parsing and dispatch errors, visibility and logging, on the real content.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { answerCommandLine } from "../../../src/core/commands/answer-line.js";
import { dispatch, userErrorReply } from "../../../src/core/commands/dispatch.js";
import { parseCommandLine, type ParsedCommand } from "../../../src/core/commands/parse.js";
import { commandsFor } from "../../../src/core/commands/registry.js";
import { STORY_SUBCOMMANDS } from "../../../src/core/commands/story.js";
import type { AnswerSettings, CommandContext, Invocation, PlatformTerms } from "../../../src/core/commands/types.js";
import type { Claim } from "../../../src/core/content/schema.js";
import { buildContent } from "../../../src/core/content/load.js";
import type { ContentIndex, SourceDoc, Story } from "../../../src/core/content/model.js";
import { isUserError, type UserError } from "../../../src/core/errors.js";
import type { Logger } from "../../../src/core/logger.js";
import type { Reply, ReplySection } from "../../../src/core/reply.js";
import { buildValidContent, loadRealContent, realContentFiles, withEditedFile } from "../../helpers.js";
import { RecordingLogger } from "../../recording-logger.js";

const real = loadRealContent();
const SETTINGS: AnswerSettings = { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 };
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

function contextFor(
  options: { content?: ContentIndex; settings?: Partial<AnswerSettings>; logger?: Logger } = {},
): CommandContext {
  return {
    content: options.content ?? real,
    settings: { ...SETTINGS, ...options.settings },
    logger: options.logger ?? new RecordingLogger(),
  };
}

function invocation(parsed: ParsedCommand, id = "test1234"): Invocation {
  return {
    id,
    ...parsed,
    options: { ...parsed.options },
    user: { id: "u1", name: "Tester" },
    channel: "console:local",
    platform: "test",
  };
}

/** What a text adapter does with a typed line: parse it, turn a parse error into its reply, else dispatch. */
async function ask(line: string, context: CommandContext = contextFor()): Promise<Reply> {
  let parsed: ParsedCommand;
  try {
    parsed = parseCommandLine(line, commandsFor(context.content), context.settings.maxInputLength);
  } catch (error) {
    if (isUserError(error)) return userErrorReply(error);
    throw error;
  }
  return dispatch(invocation(parsed), context);
}

/** The UserError parseCommandLine throws for a line; fails the test if it parses. */
function parseError(line: string, content: ContentIndex = real): UserError {
  try {
    parseCommandLine(line, commandsFor(content), SETTINGS.maxInputLength);
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error(`expected “${line}” not to parse`);
}

function section(reply: Reply, heading: string): ReplySection {
  const found = reply.sections.find((s) => s.heading === heading);
  if (!found)
    throw new Error(`no section “${heading}” in ${reply.sections.map((s) => s.heading ?? "(none)").join(", ")}`);
  return found;
}

function hostages(content: ContentIndex = real): Story {
  const story = content.storyByCommand.get("hostages");
  if (!story) throw new Error("no hostages story");
  return story;
}

function newest(timestamps: readonly string[]): string | undefined {
  return [...timestamps].sort((a, b) => Date.parse(b) - Date.parse(a))[0];
}

function runActions(reply: Reply): string[] {
  return reply.actions.flatMap((a) => (a.kind === "run" ? [a.commandLine] : []));
}

function hasShare(reply: Reply): boolean {
  return reply.actions.some((a) => a.kind === "share");
}

describe("/hostages summary", () => {
  it("gives the headline, the summary, key points and open questions", async () => {
    const story = hostages();
    const reply = await ask("/hostages summary");
    expect(reply.tone).toBe("answer");
    expect(reply.title).toBe(story.headline);
    expect(reply.lead).toBe(story.summary);
    expect(section(reply, "Key points").items).toEqual(story.keyPoints.map((p) => p.text));
    expect(section(reply, "Open questions").items).toEqual(story.openQuestions.map((q) => q.text));
  });

  it("names its sources, the source article among them", async () => {
    const reply = await ask("/hostages summary");
    expect(reply.sources.length).toBeGreaterThan(0);
    const article = real.sourceById.get("source-article");
    expect(article).toBeDefined();
    expect(reply.sources.map((s) => s.id)).toContain("source-article");
    expect(reply.sources.find((s) => s.id === "source-article")?.label).toContain(article?.publisher ?? "?");
  });

  it("says it was updated when the story or any update last changed", async () => {
    const story = hostages();
    const reply = await ask("/hostages summary");
    expect(reply.updated).toBe(newest([story.versionCreated, ...story.updates.map((u) => u.versionCreated)]));

    const edited = buildValidContent(
      withEditedFile("stories/hostages/updates/2025-03-05-trump-ultimatum.md", (t) =>
        t.replace('versionCreated: "2026-11-23T09:00:00Z"', 'versionCreated: "2026-12-01T10:30:00Z"'),
      ),
    );
    expect((await ask("/hostages summary", contextFor({ content: edited }))).updated).toBe("2026-12-01T10:30:00Z");
  });

  it("is private with a share action by default", async () => {
    const reply = await ask("/hostages summary");
    expect(reply.visibility).toBe("private");
    expect(reply.actions).toContainEqual({
      kind: "share",
      label: expect.any(String) as string,
      commandLine: "/hostages summary",
      seen: expect.stringMatching(/^[0-9a-f]{10}$/) as string,
    });
  });

  it("is what a bare /hostages answers, in any letter case", async () => {
    const summary = await ask("/hostages summary");
    expect(await ask("/hostages")).toEqual(summary);
    expect(await ask("/HOSTAGES Summary")).toEqual(summary);
  });
});

describe("/hostages timeline", () => {
  it("lists every update oldest first, even when the files are read in another order", async () => {
    const shuffled = buildValidContent([...realContentFiles()].reverse());
    const reply = await ask("/hostages timeline", contextFor({ content: shuffled }));
    const headings = reply.sections.map((s) => s.heading ?? "");
    expect(headings.map((h) => h.split(" · ")[0])).toEqual([
      "January 2025",
      "5 March 2025",
      "5 March 2025",
      "March 2025",
    ]);
    expect(headings[0]).toContain("Ceasefire agreement takes effect");
    // Reactions dated only "March 2025" come after the items known to be from 5 March.
    expect(headings[3]).toContain("Netanyahu's office responds");
  });

  it("heads each entry with its date and the update's headline", async () => {
    const reply = await ask("/hostages timeline");
    const story = hostages();
    expect(reply.sections).toHaveLength(story.updates.length);
    story.updates.forEach((update, i) => {
      expect(reply.sections[i]?.heading).toContain(update.headline);
      expect(reply.sections[i]?.heading).toMatch(/^(\d{1,2} )?[A-Z][a-z]+ \d{4} · /);
      expect(reply.sections[i]?.body).toContain(update.summary);
    });
  });
});

describe("/hostages latest", () => {
  it("leads with the newest update and its attributed claims", async () => {
    const story = hostages();
    const latest = story.updates.at(-1);
    const reply = await ask("/hostages latest");
    expect(reply.title).toBe(latest?.headline);
    expect(reply.lead).toContain("March 2025");
    const claims = section(reply, "What was reported and said").items ?? [];
    expect(claims).toHaveLength(latest?.claims.length ?? -1);
    expect(claims.some((item) => item.includes("statement by Office of the Israeli Prime Minister"))).toBe(true);
    expect(claims.every((item) => item.includes("source:"))).toBe(true);
  });

  it("lists the earlier updates under “Before that”, newest first", async () => {
    const story = hostages();
    const reply = await ask("/hostages latest");
    const earlier = story.updates.slice(0, -1).reverse();
    const items = section(reply, "Before that").items ?? [];
    expect(items).toHaveLength(earlier.length);
    earlier.forEach((update, i) => expect(items[i]).toContain(update.headline));
  });
});

describe("/hostages people", () => {
  it("lists all four people and all eight organisations", async () => {
    const reply = await ask("/hostages people");
    const people = section(reply, "People").items ?? [];
    const organisations = section(reply, "Organisations").items ?? [];
    const names = (ids: readonly string[]) => ids.map((id) => real.entityById.get(id)?.name ?? id);
    const personNames = names(["adam-boehler", "donald-trump", "benjamin-netanyahu", "jonathan-panikoff"]);
    const organisationNames = names([
      "hamas",
      "white-house",
      "state-department",
      "qatar",
      "egypt",
      "israel",
      "netanyahus-office",
      "palestinian-mujahideen",
    ]);
    expect(people).toHaveLength(4);
    expect(organisations).toHaveLength(8);
    for (const name of personNames)
      expect(
        people.some((item) => item.startsWith(`**${name}**`)),
        name,
      ).toBe(true);
    for (const name of organisationNames)
      expect(
        organisations.some((item) => item.startsWith(`**${name}**`)),
        name,
      ).toBe(true);
  });
});

describe("/hostages sources", () => {
  it("lists all three sources with their publishers", async () => {
    const reply = await ask("/hostages sources");
    const items = reply.sections.flatMap((s) => s.items ?? []);
    expect(items).toHaveLength(3);
    for (const id of ["source-article", "reuters", "axios"]) {
      const source = real.sourceById.get(id);
      expect(source, id).toBeDefined();
      expect(
        items.some((item) => item.includes(`**${source?.publisher ?? "?"}**`) && item.includes(source?.title ?? "?")),
        id,
      ).toBe(true);
    }
    expect(reply.sources.map((s) => s.id).sort()).toEqual(["axios", "reuters", "source-article"]);
  });
});

describe("/hostages explainer", () => {
  it("leads with the story's Markdown body", async () => {
    const reply = await ask("/hostages explainer");
    expect(reply.lead).toBe(hostages().body);
    expect(reply.lead).toContain("## What was revealed");
  });
});

describe("every answer", () => {
  it("from every story subcommand names a source and when it was updated", async () => {
    expect(STORY_SUBCOMMANDS.length).toBeGreaterThanOrEqual(6);
    for (const sub of STORY_SUBCOMMANDS) {
      const reply = await ask(`/hostages ${sub}`);
      expect(reply.tone, sub).toBe("answer");
      expect(reply.sources.length, sub).toBeGreaterThan(0);
      expect(reply.updated, sub).toMatch(ISO_TIMESTAMP);
      expect(Number.isNaN(Date.parse(reply.updated ?? "")), sub).toBe(false);
    }
  });

  it("from /who, for every person and organisation, names a source and when it was updated", async () => {
    expect(real.entities.length).toBe(12);
    for (const entity of real.entities) {
      const reply = await dispatch(invocation({ command: "who", options: { name: entity.id } }), contextFor());
      expect(reply.tone, entity.id).toBe("answer");
      expect(reply.title, entity.id).toBe(entity.name);
      expect(reply.sources.length, entity.id).toBeGreaterThan(0);
      expect(reply.updated, entity.id).toMatch(ISO_TIMESTAMP);
    }
  });
});

describe("/who", () => {
  it("quotes Donald Trump verbatim, in curly quotation marks, naming him", async () => {
    const quotes = [...real.claimById.values()]
      .map((r) => r.claim)
      .filter(
        (c): c is Claim & { quote: string } =>
          c.kind === "quote" && c.attributedTo === "donald-trump" && c.quote !== undefined,
      );
    expect(quotes.length).toBeGreaterThan(0);
    const reply = await ask("/who donald-trump");
    expect(reply.title).toBe("Donald Trump");
    const items = reply.sections.flatMap((s) => s.items ?? []);
    for (const claim of quotes) {
      const line = items.find((item) => item.includes(`“${claim.quote}”`));
      expect(line, claim.quote).toBeDefined();
      expect(line).toContain("Donald Trump");
    }
  });

  it("shows Adam Boehler's card for his surname, with what he did and where he appears", async () => {
    const reply = await ask("/who boehler");
    expect(reply.tone).toBe("answer");
    expect(reply.title).toBe("Adam Boehler");
    const did = section(reply, "What they said and did").items ?? [];
    expect(did.length).toBeGreaterThan(0);
    expect(did.every((item) => item.includes("source:"))).toBe(true);
    const appears = section(reply, "Appears in").items ?? [];
    expect(appears.some((item) => item.includes("/hostages"))).toBe(true);
    expect(
      appears.some(
        (item) => item.includes("5 March 2025") && item.includes("US envoy's secret talks with Hamas in Doha revealed"),
      ),
    ).toBe(true);
  });

  it("shows the same card for a typo, with a note saying what was asked", async () => {
    const exact = await ask("/who boehler");
    const typo = await ask("/who bohler");
    expect(typo.title).toBe("Adam Boehler");
    expect(typo.lead).toContain("bohler");
    expect(typo.lead).not.toBe(exact.lead);
    expect(typo.sections).toEqual(exact.sections);
    expect(exact.lead).not.toContain("bohler");
  });

  it("asks which one is meant for a shared role, privately, with one-click choices", async () => {
    const reply = await ask("/who mediator");
    expect(reply.tone).toBe("notice");
    expect(reply.visibility).toBe("private");
    expect(runActions(reply).sort()).toEqual(["/who Egypt", "/who Qatar"]);
    expect(hasShare(reply)).toBe(false);
  });

  it("says privately that it does not know a nonsense name, with a hint and no share action", async () => {
    const reply = await ask("/who xyzzy");
    expect(reply.tone).toBe("error");
    expect(reply.visibility).toBe("private");
    expect(reply.title).toContain("xyzzy");
    expect(reply.lead).toMatch(/\S/);
    expect(hasShare(reply)).toBe(false);
  });

  it("reads a no-break space between words like an ordinary space", async () => {
    const reply = await ask("/who\u00A0boehler");
    expect(reply.title).toBe("Adam Boehler");
  });

  it("cannot be asked to show a withheld organisation: content naming one is refused at load time", () => {
    const result = buildContent(
      withEditedFile("organisations/white-house.md", (t) => t.replace("pubStatus: usable", "pubStatus: withheld")),
      "content",
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const affiliation = errors.find((e) => e.file === "content/people/adam-boehler.md" && e.path === "affiliation");
    expect(affiliation?.message).toContain('"white-house" is withheld');
    expect(errors.some((e) => e.path.endsWith("attributedTo") && e.message.includes("white-house"))).toBe(true);
  });
});

describe("a withheld story", () => {
  it("has no command, and asking for it gets the unknown-command answer", async () => {
    const withheld = buildValidContent(
      withEditedFile("stories/hostages/story.md", (t) => t.replace("pubStatus: usable", "pubStatus: withheld")),
    );
    expect(commandsFor(withheld).get("hostages")).toBeUndefined();
    const reply = await ask("/hostages summary", contextFor({ content: withheld }));
    expect(reply.tone).toBe("error");
    expect(reply.title).toContain("/hostages");
    expect(JSON.stringify(reply)).not.toContain("Boehler");
  });
});

describe("/help", () => {
  it("lists every command", async () => {
    const reply = await ask("/help");
    expect(reply.tone).toBe("answer");
    const headings = reply.sections.map((s) => s.heading ?? "");
    for (const name of ["/hostages", "/who", "/digest", "/help"])
      expect(
        headings.some((h) => h.startsWith(`${name}:`)),
        name,
      ).toBe(true);
    expect(reply.sections).toHaveLength(4);
  });

  it("explains only the command asked about", async () => {
    const reply = await ask("/help who");
    expect(reply.sections).toHaveLength(1);
    expect(reply.sections[0]?.heading).toMatch(/^\/who:/);
    expect(reply.sections[0]?.items?.[0]).toContain("/who <name>");
    // The example comes from the content: the surname of the story's first person.
    expect(reply.sections[0]?.items?.[0]).toContain("for example `/who boehler`");
    const asTyped = await ask("/help /WHO");
    expect(asTyped.sections).toEqual(reply.sections);
    expect(asTyped.title).toBe(reply.title);
  });

  it("does not answer with an empty card for a command that does not exist", async () => {
    const reply = await ask("/help nonsense");
    expect({ tone: reply.tone, sections: reply.sections.length }).not.toEqual({ tone: "answer", sections: 0 });
  });

  describe("in each platform's names", () => {
    // Slack renames /who to /whois (Slack keeps /who); Discord and the console use the core names.
    const slack: PlatformTerms = { commandNames: { who: "whois" } };
    const askAs = (line: string, terms: PlatformTerms | undefined) =>
      answerCommandLine(
        line,
        { user: { id: "u1", name: "Tester" }, channel: "console:local", platform: "test", ...(terms && { terms }) },
        contextFor(),
      );
    const helpExample = (reply: Reply) =>
      reply.sections.find((s) => s.heading?.startsWith("/help:"))?.items?.join(" ") ?? "";

    it("explains the command a Slack reader knows as /whois, and offers /help whois for a typo of it", async () => {
      for (const line of ["/help whois", "/help /whois", "/help WHOIS"]) {
        const reply = await askAs(line, slack);
        expect(reply.title, line).toBe("How to use /whois");
        expect(reply.sections[0]?.items?.[0], line).toContain("for example `/whois boehler`");
      }
      const typo = await askAs("/help whoo", slack);
      expect(typo.title).toBe("There is no command “/whoo” to explain.");
      expect(typo.actions).toEqual([{ kind: "run", label: "/help whois", commandLine: "/help whois" }]);
      expect(helpExample(await askAs("/help help", slack))).toContain("for example `/help whois`");
      expect(helpExample(await askAs("/help", slack))).toContain("for example `/help whois`");
    });

    it.each([
      ["Discord", { holders: { "manage-channel": "members with the Manage Channels permission" } }],
      ["the console", undefined],
    ] as const)("explains /who in %s, where /whois names no command", async (_platform, terms) => {
      expect((await askAs("/help who", terms)).title).toBe("How to use /who");
      const whois = await askAs("/help whois", terms);
      expect(whois.title).toBe("There is no command “/whois” to explain.");
      expect(whois.actions).toEqual([{ kind: "run", label: "/help who", commandLine: "/help who" }]);
      expect((await askAs("/help whoo", terms)).actions.map((a) => a.commandLine)).toEqual(["/help who"]);
      expect(helpExample(await askAs("/help help", terms))).toContain("for example `/help who`");
    });
  });
});

describe("parsing a typed line", () => {
  it("suggests /who boehler for the unknown command /whoo boehler, keeping the words asked", async () => {
    const error = parseError("/whoo boehler");
    expect(error.code).toBe("unknown-command");
    expect(error.suggestions).toEqual([{ label: "/who boehler", commandLine: "/who boehler" }]);
    const reply = await ask("/whoo boehler");
    expect(reply).toMatchObject({ tone: "error", visibility: "private" });
    expect(runActions(reply)).toEqual(["/who boehler"]);
    expect((await ask(runActions(reply)[0] ?? "")).title).toBe("Adam Boehler");
    expect(parseError("/hostagez  latest").suggestions.map((s) => s.commandLine)).toEqual(["/hostages latest"]);
    expect(parseError("/whoo").suggestions.map((s) => s.commandLine)).toEqual(["/who"]);
  });

  it("suggests /hostages summary for the unknown subcommand sumary", () => {
    const error = parseError("/hostages sumary");
    expect(error.code).toBe("unknown-subcommand");
    expect(error.suggestions.map((s) => s.commandLine)).toEqual(["/hostages summary"]);
  });

  it("asks for a name when /who has none", async () => {
    expect(parseError("/who").code).toBe("missing-option");
    expect(parseError("/who   \u200B ").code).toBe("missing-option");
    expect((await ask("/who")).tone).toBe("error");
  });

  it("rejects empty input", () => {
    expect(parseError("   ").code).toBe("empty-input");
    expect(parseError("/").code).toBe("empty-input");
    expect(parseError("\u200B\uFEFF").code).toBe("empty-input");
  });

  it("rejects input over the length limit and accepts input at it", () => {
    const over = `/who ${"a".repeat(196)}`;
    const at = `/who ${"a".repeat(195)}`;
    expect(over).toHaveLength(201);
    expect(parseError(over).code).toBe("input-too-long");
    expect(parseCommandLine(at, commandsFor(real), 200)).toEqual({
      command: "who",
      subcommand: undefined,
      options: { name: "a".repeat(195) },
    });
  });

  it("rejects words a subcommand does not take", () => {
    expect(parseError("/hostages summary extra").code).toBe("too-many-arguments");
  });

  it("drops zero-width and control characters, so the name is still found", async () => {
    const reply = await ask("/who boe\u200Bhler\u0007");
    expect(reply.title).toBe("Adam Boehler");
  });
});

describe("dispatch", () => {
  const user = { id: "u1", name: "Tester" };
  const byHand = (
    command: string,
    subcommand: string | undefined,
    options: Record<string, string> = {},
  ): Invocation => ({
    id: "test1234",
    command,
    subcommand,
    options,
    user,
    channel: "console:local",
    platform: "test",
  });

  it("answers an unknown subcommand sent by hand with an error reply instead of throwing", async () => {
    const reply = await dispatch(byHand("hostages", "nonexistent"), contextFor());
    expect(reply).toMatchObject({ tone: "error", visibility: "private" });
    expect(reply.title).toContain("nonexistent");
  });

  it("answers an unknown command sent by hand with an error reply", async () => {
    const reply = await dispatch(byHand("whoo", undefined, { name: "boehler" }), contextFor());
    expect(reply).toMatchObject({ tone: "error", visibility: "private" });
    expect(reply.title).toContain("/whoo");
  });

  it("suggests, for an unknown command sent parsed (a Discord command since removed), the same question", async () => {
    const who = await dispatch(byHand("whoo", undefined, { name: "adam  boehler " }), contextFor());
    expect(who.actions).toEqual([{ kind: "run", label: "/who adam boehler", commandLine: "/who adam boehler" }]);
    const story = await dispatch(byHand("hostagez", "latest"), contextFor());
    expect(runActions(story)).toEqual(["/hostages latest"]);
    // The suggestion answers when clicked: a button runs its line as typed text.
    expect((await ask(runActions(who)[0] ?? "")).title).toBe("Adam Boehler");
    expect(runActions(await dispatch(byHand("hostagez", undefined), contextFor()))).toEqual(["/hostages"]);
  });

  it("cleans option values sent by hand and checks them against the limit", async () => {
    expect((await dispatch(byHand("who", undefined, { name: " boe\u200Bhler\u202E " }), contextFor())).title).toBe(
      "Adam Boehler",
    );
    expect((await dispatch(byHand("who", undefined, { name: "\u200B  " }), contextFor())).tone).toBe("error");
    const tooLong = await dispatch(byHand("who", undefined, { name: "a".repeat(201) }), contextFor());
    expect(tooLong.tone).toBe("error");
    expect(tooLong.title).toContain("200");
  });

  it("apologises with the invocation id, logging the failure, when a command throws", async () => {
    class ThrowingMap extends Map<string, SourceDoc> {
      override get(): SourceDoc | undefined {
        throw new Error("storage exploded at /srv/secret/path");
      }
    }
    const broken: ContentIndex = { ...real, sourceById: new ThrowingMap(real.sourceById) };
    const lines: string[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });

    const reply = await dispatch(
      invocation({ command: "hostages", subcommand: "summary", options: {} }, "feedc0de"),
      contextFor({ content: broken, logger }),
    );
    expect(reply).toMatchObject({ tone: "error", visibility: "private", sources: [] });
    expect(reply.lead).toContain("feedc0de");
    const shown = JSON.stringify(reply);
    expect(shown).not.toContain("storage exploded");
    expect(shown).not.toMatch(/\bat .+:\d+:\d+/);

    const entries = lines.map(
      (line) => JSON.parse(line) as { level: number; invocation?: string; err?: { message?: string; stack?: string } },
    );
    const failure = entries.find((e) => e.level === 50);
    expect(failure?.invocation).toBe("feedc0de");
    expect(failure?.err?.message).toBe("storage exploded at /srv/secret/path");
    expect(failure?.err?.stack).toContain("storage exploded");
  });

  it("apologises when /who fails inside the index, logging an error with the invocation id", async () => {
    const broken: ContentIndex = {
      ...real,
      backlinks: () => {
        throw new TypeError("backlinks unavailable");
      },
    };
    const logger = new RecordingLogger();
    const reply = await dispatch(
      invocation({ command: "who", options: { name: "boehler" } }, "abad1dea"),
      contextFor({ content: broken, logger }),
    );
    expect(reply.tone).toBe("error");
    expect(reply.lead).toContain("abad1dea");
    expect(JSON.stringify(reply)).not.toContain("backlinks unavailable");
    const errors = logger.entries.filter((e) => e.level === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.fields).toMatchObject({ invocation: "abad1dea", outcome: "failed" });
  });

  it("logs user errors at info with their code and the invocation id", async () => {
    const logger = new RecordingLogger();
    await ask("/who xyzzy", contextFor({ logger }));
    await dispatch(byHand("hostages", "nonexistent"), contextFor({ logger }));
    const info = logger.entries.filter((e) => e.level === "info");
    expect(info.map((e) => e.fields["code"])).toEqual(["unknown-name", "unknown-subcommand"]);
    for (const entry of info) expect(entry.fields).toMatchObject({ invocation: "test1234", outcome: "user-error" });
    expect(logger.entries.some((e) => e.level === "error")).toBe(false);
  });

  it("logs answered commands at info", async () => {
    const logger = new RecordingLogger();
    await ask("/hostages timeline", contextFor({ logger }));
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: "info",
        fields: expect.objectContaining({
          invocation: "test1234",
          command: "hostages",
          outcome: "answered",
        }) as unknown,
      }),
    ]);
  });
});

describe("with answers shared by default", () => {
  const shared = contextFor({ settings: { defaultVisibility: "shared" } });

  it("posts answers for everyone, without a share action", async () => {
    for (const line of ["/hostages summary", "/who boehler", "/help"]) {
      const reply = await ask(line, shared);
      expect(reply.visibility, line).toBe("shared");
      expect(hasShare(reply), line).toBe(false);
    }
  });

  it("keeps errors and pick-lists private", async () => {
    for (const line of ["/who xyzzy", "/who mediator", "/whoo", "/hostages sumary"]) {
      expect((await ask(line, shared)).visibility, line).toBe("private");
    }
  });
});

describe("a second story file", () => {
  const secondStory = (text: string): string =>
    text
      .replace(/^id: hostages$/m, "id: second")
      .replace(/^command: hostages$/m, "command: second")
      .replace(/^headline: .*$/m, 'headline: "A second story, added with no code change"')
      .replace(/^(\s+- id: )/gm, "$1second-");
  const hostagesStory = realContentFiles().find((f) => f.path === "stories/hostages/story.md");
  const twoStories = buildValidContent([
    ...realContentFiles(),
    { path: "stories/second/story.md", text: secondStory(hostagesStory?.text ?? "") },
  ]);

  it("adds its command to the registry", () => {
    expect(commandsFor(real).get("second")).toBeUndefined();
    expect(
      commandsFor(twoStories)
        .get("second")
        ?.subcommands.map((s) => s.name),
    ).toEqual([...STORY_SUBCOMMANDS]);
  });

  it("answers its own summary with its own headline, leaving the first story alone", async () => {
    const context = contextFor({ content: twoStories });
    const reply = await ask("/second summary", context);
    expect(reply.tone).toBe("answer");
    expect(reply.title).toBe("A second story, added with no code change");
    expect((await ask("/hostages summary", context)).title).toBe(hostages().headline);
  });

  it("appears in /help", async () => {
    const reply = await ask("/help", contextFor({ content: twoStories }));
    expect(reply.sections.map((s) => s.heading ?? "").some((h) => h.startsWith("/second:"))).toBe(true);
  });
});
