// Finding people and organisations by what someone types: exact names, surnames, roles, prefixes, typos.
import { distance } from "fastest-levenshtein";
import { cleanInput, normalizeKey } from "../text/normalize.js";
import type { ContentIndex, Entity } from "./model.js";

type KeyKind = "name" | "alias" | "id" | "surname" | "role";

interface LookupKey {
  key: string;
  kind: KeyKind;
  entity: Entity;
  /** The words as the editor wrote them, for showing which name matched. */
  label: string;
}

export type LookupResult =
  | { kind: "found"; entity: Entity; match: "exact" | "prefix" | "typo"; matched: string }
  | { kind: "ambiguous"; candidates: Entity[]; matched: string; via: "role" | "surname" | "prefix" }
  | { kind: "suggestions"; candidates: Entity[] }
  | { kind: "none" };

export interface Choice {
  name: string;
  value: string;
}

/** Edits allowed for a query of this length: short words need to be nearly right, long ones less so. */
function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return 3;
}

const KIND_RANK: Record<KeyKind, number> = { name: 0, alias: 1, id: 2, surname: 3, role: 4 };

function uniqueEntities(keys: Iterable<LookupKey>): Entity[] {
  const seen = new Map<string, Entity>();
  for (const k of keys) if (!seen.has(k.entity.id)) seen.set(k.entity.id, k.entity);
  return [...seen.values()];
}

/** A distinct string the typo search compares against (a whole key or one of its words), with every entity it stands for. */
interface TypoCandidate {
  text: string;
  entities: Entity[];
  /** letterMask(text), to rule most strings out before computing a distance. */
  letters: number;
}

/** A bit per character (code unit modulo 32): one edit changes at most two bits, so d >= popcount(a ^ b) / 2. */
function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i += 1) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Where a word starts inside a key: `text` is the key from that word on, so a prefix search is a range of a sorted list. */
interface WordStart {
  text: string;
  /** Index of the key in `keys`, so matches come back in the keys' own order. */
  keyIndex: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class EntityLookup {
  private readonly keys: LookupKey[] = [];
  private readonly exact = new Map<string, LookupKey[]>();
  // Both indexes are built once, because scanning every key on each query grows with the people in the content.
  private readonly wordStarts: WordStart[] = [];
  private readonly typoCandidatesByLength = new Map<number, TypoCandidate[]>();
  /** Each entity's position in the constructor's list: breaks ties the way a scan over the keys in order did. */
  private readonly entityOrder = new Map<Entity, number>();

  constructor(entities: readonly Entity[]) {
    for (const entity of entities) {
      const add = (label: string, kind: KeyKind): void => {
        const key = normalizeKey(label);
        if (key === "") return;
        const entry: LookupKey = { key, kind, entity, label };
        this.keys.push(entry);
        const list = this.exact.get(key) ?? [];
        // One entity reached twice through the same key (name and id, say) counts once, by its best kind.
        const same = list.find((k) => k.entity.id === entity.id);
        if (!same) list.push(entry);
        else if (KIND_RANK[kind] < KIND_RANK[same.kind]) list[list.indexOf(same)] = entry;
        this.exact.set(key, list);
      };
      add(entity.name, "name");
      entity.aliases.forEach((a) => add(a, "alias"));
      add(entity.id, "id");
      if (entity.kind === "person") {
        const words = normalizeKey(entity.name).split(" ");
        if (words.length > 1) add(words.at(-1) ?? "", "surname");
      }
      entity.roleAliases.forEach((r) => add(r, "role"));
    }
    entities.forEach((entity, i) => this.entityOrder.set(entity, i));

    const candidates = new Map<string, Entity[]>();
    this.keys.forEach((k, keyIndex) => {
      // A word starts at 0 and after every space, exactly where startsWith(q) || includes(` ${q}`) can match.
      for (let i = 0; i < k.key.length;) {
        this.wordStarts.push({ text: k.key.slice(i), keyIndex });
        const space = k.key.indexOf(" ", i);
        i = space < 0 ? k.key.length : space + 1;
      }
      for (const text of k.key.includes(" ") ? [k.key, ...k.key.split(" ")] : [k.key]) {
        const owners = candidates.get(text);
        if (owners) owners.push(k.entity);
        else candidates.set(text, [k.entity]);
      }
    });
    this.wordStarts.sort((a, b) => compareText(a.text, b.text));
    for (const [text, owners] of candidates) {
      const bucket = this.typoCandidatesByLength.get(text.length);
      const candidate = { text, entities: owners, letters: letterMask(text) };
      if (bucket) bucket.push(candidate);
      else this.typoCandidatesByLength.set(text.length, [candidate]);
    }
  }

  find(query: string): LookupResult {
    const q = normalizeKey(query);
    if (q === "") return { kind: "none" };

    const exact = this.exact.get(q);
    if (exact && exact.length > 0) {
      const best = Math.min(...exact.map((k) => KIND_RANK[k.kind]));
      const strongest = exact.filter((k) => KIND_RANK[k.kind] === best);
      if (strongest.length === 1 && strongest[0])
        return { kind: "found", entity: strongest[0].entity, match: "exact", matched: strongest[0].label };
      // Ids usually spell the name ("adam-boehler"), so two people sharing a name share that key too; an id typed as
      // written still means one of them, which keeps a suggestion naming an entity by id answering that entity.
      const literal = query.trim().toLowerCase();
      const byId = exact.find((k) => k.entity.id === literal);
      if (byId) return { kind: "found", entity: byId.entity, match: "exact", matched: byId.entity.id };
      const via = strongest[0]?.kind === "surname" ? "surname" : "role";
      return { kind: "ambiguous", candidates: uniqueEntities(strongest), matched: query, via };
    }

    if (q.length >= 3) {
      const prefixed = uniqueEntities(this.keysWithWordStarting(q).filter((k) => k.kind !== "role"));
      if (prefixed.length === 1 && prefixed[0])
        return { kind: "found", entity: prefixed[0], match: "prefix", matched: prefixed[0].name };
      if (prefixed.length > 1) return { kind: "ambiguous", candidates: prefixed, matched: query, via: "prefix" };
    }

    const scored = this.byTypoDistance(q);
    const first = scored[0];
    if (!first) return { kind: "none" };
    const second = scored[1];
    if (!second || second.distance > first.distance)
      return { kind: "found", entity: first.entity, match: "typo", matched: first.entity.name };
    return { kind: "suggestions", candidates: scored.slice(0, 5).map((s) => s.entity) };
  }

  /**
   * What a reader would type to be shown exactly `entity`: its name, else the first of its aliases, else its id, that
   * the lookup answers with that entity and `fits` accepts (a command line's length cap, say). Each is checked as
   * typed text reaches the lookup, so a name the lookup would not land on (shared with someone else) is never offered.
   */
  queryFor(entity: Entity, fits: (query: string) => boolean = () => true): string {
    const landing = [entity.name, ...entity.aliases, entity.id].filter((text) => {
      const result = this.find(cleanInput(text));
      return result.kind === "found" && result.entity.id === entity.id;
    });
    return landing.find(fits) ?? landing[0] ?? entity.id;
  }

  /** Autocomplete: names whose words start with what was typed, then close spellings; at most `limit`. */
  complete(partial: string, limit = 25): Choice[] {
    const q = normalizeKey(partial);
    const ranked = new Map<string, { entity: Entity; rank: number }>();
    const offer = (entity: Entity, rank: number): void => {
      const current = ranked.get(entity.id);
      if (!current || rank < current.rank) ranked.set(entity.id, { entity, rank });
    };
    for (const k of q === "" ? this.keys : this.keysWithWordStarting(q)) {
      if (q === "") offer(k.entity, 10);
      else if (k.key === q) offer(k.entity, 0);
      else if (k.key.startsWith(q)) offer(k.entity, 1 + KIND_RANK[k.kind] / 10);
      else offer(k.entity, 2 + KIND_RANK[k.kind] / 10);
    }
    if (ranked.size < limit && q.length >= 3) {
      for (const s of this.byTypoDistance(q)) offer(s.entity, 3 + s.distance);
    }
    return [...ranked.values()]
      .sort((a, b) => a.rank - b.rank || a.entity.name.localeCompare(b.entity.name))
      .slice(0, limit)
      .map(({ entity }) => ({ name: entity.name, value: entity.id }));
  }

  /** Keys that start with `q` or have a word that does ("pan" finds "jonathan panikoff"), in the keys' order. */
  private keysWithWordStarting(q: string): LookupKey[] {
    let low = 0;
    let high = this.wordStarts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.wordStarts[mid]?.text ?? "") < q) low = mid + 1;
      else high = mid;
    }
    const indexes = new Set<number>();
    for (let i = low; i < this.wordStarts.length; i += 1) {
      const start = this.wordStarts[i];
      if (!start?.text.startsWith(q)) break;
      indexes.add(start.keyIndex);
    }
    return [...indexes].sort((a, b) => a - b).flatMap((i) => this.keys[i] ?? []);
  }

  /** Entities within the typo budget of the query, compared against whole keys and single words. */
  private byTypoDistance(q: string): { entity: Entity; distance: number }[] {
    const budget = typoBudget(q.length);
    const best = new Map<string, { entity: Entity; distance: number }>();
    const letters = letterMask(q);
    // Only strings whose length is within the budget can be close enough; each distinct string is measured once.
    for (let length = Math.max(0, q.length - budget); length <= q.length + budget; length += 1) {
      for (const candidate of this.typoCandidatesByLength.get(length) ?? []) {
        if (bitCount(letters ^ candidate.letters) > 2 * budget) continue;
        const d = distance(q, candidate.text);
        // A single word must also stay within the budget of its own length, so "al" cannot match "ali".
        if (d > budget || d > typoBudget(candidate.text.length)) continue;
        for (const entity of candidate.entities) {
          const current = best.get(entity.id);
          if (!current || d < current.distance) best.set(entity.id, { entity, distance: d });
        }
      }
    }
    const order = (entity: Entity): number => this.entityOrder.get(entity) ?? 0;
    return [...best.values()].sort(
      (a, b) =>
        a.distance - b.distance || a.entity.name.localeCompare(b.entity.name) || order(a.entity) - order(b.entity),
    );
  }
}

const lookups = new WeakMap<ContentIndex, EntityLookup>();

/** The lookup for a content index, built once per index (the index is replaced on reload). */
export function entityLookup(content: ContentIndex): EntityLookup {
  let lookup = lookups.get(content);
  if (!lookup) {
    lookup = new EntityLookup(content.entities);
    lookups.set(content, lookup);
  }
  return lookup;
}
