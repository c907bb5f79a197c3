// The story commands (/hostages summary|timeline|people|sources|latest|explainer), one per story in content/.
import type { ContentIndex, Entity, Story, Update } from "../content/model.js";
import { formatEventTime } from "../format.js";
import type { ReplySection } from "../reply.js";
import { truncateAtWord } from "../text/truncate.js";
import { exampleWhoQuery } from "./examples.js";
import { SourceCollector, claimLine, correctionLine, entityLine, latestTimestamp, nameOf } from "./attribution.js";
import { CommandNames } from "./names.js";
import type { AnswerSettings, CommandSpec, ReplyDraft, SubcommandSpec } from "./types.js";

export const STORY_SUBCOMMANDS = ["summary", "timeline", "latest", "people", "sources", "explainer"] as const;
type StorySubcommand = (typeof STORY_SUBCOMMANDS)[number];

const DESCRIPTIONS: Record<StorySubcommand, string> = {
  summary: "The story in brief: key points, open questions, sources",
  timeline: "Every development so far, oldest first",
  latest: "The newest development and when the story was last updated",
  people: "Who is involved",
  sources: "Where each part of the story comes from",
  explainer: "The background, explained",
};

/** Discord's limit for a command description, the tightest of the platforms. */
const COMMAND_DESCRIPTION_LIMIT = 100;

/** How many earlier developments `latest` lists under the newest one. */
const LATEST_EARLIER_COUNT = 3;

/** When anything in the story (the story file or any of its updates) last changed. */
export function storyUpdatedAt(story: Story): string {
  return latestTimestamp([story.versionCreated, ...story.updates.map((u) => u.versionCreated)]) ?? story.versionCreated;
}

function moreFooter(story: Story, except: StorySubcommand): string {
  return `More: ${STORY_SUBCOMMANDS.filter((s) => s !== except)
    .map((s) => `/${story.command} ${s}`)
    .join(" · ")}`;
}

function summary(story: Story, content: ContentIndex, settings: AnswerSettings): ReplyDraft {
  const sources = new SourceCollector().add(story.sources);
  const sections: ReplySection[] = [
    { heading: "Key points", items: story.keyPoints.map((p) => (sources.add(p.sources), p.text)) },
  ];
  if (story.openQuestions.length > 0) {
    sections.push({
      heading: "Open questions",
      items: story.openQuestions.map((q) => (sources.add(q.sources), q.text)),
    });
  }
  const corrections = [...story.corrections, ...story.updates.flatMap((u) => u.corrections)];
  if (corrections.length > 0) {
    sections.push({
      heading: "Corrections",
      items: corrections.map((c) => (sources.add(c.sources), correctionLine(content, c, settings.timeZone))),
    });
  }
  return {
    tone: "answer",
    title: story.headline,
    lead: story.summary,
    sections,
    sources: sources.credits(content),
    updated: storyUpdatedAt(story),
    actions: [],
    footer: moreFooter(story, "summary"),
  };
}

function timeline(story: Story, content: ContentIndex, settings: AnswerSettings): ReplyDraft {
  const sources = new SourceCollector();
  const sections = story.updates.map((u) => {
    sources.add(u.sources);
    const corrected = u.corrections.length > 0 ? " _(corrected)_" : "";
    return {
      heading: `${formatEventTime(u.eventTime, settings.timeZone)} · ${u.headline}`,
      body: `${u.summary}${corrected}`,
    };
  });
  return {
    tone: "answer",
    title: `Timeline: ${story.headline}`,
    lead: sections.length === 0 ? "No developments have been recorded yet." : undefined,
    sections,
    sources: sources.add(story.sources).credits(content),
    updated: storyUpdatedAt(story),
    actions: [],
    footer: moreFooter(story, "timeline"),
  };
}

function updateDetail(
  update: Update,
  content: ContentIndex,
  settings: AnswerSettings,
  sources: SourceCollector,
): ReplySection[] {
  sources.add(update.sources);
  const sections: ReplySection[] = [];
  if (update.claims.length > 0) {
    sections.push({
      heading: "What was reported and said",
      items: update.claims.map((claim) => (sources.add(claim.sources), claimLine(content, claim))),
    });
  }
  if (update.corrections.length > 0) {
    sections.push({
      heading: "Corrections",
      items: update.corrections.map((c) => (sources.add(c.sources), correctionLine(content, c, settings.timeZone))),
    });
  }
  return sections;
}

function latest(story: Story, content: ContentIndex, settings: AnswerSettings): ReplyDraft {
  const sources = new SourceCollector();
  const newest = story.updates.at(-1);
  if (!newest) {
    return {
      ...summary(story, content, settings),
      footer: `No developments recorded yet. ${moreFooter(story, "latest")}`,
    };
  }
  const sections = updateDetail(newest, content, settings, sources);
  const earlier = story.updates.slice(-1 - LATEST_EARLIER_COUNT, -1).reverse();
  if (earlier.length > 0) {
    sections.push({
      heading: "Before that",
      items: earlier.map(
        (u) => (sources.add(u.sources), `**${formatEventTime(u.eventTime, settings.timeZone)}:** ${u.headline}`),
      ),
    });
  }
  return {
    tone: "answer",
    title: newest.headline,
    lead: `**${formatEventTime(newest.eventTime, settings.timeZone)}.** ${newest.summary}`,
    sections,
    sources: sources.credits(content),
    updated: storyUpdatedAt(story),
    actions: [],
    footer: moreFooter(story, "latest"),
  };
}

function people(story: Story, content: ContentIndex, _settings: AnswerSettings, names: CommandNames): ReplyDraft {
  const sources = new SourceCollector();
  const listed = (refs: Story["people"]) =>
    refs
      .map((ref) => content.entityById.get(ref.ref))
      .filter((e): e is Entity => e !== undefined)
      .map((e) => {
        sources.add(e.sources);
        if (e.kind === "person" && e.jobTitle) sources.add(e.jobTitle.sources);
        return entityLine(e);
      });
  const sections: ReplySection[] = [];
  const persons = listed(story.people);
  const organisations = listed(story.organisations);
  if (persons.length > 0) sections.push({ heading: "People", items: persons });
  if (organisations.length > 0) sections.push({ heading: "Organisations", items: organisations });
  return {
    tone: "answer",
    title: `Who is involved: ${story.headline}`,
    lead: sections.length === 0 ? "No people or organisations are recorded for this story yet." : undefined,
    sections,
    sources: sources.credits(content),
    updated: latestTimestamp([
      storyUpdatedAt(story),
      ...[...story.people, ...story.organisations].map(
        (r) => content.entityById.get(r.ref)?.versionCreated ?? story.versionCreated,
      ),
    ]),
    actions: [],
    footer: `For a card on anyone here: ${names.slash("who")} <name>, e.g. ${names.slash("who")} ${exampleWhoQuery(content, story)}`,
  };
}

/** Every source the story rests on, with what each one backs. */
function sourcesAnswer(story: Story, content: ContentIndex): ReplyDraft {
  const counts = new Map<string, number>();
  const count = (ids: readonly string[]) => ids.forEach((id) => counts.set(id, (counts.get(id) ?? 0) + 1));
  count(story.sources);
  story.keyPoints.forEach((p) => count(p.sources));
  story.openQuestions.forEach((q) => count(q.sources));
  [story, ...story.updates].forEach((doc) => doc.claims.forEach((c) => count(c.sources)));
  story.updates.forEach((u) => count(u.sources));

  const collector = new SourceCollector().add([...counts.keys()]);
  const items = [...counts.keys()].map((id) => {
    const source = content.sourceById.get(id);
    if (!source) return id;
    const cites =
      source.cites.length > 0
        ? ` Relies on reporting by ${source.cites.map((c) => nameOf(content, c)).join(" and ")}.`
        : "";
    const link = source.url ? ` [${source.url}](${source.url})` : "";
    const uses = counts.get(id) ?? 0;
    return `**${source.publisher}**: ${source.title}.${cites}${link} _(cited ${uses} time${uses === 1 ? "" : "s"} in this story)_`;
  });
  return {
    tone: "answer",
    title: `Sources: ${story.headline}`,
    lead: "Every statement the bot shows names where it comes from. These are all the sources this story uses.",
    sections: [{ items }],
    sources: collector.credits(content),
    updated: storyUpdatedAt(story),
    actions: [],
    footer: moreFooter(story, "sources"),
  };
}

function explainer(story: Story, content: ContentIndex): ReplyDraft {
  const sources = new SourceCollector().add(story.sources);
  return {
    tone: "answer",
    title: story.headline,
    lead: story.body === "" ? story.summary : story.body,
    sections: [],
    sources: sources.credits(content),
    updated: story.versionCreated,
    actions: [],
    footer: moreFooter(story, "explainer"),
  };
}

const ANSWERS: Record<
  StorySubcommand,
  (story: Story, content: ContentIndex, settings: AnswerSettings, names: CommandNames) => ReplyDraft
> = {
  summary,
  timeline,
  latest,
  people,
  sources: sourcesAnswer,
  explainer,
};

export function isStorySubcommand(name: string): name is StorySubcommand {
  return (STORY_SUBCOMMANDS as readonly string[]).includes(name);
}

/** The command for one story; commands are rebuilt for each content index, so a reload brings new ones. */
export function storyCommand(story: Story): CommandSpec {
  const subcommands: SubcommandSpec[] = STORY_SUBCOMMANDS.map((name) => ({
    name,
    description: DESCRIPTIONS[name],
    options: [],
  }));
  return {
    name: story.command,
    description: truncateAtWord(story.headline, COMMAND_DESCRIPTION_LIMIT),
    subcommands,
    defaultSubcommand: "summary",
    options: [],
    run(invocation, { content, settings, names = CommandNames.core }) {
      const sub = invocation.subcommand ?? "summary";
      const answer = isStorySubcommand(sub) ? ANSWERS[sub] : summary;
      return answer(story, content, settings, names);
    },
  };
}
