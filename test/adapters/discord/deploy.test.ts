// `npm run discord:deploy` against a loopback Discord: the command JSON it uploads, the skipped unchanged upload, the clear refusals.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandDefinitions } from "../../../src/adapters/discord/commands.js";
import { discordDeploy } from "../../../src/cli/discord-deploy.js";
import { FakeDiscord, IDS } from "../../fakes/discord.js";
import { loadRealContent, projectRoot } from "../../helpers.js";

const run = promisify(execFile);
const content = loadRealContent();
const TOKEN = "fake-bot-token.for-tests-only";
const GUILD_COMMANDS = new RegExp(`^/api/v10/applications/${IDS.application}/guilds/${IDS.guild}/commands$`);
const GLOBAL_COMMANDS = new RegExp(`^/api/v10/applications/${IDS.application}/commands$`);

function output() {
  const lines = { info: [] as string[], error: [] as string[] };
  return { lines, out: { info: (l: string) => lines.info.push(l), error: (l: string) => lines.error.push(l) } };
}

describe("discord:deploy", () => {
  let fake: FakeDiscord;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    env = { DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: IDS.application, DISCORD_API_URL: fake.apiUrl };
  });

  afterEach(async () => {
    expect(fake.unknownRoutes).toEqual([]);
    await fake.close();
  });

  it("uploads the generated commands to the guild, then skips the same upload", async () => {
    const first = output();
    expect(await discordDeploy({ ...env, DISCORD_GUILD_ID: IDS.guild }, projectRoot, first.out)).toBe(0);
    const puts = fake.callsTo("PUT", GUILD_COMMANDS);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.body).toEqual(commandDefinitions(content, "guild"));
    expect(puts[0]?.body).toEqual([
      {
        type: 1,
        name: "hostages",
        description: content.storyByCommand.get("hostages")?.headline,
        options: [
          {
            type: 1,
            name: "summary",
            description: "The story in brief: key points, open questions, sources",
            options: [],
          },
          { type: 1, name: "timeline", description: "Every development so far, oldest first", options: [] },
          {
            type: 1,
            name: "latest",
            description: "The newest development and when the story was last updated",
            options: [],
          },
          { type: 1, name: "people", description: "Who is involved", options: [] },
          { type: 1, name: "sources", description: "Where each part of the story comes from", options: [] },
          { type: 1, name: "explainer", description: "The background, explained", options: [] },
        ],
      },
      {
        type: 1,
        name: "who",
        description: "A card for a person or organisation in the news",
        options: [
          {
            type: 3,
            name: "name",
            description: "Name, surname or role of a person or organisation",
            required: true,
            autocomplete: true,
          },
        ],
      },
      {
        type: 1,
        name: "digest",
        description: "This channel's daily digest: set up, stop, check or preview it",
        default_member_permissions: "16",
        options: [
          {
            type: 1,
            name: "subscribe",
            description: "Post a daily digest in this channel (or change its time, zone or stories)",
            options: [
              { type: 3, name: "time", description: "Local time, 24-hour HH:MM (e.g. 08:00)", required: false },
              {
                type: 3,
                name: "timezone",
                description: "IANA time zone (e.g. Europe/London, America/New_York)",
                required: false,
                autocomplete: true,
              },
              {
                type: 3,
                name: "stories",
                description: "Story commands to follow, separated by spaces (default: every story)",
                required: false,
                autocomplete: true,
              },
            ],
          },
          { type: 1, name: "unsubscribe", description: "Stop this channel's daily digest", options: [] },
          {
            type: 1,
            name: "status",
            description: "When the digest comes, when it last came, and whether it is paused",
            options: [],
          },
          { type: 1, name: "preview", description: "What the digest would say now (only you see it)", options: [] },
        ],
      },
      {
        type: 1,
        name: "help",
        description: "What the bot knows and how to ask",
        options: [{ type: 3, name: "command", description: "A command to explain, e.g. who", required: false }],
      },
    ]);
    expect(puts[0]?.contentType).toContain("application/json");
    expect(first.lines.info.join("\n")).toContain(`Registered 4 commands in guild ${IDS.guild}.`);

    const second = output();
    expect(await discordDeploy({ ...env, DISCORD_GUILD_ID: IDS.guild }, projectRoot, second.out)).toBe(0);
    expect(fake.callsTo("GET", GUILD_COMMANDS)).toHaveLength(2);
    expect(fake.callsTo("PUT", GUILD_COMMANDS)).toHaveLength(1);
    expect(second.lines.info.join("\n")).toContain("Commands unchanged; nothing uploaded");
  });

  it("uploads global commands, limited to servers, when no guild is set, and again when they changed", async () => {
    const { out, lines } = output();
    expect(await discordDeploy(env, projectRoot, out)).toBe(0);
    const [put] = fake.callsTo("PUT", GLOBAL_COMMANDS);
    expect(put?.body).toEqual(commandDefinitions(content, "global"));
    expect(lines.info.join("\n")).toContain("Registered 4 commands globally.");

    // Someone edited a description in the developer portal: the next deploy puts it back.
    const stored = fake.storedCommands.get("global") ?? [];
    fake.storedCommands.set(
      "global",
      stored.map((c) => (c["name"] === "who" ? { ...c, description: "Edited by hand" } : c)),
    );
    expect(await discordDeploy(env, projectRoot, out)).toBe(0);
    expect(fake.callsTo("PUT", GLOBAL_COMMANDS)).toHaveLength(2);
  });

  it("refuses clearly, without calling Discord, when the application id or token is missing", async () => {
    const noApp = output();
    expect(await discordDeploy({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl }, projectRoot, noApp.out)).toBe(1);
    expect(noApp.lines.error.join("\n")).toMatch(/^Cannot register commands: set DISCORD_APPLICATION_ID/);

    const neither = output();
    expect(await discordDeploy({}, projectRoot, neither.out)).toBe(1);
    expect(neither.lines.error.join("\n")).toContain("DISCORD_TOKEN");
    expect(neither.lines.error.join("\n")).toContain("DISCORD_APPLICATION_ID");
    expect(fake.calls).toEqual([]);
  });

  it("reports a token Discord refuses, without printing the token", async () => {
    fake.script({ method: "GET", path: GUILD_COMMANDS, status: 401, body: { message: "401: Unauthorized", code: 0 } });
    const { out, lines } = output();
    expect(await discordDeploy({ ...env, DISCORD_GUILD_ID: IDS.guild }, projectRoot, out)).toBe(1);
    expect(lines.error.join("\n")).toContain("HTTP 401");
    expect(lines.error.join("\n")).toContain("Check DISCORD_TOKEN");
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it("runs as the compiled program, exiting 0 after an upload and 1 with a message when the token is missing", async () => {
    const script = path.join(projectRoot, "dist/cli/discord-deploy.js");
    const base = { PATH: process.env["PATH"] ?? "" };
    const ok = await run(process.execPath, [script], {
      cwd: projectRoot,
      env: { ...base, ...env, DISCORD_GUILD_ID: IDS.guild },
    });
    expect(ok.stdout).toContain(`Registered 4 commands in guild ${IDS.guild}.`);
    expect(fake.callsTo("PUT", GUILD_COMMANDS)).toHaveLength(1);

    const failed = await run(process.execPath, [script], {
      cwd: projectRoot,
      env: { ...base, DISCORD_APPLICATION_ID: IDS.application },
    }).then(
      () => undefined,
      (error: unknown) => error as { code?: number; stderr?: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("Cannot register commands: set DISCORD_TOKEN");
  });
});
