// Scenario 1: signed /hostages summary POSTs to our bot's Bolt HTTP receiver against a bare Bolt app acking a constant.
import autocannon from "autocannon";
import { FakeSlack, slackSignature } from "../test/fakes/slack.js";
import { drainStdout, firstJsonLine, LogReader, spawnBare, spawnBot, stopChild } from "./processes.js";
import { alternate, compare, type LoadRound } from "./comparison.js";
import type { Scenario } from "./scenario.js";
import { cpuMs } from "./stats.js";

const SIGNING_SECRET = "bench-signing-secret-not-a-real-one";
const BOT_TOKEN = "xoxb-0000000000-bench-token";
const CONCURRENCY = 16;

function commandBody(responseUrl: string): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: "T0FAKE0001",
    team_domain: "newsroom",
    channel_id: "C0NEWS0001",
    channel_name: "news",
    user_id: "U0DANA0001",
    user_name: "dana",
    command: "/hostages",
    text: "summary",
    api_app_id: "A0FAKEAPP1",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: "1234.5678.abcdef",
  }).toString();
}

/** One timed round of load at a fixed concurrency; latencies come from autocannon's per-response timings (sub-ms). */
async function loadRound(pid: number, port: number, body: string, seconds: number): Promise<LoadRound> {
  const latenciesMs: number[] = [];
  let failures = 0;
  // Slack signatures are valid for five minutes: sign afresh for every round.
  const headers = slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body);
  const cpuBefore = await cpuMs(pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/slack/events`,
        method: "POST",
        headers,
        body,
        connections: CONCURRENCY,
        duration: seconds,
      },
      (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) latenciesMs.push(responseTime);
      else failures += 1;
    });
  });
  failures += result.errors + result.timeouts;
  const cpuUsed = (await cpuMs(pid)) - cpuBefore;
  return {
    perSecond: latenciesMs.length / seconds,
    cpuMsPerAnswer: cpuUsed / latenciesMs.length,
    latenciesMs,
    failures,
  };
}

/** Checks the server answers our signed command with a real answer before timing it. */
async function answerOf(port: number, body: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: "POST",
    headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the command was refused: ${response.status} ${text}`);
  return text;
}

export const slackAnswerScenario: Scenario = async ({ quick, progress }) => {
  const fake = await FakeSlack.start();
  const body = commandBody(fake.responseUrl("bench"));
  const bot = spawnBot({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    PORT: "0",
    LOG_LEVEL: "info",
  });
  drainStdout(bot);
  const bare = spawnBare("slack-bare", {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  try {
    const connected = await new LogReader(bot).waitFor((e) => e["msg"] === "slack connected");
    const oursPort = Number(connected["port"]);
    const barePort = Number((await firstJsonLine(bare))["port"]);
    const ourAnswer = await answerOf(oursPort, body);
    if (!ourAnswer.includes("blocks") || !ourAnswer.includes("Sources"))
      throw new Error(`our bot did not answer with the story: ${ourAnswer.slice(0, 200)}`);
    await answerOf(barePort, body);

    const rounds = quick ? 1 : 5;
    const seconds = quick ? 1 : 6;
    progress(
      `slack answer: warm-up, then ${rounds} alternating rounds of ${seconds} s per side at concurrency ${CONCURRENCY}`,
    );
    const barePid = bare.pid ?? 0;
    const oursPid = bot.pid ?? 0;
    const results = await alternate(
      (side, time) =>
        side === "bare" ? loadRound(barePid, barePort, body, time) : loadRound(oursPid, oursPort, body, time),
      rounds,
      seconds,
      quick ? 1 : 3,
    );
    const { rows, goals } = compare(results, {
      bare: "bare Bolt, constant ack",
      ours: "newsbot /hostages summary",
      rate: "req/s",
      reference: "the bare Bolt app",
    });
    return {
      name: "1. Slack answer path",
      rows,
      goals,
      notes: [
        `Both apps are child processes behind Bolt's HTTPReceiver on 127.0.0.1; autocannon (in the bench process) sends the same signed /hostages summary at ${CONCURRENCY} connections.`,
        `Medians over ${rounds} alternating rounds of ${seconds} s per side after a warm-up; p50/p99 from per-response timings. Our bot logs one info line per command, as in production.`,
      ],
    };
  } finally {
    await Promise.all([stopChild(bot), stopChild(bare)]);
    await fake.close();
  }
};
