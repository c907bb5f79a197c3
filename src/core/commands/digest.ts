// /digest subscribe|unsubscribe|status|preview: a channel's daily digest, read and changed through the DigestBook port.
import { UserError } from "../errors.js";
import type { ContentIndex, Story } from "../content/model.js";
import { composeDigest } from "../digest/compose.js";
import { formatClockTime, nextSlot, parseClockTime, type ClockTime } from "../digest/schedule.js";
import { completeTimeZones, resolveTimeZone, suggestTimeZones } from "../digest/time-zones.js";
import type { DigestBook, DigestSettings, EditionSummary, Subscription } from "../digest/types.js";
import { formatInstant } from "../format.js";
import { holdersOf } from "./permissions.js";
import type { CommandContext, CommandSpec, Invocation, ReplyDraft, Requirement } from "./types.js";

const EXAMPLE = "/digest subscribe 08:00 Europe/London";

interface SubscribeRequest {
  time?: ClockTime;
  timeZone?: string;
  /** undefined: not named (keep the default, every story). */
  stories?: Story[];
}

function storyNamed(content: ContentIndex, word: string): Story | undefined {
  const name = word.replace(/^\/+/, "").toLowerCase();
  return content.storyByCommand.get(name) ?? content.stories.find((s) => s.id === name);
}

function storyList(content: ContentIndex): string {
  return content.stories.map((s) => s.command).join(", ");
}

/**
 * Reads time, zone and stories from whatever the asker gave, in any order: text platforms fill options by
 * position, so "/digest subscribe Europe/London" arrives with the zone in the time slot. Each word is classified.
 */
function readSubscribeRequest(invocation: Invocation, content: ContentIndex): SubscribeRequest {
  const request: SubscribeRequest = {};
  const words = ["time", "timezone", "stories"]
    .flatMap((name) => invocation.options[name]?.split(/[\s,]+/) ?? [])
    .filter(Boolean);
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? "";
    const time = parseClockTime(word);
    if (time) {
      if (request.time && formatClockTime(request.time) !== formatClockTime(time)) {
        throw new UserError(
          "invalid-option",
          `Give one time (got ${formatClockTime(request.time)} and ${formatClockTime(time)}).`,
          { hint: `For example: ${EXAMPLE}` },
        );
      }
      request.time = time;
      continue;
    }
    if (word.toLowerCase() === "all") {
      request.stories = [];
      continue;
    }
    const story = storyNamed(content, word);
    if (story) {
      request.stories = [...(request.stories ?? []).filter((s) => s.id !== story.id), story];
      continue;
    }
    // A zone may be typed as words ("new york", "los angeles"): try the longest run first.
    const run = [3, 2, 1]
      .map((n) => words.slice(i, i + n))
      .find((parts) => parts.length > 0 && resolveTimeZone(parts.join(" ")) !== undefined);
    const zone = run && resolveTimeZone(run.join(" "));
    if (run && zone) {
      if (request.timeZone !== undefined && request.timeZone !== zone) {
        throw new UserError("invalid-option", `Give one time zone (got ${request.timeZone} and ${run.join(" ")}).`, {
          hint: `For example: ${EXAMPLE}`,
        });
      }
      request.timeZone = zone;
      i += run.length - 1;
      continue;
    }
    throw notUnderstood(word, invocation, content);
  }
  return request;
}

function notUnderstood(word: string, invocation: Invocation, content: ContentIndex): UserError {
  if (/^\d/.test(word)) {
    return new UserError("invalid-option", `“${word}” is not a time of day.`, {
      hint: `Use a 24-hour time such as 08:00 or 18:30 (7pm works too). For example: ${EXAMPLE}`,
    });
  }
  const zones = suggestTimeZones(word);
  if (word.includes("/") || zones.length > 0) {
    const others = Object.entries(invocation.options)
      .filter(([name]) => name !== "timezone")
      .map(([, value]) =>
        value
          .split(/[\s,]+/)
          .filter((w) => w !== word)
          .join(" "),
      )
      .filter(Boolean);
    return new UserError("invalid-option", `“${word}” is not a time zone I know.`, {
      hint:
        zones.length > 0
          ? `Did you mean ${zones.join(", ")}? Time zones are IANA names such as Europe/London or America/New_York.`
          : "Time zones are IANA names such as Europe/London, America/New_York or UTC.",
      suggestions: zones.map((zone) => ({
        label: zone,
        commandLine: ["/digest subscribe", ...others, zone].join(" "),
      })),
    });
  }
  return new UserError("invalid-option", `“${word}” is not a story, a time or a time zone.`, {
    hint: `Stories here: ${storyList(content)}. For example: ${EXAMPLE} ${content.stories[0]?.command ?? ""}`.trimEnd(),
  });
}

/** What changing a subscription requires; status and preview are for anyone. */
function managing(action: string): Requirement {
  return {
    permission: "manage-channel",
    action: `${action} this channel's digest`,
    hint: "Anyone can see it with /digest status or /digest preview.",
  };
}

function storiesLabel(content: ContentIndex, ids: readonly string[]): string {
  if (ids.length === 0) return "every story";
  return ids
    .map((id) => content.stories.find((s) => s.id === id)?.headline ?? `${id} (no longer published)`)
    .join("; ");
}

function scheduleLine(subscription: Pick<Subscription, "time" | "timeZone">): string {
  return `Every day at ${subscription.time} (${subscription.timeZone})`;
}

function nextLine(subscription: Subscription, now: Date): string {
  return `Next digest: ${formatInstant(nextSlot(subscription, now).dueAt.toISOString(), subscription.timeZone)}`;
}

const STATE_WORDS: Record<EditionSummary["state"], string> = {
  pending: "waiting to be sent",
  sending: "being sent",
  delivered: "delivered",
  skipped_stale: "skipped: the bot was down past the catch-up window",
  skipped_quiet: "skipped: nothing new",
  paused: "not sent: deliveries are paused",
  unknown: "may not have arrived: the platform did not confirm it",
  failed: "not sent: gave up after retries",
  canceled: "canceled",
};

function editionLine(label: string, edition: EditionSummary, timeZone: string): string {
  const when = formatInstant(edition.deliveredAt ?? edition.dueAt, timeZone);
  const error = edition.error && edition.state !== "delivered" ? ` (${edition.error})` : "";
  const from = edition.composedFrom ? `, composed from content ${edition.composedFrom}` : "";
  return `${label}: ${when}, ${STATE_WORDS[edition.state]}${error}${from}`;
}

async function subscribe(
  invocation: Invocation,
  context: CommandContext,
  book: DigestBook,
  settings: DigestSettings,
  now: Date,
): Promise<ReplyDraft> {
  const request = readSubscribeRequest(invocation, context.content);
  const existing = await book.subscription(invocation.channel);
  const time = request.time ? formatClockTime(request.time) : (existing?.time ?? settings.defaultTime);
  const timeZone = request.timeZone ?? existing?.timeZone ?? settings.defaultTimeZone;
  const stories = request.stories?.map((s) => s.id) ?? existing?.stories ?? [];
  const subscription = await book.subscribe({
    channel: invocation.channel,
    platform: invocation.platform,
    time,
    timeZone,
    stories,
    createdAt: now.toISOString(),
    createdBy: invocation.user.name,
  });
  const delivered = await book.lastDelivered(invocation.channel);
  return {
    tone: "notice",
    title: existing ? "Digest updated for this channel" : "Daily digest set up for this channel",
    lead: `${scheduleLine(subscription)}, this channel gets what is new or corrected in ${storiesLabel(context.content, stories)}.`,
    sections: [
      {
        items: [
          nextLine(subscription, now),
          ...(existing?.paused ? ["Deliveries resume: the pause is lifted."] : []),
          delivered
            ? "Each digest brings what is new or corrected since the last one."
            : "The first digest catches the channel up on the story so far; after that, only what is new or corrected.",
          "Check it with /digest status, see what it would say with /digest preview, stop it with /digest unsubscribe.",
        ],
      },
    ],
    sources: [],
    actions: [],
  };
}

async function unsubscribe(invocation: Invocation, book: DigestBook): Promise<ReplyDraft> {
  const removed = await book.unsubscribe(invocation.channel);
  return {
    tone: "notice",
    title: removed ? "Digest stopped for this channel" : "This channel has no digest",
    lead: removed
      ? "No more daily digests will be posted here. Set one up again any time with /digest subscribe."
      : `Set one up with ${EXAMPLE}.`,
    sections: [],
    sources: [],
    actions: [],
  };
}

async function status(
  invocation: Invocation,
  context: CommandContext,
  book: DigestBook,
  now: Date,
): Promise<ReplyDraft> {
  const subscription = await book.subscription(invocation.channel);
  if (!subscription) {
    return {
      tone: "notice",
      title: "This channel has no digest",
      lead: `${holdersOf(invocation, "manage-channel")} can set one up: ${EXAMPLE}`.replace(/^./, (c) =>
        c.toUpperCase(),
      ),
      sections: [],
      sources: [],
      actions: [],
    };
  }
  const zone = subscription.timeZone;
  const [last, latest] = await Promise.all([
    book.lastDelivered(invocation.channel),
    book.lastEdition(invocation.channel),
  ]);
  const items = [
    `Schedule: ${scheduleLine(subscription).replace(/^Every/, "every")}`,
    `Stories: ${storiesLabel(context.content, subscription.stories)}`,
    `Set up by ${subscription.createdBy} on ${formatInstant(subscription.createdAt, zone)}`,
    last ? editionLine("Last digest", last, zone) : "Last digest: none yet",
    ...(latest && latest.editionKey !== last?.editionKey ? [editionLine("Latest edition", latest, zone)] : []),
    subscription.paused ? "Next digest: none while paused" : nextLine(subscription, now),
  ];
  const sections = [{ items }];
  if (subscription.paused) {
    sections.unshift({
      items: [
        `Paused since ${formatInstant(subscription.paused.at, zone)}: ${subscription.paused.reason}. Once the bot can post here again, /digest subscribe resumes it.`,
      ],
    });
  }
  return {
    tone: "notice",
    title: subscription.paused ? "Digest paused" : "Digest for this channel",
    sections,
    sources: [],
    actions: [],
  };
}

async function preview(
  invocation: Invocation,
  context: CommandContext,
  book: DigestBook,
  settings: DigestSettings,
  now: Date,
): Promise<ReplyDraft> {
  const subscription = await book.subscription(invocation.channel);
  const [announced, delivered] = await Promise.all([
    book.announced(invocation.channel),
    book.lastDelivered(invocation.channel),
  ]);
  const composed = composeDigest({
    content: context.content,
    stories: subscription?.stories ?? [],
    announced,
    firstDigest: delivered === undefined,
    now,
    settings: { ...settings, quietDays: "post" },
    timeZone: subscription?.timeZone ?? settings.defaultTimeZone,
  });
  if (!composed) throw new Error("a digest with quiet days posted always composes");
  const note = subscription
    ? `Preview: only you see this. ${nextLine(subscription, now)}.`
    : `Preview: only you see this. This channel has no digest yet; ${EXAMPLE} sets one up.`;
  const reply = composed.reply;
  return { ...reply, lead: [note, reply.lead].filter(Boolean).join("\n\n"), actions: [], visibility: "private" };
}

/** Completes the last word typed in the stories option, keeping the words before it. */
function completeStories(partial: string, content: ContentIndex, limit: number): { name: string; value: string }[] {
  const words = partial.split(/[\s,]+/);
  const last = (words.pop() ?? "").toLowerCase();
  const before = words.filter(Boolean);
  return content.stories
    .filter(
      (s) => !before.includes(s.command) && (s.command.startsWith(last) || s.headline.toLowerCase().includes(last)),
    )
    .slice(0, limit)
    .map((s) => {
      const value = [...before, s.command].join(" ");
      return { name: `${value} (${s.headline})`.slice(0, 100), value };
    });
}

export function digestCommand(): CommandSpec {
  return {
    name: "digest",
    description: "This channel's daily digest: set up, stop, check or preview it",
    defaultSubcommand: "status",
    options: [],
    subcommands: [
      {
        name: "subscribe",
        description: "Post a daily digest in this channel (or change its time, zone or stories)",
        requires: managing("set up"),
        options: [
          { name: "time", description: "Local time, 24-hour HH:MM (e.g. 08:00)", required: false },
          {
            name: "timezone",
            description: "IANA time zone (e.g. Europe/London, America/New_York)",
            required: false,
            autocomplete: true,
            complete: (partial, _content, limit) => completeTimeZones(partial, limit),
          },
          {
            name: "stories",
            description: "Story commands to follow, separated by spaces (default: every story)",
            required: false,
            autocomplete: true,
            complete: completeStories,
          },
        ],
      },
      { name: "unsubscribe", description: "Stop this channel's daily digest", options: [], requires: managing("stop") },
      {
        name: "status",
        description: "When the digest comes, when it last came, and whether it is paused",
        options: [],
      },
      { name: "preview", description: "What the digest would say now (only you see it)", options: [] },
    ],
    examples: [EXAMPLE, "/digest status", "/digest preview"],
    async run(invocation, context) {
      if (!context.digests) {
        return {
          tone: "notice",
          title: "Digests are not set up on this bot",
          lead: "Its operators have not given it a place to keep subscriptions.",
          sections: [],
          sources: [],
          actions: [],
        };
      }
      const { book, settings } = context.digests;
      const now = context.now?.() ?? new Date();
      switch (invocation.subcommand) {
        case "subscribe":
          return subscribe(invocation, context, book, settings, now);
        case "unsubscribe":
          return unsubscribe(invocation, book);
        case "preview":
          return preview(invocation, context, book, settings, now);
        default:
          return status(invocation, context, book, now);
      }
    },
  };
}
