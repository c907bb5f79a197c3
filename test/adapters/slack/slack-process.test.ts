// The compiled bot started with Slack settings: connects to a fake Slack, answers a signed command, stops cleanly on SIGTERM.
import { spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlack, slackSignature } from "../../fakes/slack.js";
import { LogReader, spawnBot } from "../../bot-process.js";
import { projectRoot } from "../../helpers.js";

const mainJs = path.join(projectRoot, "dist/main.js");
const BOT_TOKEN = "xoxb-9999-8888-processtoken";
const SIGNING_SECRET = "c4ca4238a0b923820dcc509a6f75849b";

function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { LOG_LEVEL: "debug", ...extra };
}

// One process from start to SIGTERM: the steps are its life in order, so they never run shuffled.
describe("the bot as a process with Slack configured", { shuffle: false }, () => {
  let fake: FakeSlack;
  let child: ChildProcess;
  let log: LogReader;
  let port = 0;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    child = spawnBot(
      baseEnv({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: "0",
      }),
    );
    log = new LogReader(child);
    const connected = await log.waitFor((e) => e["msg"] === "slack connected");
    port = Number(connected["port"]);
    await log.waitFor((e) => e["msg"] === "bot ready");
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await fake.close();
  });

  it("opens Slack instead of the console and answers a signed slash command", async () => {
    expect(port).toBeGreaterThan(0);
    const body = new URLSearchParams({
      team_id: "T0FAKE0001",
      channel_id: "C0NEWSROOM1",
      user_id: "U0DANA0001",
      user_name: "dana",
      command: "/whois",
      text: "boehler",
      response_url: fake.responseUrl("process"),
      trigger_id: "1.2.3",
    }).toString();
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      body,
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain("Adam Boehler");
  });

  it("stops on SIGTERM with exit code 0, and never logged a secret", async () => {
    // "close", not "exit": stderr is read to its end before the log is checked.
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const logs = log.lines.join("\n");
    expect(logs).toContain('"msg":"stopped"');
    expect(logs).not.toContain(BOT_TOKEN);
    expect(logs).not.toContain(SIGNING_SECRET);
  });
});

describe("the bot with incomplete Slack settings", () => {
  it("refuses to start, says which variable is missing, and echoes no value", () => {
    const result = spawnSync(process.execPath, [mainJs], {
      cwd: projectRoot,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "",
        ...baseEnv({ SLACK_BOT_TOKEN: BOT_TOKEN }),
      },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "SLACK_BOT_TOKEN: needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)",
    );
    expect(result.stderr + result.stdout).not.toContain(BOT_TOKEN);
  });

  it("says clearly when Slack refuses the token, and exits 1", async () => {
    const fake = await FakeSlack.start();
    fake.script("auth.test", [{ status: 200, body: { ok: false, error: "invalid_auth" } }]);
    const child = spawnBot(
      baseEnv({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: "0",
      }),
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    await fake.close();
    expect(code).toBe(1);
    expect(stderr).toContain("slack: Slack refused the bot token (invalid_auth)");
    expect(stderr).not.toContain(BOT_TOKEN);
  });
});
