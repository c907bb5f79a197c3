// Every content length limit fits every platform limit the field is shown in, so valid content is never cut by a platform.
import { describe, expect, it } from "vitest";
import { DISCORD_LIMITS } from "../../src/adapters/discord/limits.js";
import { SLACK_LIMITS } from "../../src/adapters/slack/limits.js";
import { COMMAND_PATTERN, CONTENT_LIMITS } from "../../src/core/content/schema.js";

type PlatformLimit = [name: string, limit: number];

// Where each field goes, read from the renderers. A whole item (lead, section item) must fit one Slack section and one
// Discord embed description, or the renderer would split or cut it.
const ONE_ITEM: PlatformLimit[] = [
  ["Slack section text", SLACK_LIMITS.sectionText],
  ["Discord embed description", DISCORD_LIMITS.embedDescription],
];

/** Button labels are not listed: the renderers clip them (Slack 75, Discord 80), which a name may exceed. */
const FEEDS: Record<keyof typeof CONTENT_LIMITS, PlatformLimit[]> = {
  // An answer's title (/hostages summary, latest, explainer) and a digest's section heading.
  headline: [
    ["Slack header text", SLACK_LIMITS.headerText],
    ["Discord embed title", DISCORD_LIMITS.embedTitle],
    ...ONE_ITEM,
  ],
  summary: ONE_ITEM,
  claimText: ONE_ITEM,
  // A /who answer's title, a /who autocomplete choice, and a publisher in the sources line under every answer.
  name: [
    ["Slack header text", SLACK_LIMITS.headerText],
    ["Discord embed title", DISCORD_LIMITS.embedTitle],
    ["Discord choice name", DISCORD_LIMITS.choiceName],
    ["Slack context text", SLACK_LIMITS.contextText],
    ["Discord embed footer", DISCORD_LIMITS.embedFooter],
  ],
  // Only matched against what people type; never shown.
  alias: [],
  shortText: ONE_ITEM,
  title: ONE_ITEM,
};

describe("content limits against platform limits", () => {
  it("maps every content limit to where it is shown", () => {
    expect(Object.keys(FEEDS).sort()).toEqual(Object.keys(CONTENT_LIMITS).sort());
  });

  it.each(Object.entries(FEEDS))("%s fits every platform limit it feeds", (field, feeds) => {
    const limit = CONTENT_LIMITS[field as keyof typeof CONTENT_LIMITS];
    const over = feeds
      .filter(([, platform]) => limit > platform)
      .map(([name, platform]) => `${name} (${platform}) < ${limit}`);
    expect(over).toEqual([]);
  });

  it("keeps a story's command within Discord's command name limit", () => {
    expect(COMMAND_PATTERN.test("a".repeat(DISCORD_LIMITS.commandName))).toBe(true);
    expect(COMMAND_PATTERN.test("a".repeat(DISCORD_LIMITS.commandName + 1))).toBe(false);
  });

  it("fits a Discord message's embeds total with a full title and footer to spare", () => {
    // The title and footer are taken off the 6,000 budget before the text; what is left must hold a full lead.
    expect(DISCORD_LIMITS.embedsTotal - DISCORD_LIMITS.embedTitle - DISCORD_LIMITS.embedFooter).toBeGreaterThan(
      CONTENT_LIMITS.summary,
    );
  });
});
