// Editorial rules on the real content: verbatim quotes, attributions kept, nothing dangling.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dispatch } from "../../src/core/commands/dispatch.js";
import { commandsFor } from "../../src/core/commands/registry.js";
import { silentLogger } from "../../src/core/logger.js";
import { loadRealContent, projectRoot, realContentFiles } from "../helpers.js";

const content = loadRealContent();
const article = readFileSync(path.join(projectRoot, "test/fixtures/source-article.txt"), "utf8");
const story = content.storyByCommand.get("hostages");
const allClaims = [...content.claimById.values()].map((r) => r.claim);

describe("the hostages story", () => {
  it("exists with the people and organisations the article names", () => {
    expect(story).toBeDefined();
    const people = story?.people.map((p) => p.ref).sort();
    expect(people).toEqual(["adam-boehler", "benjamin-netanyahu", "donald-trump", "jonathan-panikoff"]);
    const organisations = story?.organisations.map((o) => o.ref).sort();
    expect(organisations).toEqual([
      "egypt",
      "hamas",
      "israel",
      "netanyahus-office",
      "palestinian-mujahideen",
      "qatar",
      "state-department",
      "white-house",
    ]);
  });

  it("quotes only words the article puts in quotation marks, character for character", () => {
    const quoted = [...article.matchAll(/["“]([^"”]+)["”]/g)].map((m) => (m[1] ?? "").replace(/[,.]$/, ""));
    const quotes = allClaims.filter((c) => c.kind === "quote").map((c) => c.quote ?? "");
    expect(quotes.length).toBeGreaterThanOrEqual(3);
    for (const quote of quotes) expect(quoted).toContain(quote);
  });

  it("attributes every quote and statement to someone in the content", () => {
    for (const claim of allClaims.filter((c) => c.kind !== "reported-fact")) {
      expect(content.entityById.has(claim.attributedTo ?? ""), claim.id).toBe(true);
    }
  });

  it("keeps the article's attributions: Reuters and Axios sources, the White House, Panikoff's analysis", () => {
    expect(content.sourceById.get("source-article")?.cites).toEqual(["reuters", "axios"]);
    const byId = (id: string) => content.claimById.get(id)?.claim;
    expect(byId("white-house-confirmed-boehler-engagement")?.attributedTo).toBe("white-house");
    expect(allClaims.find((c) => c.kind === "analysis")?.attributedTo).toBe("jonathan-panikoff");
    expect(byId("boehler-met-hamas-in-doha")?.sources).toEqual(expect.arrayContaining(["reuters", "axios"]));
    expect(byId("palestinian-mujahideen-denounced-trump-remarks")?.text).toContain("alleged");
  });

  it("never repeats the article's slip of calling Trump a former president", () => {
    for (const file of realContentFiles()) {
      const shown = file.text.replace(/^\s*edNote:.*$/gm, "");
      expect(shown, file.path).not.toMatch(/former president/i);
    }
  });

  it("keeps the open question about the ultimatum open", () => {
    expect(story?.openQuestions.some((q) => /unclear/i.test(q.text) && /ultimatum/i.test(q.text))).toBe(true);
  });

  it("uses every source and every person or organisation somewhere", () => {
    const usedSources = new Set<string>();
    for (const c of allClaims) c.sources.forEach((s) => usedSources.add(s));
    story?.sources.forEach((s) => usedSources.add(s));
    expect([...content.sourceById.keys()].filter((id) => !usedSources.has(id))).toEqual([]);
    expect(content.entities.filter((e) => content.backlinks(e.id).stories.length === 0).map((e) => e.id)).toEqual([]);
  });

  it("dates events only as precisely as known: the reactions by month, after the 5 March reports", () => {
    const times = story?.updates.map((u) => u.eventTime);
    expect(times).toEqual(["2025-01", "2025-03-05", "2025-03-05", "2025-03"]);
  });
});

describe("editors' notes", () => {
  it("never appear in any answer", async () => {
    const notes = realContentFiles().flatMap((f) =>
      [...f.text.matchAll(/^\s*edNote:\s*"(.+)"\s*$/gm)].map((m) => (m[1] ?? "").slice(0, 40)),
    );
    expect(notes.length).toBeGreaterThan(5);
    const lines: { command: string; subcommand: string | undefined; options: Record<string, string> }[] = [
      ...(commandsFor(content)
        .get("hostages")
        ?.subcommands.map((s) => ({ command: "hostages", subcommand: s.name, options: {} })) ?? []),
      ...content.entities.map((e) => ({ command: "who", subcommand: undefined, options: { name: e.id } })),
      { command: "help", subcommand: undefined, options: {} },
    ];
    expect(lines.length).toBeGreaterThan(15);
    const context = {
      content,
      settings: { timeZone: "UTC", defaultVisibility: "private" as const, maxInputLength: 200 },
      logger: silentLogger,
    };
    for (const line of lines) {
      const reply = JSON.stringify(
        await dispatch(
          { id: "note0001", ...line, user: { id: "u", name: "u" }, channel: "console:local", platform: "test" },
          context,
        ),
      );
      for (const note of notes)
        expect(reply, `${line.command} ${line.subcommand ?? line.options["name"] ?? ""}`).not.toContain(note);
    }
  });
});
