// What Tab offers at the console prompt, in readline's completer form, from the core's own lookups on the real content.
import { describe, expect, it } from "vitest";
import { COMPLETION_LIMIT, MORE, completeLine } from "../../../src/adapters/console/complete.js";
import { silentLogger } from "../../../src/core/logger.js";
import { adapterDeps, loadRealContent } from "../../helpers.js";

const content = loadRealContent();
const { answerer } = adapterDeps({
  content: () => content,
  settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
  logger: silentLogger,
});
const complete = (line: string) => completeLine(answerer, line);

describe("console completion", () => {
  it("completes a command name, with or without its slash, and adds a space", () => {
    expect(complete("/ho")).toEqual([["/hostages "], "/ho"]);
    expect(complete("ho")).toEqual([["hostages "], "ho"]);
    expect(complete("/DI")).toEqual([["/digest "], "/DI"]);
  });

  it("offers every command on an empty line, slash first, and several that share a prefix", () => {
    expect(complete("")).toEqual([["/hostages", "/who", "/digest", "/help"], ""]);
    expect(complete("/h")).toEqual([["/hostages", "/help"], "/h"]);
    expect(complete("/nothing")).toEqual([[], "/nothing"]);
  });

  it("completes subcommands, one or several", () => {
    expect(complete("/hostages t")).toEqual([["timeline "], "t"]);
    expect(complete("/hostages ")).toEqual([["summary", "timeline", "latest", "people", "sources", "explainer"], ""]);
    expect(complete("/digest s")).toEqual([["subscribe", "status"], "s"]);
    expect(complete("/hostages summary ")).toEqual([[], ""]);
  });

  it("completes /who names whole, spaces and all, in the names a reader types rather than ids", () => {
    expect(complete("/who Adam Bo")).toEqual([["Adam Boehler "], "Adam Bo"]);
    // A surname, a lower-case name with a typo, a possessive: the whole typed text becomes the name.
    expect(complete("/who boehler")).toEqual([["Adam Boehler "], "boehler"]);
    expect(complete("/who adam bohler")).toEqual([["Adam Boehler "], "adam bohler"]);
    expect(complete("/who netanyahu's o")).toEqual([["Office of the Israeli Prime Minister "], "netanyahu's o"]);
  });

  it("lists several names without replacing what was typed by a prefix that would lose letters", () => {
    // The names share no prefix: readline is told the common prefix ("") is what was typed, so it only lists.
    const [names, typed] = complete("/who off");
    expect(names).toEqual(["Office of the Israeli Prime Minister", "Jonathan Panikoff"]);
    expect(typed).toBe("");
    const [all] = complete("/who ");
    expect(all).toHaveLength(content.entities.length);
    expect(all).toContain("Benjamin Netanyahu");
  });

  it("completes digest zones, also when typed as words, and story commands, keeping the words before", () => {
    expect(complete("/digest subscribe 08:00 new yo")).toEqual([["America/New_York "], "new yo"]);
    expect(complete("/digest subscribe 7pm Europe/Lond")).toEqual([["Europe/London "], "Europe/Lond"]);
    expect(complete("/digest subscribe 08:00 Europe/London hosta")).toEqual([["hostages "], "hosta"]);
    // A common prefix that keeps what was typed is completed (readline matches it case-sensitively, so it replaces).
    const [zones, typed] = complete("/digest subscribe austr");
    expect(typed).toBe("austr");
    expect(zones.every((z) => z.startsWith("Australia/"))).toBe(true);
    // After a space: the story and the zones newsrooms use most, for a second Tab to list.
    const [fresh] = complete("/digest subscribe 08:00 ");
    expect(fresh).toEqual(expect.arrayContaining(["hostages", "Europe/London", "America/New_York", "UTC"]));
    // A story already named is not offered again.
    expect(complete("/digest subscribe hostages ")[0]).not.toContain("hostages");
  });

  it("cuts a list longer than a screen, shows that it did, and then completes no prefix from it", () => {
    const [zones, typed] = complete("/digest subscribe a");
    expect(zones).toHaveLength(COMPLETION_LIMIT + 1);
    expect(zones.at(-1)).toBe(MORE);
    // The story comes first, so a cut list still shows it among the zones.
    expect(zones[0]).toBe("hostages");
    expect(typed).toBe("a");
  });
});
