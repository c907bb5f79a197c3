// Zod schemas for every content file (pass 1 of validation: each file on its own, strict keys).
import { z } from "zod";

/** Lengths chosen so each field fits, whole, the Discord and Slack limits where it is shown; test/adapters/limits.test.ts checks them. */
export const CONTENT_LIMITS = {
  headline: 150, // an answer's title: whole in Slack's header text (150) and Discord's embed title (256); "Timeline: …" may be cut
  summary: 1024, // an answer's lead: within one Slack section's text (3,000) and one Discord embed description (4,096)
  claimText: 1024, // one claim, quote or correction as an item: within a Slack section (3,000) and a Discord description (4,096)
  name: 100, // a /who title, and whole as a Discord autocomplete choice name (100); button labels (Slack 75, Discord 80) are clipped
  alias: 100, // only matched against what people type, never shown: as long as a name, so a name can become an alias
  shortText: 1024, // a key point, open question or description as an item: within a Slack section (3,000) and a Discord description (4,096)
  title: 256, // a source's title, on one /sources line: within a Slack section (3,000) and a Discord description (4,096)
} as const;

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Discord's chat-input command name rule, restricted to lower-case ASCII so every platform accepts it. */
export const COMMAND_PATTERN = /^[a-z0-9_-]{1,32}$/;
const OFFSET_DATETIME =
  /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_ONLY = /^\d{4}-\d{2}$/;

const text = (max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be text") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(max, { error: `is longer than ${max} characters` });

export const idSchema = z
  .string({ error: "must be an id (lower-case letters, digits and dashes)" })
  .regex(ID_PATTERN, { error: "must be lower-case letters, digits and single dashes, e.g. adam-boehler" });

const refList = (what: string, min = 0) =>
  z
    .array(idSchema, { error: `must be a list of ${what} ids` })
    .min(min, { error: `needs at least ${min} ${what}${min === 1 ? "" : "s"}` })
    .refine((ids) => new Set(ids).size === ids.length, { error: `lists the same ${what} twice` });

/** True when the YYYY-MM or YYYY-MM-DD at the start of `value` names a real month or day. */
function isCalendarDate(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split("-").map(Number);
  if (y === undefined || m === undefined || m < 1 || m > 12) return false;
  if (d === undefined || Number.isNaN(d)) return true;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A date-like string accepted in the given shapes; one clear message whatever is wrong with it. */
function dateString(shapes: readonly RegExp[], expected: string) {
  return z.string({ error: `must be a quoted date: ${expected}` }).superRefine((value, ctx) => {
    if (!shapes.some((shape) => shape.test(value))) ctx.addIssue({ code: "custom", message: `must be ${expected}` });
    else if (!isCalendarDate(value)) ctx.addIssue({ code: "custom", message: `"${value}" is not a real date` });
  });
}

/** ISO 8601 with a UTC offset, e.g. "2026-11-23T09:00:00Z". */
export const timestampSchema = dateString([OFFSET_DATETIME], 'ISO 8601 with an offset, e.g. "2026-11-23T09:00:00Z"');

/** When something happened: a full timestamp, or a date or month alone when the hour or day is unknown. */
export const eventTimeSchema = dateString(
  [OFFSET_DATETIME, DATE_ONLY, MONTH_ONLY],
  '"YYYY-MM", "YYYY-MM-DD" or ISO 8601 with an offset',
);

/** A publication date: a date alone or a full timestamp. */
export const publishedSchema = dateString([OFFSET_DATETIME, DATE_ONLY], '"YYYY-MM-DD" or ISO 8601 with an offset');

const edNote = z.string().optional();

/** A sentence in our own words with the sources that back it. */
export const sourcedTextSchema = z.strictObject({
  text: text(CONTENT_LIMITS.shortText),
  sources: refList("source", 1),
  edNote,
});

export const claimKinds = ["reported-fact", "statement", "quote", "analysis"] as const;

export const claimSchema = z
  .strictObject({
    id: idSchema,
    kind: z.enum(claimKinds, { error: `must be one of ${claimKinds.join(", ")}` }),
    text: text(CONTENT_LIMITS.claimText),
    quote: text(CONTENT_LIMITS.claimText).optional(),
    attributedTo: idSchema.optional(),
    about: refList("person or organisation").optional(),
    sources: refList("source", 1),
    edNote,
  })
  .superRefine((claim, ctx) => {
    if (claim.kind === "quote" && claim.quote === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["quote"],
        message: "is required: a claim of kind quote carries the verbatim words",
      });
    }
    if (claim.kind !== "quote" && claim.quote !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["quote"],
        message: `only claims of kind quote carry a quote (this one is ${claim.kind})`,
      });
    }
    if (claim.kind !== "reported-fact" && claim.attributedTo === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["attributedTo"],
        message: `is required: a ${claim.kind} must name who said it`,
      });
    }
  });

export const correctionSchema = z.strictObject({
  id: idSchema,
  published: timestampSchema,
  claims: refList("claim", 1),
  wrong: text(CONTENT_LIMITS.claimText),
  right: text(CONTENT_LIMITS.claimText),
  sources: refList("source", 1),
  edNote,
});

export const pubStatuses = ["usable", "withheld", "canceled"] as const;

const entityRefSchema = z.strictObject({
  ref: idSchema,
  rel: z.enum(["about", "mentions"], { error: "must be about or mentions" }),
  edNote,
});

const versioning = {
  version: z
    .number({ error: "must be a whole number >= 1" })
    .int({ error: "must be a whole number >= 1" })
    .min(1, { error: "must be a whole number >= 1" }),
  firstCreated: timestampSchema,
  versionCreated: timestampSchema,
  pubStatus: z.enum(pubStatuses, { error: `must be one of ${pubStatuses.join(", ")}` }).default("usable"),
};

function versionOrder(doc: { firstCreated?: string; versionCreated: string }, ctx: z.RefinementCtx): void {
  // Compare only two valid timestamps: a malformed one already has its own message.
  const valid = (v: string | undefined): v is string => v !== undefined && OFFSET_DATETIME.test(v) && isCalendarDate(v);
  if (
    valid(doc.firstCreated) &&
    valid(doc.versionCreated) &&
    Date.parse(doc.versionCreated) < Date.parse(doc.firstCreated)
  ) {
    ctx.addIssue({ code: "custom", path: ["versionCreated"], message: "is earlier than firstCreated" });
  }
}

export const storySchema = z
  .strictObject({
    id: idSchema,
    command: z.string({ error: "is required: the slash command name, e.g. hostages" }).regex(COMMAND_PATTERN, {
      error: "must be 1-32 lower-case letters, digits, - or _ (a valid slash command name)",
    }),
    headline: text(CONTENT_LIMITS.headline),
    summary: text(CONTENT_LIMITS.summary),
    keyPoints: z
      .array(sourcedTextSchema)
      .min(1, { error: "needs at least one key point" })
      .max(10, { error: "has more than 10 key points" }),
    openQuestions: z.array(sourcedTextSchema).default([]),
    people: z.array(entityRefSchema).default([]),
    organisations: z.array(entityRefSchema).default([]),
    sources: refList("source", 1),
    claims: z.array(claimSchema).default([]),
    corrections: z.array(correctionSchema).default([]),
    ...versioning,
    edNote,
  })
  .superRefine(versionOrder);

export const updateSchema = z
  .strictObject({
    id: idSchema,
    story: idSchema,
    eventTime: eventTimeSchema,
    headline: text(CONTENT_LIMITS.headline),
    summary: text(CONTENT_LIMITS.summary),
    significance: z.enum(["major", "minor"], { error: "must be major or minor" }),
    sources: refList("source", 1),
    claims: z.array(claimSchema).default([]),
    corrections: z.array(correctionSchema).default([]),
    ...versioning,
    firstCreated: timestampSchema.optional(),
    edNote,
  })
  .superRefine(versionOrder);

const entityShape = {
  id: idSchema,
  name: text(CONTENT_LIMITS.name),
  aliases: z.array(text(CONTENT_LIMITS.alias)).default([]),
  roleAliases: z.array(text(CONTENT_LIMITS.alias)).default([]),
  description: text(CONTENT_LIMITS.shortText),
  sources: refList("source", 1),
  ...versioning,
  edNote,
};

export const personSchema = z
  .strictObject({
    ...entityShape,
    jobTitle: sourcedTextSchema.optional(),
    affiliation: idSchema.optional(),
  })
  .superRefine(versionOrder);

export const organisationSchema = z
  .strictObject({
    ...entityShape,
    parentOrganization: idSchema.optional(),
  })
  .superRefine(versionOrder);

export const sourceSchema = z.strictObject({
  id: idSchema,
  publisher: text(CONTENT_LIMITS.name),
  title: text(CONTENT_LIMITS.title),
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  published: publishedSchema.optional(),
  cites: refList("source").default([]),
  description: text(CONTENT_LIMITS.shortText).optional(),
  edNote,
});

export type Claim = z.infer<typeof claimSchema>;
export type Correction = z.infer<typeof correctionSchema>;
export type SourcedText = z.infer<typeof sourcedTextSchema>;
export type StoryFrontMatter = z.infer<typeof storySchema>;
export type UpdateFrontMatter = z.infer<typeof updateSchema>;
export type PersonFrontMatter = z.infer<typeof personSchema>;
export type OrganisationFrontMatter = z.infer<typeof organisationSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type PubStatus = (typeof pubStatuses)[number];
