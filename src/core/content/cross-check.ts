// Pass 2 of validation: ids unique across all types, every reference resolves, names and aliases unique.
import { closest, distance } from "fastest-levenshtein";
import { normalizeKey } from "../text/normalize.js";
import type { ContentError } from "./content-error.js";
import type { ClaimedId, ParsedDoc } from "./parse-file.js";
import type { Claim, Correction } from "./schema.js";

/** Command names the bot itself answers; a story may not take them. */
export const RESERVED_COMMANDS: ReadonlySet<string> = new Set(["who", "whois", "help", "digest", "exit", "quit"]);

/** Slack's built-in commands: an app cannot register these, so a story named after one could not be asked on Slack. */
export const SLACK_BUILT_IN_COMMANDS: ReadonlySet<string> = new Set([
  "away",
  "collapse",
  "dnd",
  "expand",
  "feed",
  "invite",
  "join",
  "leave",
  "me",
  "msg",
  "mute",
  "open",
  "pro",
  "remind",
  "search",
  "shortcuts",
  "shrug",
  "status",
  "topic",
]);

type IdType = ClaimedId["type"] | "claim" | "correction";

interface IdEntry {
  type: IdType;
  file: string;
  path: string;
}

/** Each type with its article, as it reads in a message: "is an organisation", "by a story". */
const A_TYPE: Record<IdType, string> = {
  story: "a story",
  update: "an update",
  person: "a person",
  organisation: "an organisation",
  source: "a source",
  claim: "a claim",
  correction: "a correction",
};

function claimsAndCorrections(doc: ParsedDoc): { claims: Claim[]; corrections: Correction[] } {
  if (doc.type === "story" || doc.type === "update")
    return { claims: doc.data.claims, corrections: doc.data.corrections };
  return { claims: [], corrections: [] };
}

export function crossCheck(docs: readonly ParsedDoc[], claimedIds: readonly ClaimedId[]): ContentError[] {
  const errors: ContentError[] = [];
  const ids = new Map<string, IdEntry>();

  const register = (id: string, entry: IdEntry): void => {
    const existing = ids.get(id);
    if (existing) {
      errors.push({
        file: entry.file,
        path: entry.path,
        message: `id "${id}" is already used by ${A_TYPE[existing.type]} in ${existing.file}${existing.path ? ` (${existing.path})` : ""}`,
      });
      return;
    }
    ids.set(id, entry);
  };

  for (const doc of docs) {
    register(doc.data.id, { type: doc.type, file: doc.file, path: "id" });
    const { claims, corrections } = claimsAndCorrections(doc);
    claims.forEach((c, i) => register(c.id, { type: "claim", file: doc.file, path: `claims[${i}].id` }));
    corrections.forEach((c, i) => register(c.id, { type: "correction", file: doc.file, path: `corrections[${i}].id` }));
  }
  // Files that failed pass 1 still own their ids, so references to them are not reported a second time.
  const failedIds = new Map<string, ClaimedId>();
  for (const claimed of claimedIds) {
    if (!ids.has(claimed.id)) failedIds.set(claimed.id, claimed);
  }

  const expect = (ref: string, allowed: readonly IdType[], what: string, file: string, path: string): void => {
    const entry = ids.get(ref);
    if (entry && allowed.includes(entry.type)) return;
    const failed = failedIds.get(ref);
    if (!entry && failed && allowed.includes(failed.type)) return;
    if (entry) {
      errors.push({
        file,
        path,
        message: `"${ref}" is ${A_TYPE[entry.type]} (${entry.file}), not ${/^[aeiou]/.test(what) ? "an" : "a"} ${what}`,
      });
      return;
    }
    const candidates = [...ids].filter(([, e]) => allowed.includes(e.type)).map(([id]) => id);
    const nearest = candidates.length > 0 ? closest(ref, candidates) : undefined;
    // Only a near miss is worth suggesting; "did you mean donald-trump" for adam-boehler helps nobody.
    const guess =
      nearest !== undefined && distance(ref, nearest) <= Math.max(2, Math.floor(ref.length / 3)) ? nearest : undefined;
    errors.push({ file, path, message: `unknown ${what} "${ref}"${guess ? ` (did you mean "${guess}"?)` : ""}` });
  };

  const ENTITY: IdType[] = ["person", "organisation"];
  const checkSources = (sources: readonly string[], file: string, path: string): void =>
    sources.forEach((s, i) => expect(s, ["source"], "source", file, `${path}[${i}]`));

  const checkClaims = (doc: ParsedDoc): void => {
    const { claims, corrections } = claimsAndCorrections(doc);
    claims.forEach((claim, i) => {
      if (claim.attributedTo !== undefined)
        expect(claim.attributedTo, ENTITY, "person or organisation", doc.file, `claims[${i}].attributedTo`);
      claim.about?.forEach((ref, j) =>
        expect(ref, ENTITY, "person or organisation", doc.file, `claims[${i}].about[${j}]`),
      );
      checkSources(claim.sources, doc.file, `claims[${i}].sources`);
    });
    corrections.forEach((correction, i) => {
      correction.claims.forEach((ref, j) =>
        expect(ref, ["claim"], "claim", doc.file, `corrections[${i}].claims[${j}]`),
      );
      checkSources(correction.sources, doc.file, `corrections[${i}].sources`);
    });
  };

  const commands = new Map<string, string>();
  for (const doc of docs) {
    const { file } = doc;
    switch (doc.type) {
      case "story": {
        const { data } = doc;
        if (RESERVED_COMMANDS.has(data.command)) {
          errors.push({
            file,
            path: "command",
            message: `"${data.command}" is one of the bot's own commands (${[...RESERVED_COMMANDS].join(", ")})`,
          });
        }
        if (SLACK_BUILT_IN_COMMANDS.has(data.command)) {
          errors.push({
            file,
            path: "command",
            message: `"${data.command}" is a Slack built-in command (/${data.command}), which an app cannot use`,
          });
        }
        const other = commands.get(data.command);
        if (other)
          errors.push({ file, path: "command", message: `"${data.command}" is already the command of ${other}` });
        else commands.set(data.command, file);
        checkSources(data.sources, file, "sources");
        data.keyPoints.forEach((p, i) => checkSources(p.sources, file, `keyPoints[${i}].sources`));
        data.openQuestions.forEach((q, i) => checkSources(q.sources, file, `openQuestions[${i}].sources`));
        const seen = new Set<string>();
        data.people.forEach((p, i) => {
          expect(p.ref, ["person"], "person", file, `people[${i}].ref`);
          if (seen.has(p.ref)) errors.push({ file, path: `people[${i}].ref`, message: `lists "${p.ref}" twice` });
          seen.add(p.ref);
        });
        data.organisations.forEach((o, i) => {
          expect(o.ref, ["organisation"], "organisation", file, `organisations[${i}].ref`);
          if (seen.has(o.ref))
            errors.push({ file, path: `organisations[${i}].ref`, message: `lists "${o.ref}" twice` });
          seen.add(o.ref);
        });
        break;
      }
      case "update":
        if (doc.data.story === doc.folderStory) expect(doc.data.story, ["story"], "story", file, "story");
        checkSources(doc.data.sources, file, "sources");
        break;
      case "person":
        checkSources(doc.data.sources, file, "sources");
        if (doc.data.jobTitle) checkSources(doc.data.jobTitle.sources, file, "jobTitle.sources");
        if (doc.data.affiliation !== undefined)
          expect(doc.data.affiliation, ["organisation"], "organisation", file, "affiliation");
        break;
      case "organisation":
        checkSources(doc.data.sources, file, "sources");
        if (doc.data.parentOrganization !== undefined) {
          if (doc.data.parentOrganization === doc.data.id)
            errors.push({ file, path: "parentOrganization", message: "names the organisation itself" });
          else expect(doc.data.parentOrganization, ["organisation"], "organisation", file, "parentOrganization");
        }
        break;
      case "source":
        doc.data.cites.forEach((c, i) => {
          if (c === doc.data.id) errors.push({ file, path: `cites[${i}]`, message: "a source cannot cite itself" });
          else expect(c, ["source"], "source", file, `cites[${i}]`);
        });
        break;
    }
    checkClaims(doc);
  }

  errors.push(...checkLookupNames(docs));
  errors.push(...checkHiddenReferences(docs));
  return errors;
}

/** Every person or organisation a document names, with the field path naming it. */
function entityReferences(doc: ParsedDoc): { ref: string; path: string }[] {
  const refs: { ref: string; path: string }[] = [];
  if (doc.type === "story") {
    doc.data.people.forEach((p, i) => refs.push({ ref: p.ref, path: `people[${i}].ref` }));
    doc.data.organisations.forEach((o, i) => refs.push({ ref: o.ref, path: `organisations[${i}].ref` }));
  }
  if (doc.type === "person" && doc.data.affiliation !== undefined)
    refs.push({ ref: doc.data.affiliation, path: "affiliation" });
  if (doc.type === "organisation" && doc.data.parentOrganization !== undefined) {
    refs.push({ ref: doc.data.parentOrganization, path: "parentOrganization" });
  }
  claimsAndCorrections(doc).claims.forEach((claim, i) => {
    if (claim.attributedTo !== undefined) refs.push({ ref: claim.attributedTo, path: `claims[${i}].attributedTo` });
    claim.about?.forEach((ref, j) => refs.push({ ref, path: `claims[${i}].about[${j}]` }));
  });
  return refs;
}

/**
 * A published document may not name a withheld or cancelled person or organisation: the answer would
 * either show the hidden name or lose an attribution, so the editor has to decide.
 */
function checkHiddenReferences(docs: readonly ParsedDoc[]): ContentError[] {
  const hidden = new Map<string, { status: string; file: string }>();
  for (const doc of docs) {
    if ((doc.type === "person" || doc.type === "organisation") && doc.data.pubStatus !== "usable") {
      hidden.set(doc.data.id, { status: doc.data.pubStatus, file: doc.file });
    }
  }
  if (hidden.size === 0) return [];
  const errors: ContentError[] = [];
  for (const doc of docs) {
    if (doc.type === "source" || doc.data.pubStatus !== "usable") continue;
    for (const { ref, path } of entityReferences(doc)) {
      const target = hidden.get(ref);
      if (target) {
        errors.push({
          file: doc.file,
          path,
          message: `"${ref}" is ${target.status} (${target.file}): withhold this too, or remove the reference`,
        });
      }
    }
  }
  return errors;
}

interface NameEntry {
  entityId: string;
  file: string;
  path: string;
  original: string;
}

/** Names and aliases must each lead to one entity; role aliases may be shared but may not shadow a name. */
function checkLookupNames(docs: readonly ParsedDoc[]): ContentError[] {
  const errors: ContentError[] = [];
  const names = new Map<string, NameEntry>();
  const entities = docs.filter((d) => d.type === "person" || d.type === "organisation");

  for (const doc of entities) {
    const { data, file } = doc;
    const own = [
      { value: data.name, path: "name" },
      ...data.aliases.map((value, i) => ({ value, path: `aliases[${i}]` })),
    ];
    for (const { value, path } of own) {
      const key = normalizeKey(value);
      if (key === "") {
        errors.push({ file, path, message: `"${value}" has no letters or digits to look up` });
        continue;
      }
      const existing = names.get(key);
      if (!existing) {
        names.set(key, { entityId: data.id, file, path, original: value });
      } else if (existing.entityId === data.id) {
        errors.push({
          file,
          path,
          message: `"${value}" repeats ${existing.path} "${existing.original}" (names are compared ignoring case, accents and punctuation)`,
        });
      } else {
        errors.push({
          file,
          path,
          message: `duplicate of "${existing.original}" in ${existing.file} (${existing.path})`,
        });
      }
    }
  }

  for (const doc of entities) {
    const { data, file } = doc;
    const seen = new Set<string>();
    data.roleAliases.forEach((value, i) => {
      const path = `roleAliases[${i}]`;
      const key = normalizeKey(value);
      if (key === "") {
        errors.push({ file, path, message: `"${value}" has no letters or digits to look up` });
        return;
      }
      if (seen.has(key)) errors.push({ file, path, message: `"${value}" is listed twice` });
      seen.add(key);
      const shadowed = names.get(key);
      if (shadowed) {
        errors.push({
          file,
          path,
          message: `"${value}" is already the ${shadowed.path.startsWith("name") ? "name" : "alias"} "${shadowed.original}" in ${shadowed.file}`,
        });
      }
    });
  }
  return errors;
}
