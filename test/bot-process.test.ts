// The compiled bot with Slack and Discord configured at once: both connect, both answer, SIGTERM stops both, no secret logged.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogReader, spawnBot } from "./bot-process.js";
import { FakeDiscord, IDS, commandInteraction } from "./fakes/discord.js";
import { FakeSlack, SOCKET_TICKET, slackSignature } from "./fakes/slack.js";

const SLACK_TOKEN = "xoxb-4242-4242-bothplatforms";
const SIGNING_SECRET = "a87ff679a2f3e71d9181a67b7542122c";
const DISCORD_TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.bothplatforms-discord-token";

describe("the bot on Slack and Discord in one process", () => {
  let slack: FakeSlack;
  let discord: FakeDiscord;
  let child: ChildProcess;
  let log: LogReader;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    discord = await FakeDiscord.start();
    child = spawnBot({
      LOG_LEVEL: "debug",
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_APPLICATION_ID: IDS.application,
    });
    log = new LogReader(child);
    await log.waitFor((e) => e["msg"] === "bot ready");
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await discord.close();
    await slack.close();
  });

  it("reports both platforms ready, and opens no console", () => {
    const ready = log.entries().find((e) => e["msg"] === "bot ready");
    expect(ready?.["platforms"]).toEqual(["slack", "discord"]);
    expect(log.entries().some((e) => e["msg"] === "console closed")).toBe(false);
  });

  it("answers a Discord slash command and a Slack slash command", async () => {
    const interaction = commandInteraction("who", { options: { name: "boehler" } });
    discord.interact(interaction);
    const callback = await discord.waitForCall("POST", new RegExp(`/interactions/${String(interaction["id"])}/`));
    expect(JSON.stringify(callback.body)).toContain("Adam Boehler");

    const port = Number(log.entries().find((e) => e["msg"] === "slack connected")?.["port"]);
    const body = new URLSearchParams({
      team_id: "T1",
      channel_id: "C1",
      user_id: "U1",
      user_name: "dana",
      command: "/hostages",
      text: "latest",
      response_url: slack.responseUrl("both"),
    }).toString();
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      body,
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>)["blocks"]).toBeDefined();
  });

  it("stops both on SIGTERM with exit code 0 and logged no token or secret, even at debug level", async () => {
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
    const logs = log.lines.join("\n");
    expect(logs).toContain('"msg":"stopped"');
    for (const secret of [SLACK_TOKEN, SIGNING_SECRET, DISCORD_TOKEN]) expect(logs).not.toContain(secret);
  });
});

describe("the bot on Slack Socket Mode, at trace level", () => {
  const APP_TOKEN = "xapp-1-A0FAKE-5555-socketmodeapptoken";

  it("answers over the socket and writes no token, secret or socket ticket to its log", async () => {
    const slack = await FakeSlack.start();
    const child = spawnBot({
      LOG_LEVEL: "trace",
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: slack.apiUrl,
    });
    const log = new LogReader(child);
    try {
      await log.waitFor((e) => e["msg"] === "bot ready");
      const payload = {
        team_id: "T1",
        channel_id: "C1",
        user_id: "U1",
        user_name: "dana",
        command: "/whois",
        text: "boehler",
        response_url: slack.responseUrl("socket"),
      };
      slack.sendEnvelope({
        envelope_id: "env-process",
        type: "slash_commands",
        payload,
        accepts_response_payload: true,
      });
      await slack.waitFor(() => slack.socketAcks.some((a) => a.envelope_id === "env-process"));
      expect(JSON.stringify(slack.socketAcks.find((a) => a.envelope_id === "env-process")?.payload)).toContain(
        "Adam Boehler",
      );
    } finally {
      const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
      child.kill("SIGTERM");
      expect(await closed).toBe(0);
      await slack.close();
    }
    const logs = log.lines.join("\n");
    expect(logs).toContain("apps.connections.open");
    for (const secret of [SLACK_TOKEN, APP_TOKEN, SOCKET_TICKET]) expect(logs).not.toContain(secret);
  });
});
