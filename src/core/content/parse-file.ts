// Pass 1 of validation: classify a content file by its path, parse its YAML, check it against its schema.
import jsYaml from "js-yaml";
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { z } from "zod";
import { errorMessage } from "../errors.js";
import { formatFieldPath, type ContentError } from "./content-error.js";
import {
  organisationSchema,
  personSchema,
  sourceSchema,
  storySchema,
  updateSchema,
  type OrganisationFrontMatter,
  type PersonFrontMatter,
  type Source,
  type StoryFrontMatter,
  type UpdateFrontMatter,
} from "./schema.js";

/** A file under the content folder: its path relative to that folder (with /) and its text. */
export interface ContentFile {
  path: string;
  text: string;
}

export type ParsedDoc =
  | { type: "story"; data: StoryFrontMatter; body: string; file: string }
  | { type: "update"; data: UpdateFrontMatter; body: string; file: string; folderStory: string }
  | { type: "person"; data: PersonFrontMatter; body: string; file: string }
  | { type: "organisation"; data: OrganisationFrontMatter; body: string; file: string }
  | { type: "source"; data: Source; file: string };

export type DocType = ParsedDoc["type"];

/** An id a file claims even when the file failed pass 1, so references to it do not cascade into more errors. */
export interface ClaimedId {
  id: string;
  type: DocType;
  file: string;
}

export interface ParseOutcome {
  doc?: ParsedDoc;
  /** Ids this file stands for even when it failed: its file name, and the id it declares if that differs. */
  claimedIds: ClaimedId[];
  errors: ContentError[];
}

interface Placement {
  type: DocType;
  slug: string;
  folderStory?: string;
}

const LAYOUT_HINT =
  "content files live at stories/<id>/story.md, stories/<id>/updates/<date>-<slug>.md, people/<id>.md, organisations/<id>.md or sources/<id>.yaml";

function place(relPath: string): Placement | "ignore" | undefined {
  const parts = relPath.split("/");
  if (parts.some((p) => p.startsWith("."))) return "ignore";
  if (parts.length === 1 && parts[0]?.toLowerCase() === "readme.md") return "ignore";
  const [top, second, third, fourth] = parts;
  if (top === "stories" && second !== undefined) {
    if (parts.length === 3 && third === "story.md") return { type: "story", slug: second };
    if (parts.length === 4 && third === "updates" && fourth?.endsWith(".md")) {
      return { type: "update", slug: fourth.slice(0, -3), folderStory: second };
    }
    return undefined;
  }
  if (parts.length !== 2 || second === undefined) return undefined;
  if (top === "people" && second.endsWith(".md")) return { type: "person", slug: second.slice(0, -3) };
  if (top === "organisations" && second.endsWith(".md")) return { type: "organisation", slug: second.slice(0, -3) };
  if (top === "sources" && /\.ya?ml$/.test(second)) return { type: "source", slug: second.replace(/\.ya?ml$/, "") };
  return undefined;
}

// The closing --- must stand on a line of its own: a YAML comment such as "# --- dates ---" does not end the block.
const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n([\s\S]*))?$/;

function splitFrontMatter(text: string): { yaml: string; body: string } | undefined {
  const match = FRONT_MATTER.exec(text);
  if (!match) return undefined;
  return { yaml: match[1] ?? "", body: (match[2] ?? "").trim() };
}

const SCHEMAS = {
  story: storySchema,
  update: updateSchema,
  person: personSchema,
  organisation: organisationSchema,
  source: sourceSchema,
} satisfies Record<DocType, z.ZodType>;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function zodIssuesToErrors(file: string, raw: unknown, issues: readonly z.core.$ZodIssue[]): ContentError[] {
  const errors: ContentError[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        errors.push({
          file,
          path: formatFieldPath([...issue.path, key]),
          message: "is not a known field (misspelled?)",
        });
      }
      continue;
    }
    const missing =
      (issue.code === "invalid_type" || issue.code === "invalid_value") && valueAt(raw, issue.path) === undefined;
    errors.push({ file, path: formatFieldPath(issue.path), message: missing ? "is required" : issue.message });
  }
  return errors;
}

// Control characters other than tab and newline have no place in prose, and an escape code would restyle a terminal.
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;

/** Every string in the parsed YAML that holds a control character, by field path. */
function controlCharacterErrors(file: string, value: unknown, path: PropertyKey[] = []): ContentError[] {
  if (typeof value === "string") {
    return CONTROL_CHARACTER.test(value)
      ? [{ file, path: formatFieldPath(path), message: "contains a control character (remove it)" }]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => controlCharacterErrors(file, item, [...path, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => controlCharacterErrors(file, item, [...path, key]));
  }
  return [];
}

/** The date an update's file name must start with: the eventTime's day, or its month when the day is unknown. */
function eventDatePrefix(eventTime: string): string {
  return eventTime.length === 7 ? eventTime : eventTime.slice(0, 10);
}

/**
 * Anchors and aliases (&name, *name) are the one thing js-yaml expands without a limit; a file that may hold one,
 * like a file js-yaml refuses, takes the strict path, whose error messages are the ones editors know. An & or * inside
 * a word or after a quote ("AT&T", "**bold**") cannot start one. After a ':' it can: in a flow mapping a quoted key's
 * value may follow with no space ({"a":&x [...], "b":*x}), and js-yaml expanded such a bomb unchecked; after a
 * verbatim tag's '>' js-yaml takes an anchor too (!<tag:...>&x).
 */
const MAY_HOLD_ALIAS = /(?:^|[\s[{,:>])[&*][^\s,[\]{}]/m;

export type YamlOutcome = { ok: true; value: unknown } | { ok: false; messages: string[] };

/**
 * YAML 1.2 core schema (dates stay strings, duplicate keys are errors). js-yaml parses the common case five to eight
 * times faster than the yaml package, which loaded 18,700 files in 4 s; the yaml package stays the reference: it
 * reports errors, and a test checks both read every content file alike.
 */
export function parseYaml(text: string): YamlOutcome {
  if (!MAY_HOLD_ALIAS.test(text)) {
    try {
      return { ok: true, value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA }) ?? null };
    } catch {
      // Fall through to the strict parser for the message.
    }
  }
  return parseYamlStrictly(text);
}

// Thousands of levels of nesting ("- - - - …") overflow the stack: the yaml package's parser then throws a RangeError
// (which escaped the loader and crashed it), or its composer reports one "at line L, column C", where C depends on how
// deep the caller's stack already was. Either way one fixed message, so content:check and the bot agree.
const STACK_OVERFLOW = /Maximum call stack size exceeded/;
const TOO_DEEP = "YAML: nested too deeply (lists or mappings hundreds of levels inside each other); flatten it";

/**
 * One broken bracket in a long flow list makes an error per item after it: a 500 KB file gave 139,000, and the yaml
 * package's prettyErrors, which copies the whole line for each, took minutes. The first few, placed here, and a count.
 */
const MAX_YAML_ERRORS = 20;

function yamlErrorMessage(error: YAMLError, text: string, lines: LineCounter): string {
  if (STACK_OVERFLOW.test(error.message)) return TOO_DEEP;
  const message = `YAML: ${error.message.split("\n")[0] ?? error.message}`;
  if (error.pos[0] < 0) return message;
  const { line, col } = lines.linePos(error.pos[0]);
  // As prettyErrors wrote it: the colon introduced the quoted context (this line, and the one before unless this is
  // the first), which a one-line message leaves out; there was none only for a blank first line.
  const lineText = text.slice(lines.lineStarts[line - 1] ?? 0, lines.lineStarts[line] ?? text.length);
  const colon = line > 1 || /[^ ]/.test(lineText.replace(/[\n\r]+$/, ""));
  return `${message} at line ${line}, column ${col}${colon ? ":" : ""}`;
}

/** The yaml package: unique keys, at most 100 aliases, and editor-friendly messages. */
export function parseYamlStrictly(text: string): YamlOutcome {
  const lines = new LineCounter();
  let yamlDoc: ReturnType<typeof parseDocument>;
  try {
    yamlDoc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines });
  } catch (error) {
    return { ok: false, messages: [error instanceof RangeError ? TOO_DEEP : `YAML: ${errorMessage(error)}`] };
  }
  if (yamlDoc.errors.length > 0) {
    const shown = yamlDoc.errors.slice(0, MAX_YAML_ERRORS).map((e) => yamlErrorMessage(e, text, lines));
    const more = yamlDoc.errors.length - MAX_YAML_ERRORS;
    if (more > 0)
      shown.push(`YAML: ${more} more errors after these, most likely caused by the first; fix it and check again`);
    return { ok: false, messages: [...new Set(shown)] };
  }
  try {
    return { ok: true, value: yamlDoc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, messages: [TOO_DEEP] };
    // toJS throws when aliases would expand past the limit: a mistake or a "billion laughs", never content.
    return { ok: false, messages: ["YAML: too many aliases (*name); write the values out instead"] };
  }
}

export function parseContentFile(file: ContentFile, displayRoot: string): ParseOutcome {
  const display = displayRoot === "" ? file.path : `${displayRoot}/${file.path}`;
  const placement = place(file.path);
  if (placement === "ignore") return { claimedIds: [], errors: [] };
  if (placement === undefined) {
    return { claimedIds: [], errors: [{ file: display, path: "", message: `unexpected file: ${LAYOUT_HINT}` }] };
  }
  const claimedIds: ClaimedId[] = [{ id: placement.slug, type: placement.type, file: display }];

  let yamlText = file.text;
  let body = "";
  if (placement.type !== "source") {
    const split = splitFrontMatter(file.text);
    if (!split) {
      return {
        claimedIds,
        errors: [
          {
            file: display,
            path: "",
            message: "has no YAML front matter: start the file with a line '---', the fields, then '---'",
          },
        ],
      };
    }
    yamlText = split.yaml;
    body = split.body;
  }

  const parsed = parseYaml(yamlText);
  if (!parsed.ok)
    return { claimedIds, errors: parsed.messages.map((message) => ({ file: display, path: "", message })) };
  const raw = parsed.value;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      claimedIds,
      errors: [{ file: display, path: "", message: "must hold a YAML mapping of fields (key: value lines)" }],
    };
  }

  const errors: ContentError[] = controlCharacterErrors(display, raw);
  if (CONTROL_CHARACTER.test(body))
    errors.push({ file: display, path: "(body)", message: "contains a control character (remove it)" });
  const rawId = (raw as Record<string, unknown>)["id"];
  if (typeof rawId === "string" && rawId !== placement.slug) {
    claimedIds.push({ id: rawId, type: placement.type, file: display });
    errors.push({ file: display, path: "id", message: `"${rawId}" must equal the file's name "${placement.slug}"` });
  }

  const result = SCHEMAS[placement.type].safeParse(raw);
  if (!result.success) {
    errors.push(...zodIssuesToErrors(display, raw, result.error.issues));
    return { claimedIds, errors };
  }

  let doc: ParsedDoc;
  switch (placement.type) {
    case "story":
      doc = { type: "story", data: result.data as StoryFrontMatter, body, file: display };
      break;
    case "update": {
      const data = result.data as UpdateFrontMatter;
      const folderStory = placement.folderStory ?? "";
      if (data.story !== folderStory) {
        errors.push({
          file: display,
          path: "story",
          message: `"${data.story}" does not match the story folder "${folderStory}"`,
        });
      }
      const prefix = eventDatePrefix(data.eventTime);
      if (!placement.slug.startsWith(`${prefix}-`)) {
        errors.push({
          file: display,
          path: "eventTime",
          message: `"${data.eventTime}" does not match the file name: it should start with "${prefix}-"`,
        });
      }
      doc = { type: "update", data, body, file: display, folderStory };
      break;
    }
    case "person":
      doc = { type: "person", data: result.data as PersonFrontMatter, body, file: display };
      break;
    case "organisation":
      doc = { type: "organisation", data: result.data as OrganisationFrontMatter, body, file: display };
      break;
    case "source":
      doc = { type: "source", data: result.data as Source, file: display };
      break;
  }
  return errors.length > 0 ? { claimedIds, errors } : { doc, claimedIds, errors };
}
