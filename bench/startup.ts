// Scenario 5: time from process start to "bot ready" for each adapter against the fakes, and resident memory when idle.
import { FakeDiscord, IDS } from "../test/fakes/discord.js";
import { FakeSlack } from "../test/fakes/slack.js";
import { drainStdout, LogReader, spawnBot, stopChild } from "./processes.js";
import type { ResultRow, Scenario } from "./scenario.js";
import { median, nowMs, residentMiB, round } from "./stats.js";

interface Variant {
  label: string;
  env: (discord: FakeDiscord, slack: FakeSlack) => Record<string, string>;
  stdin: "pipe" | "ignore";
}

const VARIANTS: Variant[] = [
  { label: "console (no tokens)", env: () => ({}), stdin: "pipe" },
  {
    label: "Discord gateway",
    env: (discord) => ({
      DISCORD_TOKEN: "MTE4NzY1NDMyMTA5ODc2NTQzMg.Gbench.startup-bench-token",
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_APPLICATION_ID: IDS.application,
    }),
    stdin: "ignore",
  },
  {
    label: "Slack HTTP mode",
    env: (_discord, slack) => ({
      SLACK_BOT_TOKEN: "xoxb-0000000000-bench-token",
      SLACK_SIGNING_SECRET: "bench-signing-secret-not-a-real-one",
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
    }),
    stdin: "ignore",
  },
  {
    label: "Slack Socket Mode",
    env: (_discord, slack) => ({
      SLACK_BOT_TOKEN: "xoxb-0000000000-bench-token",
      SLACK_APP_TOKEN: "xapp-1-bench-app-token",
      SLACK_API_URL: slack.apiUrl,
    }),
    stdin: "ignore",
  },
];

export const startupScenario: Scenario = async ({ quick, progress }) => {
  const runs = quick ? 1 : 7;
  const idleMs = quick ? 500 : 3000;
  const discord = await FakeDiscord.start({ heartbeatIntervalMs: 30_000 });
  const slack = await FakeSlack.start();
  const rows: ResultRow[] = [];
  try {
    const samples = new Map(VARIANTS.map((v) => [v.label, { readyMs: [] as number[], rssMiB: [] as number[] }]));
    // Variants take turns run by run, so a slow moment of the machine does not fall on one adapter only.
    for (let run = 0; run < runs; run += 1) {
      for (const variant of VARIANTS) {
        const started = nowMs();
        const child = spawnBot({ ...variant.env(discord, slack), LOG_LEVEL: "info" }, variant.stdin);
        try {
          if (variant.stdin === "pipe") {
            // The console is ready when it answers: a question waits on stdin from the start.
            const answered = new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
            child.stdin?.write("/hostages summary\n");
            await answered;
          } else {
            await new LogReader(child).waitFor((e) => e["msg"] === "bot ready");
          }
          drainStdout(child);
          const readyMs = nowMs() - started;
          await new Promise((resolve) => setTimeout(resolve, idleMs));
          const sample = samples.get(variant.label);
          sample?.readyMs.push(readyMs);
          sample?.rssMiB.push(await residentMiB(child.pid ?? 0));
        } finally {
          await stopChild(child);
        }
      }
      progress(`start-up: run ${run + 1} of ${runs}`);
    }
    for (const [label, sample] of samples) {
      rows.push({
        label,
        values: {
          "ready ms (median)": round(median(sample.readyMs)),
          "ready ms (max)": round(Math.max(...sample.readyMs)),
          "idle RSS MiB": round(median(sample.rssMiB)),
        },
      });
    }
  } finally {
    await Promise.all([discord.close(), slack.close()]);
  }
  return {
    name: "5. Start-up",
    rows,
    goals: [],
    notes: [
      `From spawning node dist/main.js to its "bot ready" log line (the console: to its first answer, asked on stdin at spawn) (content loaded and checked, SQLite opened and migrated, platform connected), median of ${runs} runs; RSS read ${idleMs / 1000} s after ready.`,
      "The fakes answer at once, so network time to the real Discord and Slack is not included.",
    ],
  };
};
