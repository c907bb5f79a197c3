// Finding people and organisations by what someone types: exact names, surnames, roles, prefixes, typos.
import { distance } from "fastest-levenshtein";
import { normalizeKey } from "../text/normalize.js";
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

export class EntityLookup {
  private readonly keys: LookupKey[] = [];
  private readonly exact = new Map<string, LookupKey[]>();

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
  }

  find(query: string): LookupResult {
    const q = normalizeKey(query);
    if (q === "") return { kind: "none" };

    const exact = this.exact.get(q);
    if (exact && exact.length > 0) {
      const best = Math.min(...exact.map((k) => KIND_RANK[k.kind]));
      const strongest = exact.filter((k) => KIND_RANK[k.kind] === best);
      if (strongest.length === 1 && strongest[0]) return { kind: "found", entity: strongest[0].entity, match: "exact", matched: strongest[0].label };
      const via = strongest[0]?.kind === "surname" ? "surname" : "role";
      return { kind: "ambiguous", candidates: uniqueEntities(strongest), matched: query, via };
    }

    if (q.length >= 3) {
      const prefixed = uniqueEntities(this.keys.filter((k) => k.kind !== "role" && this.startsWord(k.key, q)));
      if (prefixed.length === 1 && prefixed[0]) return { kind: "found", entity: prefixed[0], match: "prefix", matched: prefixed[0].name };
      if (prefixed.length > 1) return { kind: "ambiguous", candidates: prefixed, matched: query, via: "prefix" };
    }

    const scored = this.byTypoDistance(q);
    const first = scored[0];
    if (!first) return { kind: "none" };
    const second = scored[1];
    if (!second || second.distance > first.distance) return { kind: "found", entity: first.entity, match: "typo", matched: first.entity.name };
    return { kind: "suggestions", candidates: scored.slice(0, 5).map((s) => s.entity) };
  }

  /** Autocomplete: names whose words start with what was typed, then close spellings; at most `limit`. */
  complete(partial: string, limit = 25): Choice[] {
    const q = normalizeKey(partial);
    const ranked = new Map<string, { entity: Entity; rank: number }>();
    const offer = (entity: Entity, rank: number): void => {
      const current = ranked.get(entity.id);
      if (!current || rank < current.rank) ranked.set(entity.id, { entity, rank });
    };
    for (const k of this.keys) {
      if (q === "") offer(k.entity, 10);
      else if (k.key === q) offer(k.entity, 0);
      else if (k.key.startsWith(q)) offer(k.entity, 1 + KIND_RANK[k.kind] / 10);
      else if (this.startsWord(k.key, q)) offer(k.entity, 2 + KIND_RANK[k.kind] / 10);
    }
    if (ranked.size < limit && q.length >= 3) {
      for (const s of this.byTypoDistance(q)) offer(s.entity, 3 + s.distance);
    }
    return [...ranked.values()]
      .sort((a, b) => a.rank - b.rank || a.entity.name.localeCompare(b.entity.name))
      .slice(0, limit)
      .map(({ entity }) => ({ name: entity.name, value: entity.id }));
  }

  private startsWord(key: string, q: string): boolean {
    return key.startsWith(q) || key.includes(` ${q}`);
  }

  /** Entities within the typo budget of the query, compared against whole keys and single words. */
  private byTypoDistance(q: string): { entity: Entity; distance: number }[] {
    const budget = typoBudget(q.length);
    const best = new Map<string, { entity: Entity; distance: number }>();
    for (const k of this.keys) {
      const candidates = k.key.includes(" ") ? [k.key, ...k.key.split(" ")] : [k.key];
      for (const candidate of candidates) {
        if (Math.abs(candidate.length - q.length) > budget) continue;
        const d = distance(q, candidate);
        // A single word must also stay within the budget of its own length, so "al" cannot match "ali".
        if (d > budget || d > typoBudget(candidate.length)) continue;
        const current = best.get(k.entity.id);
        if (!current || d < current.distance) best.set(k.entity.id, { entity: k.entity, distance: d });
      }
    }
    return [...best.values()].sort((a, b) => a.distance - b.distance || a.entity.name.localeCompare(b.entity.name));
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
