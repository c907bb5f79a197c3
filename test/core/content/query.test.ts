// Entity lookup, autocomplete, text normalisation and backlinks, checked against the real content.
import { describe, expect, it } from "vitest";
import type { ContentIndex, Entity } from "../../../src/core/content/model.js";
import type { ContentFile } from "../../../src/core/content/parse-file.js";
import { EntityLookup, entityLookup, type LookupResult } from "../../../src/core/content/query.js";
import { cleanInput, normalizeKey } from "../../../src/core/text/normalize.js";
import {
  buildValidContent,
  loadRealContent,
  realContentFiles,
  withEditedFile,
  madeUpOrganisation,
} from "../../helpers.js";

const content = loadRealContent();
const lookup = entityLookup(content);

function foundId(result: LookupResult): string | undefined {
  return result.kind === "found" ? result.entity.id : undefined;
}

function candidateIds(result: LookupResult): string[] {
  return result.kind === "ambiguous" || result.kind === "suggestions" ? result.candidates.map((e) => e.id) : [];
}

function fileText(relPath: string): string {
  const file = realContentFiles().find((f) => f.path === relPath);
  if (!file) throw new Error(`no content file ${relPath}`);
  return file.text;
}

/** A second person called Boehler, made from Adam's file with its own id and name and no "Boehler" alias. */
function janeBoehlerFile(): ContentFile {
  const text = fileText("people/adam-boehler.md")
    .replace("id: adam-boehler", "id: jane-boehler")
    .replace('name: "Adam Boehler"', 'name: "Jane Boehler"')
    .replace(/^aliases:\n(?:[ \t]+- .*\n)+/m, "");
  return { path: "people/jane-boehler.md", text };
}

describe("normalizeKey", () => {
  it("folds case", () => {
    expect(normalizeKey("ADAM Boehler")).toBe("adam boehler");
  });

  it("strips accents", () => {
    expect(normalizeKey("Bénjamin")).toBe("benjamin");
    expect(normalizeKey("Böehler")).toBe("boehler");
  });

  it("drops straight and curly apostrophes without splitting the word", () => {
    expect(normalizeKey("Netanyahu's")).toBe("netanyahus");
    expect(normalizeKey("Netanyahu’s")).toBe("netanyahus");
  });

  it("drops dots so abbreviations stay one word", () => {
    expect(normalizeKey("U.S.")).toBe("us");
    expect(normalizeKey("Donald J. Trump")).toBe("donald j trump");
  });

  it("turns other punctuation and symbols into single spaces", () => {
    expect(normalizeKey("adam-boehler")).toBe("adam boehler");
    expect(normalizeKey("US–Hamas talks: now!")).toBe("us hamas talks now");
    expect(normalizeKey("Qatar/Egypt (mediators)")).toBe("qatar egypt mediators");
  });

  it("collapses and trims whitespace", () => {
    expect(normalizeKey("  adam \t  boehler \n")).toBe("adam boehler");
  });

  it("maps compatibility forms such as full-width letters to plain ones", () => {
    expect(normalizeKey("ＡＤＡＭ")).toBe("adam");
  });

  it("gives an empty key for text with no letters or digits", () => {
    expect(normalizeKey(" '.-!? ")).toBe("");
  });
});

describe("cleanInput", () => {
  it("drops zero-width spaces, joiners and byte-order marks", () => {
    expect(cleanInput("boe\u200Bhl\u200Der\uFEFF")).toBe("boehler");
  });

  it("drops bidi overrides", () => {
    expect(cleanInput("\u202Eboehler\u202C")).toBe("boehler");
  });

  it("drops control characters", () => {
    expect(cleanInput("boe\u0000hl\u0007er\u001B")).toBe("boehler");
  });

  it("turns tabs and newlines into spaces, collapses runs of spaces and trims", () => {
    expect(cleanInput("  /who \t adam\r\n\n   boehler  ")).toBe("/who adam boehler");
  });

  it("keeps letters with accents and punctuation as typed", () => {
    expect(cleanInput("Bénjamin Netanyahu's office")).toBe("Bénjamin Netanyahu's office");
  });

  it("treats no-break and other Unicode spaces as ordinary spaces", () => {
    expect(cleanInput("adam\u00A0\u00A0boehler\u2009now\u3000please")).toBe("adam boehler now please");
  });
});

describe("EntityLookup.find", () => {
  it("finds a person by surname", () => {
    expect(lookup.find("boehler")).toMatchObject({ kind: "found", match: "exact", entity: { id: "adam-boehler" } });
  });

  it("finds a person by full name", () => {
    expect(lookup.find("Adam Boehler")).toMatchObject({
      kind: "found",
      match: "exact",
      entity: { id: "adam-boehler" },
    });
  });

  it("finds a person by id", () => {
    expect(lookup.find("adam-boehler")).toMatchObject({
      kind: "found",
      match: "exact",
      entity: { id: "adam-boehler" },
    });
  });

  it("finds a person by an alias", () => {
    expect(lookup.find("Bibi")).toMatchObject({
      kind: "found",
      match: "exact",
      entity: { id: "benjamin-netanyahu" },
      matched: "Bibi",
    });
  });

  it("ignores case, accents, extra spaces and punctuation", () => {
    for (const query of ["  ADAM   böehler ", "adam_boehler", "ADAM-BOEHLER", "Ádam, Boehler!"]) {
      expect(foundId(lookup.find(query)), query).toBe("adam-boehler");
      expect(lookup.find(query), query).toMatchObject({ match: "exact" });
    }
  });

  it("finds an organisation by a possessive alias, with or without the apostrophe", () => {
    expect(foundId(lookup.find("netanyahu's office"))).toBe("netanyahus-office");
    expect(foundId(lookup.find("NETANYAHU’S OFFICE"))).toBe("netanyahus-office");
    expect(foundId(lookup.find("netanyahus office"))).toBe("netanyahus-office");
  });

  it("keeps the bare surname for the person, not the office named after him", () => {
    expect(foundId(lookup.find("Netanyahu"))).toBe("benjamin-netanyahu");
  });

  it("finds the closest name for a small typo and says it was a typo", () => {
    expect(lookup.find("bohler")).toMatchObject({
      kind: "found",
      match: "typo",
      entity: { id: "adam-boehler" },
      matched: "Adam Boehler",
    });
  });

  it("puts Benjamin Netanyahu first for a misspelt surname", () => {
    const result = lookup.find("netanyahoo");
    const first = result.kind === "found" ? result.entity.id : candidateIds(result)[0];
    expect(["found", "suggestions"]).toContain(result.kind);
    expect(first).toBe("benjamin-netanyahu");
  });

  it("answers a shared role with exactly the organisations that share it", () => {
    const result = lookup.find("mediator");
    expect(result).toMatchObject({ kind: "ambiguous", via: "role", matched: "mediator" });
    expect(candidateIds(result).sort()).toEqual(["egypt", "qatar"]);
  });

  it("finds a unique role holder outright", () => {
    expect(lookup.find("POTUS")).toMatchObject({ kind: "found", match: "exact", entity: { id: "donald-trump" } });
  });

  it("finds a name from the start of a word", () => {
    expect(lookup.find("boeh")).toMatchObject({ kind: "found", match: "prefix", entity: { id: "adam-boehler" } });
    expect(lookup.find("panik")).toMatchObject({ kind: "found", match: "prefix", entity: { id: "jonathan-panikoff" } });
  });

  it("finds nobody for nonsense", () => {
    expect(lookup.find("xyzzy")).toEqual({ kind: "none" });
  });

  it("finds nobody for empty input or input with no letters", () => {
    expect(lookup.find("")).toEqual({ kind: "none" });
    expect(lookup.find("   ")).toEqual({ kind: "none" });
    expect(lookup.find("?!'.")).toEqual({ kind: "none" });
  });

  it("does not guess from two letters", () => {
    expect(lookup.find("bo")).toEqual({ kind: "none" });
  });

  describe("with two people called Boehler", () => {
    const withJane = [...realContentFiles(), janeBoehlerFile()];
    const twoBoehlers = buildValidContent(
      withEditedFile("people/adam-boehler.md", (t) => t.replace(/^aliases:\n(?:[ \t]+- .*\n)+/m, ""), withJane),
    );
    const twoLookup = entityLookup(twoBoehlers);

    it("asks which one a bare surname means, listing both", () => {
      const result = twoLookup.find("boehler");
      expect(result).toMatchObject({ kind: "ambiguous", via: "surname" });
      expect(candidateIds(result).sort()).toEqual(["adam-boehler", "jane-boehler"]);
    });

    it("still finds each one by full name", () => {
      expect(twoLookup.find("adam boehler")).toMatchObject({
        kind: "found",
        match: "exact",
        entity: { id: "adam-boehler" },
      });
      expect(twoLookup.find("Jane Boehler")).toMatchObject({
        kind: "found",
        match: "exact",
        entity: { id: "jane-boehler" },
      });
    });

    it("lets an editor's explicit alias outrank another person's surname", () => {
      // Adam keeps his "Boehler" alias here, so the surname shared with Jane no longer makes "boehler" ambiguous.
      const aliasKept = entityLookup(buildValidContent(withJane));
      expect(aliasKept.find("boehler")).toMatchObject({
        kind: "found",
        match: "exact",
        entity: { id: "adam-boehler" },
        matched: "Boehler",
      });
      expect(foundId(aliasKept.find("jane boehler"))).toBe("jane-boehler");
    });
  });
});

describe("EntityLookup.queryFor", () => {
  const entity = (id: string): Entity => {
    const found = content.entityById.get(id);
    if (!found) throw new Error(`no entity ${id}`);
    return found;
  };

  it("gives the name a reader would type, which finds that entity", () => {
    expect(lookup.queryFor(entity("benjamin-netanyahu"))).toBe("Benjamin Netanyahu");
    expect(lookup.queryFor(entity("netanyahus-office"))).toBe("Office of the Israeli Prime Minister");
    expect(lookup.queryFor(entity("netanyahus-office"), (q) => q.length <= 20)).toBe("Netanyahu's office");
  });

  it("falls back to an alias, then the id, when another entity has the same name", () => {
    // The content check refuses a shared name; the lookup still must not send a reader round in circles.
    const bibi = entity("benjamin-netanyahu");
    const namesake: Entity = { ...bibi, id: "benjamin-netanyahu-2", aliases: [], roleAliases: [] };
    const shared = new EntityLookup([bibi, namesake]);
    expect(shared.find("Benjamin Netanyahu")).toMatchObject({ kind: "ambiguous" });
    expect(shared.queryFor(bibi)).toBe("Netanyahu");
    expect(shared.queryFor(namesake)).toBe("benjamin-netanyahu-2");
  });

  it("lets an id typed as written settle a name two entities share, though the id spells the same words", () => {
    const adam = { ...entity("adam-boehler"), aliases: [] };
    const twin: Entity = { ...adam, id: "adam-boehler-2" };
    const twins = new EntityLookup([adam, twin]);
    expect(twins.find("adam boehler")).toMatchObject({ kind: "ambiguous" });
    expect(foundId(twins.find("adam-boehler"))).toBe("adam-boehler");
    expect(foundId(twins.find(" Adam-Boehler "))).toBe("adam-boehler");
    expect(twins.queryFor(adam)).toBe("adam-boehler");
  });
});

describe("EntityLookup.complete", () => {
  it("offers Adam Boehler first for the start of his surname, with his id as the value", () => {
    expect(lookup.complete("boeh")[0]).toEqual({ name: "Adam Boehler", value: "adam-boehler" });
  });

  it("offers close spellings when nothing starts with what was typed", () => {
    expect(lookup.complete("bohler")[0]).toEqual({ name: "Adam Boehler", value: "adam-boehler" });
  });

  it("offers everyone, up to 25, for empty input", () => {
    const choices = lookup.complete("");
    expect(choices.length).toBe(Math.min(25, content.entities.length));
    expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
  });

  it("never offers more than 25 choices by default, however many entities there are", () => {
    const extra = Array.from({ length: 20 }, (_, i) =>
      madeUpOrganisation(`extra-org-${i + 1}`, `Extra Organisation ${i + 1}`),
    );
    const big = buildValidContent([...realContentFiles(), ...extra]);
    expect(big.entities.length).toBeGreaterThan(25);
    expect(entityLookup(big).complete("")).toHaveLength(25);
    expect(entityLookup(big).complete("extra")).toHaveLength(20);
  });

  it("never offers more than the limit it is given", () => {
    for (const [partial, limit] of [
      ["", 3],
      ["a", 2],
      ["us", 1],
      ["netanyahoo", 1],
      ["boeh", 5],
    ] as const) {
      expect(lookup.complete(partial, limit).length, `${partial}/${limit}`).toBeLessThanOrEqual(limit);
    }
    expect(lookup.complete("", 3)).toHaveLength(3);
  });

  it("keeps every choice name within Discord's 100 characters", () => {
    const longName = `Organisation with a deliberately long name ${"z".repeat(100)}`.slice(0, 100);
    const withLong = buildValidContent([...realContentFiles(), madeUpOrganisation("long-named-org", longName)]);
    const choices = [...entityLookup(withLong).complete(""), ...entityLookup(withLong).complete("organisation with")];
    expect(choices.map((c) => c.name)).toContain(longName);
    for (const choice of choices) {
      expect([...choice.name].length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
  });

  it("offers nothing for nonsense", () => {
    expect(lookup.complete("xyzzy")).toEqual([]);
  });
});

describe("entityLookup", () => {
  it("builds one lookup per content index and a new one for new content", () => {
    expect(entityLookup(content)).toBe(lookup);
    expect(entityLookup(loadRealContent())).not.toBe(lookup);
  });
});

/** Ids of claims in served stories and updates that name the entity, worked out independently of the index. */
function claimIdsNaming(index: ContentIndex, entityId: string): string[] {
  return index.stories
    .flatMap((story) => [story, ...story.updates])
    .flatMap((doc) => doc.claims)
    .filter((claim) => claim.attributedTo === entityId || (claim.about ?? []).includes(entityId))
    .map((claim) => claim.id)
    .sort();
}

describe("backlinks", () => {
  it("link Adam Boehler to the story, the update that reported his talks and the claims about him", () => {
    const links = content.backlinks("adam-boehler");
    expect(links.stories.map((s) => s.id)).toContain("hostages");
    expect(links.updates.map((u) => u.id)).toContain("2025-03-05-secret-talks-revealed");
    const claimIds = links.claims.map((r) => r.claim.id).sort();
    expect(claimIds).toContain("boehler-met-hamas-in-doha");
    expect(claimIds).toEqual(claimIdsNaming(content, "adam-boehler"));
  });

  it("link Donald Trump to the update with his ultimatum", () => {
    const links = content.backlinks("donald-trump");
    expect(links.updates.map((u) => u.id)).toContain("2025-03-05-trump-ultimatum");
    expect(links.claims.map((r) => r.claim.id).sort()).toEqual(claimIdsNaming(content, "donald-trump"));
  });

  it("record which document owns each claim", () => {
    const record = content.backlinks("adam-boehler").claims.find((r) => r.claim.id === "boehler-met-hamas-in-doha");
    expect(record?.owner).toMatchObject({ kind: "update", id: "2025-03-05-secret-talks-revealed" });
  });

  it("are empty for an unknown id", () => {
    expect(content.backlinks("nobody")).toEqual({ stories: [], updates: [], claims: [] });
  });

  it("leave out a withheld update, which also leaves the story's updates", () => {
    const withheld = buildValidContent(
      withEditedFile("stories/hostages/updates/2025-03-05-secret-talks-revealed.md", (t) =>
        t.replace("pubStatus: usable", "pubStatus: withheld"),
      ),
    );
    const story = withheld.storyByCommand.get("hostages");
    expect(story?.updates.map((u) => u.id)).not.toContain("2025-03-05-secret-talks-revealed");
    expect(story?.updates).toHaveLength((content.storyByCommand.get("hostages")?.updates.length ?? 0) - 1);

    const links = withheld.backlinks("adam-boehler");
    expect(links.updates.map((u) => u.id)).not.toContain("2025-03-05-secret-talks-revealed");
    expect(links.claims.map((r) => r.claim.id)).not.toContain("boehler-met-hamas-in-doha");
    expect(withheld.claimById.has("boehler-met-hamas-in-doha")).toBe(false);
    // He is still listed in the story itself.
    expect(links.stories.map((s) => s.id)).toEqual(["hostages"]);
  });

  it("are shared by every entity a role alias leads to", () => {
    const mediators = lookup.find("mediator");
    const candidates: Entity[] = mediators.kind === "ambiguous" ? mediators.candidates : [];
    expect(candidates).toHaveLength(2);
    for (const entity of candidates) {
      expect(content.backlinks(entity.id).claims.map((r) => r.claim.id)).toContain(
        "us-relied-on-qatar-and-egypt-as-intermediaries",
      );
    }
  });
});
