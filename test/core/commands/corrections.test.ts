// Editorial rule 7: a correction is visible wherever the corrected claim or its update is shown.
import { describe, expect, it } from "vitest";
import { dispatch } from "../../../src/core/commands/dispatch.js";
import { parseCommandLine } from "../../../src/core/commands/parse.js";
import { commandsFor } from "../../../src/core/commands/registry.js";
import type { CommandContext } from "../../../src/core/commands/types.js";
import type { ContentIndex } from "../../../src/core/content/model.js";
import { silentLogger } from "../../../src/core/logger.js";
import type { Reply } from "../../../src/core/reply.js";
import { renderConsole } from "../../../src/adapters/console/render.js";
import { renderDiscord } from "../../../src/adapters/discord/render.js";
import { renderSlack } from "../../../src/adapters/slack/render.js";
import { buildValidContent, withEditedFile } from "../../helpers.js";

const UPDATE = "stories/hostages/updates/2025-03-05-secret-talks-revealed.md";
const CORRECTION = [
  "corrections:",
  "  - id: doha-meetings-count-corrected",
  '    published: "2026-11-24T10:30:00Z"',
  "    claims: [boehler-met-hamas-in-doha]",
  '    wrong: "An earlier version said the meetings were in Cairo."',
  '    right: "The meetings were held in Doha."',
  "    sources: [source-article]",
  "version: 2",
].join("\n");

function correctedContent(correction = CORRECTION): ContentIndex {
  const files = withEditedFile(UPDATE, (text) =>
    text
      .replace(/^version: 1$/m, correction)
      .replace(/^versionCreated: .*$/m, 'versionCreated: "2026-11-24T10:30:00Z"'),
  );
  return buildValidContent(files);
}

const content = correctedContent();
const context: CommandContext = {
  content,
  settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
  logger: silentLogger,
};

async function ask(line: string, on: ContentIndex = content): Promise<Reply> {
  const parsed = parseCommandLine(line, commandsFor(on), 200);
  return dispatch(
    { id: "corr0001", ...parsed, user: { id: "u", name: "u" }, channel: "console:local", platform: "test" },
    { ...context, content: on },
  );
}

const everything = (reply: Reply): string => JSON.stringify(reply);

describe("a corrected claim", () => {
  it("is listed with what was wrong and what is right in the story summary", async () => {
    const reply = await ask("/hostages summary");
    const section = reply.sections.find((s) => s.heading === "Corrections");
    expect(section?.items).toHaveLength(1);
    expect(section?.items?.[0]).toContain("The meetings were held in Doha.");
    expect(section?.items?.[0]).toContain("previously: An earlier version said the meetings were in Cairo.");
    expect(section?.items?.[0]).toContain("24 Nov 2026, 10:30 UTC");
  });

  it("marks its update as corrected in the timeline", async () => {
    const reply = await ask("/hostages timeline");
    const entry = reply.sections.find((s) => s.heading?.includes("secret talks"));
    expect(entry?.body).toContain("(corrected)");
    expect(reply.sections.filter((s) => s.body?.includes("(corrected)"))).toHaveLength(1);
  });

  it("carries the correction next to the claim on the person's card", async () => {
    const reply = await ask("/who boehler");
    const said = reply.sections.find((s) => s.heading === "What they said and did");
    const line = said?.items?.find((i) => i.includes("held several meetings with Hamas officials in Doha"));
    expect(line).toContain("**Correction, 24 Nov 2026, 10:30 UTC:** The meetings were held in Doha.");
  });

  it("moves the story's updated time to the correction", async () => {
    expect((await ask("/hostages summary")).updated).toBe("2026-11-24T10:30:00Z");
    expect(everything(await ask("/who trump"))).not.toContain("Cairo");
  });
});

describe("a correction's wording", () => {
  /** The summary's correction line, for an editor's "wrong" text written as YAML. */
  async function correctionWith(wrongYaml: string): Promise<string> {
    const edited = correctedContent(CORRECTION.replace(/^ {4}wrong: .*$/m, `    wrong: ${wrongYaml}`));
    const reply = await ask("/hostages summary", edited);
    return reply.sections.find((s) => s.heading === "Corrections")?.items?.[0] ?? "";
  }

  it.each([
    ["a full stop", '"An earlier version said the designation dated from 1999."', "dated from 1999. Source:"],
    ["a question mark", '"An earlier version asked whether it dated from 1999?"', "from 1999? Source:"],
    [
      "a closing quote after its full stop",
      "'An earlier version quoted him: \"It dates from 1999.\"'",
      '1999." Source:',
    ],
    ["a closing quote without one", "'An earlier version called it \"the 1999 designation\"'", 'designation". Source:'],
    ["nothing", '"An earlier version said the designation dated from 1999"', "dated from 1999. Source:"],
  ])("reads as sentences when the earlier text ends with %s", async (_ending, wrong, expected) => {
    const line = await correctionWith(wrong);
    expect(line).toContain(`(previously: An earlier version`);
    expect(line).toContain(`${expected} Source article.)`);
    expect(line).not.toMatch(/[.?!]["”]?[.;]/);
  });

  it("reads the same in Discord's embed, Slack's blocks and the console", async () => {
    const reply = await ask("/hostages summary");
    const expected = "(previously: An earlier version said the meetings were in Cairo. Source: Source article.)";
    const discord = JSON.stringify(renderDiscord(reply, { timeZone: "UTC" }).message.embeds);
    const slack = JSON.stringify(renderSlack(reply, { timeZone: "UTC" }).message.blocks);
    const terminal = renderConsole(reply, { colour: false, timeZone: "UTC" }).message;
    for (const text of [discord, slack, terminal]) expect(text).toContain(expected);
  });
});
