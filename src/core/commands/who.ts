// /who <name>: a card for a person or organisation, with forgiving lookup and "did you mean" choices.
import type { ContentIndex, Entity } from "../content/model.js";
import { entityLookup } from "../content/query.js";
import { UserError } from "../errors.js";
import { exampleWhoQuery } from "./examples.js";
import { formatEventTime } from "../format.js";
import type { ReplySection } from "../reply.js";
import {
  SourceCollector,
  claimLine,
  correctionLine,
  correctionsFor,
  entityLine,
  latestTimestamp,
  nameOf,
} from "./attribution.js";
import type { AnswerSettings, CommandSpec, ReplyDraft } from "./types.js";

/** How many claims a card lists before pointing at the story for the rest. */
const CARD_CLAIM_LIMIT = 8;

function card(entity: Entity, content: ContentIndex, settings: AnswerSettings, note: string | undefined): ReplyDraft {
  const sources = new SourceCollector().add(entity.sources);
  const links = content.backlinks(entity.id);
  const leadLines: string[] = [];
  if (note) leadLines.push(`_${note}_`);
  if (entity.kind === "person" && entity.jobTitle) {
    sources.add(entity.jobTitle.sources);
    // Descriptions often open with the title; saying it twice reads like a glitch.
    if (!entity.description.startsWith(entity.jobTitle.text)) leadLines.push(`**${entity.jobTitle.text}**`);
  }
  leadLines.push(entity.description);
  const belongsTo = entity.kind === "person" ? entity.affiliation : entity.parentOrganization;
  if (belongsTo !== undefined) leadLines.push(`Part of: ${nameOf(content, belongsTo)}`);

  const sections: ReplySection[] = [];
  if (entity.body !== "") sections.push({ heading: "About", body: entity.body });

  if (links.claims.length > 0) {
    const items = links.claims.slice(0, CARD_CLAIM_LIMIT).map((record) => {
      sources.add(record.claim.sources);
      const when =
        record.owner.kind === "update" ? `**${formatEventTime(record.owner.eventTime, settings.timeZone)}:** ` : "";
      const corrections = correctionsFor(record).map(
        (c) => (sources.add(c.sources), ` ${correctionLine(content, c, settings.timeZone)}`),
      );
      return `${when}${claimLine(content, record.claim)}${corrections.join("")}`;
    });
    const more = links.claims.length - items.length;
    if (more > 0) items.push(`…and ${more} more in the story.`);
    sections.push({ heading: entity.kind === "person" ? "What they said and did" : "In the story", items });
  }

  const appearsIn = [
    ...links.stories.map((s) => `**/${s.command}**: ${s.headline}`),
    ...links.updates.map((u) => `${formatEventTime(u.eventTime, settings.timeZone)}: ${u.headline}`),
  ];
  if (appearsIn.length > 0) sections.push({ heading: "Appears in", items: appearsIn });

  return {
    tone: "answer",
    title: entity.name,
    lead: leadLines.join("\n\n"),
    sections,
    sources: sources.credits(content),
    updated: latestTimestamp([entity.versionCreated, ...links.claims.map((r) => r.owner.versionCreated)]),
    actions: [],
    footer: links.stories[0] ? `The whole story: /${links.stories[0].command} summary` : undefined,
  };
}

/**
 * A short answer listing several entities to pick from, each a one-click follow-up in the words a reader would type
 * ("/who Benjamin Netanyahu"), falling back to an alias or the id where the name would not answer that entity.
 */
function pickList(
  title: string,
  lead: string,
  candidates: readonly Entity[],
  content: ContentIndex,
  settings: AnswerSettings,
): ReplyDraft {
  const lookup = entityLookup(content);
  // A click is parsed like typed text, so a line over the input cap would answer "too long" instead of the card.
  const fits = (query: string): boolean => [...`/who ${query}`].length <= settings.maxInputLength;
  const sources = new SourceCollector();
  candidates.forEach((c) => sources.add(c.sources));
  return {
    tone: "notice",
    title,
    lead,
    sections: [{ items: candidates.map(entityLine) }],
    sources: sources.credits(content),
    updated: latestTimestamp(candidates.map((c) => c.versionCreated)),
    actions: candidates.map((c) => ({ kind: "run", label: c.name, commandLine: `/who ${lookup.queryFor(c, fits)}` })),
  };
}

export function whoCommand(content: ContentIndex): CommandSpec {
  return {
    name: "who",
    description: "A card for a person or organisation in the news",
    subcommands: [],
    options: [
      {
        name: "name",
        description: "Name, surname or role of a person or organisation",
        required: true,
        autocomplete: true,
        complete: (partial, current, limit) => entityLookup(current).complete(partial, limit),
      },
    ],
    examples: [`/who ${exampleWhoQuery(content)}`],
    run(invocation, { content, settings }) {
      const query = invocation.options["name"] ?? "";
      const result = entityLookup(content).find(query);
      switch (result.kind) {
        case "found": {
          const note =
            result.match === "typo"
              ? `No exact match for “${query}”. Showing the closest name, ${result.entity.name}.`
              : undefined;
          return card(result.entity, content, settings, note);
        }
        case "ambiguous": {
          const why =
            result.via === "role"
              ? `“${query}” is a role several people or organisations share.`
              : `“${query}” matches more than one name.`;
          return pickList(`Which one do you mean?`, `${why} Pick one:`, result.candidates, content, settings);
        }
        case "suggestions":
          return pickList(`No exact match for “${query}”`, "Did you mean:", result.candidates, content, settings);
        case "none": {
          const example = content.stories[0] ? `/${content.stories[0].command} people` : "/help";
          throw new UserError("unknown-name", `I don't know anyone called “${query}” in the stories I cover.`, {
            hint: `Check the spelling, try a surname or a role, or see everyone with ${example}.`,
          });
        }
      }
    },
  };
}
