// /who's "did you mean" and pick-list suggestions: in the words a reader types, each answering the entity it names.
import { describe, expect, it } from "vitest";
import { answerCommandLine, type Asker } from "../../../src/core/commands/answer-line.js";
import { exampleWhoQuery } from "../../../src/core/commands/examples.js";
import type { CommandContext } from "../../../src/core/commands/types.js";
import type { ContentIndex, Entity } from "../../../src/core/content/model.js";
import { entityLookup } from "../../../src/core/content/query.js";
import { silentLogger } from "../../../src/core/logger.js";
import type { Reply } from "../../../src/core/reply.js";
import {
  buildValidContent,
  loadRealContent,
  realContentFiles,
  withEditedFile,
  madeUpOrganisation,
} from "../../helpers.js";

const content = loadRealContent();
const asker: Asker = { user: { id: "U1", name: "Dana" }, channel: "console:local", platform: "test" };

function contextFor(index: ContentIndex, maxInputLength = 200): CommandContext {
  return {
    content: index,
    settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength },
    logger: silentLogger,
  };
}

function runs(reply: Reply): { label: string; commandLine: string }[] {
  return reply.actions.flatMap((a) => (a.kind === "run" ? [{ label: a.label, commandLine: a.commandLine }] : []));
}

/** Each suggestion asked as typed (a click asks the same line): the answer's tone and title. */
async function clicked(
  reply: Reply,
  context: CommandContext,
): Promise<{ tone: string; title: string; lead: string }[]> {
  return Promise.all(
    runs(reply).map(async ({ commandLine }) => {
      const answer = await answerCommandLine(commandLine, asker, context);
      return { tone: answer.tone, title: answer.title, lead: answer.lead ?? "" };
    }),
  );
}

function entity(index: ContentIndex, id: string): Entity {
  const found = index.entityById.get(id);
  if (!found) throw new Error(`no entity ${id}`);
  return found;
}

describe("/who suggestions on the real content", () => {
  const context = contextFor(content);

  it("offers names, not ids, for a typo several names are close to, and each one answers that card", async () => {
    const reply = await answerCommandLine("/who netanyahoo", asker, context);
    expect(reply.title).toBe("No exact match for “netanyahoo”");
    expect(runs(reply)).toEqual([
      { label: "Benjamin Netanyahu", commandLine: "/who Benjamin Netanyahu" },
      { label: "Office of the Israeli Prime Minister", commandLine: "/who Office of the Israeli Prime Minister" },
    ]);
    expect(await clicked(reply, context)).toMatchObject([
      { tone: "answer", title: "Benjamin Netanyahu" },
      { tone: "answer", title: "Office of the Israeli Prime Minister" },
    ]);
  });

  it("offers names for a role several organisations share", async () => {
    const reply = await answerCommandLine("/who mediator", asker, context);
    expect(
      runs(reply)
        .map((r) => r.commandLine)
        .sort(),
    ).toEqual(["/who Egypt", "/who Qatar"]);
    expect((await clicked(reply, context)).map((c) => c.title).sort()).toEqual(["Egypt", "Qatar"]);
  });

  it("offers a shorter alias that lands on the same entity when the name would not fit the input cap", async () => {
    // "/who Office of the Israeli Prime Minister" is 41 characters: clicked, it would answer "too long".
    const short = contextFor(content, 30);
    const reply = await answerCommandLine("/who netanyahoo", asker, short);
    expect(runs(reply).map((r) => r.commandLine)).toEqual(["/who Benjamin Netanyahu", "/who Netanyahu's office"]);
    expect((await clicked(reply, short)).map((c) => c.title)).toEqual([
      "Benjamin Netanyahu",
      "Office of the Israeli Prime Minister",
    ]);
  });
});

describe("/who suggestions for names that share words", () => {
  it("offers each full name for a surname two people share, and a click answers that person", async () => {
    const jane = withEditedFile("people/adam-boehler.md", (t) =>
      t
        .replace("id: adam-boehler", "id: jane-boehler")
        .replace('name: "Adam Boehler"', 'name: "Jane Boehler"')
        .replace(/^aliases:\n(?:[ \t]+- .*\n)+/m, "")
        .replace(/^roleAliases:\n(?:[ \t]+- .*\n)+/m, ""),
    ).find((f) => f.path === "people/adam-boehler.md");
    if (!jane) throw new Error("no Adam Boehler file to copy");
    const twoBoehlers = buildValidContent(
      withEditedFile("people/adam-boehler.md", (t) => t.replace(/^aliases:\n(?:[ \t]+- .*\n)+/m, ""), [
        ...realContentFiles(),
        { path: "people/jane-boehler.md", text: jane.text },
      ]),
    );
    const context = contextFor(twoBoehlers);
    const reply = await answerCommandLine("/who boehler", asker, context);
    expect(reply.title).toBe("Which one do you mean?");
    expect(
      runs(reply)
        .map((r) => r.commandLine)
        .sort(),
    ).toEqual(["/who Adam Boehler", "/who Jane Boehler"]);
    expect((await clicked(reply, context)).map((c) => c.title).sort()).toEqual(["Adam Boehler", "Jane Boehler"]);
    // The example hint must not send a reader to a pick-list either.
    expect(exampleWhoQuery(twoBoehlers)).toBe("Adam Boehler");
    expect(exampleWhoQuery(content)).toBe("boehler");
  });

  it("keeps a line that answers each of two entities with one name (which the content check refuses anyway)", async () => {
    // Ids spell the name, so "adam-boehler" is the same lookup key as "Adam Boehler": typed as written, it still
    // has to mean the one entity, or both buttons would answer this pick-list again.
    const adam = { ...entity(content, "adam-boehler"), aliases: [] };
    const twin: Entity = { ...adam, id: "adam-boehler-2", description: "Another Adam Boehler, made up for this test." };
    const entities = [...content.entities.map((e) => (e.id === adam.id ? adam : e)), twin];
    const twins: ContentIndex = { ...content, entities, entityById: new Map(entities.map((e) => [e.id, e])) };
    const context = contextFor(twins);
    const reply = await answerCommandLine("/who Adam Boehler", asker, context);
    expect(reply.title).toBe("Which one do you mean?");
    expect(runs(reply)).toEqual([
      { label: "Adam Boehler", commandLine: "/who adam-boehler" },
      { label: "Adam Boehler", commandLine: "/who adam-boehler-2" },
    ]);
    const answers = await clicked(reply, context);
    expect(answers.map((a) => a.tone)).toEqual(["answer", "answer"]);
    expect(answers[0]?.lead).toContain(adam.description);
    expect(answers[1]?.lead).toContain(twin.description);
    expect(entityLookup(twins).queryFor(twin)).toBe("adam-boehler-2");
  });
});

describe("/who suggestions for names with quotes and apostrophes", () => {
  const names = ["Hamas's Political Bureau", 'The "Doha" Channel', "Cairo’s Back Room"];
  const withOffices = buildValidContent([
    ...realContentFiles(),
    madeUpOrganisation("political-bureau", names[0] ?? "", ["go-between"]),
    madeUpOrganisation("doha-channel", names[1] ?? "", ["go-between"]),
    madeUpOrganisation("cairo-back-room", names[2] ?? "", ["go-between"]),
  ]);

  it("offers each name as written, and the line answers that card when asked", async () => {
    const context = contextFor(withOffices);
    const reply = await answerCommandLine("/who go-between", asker, context);
    expect(
      runs(reply)
        .map((r) => r.commandLine)
        .sort(),
    ).toEqual(names.map((n) => `/who ${n}`).sort());
    expect((await clicked(reply, context)).map((c) => c.title).sort()).toEqual([...names].sort());
  });
});
