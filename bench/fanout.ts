// Scenario 4: a digest fan-out to 10,000 Discord and 2,000 Slack channels through fakes that enforce the platforms'
// rate limits (scaled up by a stated factor), measured against the rate those limits allow.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import type { DeliveryRow } from "../src/store/store.js";
import { FakeDiscord, IDS } from "../test/fakes/discord.js";
import { FakeSlack } from "../test/fakes/slack.js";
import { projectRoot } from "../test/helpers.js";
import { drainStdout, LogReader, spawnBot, stopChild } from "./processes.js";
import type { ResultRow, Scenario } from "./scenario.js";
import { ratio, residentMiB, round } from "./stats.js";

/** Discord: 50 requests/s globally, 5 message creates per channel per 5 s. Slack: 1 message per channel per second. */
const DISCORD_GLOBAL_PER_SECOND = 50;
const SLACK_WORKSPACES = 20;

const discordChannel = (i: number) => `1112223334445${String(i).padStart(6, "0")}`;
const slackTeam = (w: number) => `T0BENCH${String(w).padStart(3, "0")}`;
const slackChannel = (i: number) => `C0BENCH${String(i).padStart(5, "0")}`;

/** The bot's default Discord budget, read from config/default.yaml so the bench runs what ships. */
function defaultDiscordBudget(): number {
  const config = parse(readFileSync(path.join(projectRoot, "config/default.yaml"), "utf8")) as {
    digest?: { discordRequestsPerSecond?: number };
  };
  return config.digest?.discordRequestsPerSecond ?? 40;
}

async function seed(database: string, discordChannels: number, slackChannels: number): Promise<void> {
  const store = await openSqliteStore(database);
  const due = new Date(Date.now() - 2 * 60_000);
  const time = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  const base = {
    time,
    timeZone: "UTC",
    stories: [],
    createdAt: new Date(Date.now() - 86_400_000).toISOString(),
    createdBy: "bench",
  };
  for (let i = 0; i < discordChannels; i += 1)
    await store.putSubscription({ ...base, channel: `discord:${IDS.guild}:${discordChannel(i)}`, platform: "discord" });
  for (let i = 0; i < slackChannels; i += 1) {
    await store.putSubscription({
      ...base,
      channel: `slack:${slackTeam(i % SLACK_WORKSPACES)}:${slackChannel(i)}`,
      platform: "slack",
    });
  }
  await store.close();
}

interface PlatformFigures {
  posts: number;
  seconds: number;
  duplicates: number;
  missing: number;
}

/** Posts per second between the first and the last accepted post, and deliveries checked against the ledger. */
function figures(times: number[], rows: DeliveryRow[], messagesIn: (channel: string) => number): PlatformFigures {
  const sorted = [...times].sort((a, b) => a - b);
  const seconds = sorted.length > 1 ? ((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)) / 1000 : Number.NaN;
  let duplicates = 0;
  let missing = 0;
  for (const row of rows) {
    const channelId = row.channel.split(":")[2] ?? "";
    const count = messagesIn(channelId);
    const expected = row.remoteIds.length;
    if (row.state !== "delivered" || count < expected || expected === 0) missing += 1;
    duplicates += Math.max(0, count - expected);
  }
  return { posts: times.length, seconds, duplicates, missing };
}

export const fanoutScenario: Scenario = async ({ quick, progress }) => {
  const factor = Number(process.env["BENCH_FANOUT_FACTOR"] ?? 5);
  const discordChannels = Number(process.env["BENCH_FANOUT_DISCORD"] ?? (quick ? 300 : 10_000));
  const slackChannels = Number(process.env["BENCH_FANOUT_SLACK"] ?? (quick ? 60 : 2_000));
  const discordAllowed = DISCORD_GLOBAL_PER_SECOND * factor;
  const budget = defaultDiscordBudget() * factor;

  const discord = await FakeDiscord.start({
    heartbeatIntervalMs: 30_000,
    limits: { globalPerSecond: discordAllowed, channelMessages: { limit: 5, windowMs: 5000 / factor } },
  });
  const slack = await FakeSlack.start();
  slack.perChannelLimit = { limit: 1, windowMs: 1000 / factor };
  const database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-bench-")), "fanout.sqlite");
  progress(`fan-out: seeding ${discordChannels} Discord and ${slackChannels} Slack subscriptions`);
  await seed(database, discordChannels, slackChannels);

  const bot = spawnBot({
    DISCORD_TOKEN: "MTE4NzY1NDMyMTA5ODc2NTQzMg.Gbench.fanout-bench-token",
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_APPLICATION_ID: IDS.application,
    SLACK_BOT_TOKEN: "xoxb-0000000000-bench-token",
    SLACK_SIGNING_SECRET: "bench-signing-secret-not-a-real-one",
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    DATABASE_PATH: database,
    DISCORD_REQUESTS_PER_SECOND: String(budget),
    LOG_LEVEL: "info",
  });
  drainStdout(bot);
  const logs = new LogReader(bot);
  try {
    const started = Date.now();
    // Fails with the bot's log if it exits instead of starting.
    await logs.waitFor((e) => e["msg"] === "bot ready");
    const everyChannel = () => {
      for (let i = 0; i < discordChannels; i += 1)
        if (discord.messagesIn(discordChannel(i)).length === 0) return undefined;
      for (let i = 0; i < slackChannels; i += 1) if (slack.messagesIn(slackChannel(i)).length === 0) return undefined;
      return true;
    };
    const timeoutMs = quick ? 60_000 : 300_000;
    const report = setInterval(
      () =>
        progress(
          `fan-out: ${discord.callsTo("POST", /\/channels\/\d+\/messages$/).length} Discord and ${slack.callsTo("chat.postMessage").length} Slack requests`,
        ),
      5000,
    );
    try {
      // Polled: posts arrive at two fake servers, and neither alone knows when both are done.
      while (everyChannel() === undefined) {
        if (Date.now() - started > timeoutMs)
          throw new Error(`fan-out: not every channel had a digest after ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      clearInterval(report);
    }
    progress(`fan-out: every channel reached in ${round((Date.now() - started) / 1000)} s; waiting for the ledger`);
    const peakMiB = await residentMiB(bot.pid ?? 0, "VmHWM");

    const store = await openSqliteStore(database);
    let rows = await store.listDeliveries();
    for (let i = 0; i < 100 && rows.some((r) => r.state !== "delivered"); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await store.listDeliveries();
    }
    await store.close();

    const discordTimes = discord.calls
      .filter((c) => c.method === "POST" && /\/channels\/\d+\/messages$/.test(c.path) && c.status === 200)
      .map((c) => c.at);
    const slackTimes = slack.posted.size === 0 ? [] : [...slack.posted.values()].flat().map((m) => m.at);
    const d = figures(
      discordTimes,
      rows.filter((r) => r.platform === "discord"),
      (id) => discord.messagesIn(id).length,
    );
    const s = figures(
      slackTimes,
      rows.filter((r) => r.platform === "slack"),
      (id) => slack.messagesIn(id).length,
    );
    const discordRate = d.posts / d.seconds;
    const slackRate = s.posts / s.seconds;
    const discordRatio = ratio(discordRate, discordAllowed);
    const logged429 = logs.entries().filter((e) => String(e["msg"]).includes("rate limit")).length;
    const table: ResultRow[] = [
      {
        label: `Discord, ${discordChannels} channels`,
        values: {
          posts: d.posts,
          "posts/s": round(discordRate),
          "allowed/s": discordAllowed,
          "of allowed": discordRatio,
          "429 global": discord.rateLimited.global,
          "429 route": discord.rateLimited.route,
          duplicates: d.duplicates,
          missing: d.missing,
        },
      },
      {
        label: `Slack, ${slackChannels} channels in ${SLACK_WORKSPACES} workspaces`,
        values: {
          posts: s.posts,
          "posts/s": round(slackRate),
          "allowed/s": "see note",
          "of allowed": "-",
          "429 global": "-",
          "429 route": slack.rateLimitedPosts,
          duplicates: s.duplicates,
          missing: s.missing,
        },
      },
      { label: "bot process", values: { "peak RSS MiB": round(peakMiB), "rate-limit log lines": logged429 } },
    ];
    return {
      name: "4. Digest fan-out",
      rows: table,
      goals: [
        { goal: "Discord: at least 0.9 of the allowed rate", measured: `${discordRatio}`, met: discordRatio >= 0.9 },
        {
          goal: "zero duplicates, zero missing deliveries",
          measured: `${d.duplicates + s.duplicates} duplicates, ${d.missing + s.missing} missing`,
          met: d.duplicates + s.duplicates + d.missing + s.missing === 0,
        },
        {
          goal: "429s only where headers could not predict them (Discord global)",
          measured: `${discord.rateLimited.route} Discord route 429s, ${slack.rateLimitedPosts} Slack 429s, ${discord.rateLimited.global} Discord global 429s`,
          met: discord.rateLimited.route === 0 && slack.rateLimitedPosts === 0,
        },
      ],
      notes: [
        `Limits scaled by ${factor}: Discord ${discordAllowed} requests/s globally (rolling second) and 5 message creates per channel per ${5000 / factor} ms; Slack 1 chat.postMessage per channel per ${1000 / factor} ms. The bot runs its default budget scaled alike: DISCORD_REQUESTS_PER_SECOND=${budget}.`,
        "One compiled bot process, Discord and Slack together, on one SQLite ledger; every subscription fell due two minutes before start (a catch-up digest of the real content).",
        "Slack: one message per channel, so the per-channel limit allows every channel at once; the rate shown is what the sender achieves, not a fraction of a limit. One bot token serves the 20 workspaces (the OAuth mode's token per workspace is not exercised here).",
        "Rates run from the first to the last accepted post, as the fake servers saw them.",
      ],
    };
  } finally {
    await stopChild(bot);
    await Promise.all([discord.close(), slack.close()]);
  }
};
