// The Discord renderer: every real answer fits Discord's limits, long answers are cut with a hint, and nothing can ping.
import { describe, expect, it } from "vitest";
import type { APIEmbed } from "discord.js";
import { DISCORD_LIMITS } from "../../../src/adapters/discord/limits.js";
import {
  DEFAULT_SHORTENED_HINT,
  defuseMentions,
  discordMarkdown,
  renderDiscord,
  type DiscordMessage,
} from "../../../src/adapters/discord/render.js";
import { answerCommandLine, answerShared, type Asker } from "../../../src/core/commands/answer-line.js";
import { apologyReply } from "../../../src/core/commands/dispatch.js";
import { STORY_SUBCOMMANDS } from "../../../src/core/commands/story.js";
import type { CommandContext } from "../../../src/core/commands/types.js";
import { formatInstant } from "../../../src/core/format.js";
import { silentLogger } from "../../../src/core/logger.js";
import type { Reply } from "../../../src/core/reply.js";
import { loadRealContent } from "../../helpers.js";

const content = loadRealContent();
const context: CommandContext = {
  content,
  settings: { timeZone: "Europe/London", defaultVisibility: "private", maxInputLength: 200 },
  logger: silentLogger,
};
const asker: Asker = {
  user: { id: "287654321098765432", name: "Dana" },
  channel: "discord:1098765432109876543:1112223334445556667",
  platform: "discord",
};
const options = { timeZone: "Europe/London" };

/** Every problem Discord would reject the message for, measured independently of the renderer's own bookkeeping. */
function limitProblems(message: DiscordMessage): string[] {
  const problems: string[] = [];
  const check = (what: string, value: string | undefined, max: number, min = 0) => {
    if (value === undefined) return;
    if (value.length > max) problems.push(`${what} is ${value.length} > ${max}`);
    if (value.length < min) problems.push(`${what} is empty`);
  };
  if (message.embeds.length > DISCORD_LIMITS.embedsPerMessage) problems.push(`${message.embeds.length} embeds`);
  let total = 0;
  message.embeds.forEach((embed: APIEmbed, i) => {
    check(`embed ${i} title`, embed.title, DISCORD_LIMITS.embedTitle, 1);
    check(`embed ${i} description`, embed.description, DISCORD_LIMITS.embedDescription, 1);
    check(`embed ${i} footer`, embed.footer?.text, DISCORD_LIMITS.embedFooter, 1);
    if ((embed.fields ?? []).length > DISCORD_LIMITS.embedFields) problems.push(`embed ${i} has too many fields`);
    for (const field of embed.fields ?? []) {
      check(`embed ${i} field name`, field.name, DISCORD_LIMITS.embedFieldName, 1);
      check(`embed ${i} field value`, field.value, DISCORD_LIMITS.embedFieldValue, 1);
    }
    if (embed.title === undefined && embed.description === undefined && embed.footer === undefined)
      problems.push(`embed ${i} is empty`);
    total +=
      (embed.title ?? "").length +
      (embed.description ?? "").length +
      (embed.footer?.text ?? "").length +
      (embed.author?.name ?? "").length;
    total += (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  });
  if (total > DISCORD_LIMITS.embedsTotal) problems.push(`embeds total ${total} > ${DISCORD_LIMITS.embedsTotal}`);
  if (message.components.length > DISCORD_LIMITS.rowsPerMessage) problems.push(`${message.components.length} rows`);
  const ids = new Set<string>();
  for (const row of message.components) {
    if (row.components.length > DISCORD_LIMITS.buttonsPerRow || row.components.length === 0)
      problems.push(`a row of ${row.components.length} buttons`);
    for (const button of row.components) {
      check("custom id", button.custom_id, DISCORD_LIMITS.customId, 1);
      check("button label", button.label, DISCORD_LIMITS.buttonLabel, 1);
      if (ids.has(button.custom_id)) problems.push(`duplicate custom id ${button.custom_id}`);
      ids.add(button.custom_id);
    }
  }
  return problems;
}

function allText(message: DiscordMessage): string {
  return message.embeds.map((e) => [e.title, e.description, e.footer?.text].filter(Boolean).join("\n")).join("\n");
}

function reply(overrides: Partial<Reply>): Reply {
  return {
    tone: "answer",
    title: "A title",
    sections: [],
    sources: [],
    visibility: "private",
    actions: [],
    ...overrides,
  };
}

async function everyRealReply(): Promise<[string, Reply][]> {
  const lines = [
    ...content.stories.flatMap((s) => STORY_SUBCOMMANDS.map((sub) => `/${s.command} ${sub}`)),
    ...content.entities.map((e) => `/who ${e.id}`),
    ...content.entities.map((e) => `/who ${e.name}`),
    "/who netanyahs",
    "/who mediator",
    "/who somebody nobody knows",
    "/help",
    ...["who", "help", ...content.stories.map((s) => s.command), "nonsense"].map((c) => `/help ${c}`),
    "/nonsense",
    "/hostages sumary",
    "/who",
    "",
    "x".repeat(500),
  ];
  const replies: [string, Reply][] = [];
  for (const line of lines) replies.push([line, await answerCommandLine(line, asker, context)]);
  replies.push(["shared /hostages summary", await answerShared("/hostages summary", asker, context)]);
  replies.push(["apology", apologyReply("deadbeef")]);
  return replies;
}

describe("renderDiscord on the real content", () => {
  it("keeps every command's answer within Discord's limits", async () => {
    const replies = await everyRealReply();
    expect(replies.length).toBeGreaterThan(30);
    const problems = replies.flatMap(([line, r]) =>
      limitProblems(renderDiscord(r, options).message).map((p) => `${line}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it("puts the summary in the description and the sources and update time in the footer", async () => {
    const answer = await answerCommandLine("/hostages summary", asker, context);
    const message = renderDiscord(answer, options).message;
    const [embed] = message.embeds;
    expect(embed?.title).toBe(answer.title);
    expect(embed?.description).toContain("**Key points**");
    for (const source of answer.sources) expect(embed?.footer?.text).toContain(source.label);
    expect(embed?.footer?.text).toContain(`Updated ${formatInstant(answer.updated ?? "", "Europe/London")}`);
    expect(message.components.flatMap((row) => row.components.map((b) => [b.custom_id, b.label]))).toEqual([
      [expect.stringMatching(/^share@[0-9a-f]{10}:\/hostages summary$/), "Share in channel"],
    ]);
  });

  it("turns did-you-mean choices into run buttons and a Try line", async () => {
    const notice = await answerCommandLine("/who netanyahs", asker, context);
    const message = renderDiscord(notice, options).message;
    const ids = message.components.flatMap((row) => row.components.map((b) => b.custom_id));
    expect(ids).toEqual(
      expect.arrayContaining(["run:/who Benjamin Netanyahu", "run:/who Office of the Israeli Prime Minister"]),
    );
    expect(message.embeds[0]?.description).toContain("Try: `/who Benjamin Netanyahu`");
  });

  it("names who shared an answer, as text", async () => {
    const shared = await answerShared(
      "/who Adam Boehler",
      { ...asker, user: { id: asker.user.id, name: "@everyone" } },
      context,
    );
    const footer = renderDiscord(shared, options).message.embeds.at(-1)?.footer?.text ?? "";
    expect(footer).toContain("Shared by @\u200beveryone");
    expect(renderDiscord(shared, options).message.components).toEqual([]);
  });
});

describe("long answers", () => {
  const overlong = reply({
    title: "A very long answer",
    lead: "word ".repeat(2000).trim(),
    sections: Array.from({ length: 40 }, (_, i) => ({
      heading: `Section ${i + 1}`,
      body: `Paragraph ${i + 1}. ${"More text here. ".repeat(20)}`,
      items: [`item ${i + 1}`],
    })),
    sources: [{ id: "s", label: "Reuters, 5 Mar 2025" }],
    updated: "2025-03-05T12:00:00Z",
    footer: "More: /hostages timeline",
  });

  it("cuts an overlong answer at a clean boundary with a visible hint, and still fits", () => {
    expect(overlong.lead?.length).toBeGreaterThanOrEqual(9999);
    const message = renderDiscord(overlong, {
      ...options,
      shortenedHint: "…answer shortened; ask a narrower question such as /hostages latest",
    }).message;
    expect(limitProblems(message)).toEqual([]);
    const descriptions = message.embeds.map((e) => e.description ?? "");
    const last = descriptions.at(-1) ?? "";
    expect(last.endsWith("*…answer shortened; ask a narrower question such as /hostages latest*")).toBe(true);
    // Cut between words: no fragment of "word" before the hint, and the footer with the sources survives.
    for (const d of descriptions) expect(d).not.toMatch(/\bwor\b|\bwo\b|\bw\b/);
    expect(message.embeds.at(-1)?.footer?.text).toContain("Sources: Reuters, 5 Mar 2025");
    expect(message.embeds[0]?.title).toBe("A very long answer");
  });

  it("uses a generic hint when the adapter gives none", () => {
    const last = renderDiscord(overlong, options).message.embeds.at(-1)?.description ?? "";
    expect(last).toContain(DEFAULT_SHORTENED_HINT.replace(/\./g, "."));
  });

  it("leaves an answer that fits untouched", () => {
    const message = renderDiscord(reply({ lead: "Short and sweet." }), options).message;
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds[0]?.description).toBe("Short and sweet.");
  });

  it("shortens an overlong title, a single giant word and a huge sources list", () => {
    const message = renderDiscord(
      reply({
        title: "T".repeat(400),
        lead: "x".repeat(9000),
        sources: Array.from({ length: 300 }, (_, i) => ({ id: `s${i}`, label: `Source number ${i}` })),
        actions: Array.from({ length: 40 }, (_, i) => ({
          kind: "run" as const,
          label: `Choice ${i} `.repeat(20),
          commandLine: `/who person-${i}`,
        })),
      }),
      options,
    ).message;
    expect(limitProblems(message)).toEqual([]);
    expect(message.components).toHaveLength(DISCORD_LIMITS.rowsPerMessage);
  });

  it("renders only as far as the cut: 5,000 items read no further than 200 and give the message of their first 200", () => {
    const all = Array.from({ length: 5000 }, (_, i) => `Update ${i}: ${"a detail that takes some room ".repeat(3)}`);
    let furthest = -1;
    // Counts which items the renderer reads: past the cut it must not look, however long the list.
    const items = new Proxy(all, {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) furthest = Math.max(furthest, Number(key));
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const hinted = { ...options, shortenedHint: "…ask a narrower question" };
    const long = reply({
      lead: "Everything about one person.",
      sections: [{ heading: "Appears in", items }],
      sources: [{ id: "s", label: "Reuters" }],
    });
    const message = renderDiscord(long, hinted).message;
    expect(furthest).toBeGreaterThan(10);
    expect(furthest).toBeLessThan(200);
    expect(message).toEqual(
      renderDiscord({ ...long, sections: [{ heading: "Appears in", items: all.slice(0, 200) }] }, hinted).message,
    );
    expect(limitProblems(message)).toEqual([]);
    expect(message.embeds.at(-1)?.description?.endsWith("*…ask a narrower question*")).toBe(true);
    expect(message.embeds[0]?.description).toContain("• Update 0: a detail");
    expect(renderDiscord(long, hinted).shortened).toBe(true);
    expect(
      renderDiscord({ ...long, sections: [{ heading: "Appears in", items: all.slice(0, 10) }] }, hinted).shortened,
    ).toBe(false);
  });

  it("cuts at the same line whether the text after the cut is long or short", () => {
    // The 6,000-unit total is crossed inside the second section; only what comes before decides the cut.
    const sections = [
      { body: "x ".repeat(2000).trim() },
      { items: Array.from({ length: 40 }, (_, i) => `item ${i} ${"y".repeat(90)}`) },
    ];
    const message = renderDiscord(
      reply({ sections: [...sections, { items: Array.from({ length: 3000 }, (_, i) => `later ${i}`) }] }),
      options,
    ).message;
    expect(message).toEqual(renderDiscord(reply({ sections: [...sections, { items: ["later 0"] }] }), options).message);
    expect(allText(message)).not.toContain("later");
    expect(message.embeds.at(-1)?.description).toContain(DEFAULT_SHORTENED_HINT);
  });

  it("leaves out a share button whose command line does not fit a custom id, but keeps the answer", () => {
    const line = `/who ${"a".repeat(120)}`;
    const message = renderDiscord(
      reply({ lead: "Answer", actions: [{ kind: "share", label: "Share in channel", commandLine: line }] }),
      options,
    ).message;
    expect(message.components).toEqual([]);
    expect(message.embeds[0]?.description).toBe("Answer");
  });

  it("reports a run button whose 200-character command line cannot be a custom id in dropped", () => {
    const long = { kind: "run" as const, label: "Too long", commandLine: `/who ${"b".repeat(195)}` };
    const kept = { kind: "run" as const, label: "Qatar", commandLine: "/who qatar" };
    expect(long.commandLine).toHaveLength(200);
    const rendered = renderDiscord(reply({ lead: "Answer", actions: [long, kept] }), options);
    expect(rendered.dropped).toEqual([long]);
    expect(rendered.message.components.flatMap((row) => row.components.map((b) => b.custom_id))).toEqual([
      "run:/who qatar",
    ]);
    expect(rendered.shortened).toBe(false);
  });

  it("reports the run buttons past what the rows hold in dropped, in the reply's order, and not a repeated one", () => {
    const runs = Array.from({ length: 23 }, (_, i) => ({
      kind: "run" as const,
      label: `Choice ${i}`,
      commandLine: `/who person-${i}`,
    }));
    const share = { kind: "share" as const, label: "Share in channel", commandLine: "/hostages summary" };
    const again = { kind: "run" as const, label: "Again", commandLine: "/who person-0" };
    const rendered = renderDiscord(reply({ lead: "Answer", actions: [share, ...runs, again] }), options);
    // Four rows of five runs, then the share row.
    expect(rendered.message.components).toHaveLength(DISCORD_LIMITS.rowsPerMessage);
    expect(rendered.dropped).toEqual(runs.slice(20));
  });
});

describe("mentions and markdown in content", () => {
  it("neutralises @everyone, @here, user, role and channel mentions", () => {
    const message = renderDiscord(
      reply({
        title: "Breaking: @everyone <@123456789012345678>",
        lead: "Ping @everyone <@123> <@&5> <#1112223334445556667> and @here, or </who:1200000000000000001>.",
        sections: [{ heading: "@here now", items: ["<@!42> said `@everyone`"] }],
        sources: [{ id: "x", label: "@everyone Daily" }],
        footer: "<@&77> footer",
        sharedBy: "<@99>",
        actions: [{ kind: "run", label: "@everyone", commandLine: "/who <@123>" }],
      }),
      options,
    ).message;
    // Custom ids are never shown; they carry the command line exactly as it will be re-asked.
    const shown = { ...message, components: message.components.map((row) => row.components.map((b) => b.label)) };
    const json = JSON.stringify(shown);
    expect(json).not.toMatch(/@(everyone|here)/);
    expect(json).not.toMatch(/<[@#/]/);
    // Still readable: the words are there, only defused.
    expect(allText(message)).toContain("everyone");
    expect(allText(message)).toContain("123");
  });

  it("escapes Discord markdown in content text but keeps the content's own emphasis and links", () => {
    expect(discordMarkdown("snake_case, a|b and ||spoiler||")).toBe("snake\\_case, a\\|b and \\|\\|spoiler\\|\\|");
    expect(discordMarkdown("# A heading\n\n> quoted")).toBe("**A heading**\n\n> quoted");
    expect(discordMarkdown("**Bold** and _soft_ and [Reuters](https://www.reuters.com/a_(b))")).toBe(
      "**Bold** and *soft* and [Reuters](https://www.reuters.com/a_%28b%29)",
    );
    expect(discordMarkdown("code `a_b*c` stays literal")).toBe("code `a_b*c` stays literal");
  });

  it("defuses mentions wherever they appear", () => {
    expect(defuseMentions("@everyone @Here <@1> <@!2> <@&3> <#4> </x:5>")).not.toMatch(/@(everyone|here)|<[@#/]/i);
  });
});
