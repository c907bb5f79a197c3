// Scenario 2: INTERACTION_CREATE from the fake gateway to the real discord.js client, timed until its callback reaches
// the fake REST server, for our bot and for a bare discord.js client replying a constant.
import type { ChildProcess } from "node:child_process";
import { commandInteraction, FakeDiscord, IDS } from "../test/fakes/discord.js";
import { drainStdout, firstJsonLine, LogReader, spawnBare, spawnBot, stopChild } from "./processes.js";
import { alternate, compare, type LoadRound } from "./comparison.js";
import type { Scenario } from "./scenario.js";
import { cpuMs, nowMs } from "./stats.js";

const TOKEN = "MTE4NzY1NDMyMTA5ODc2NTQzMg.Gbench.discord-answer-bench-token";
const CONCURRENCY = 8;

interface Side {
  fake: FakeDiscord;
  child: ChildProcess;
  /** Interaction id -> when it was dispatched. */
  pending: Map<string, { sentAt: number; done: (ms: number, ok: boolean) => void }>;
}

async function startSide(kind: "ours" | "bare"): Promise<Side> {
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: 30_000 });
  const env = { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: IDS.application };
  const child =
    kind === "ours"
      ? spawnBot({ ...env, LOG_LEVEL: "info", DIGEST_SCHEDULE: "false" })
      : spawnBare("discord-bare", env);
  const side: Side = { fake, child, pending: new Map() };
  fake.onCall((call) => {
    const match = /^\/api\/v10\/interactions\/(\d+)\/[^/]+\/callback$/.exec(call.path);
    const entry = match?.[1] === undefined ? undefined : side.pending.get(match[1]);
    if (!match?.[1] || !entry) return;
    side.pending.delete(match[1]);
    entry.done(nowMs() - entry.sentAt, call.status < 300);
  });
  if (kind === "ours") {
    drainStdout(child);
    await new LogReader(child).waitFor((e) => e["msg"] === "bot ready");
  } else {
    await firstJsonLine(child);
  }
  return side;
}

/** Keeps `CONCURRENCY` interactions outstanding for `seconds`: each answered one is replaced by the next. */
async function loadRound(side: Side, seconds: number): Promise<LoadRound> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const endAt = nowMs() + seconds * 1000;
  const worker = async () => {
    while (nowMs() < endAt) {
      const interaction = commandInteraction("hostages", { subcommand: "summary" });
      const id = String(interaction["id"]);
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(() => {
          side.pending.delete(id);
          failures += 1;
          resolve();
        }, 5000);
        side.pending.set(id, {
          sentAt: nowMs(),
          done: (ms, ok) => {
            clearTimeout(timeout);
            if (ok) latenciesMs.push(ms);
            else failures += 1;
            resolve();
          },
        });
        side.fake.interact(interaction);
      });
    }
  };
  const started = nowMs();
  const cpuBefore = await cpuMs(side.child.pid ?? 0);
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpuUsed = (await cpuMs(side.child.pid ?? 0)) - cpuBefore;
  return {
    perSecond: latenciesMs.length / ((nowMs() - started) / 1000),
    cpuMsPerAnswer: cpuUsed / latenciesMs.length,
    latenciesMs,
    failures,
  };
}

export const discordAnswerScenario: Scenario = async ({ quick, progress }) => {
  const ours = await startSide("ours");
  const bare = await startSide("bare");
  try {
    // Our bot must answer with the story itself, not an apology, for the timing to mean anything.
    await loadRound(ours, 0.2);
    const answer = ours.fake.calls.find((c) => /\/callback$/.test(c.path));
    if (!JSON.stringify(answer?.body ?? "").includes("Sources"))
      throw new Error(`our bot did not answer with the story: ${JSON.stringify(answer?.body).slice(0, 300)}`);

    const rounds = quick ? 1 : 5;
    const seconds = quick ? 1 : 6;
    progress(
      `discord answer: warm-up, then ${rounds} alternating rounds of ${seconds} s per side, ${CONCURRENCY} interactions outstanding`,
    );
    const results = await alternate(
      (side, time) => loadRound(side === "bare" ? bare : ours, time),
      rounds,
      seconds,
      quick ? 0.5 : 3,
    );
    const { rows, goals } = compare(results, {
      bare: "bare discord.js, constant reply",
      ours: "newsbot /hostages summary",
      rate: "answers/s",
      reference: "the bare discord.js client",
    });
    return {
      name: "2. Discord answer path",
      rows,
      goals,
      notes: [
        `Each side is a child process with its own fake Discord (gateway and REST) in the bench process; ${CONCURRENCY} interactions are kept outstanding.`,
        `Latency: from the gateway dispatch to the interaction callback arriving at the fake REST server. Medians over ${rounds} alternating rounds of ${seconds} s per side after a warm-up.`,
      ],
    };
  } finally {
    await Promise.all([stopChild(ours.child), stopChild(bare.child)]);
    await Promise.all([ours.fake.close(), bare.fake.close()]);
  }
};
