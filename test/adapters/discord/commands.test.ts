// Slash-command definitions generated from the registry, and the comparison that spares Discord an unchanged upload.
import { PermissionFlagsBits } from "discord.js";
import { describe, expect, it } from "vitest";
import { commandDefinitions, sameCommands, type CommandDefinition } from "../../../src/adapters/discord/commands.js";
import { DISCORD_LIMITS } from "../../../src/adapters/discord/limits.js";
import { STORY_SUBCOMMANDS } from "../../../src/core/commands/story.js";
import { buildValidContent, loadRealContent, realContentFiles, withEditedFile } from "../../helpers.js";

const content = loadRealContent();
const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

type Option = NonNullable<CommandDefinition["options"]>[number];

function everyOption(options: readonly Option[] | undefined): Option[] {
  return (options ?? []).flatMap((o) => [o, ...("options" in o ? everyOption(o.options) : [])]);
}

describe("commandDefinitions", () => {
  const global = commandDefinitions(content, "global");

  it("has a command per story plus /who, /digest and /help", () => {
    expect(global.map((c) => c.name)).toEqual([...content.stories.map((s) => s.command), "who", "digest", "help"]);
  });

  it("turns story subcommands into SUB_COMMAND options", () => {
    const hostages = global.find((c) => c.name === "hostages");
    expect(hostages?.options?.map((o) => [o.type, o.name])).toEqual(STORY_SUBCOMMANDS.map((s) => [1, s]));
  });

  it("gives /who a required name with autocomplete and /help an optional command", () => {
    expect(global.find((c) => c.name === "who")?.options).toEqual([
      {
        type: 3,
        name: "name",
        description: "Name, surname or role of a person or organisation",
        required: true,
        autocomplete: true,
      },
    ]);
    expect(global.find((c) => c.name === "help")?.options).toEqual([
      { type: 3, name: "command", description: "A command to explain, e.g. who", required: false },
    ]);
  });

  it("keeps names and descriptions within Discord's rules", () => {
    for (const command of global) {
      expect(command.name).toMatch(NAME);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.commandDescription);
      for (const option of everyOption(command.options)) {
        expect(option.name).toMatch(NAME);
        expect(option.description.length).toBeGreaterThan(0);
        expect(option.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.commandDescription);
      }
    }
  });

  it("shortens a long headline to a 100-character description at a word", () => {
    const files = withEditedFile("stories/hostages/story.md", (text) =>
      text.replace(
        /^headline: .*$/m,
        `headline: ${"An extraordinarily long headline about the negotiations ".repeat(2).trim()}`,
      ),
    );
    const [story] = commandDefinitions(buildValidContent(files), "guild");
    expect(story?.description.length).toBeLessThanOrEqual(100);
    expect(story?.description.endsWith("…")).toBe(true);
    expect(story?.description).not.toMatch(/\s…$/);
  });

  it("hides /digest from members without Manage Channels by default, and only /digest", () => {
    for (const scope of ["global", "guild"] as const) {
      const permissions = Object.fromEntries(
        commandDefinitions(content, scope).map((c) => [c.name, c.default_member_permissions]),
      );
      expect(permissions["digest"]).toBe(PermissionFlagsBits.ManageChannels.toString());
      expect(Object.entries(permissions).filter(([, bits]) => bits !== undefined)).toEqual([["digest", "16"]]);
    }
  });

  it("limits global commands to servers and leaves guild commands without contexts", () => {
    for (const command of global) {
      expect(command.contexts).toEqual([0]);
      expect(command.integration_types).toEqual([0]);
    }
    for (const command of commandDefinitions(content, "guild")) {
      expect(command).not.toHaveProperty("contexts");
      expect(command).not.toHaveProperty("integration_types");
    }
  });
});

describe("sameCommands", () => {
  const local = commandDefinitions(content, "guild");
  /** What Discord returns: ids, versions and defaults added, `required: false` dropped, a different order. */
  const asDiscordReturnsThem = (defs: readonly CommandDefinition[]) =>
    [...defs].reverse().map((c, i) => ({
      id: `12000000000000000${i}0`,
      application_id: "1187654321098765432",
      guild_id: "1098765432109876543",
      version: `12000000000000000${i}1`,
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      name_localizations: null,
      description_localizations: null,
      ...c,
      options: (c.options ?? []).map((o) =>
        "required" in o && o.required === false ? { ...o, required: undefined } : o,
      ),
    }));

  it("sees Discord's copy of the same commands as unchanged", () => {
    expect(sameCommands(local, asDiscordReturnsThem(local))).toBe(true);
  });

  it("sees a changed description, a new option, a missing command or a non-list as changed", () => {
    const remote = asDiscordReturnsThem(local);
    expect(
      sameCommands(
        local,
        remote.map((c) => (c.name === "who" ? { ...c, description: "Old text" } : c)),
      ),
    ).toBe(false);
    expect(
      sameCommands(
        local,
        remote.map((c) => (c.name === "help" ? { ...c, options: [] } : c)),
      ),
    ).toBe(false);
    expect(sameCommands(local, remote.slice(1))).toBe(false);
    expect(sameCommands(local, { message: "not a list" })).toBe(false);
  });

  it("notices when global commands lost their server-only context", () => {
    const global = commandDefinitions(content, "global");
    expect(sameCommands(global, global)).toBe(true);
    expect(
      sameCommands(
        global,
        global.map((c) => ({ ...c, contexts: [0, 1, 2] })),
      ),
    ).toBe(false);
  });

  it("compares the real content with itself as equal", () => {
    expect(sameCommands(local, commandDefinitions(buildValidContent(realContentFiles()), "guild"))).toBe(true);
  });
});
