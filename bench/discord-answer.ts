// Scenario 2: INTERACTION_CREATE from the fake gateway to the real discord.js client, timed until its callback reaches
// the fake REST server, for our bot and for a bare discord.js client replying a constant.
import type { ChildProcess } from "node:child_process";
import { commandInteraction, FakeDiscord, IDS } from "../test/fakes/discord.js";
import { drainStdout, firstJsonLine, LogReader, spawnBare, spawnBot, stopChild } from "./processes.js";
import type { ResultRow, Scenario } from "./scenario.js";
import { cpuMs, median, nowMs, percentile, ratio, round } from "./stats.js";

const TOKEN = "MTE4NzY1NDMyMTA5ODc2NTQzMg.Gbench.discord-answer-bench-token";
const CONCURRENCY = 8;

interface Round {
  perSecond: number;
  /** CPU time the answering process used per answer. */
  cpuMsPerAnswer: number;
  latenciesMs: number[];
  failures: number;
}

interface Side {
  fake: FakeDiscord;
  child: ChildProcess;
  /** Interaction id -> when it was dispatched. */
  pending: Map<string, { sentAt: number; done: (ms: number, ok: boolean) => void }>;
}

async function startSide(kind: "ours" | "bare"): Promise<Side> {
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: 30_000 });
  const env = { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: IDS.application };
  const child = kind === "ours" ? spawnBot({ ...env, LOG_LEVEL: "info", DIGEST_SCHEDULE: "false" }) : spawnBare("discord-bare", env);
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
async function loadRound(side: Side, seconds: number): Promise<Round> {
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
  return { perSecond: latenciesMs.length / ((nowMs() - started) / 1000), cpuMsPerAnswer: cpuUsed / latenciesMs.length, latenciesMs, failures };
}

export const discordAnswerScenario: Scenario = async ({ quick, progress }) => {
  const ours = await startSide("ours");
  const bare = await startSide("bare");
  try {
    // Our bot must answer with the story itself, not an apology, for the timing to mean anything.
    await loadRound(ours, 0.2);
    const answer = ours.fake.calls.find((c) => /\/callback$/.test(c.path));
    if (!JSON.stringify(answer?.body ?? "").includes("Sources")) throw new Error(`our bot did not answer with the story: ${JSON.stringify(answer?.body).slice(0, 300)}`);

    const rounds = quick ? 1 : 5;
    const seconds = quick ? 1 : 6;
    progress(`discord answer: warm-up, then ${rounds} alternating rounds of ${seconds} s per side, ${CONCURRENCY} interactions outstanding`);
    await loadRound(bare, quick ? 0.5 : 3);
    await loadRound(ours, quick ? 0.5 : 3);
    const results = { bare: [] as Round[], ours: [] as Round[] };
    for (let i = 0; i < rounds; i += 1) {
      const order: ("bare" | "ours")[] = i % 2 === 0 ? ["bare", "ours"] : ["ours", "bare"];
      for (const side of order) results[side].push(await loadRound(side === "bare" ? bare : ours, seconds));
    }
    const summary = (list: Round[]) => ({
      rate: median(list.map((r) => r.perSecond)),
      cpu: median(list.map((r) => r.cpuMsPerAnswer)),
      p50: median(list.map((r) => percentile(r.latenciesMs, 50))),
      p99: median(list.map((r) => percentile(r.latenciesMs, 99))),
      failures: list.reduce((sum, r) => sum + r.failures, 0),
    });
    const mine = summary(results.ours);
    const reference = summary(results.bare);
    const row = (label: string, s: typeof mine): ResultRow => ({
      label,
      values: { "answers/s": round(s.rate), "p50 ms": round(s.p50), "p99 ms": round(s.p99), "CPU ms/answer": round(s.cpu), failures: s.failures },
    });
    const p99Ratio = ratio(mine.p99, reference.p99);
    return {
      name: "2. Discord answer path",
      rows: [
        row("bare discord.js, constant reply", reference),
        row("newsbot /hostages summary", mine),
        {
          label: "ratio newsbot / bare",
          values: { "answers/s": ratio(mine.rate, reference.rate), "p50 ms": ratio(mine.p50, reference.p50), "p99 ms": p99Ratio, "CPU ms/answer": ratio(mine.cpu, reference.cpu) },
        },
      ],
      goals: [
        { goal: "p99 within 1.10x of the bare discord.js client", measured: `${p99Ratio}x`, met: p99Ratio <= 1.1 },
        { goal: "every interaction answered", measured: `${mine.failures + reference.failures} failures`, met: mine.failures + reference.failures === 0 },
      ],
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
