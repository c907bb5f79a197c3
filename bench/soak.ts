// Scenario 6: load and soak. The compiled bot (Slack HTTP and Discord in one process) under 1,000 interactions a second.
import type { ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { WebSocket } from "ws";
import { spawnBot } from "../test/bot-process.js";
import { autocompleteInteraction, commandInteraction, FakeDiscord, IDS } from "../test/fakes/discord.js";
import { FakeSlack, slackSignature } from "../test/fakes/slack.js";
import { drainStdout, stopChild } from "./processes.js";
import type { GoalCheck, ResultRow, Scenario } from "./scenario.js";
import { cpuMs, median, nowMs, percentile, residentMiB, round } from "./stats.js";

const SIGNING_SECRET = "bench-signing-secret-not-a-real-one";
const SLACK_TOKEN = "xoxb-0000000000-bench-token";
const DISCORD_TOKEN = "MTE4NzY1NDMyMTA5ODc2NTQzMg.Gbench.soak-bench-token";
/** Interactions offered per second, over both platforms together; BENCH_SOAK_RATE changes it to look for the knee. */
const RATE = Number(process.env["BENCH_SOAK_RATE"] ?? 1000);
/** Share of the arrivals that are Slack slash commands, the rest Discord (BENCH_SOAK_SLACK_SHARE, 0 to 1). */
const SLACK_SHARE = Number(process.env["BENCH_SOAK_SLACK_SHARE"] ?? 0.5);
/** Discord drops an interaction not acknowledged within 3 s; Slack shows the user an error after 3 s. */
const WINDOW_MS = 3000;
/** An interaction with no answer this long after it arrived is counted as never answered, and its request dropped. */
const GIVE_UP_MS = 10_000;
/**
 * Slack opens as many connections as it has requests under way; a smaller pool would queue arrivals in the bench
 * process instead of the bot. Giving up after GIVE_UP_MS bounds it (500 a second × 10 s).
 */
const SLACK_CONNECTIONS = 8192;
/** Memory within this factor of its baseline a minute after the load counts as back. */
const NEAR_BASELINE = 1.25;

/** Deterministic, so every run offers the same mix in the same order (mulberry32). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Weighted {
  weight: number;
  kind: string;
}

function picker<T extends Weighted>(items: readonly T[], random: () => number): () => T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  return () => {
    let left = random() * total;
    for (const item of items) {
      left -= item.weight;
      if (left < 0) return item;
    }
    return items[items.length - 1] as T;
  };
}

const LONG_TEXT = "summary ".repeat(80);
const ODD_TEXT = "\u0000\u0007summary\u200b\u202e💥";

/** What people ask in a busy news channel: mostly the story, then people (with typos), help, and some mistakes. */
const SLACK_MIX: readonly (Weighted & { command: string; text: string })[] = [
  { kind: "summary", command: "/hostages", text: "summary", weight: 18 },
  { kind: "bare story", command: "/hostages", text: "", weight: 4 },
  { kind: "timeline", command: "/hostages", text: "timeline", weight: 10 },
  { kind: "latest", command: "/hostages", text: "latest", weight: 14 },
  { kind: "people", command: "/hostages", text: "people", weight: 5 },
  { kind: "sources", command: "/hostages", text: "sources", weight: 4 },
  { kind: "explainer", command: "/hostages", text: "explainer", weight: 3 },
  { kind: "who surname", command: "/whois", text: "boehler", weight: 8 },
  { kind: "who full name", command: "/whois", text: "Adam Boehler", weight: 4 },
  { kind: "who typo", command: "/whois", text: "bohler", weight: 4 },
  { kind: "who did-you-mean", command: "/whois", text: "netanyahoo", weight: 3 },
  { kind: "who organisation", command: "/whois", text: "netanyahu's office", weight: 2 },
  { kind: "who role", command: "/whois", text: "mediator", weight: 2 },
  { kind: "who unknown", command: "/whois", text: "Zebedee Quux", weight: 3 },
  { kind: "help", command: "/help", text: "", weight: 4 },
  { kind: "help command", command: "/help", text: "whois", weight: 2 },
  { kind: "bad: subcommand typo", command: "/hostages", text: "sumary", weight: 3 },
  { kind: "bad: unknown subcommand", command: "/hostages", text: "weather", weight: 1 },
  { kind: "bad: too long", command: "/hostages", text: LONG_TEXT, weight: 1 },
  { kind: "bad: control characters", command: "/hostages", text: ODD_TEXT, weight: 1 },
  { kind: "bad: who without a name", command: "/whois", text: "", weight: 1 },
  { kind: "digest status", command: "/digest", text: "status", weight: 2 },
  { kind: "digest preview", command: "/digest", text: "preview", weight: 1 },
];

type Interaction = Record<string, unknown>;

/** The same mix on Discord, where people also type into /who's autocomplete and a stale client can send anything. */
const DISCORD_MIX: readonly (Weighted & { make: () => Interaction })[] = [
  { kind: "summary", weight: 18, make: () => commandInteraction("hostages", { subcommand: "summary" }) },
  { kind: "timeline", weight: 10, make: () => commandInteraction("hostages", { subcommand: "timeline" }) },
  { kind: "latest", weight: 14, make: () => commandInteraction("hostages", { subcommand: "latest" }) },
  { kind: "people", weight: 5, make: () => commandInteraction("hostages", { subcommand: "people" }) },
  { kind: "sources", weight: 4, make: () => commandInteraction("hostages", { subcommand: "sources" }) },
  { kind: "explainer", weight: 3, make: () => commandInteraction("hostages", { subcommand: "explainer" }) },
  { kind: "who surname", weight: 8, make: () => commandInteraction("who", { options: { name: "boehler" } }) },
  { kind: "who full name", weight: 4, make: () => commandInteraction("who", { options: { name: "Adam Boehler" } }) },
  { kind: "who typo", weight: 4, make: () => commandInteraction("who", { options: { name: "bohler" } }) },
  { kind: "who did-you-mean", weight: 3, make: () => commandInteraction("who", { options: { name: "netanyahoo" } }) },
  { kind: "who role", weight: 2, make: () => commandInteraction("who", { options: { name: "mediator" } }) },
  { kind: "who unknown", weight: 3, make: () => commandInteraction("who", { options: { name: "Zebedee Quux" } }) },
  { kind: "who autocomplete", weight: 8, make: () => autocompleteInteraction("who", "name", "boeh") },
  { kind: "who autocomplete typo", weight: 2, make: () => autocompleteInteraction("who", "name", "netanya") },
  { kind: "help", weight: 4, make: () => commandInteraction("help") },
  { kind: "help command", weight: 2, make: () => commandInteraction("help", { options: { command: "who" } }) },
  { kind: "bad: stale subcommand", weight: 2, make: () => commandInteraction("hostages", { subcommand: "weather" }) },
  {
    kind: "bad: too long",
    weight: 1,
    make: () => commandInteraction("who", { options: { name: "boehler ".repeat(500) } }),
  },
  {
    kind: "bad: control characters",
    weight: 1,
    make: () => commandInteraction("who", { options: { name: ODD_TEXT } }),
  },
  { kind: "digest status", weight: 2, make: () => commandInteraction("digest", { subcommand: "status" }) },
];

/** What one platform's interactions came to: how each was acknowledged, and how long it took from its arrival. */
class Tally {
  offered = 0;
  answeredInAck = 0;
  deferred = 0;
  failed = 0;
  unanswered = 0;
  lateAnswers = 0;
  readonly latenciesMs: number[] = [];
  readonly byKind = new Map<string, number[]>();

  record(kind: string, latencyMs: number, outcome: "answered" | "deferred" | "failed" | "unanswered"): void {
    if (outcome === "failed" || outcome === "unanswered") {
      if (outcome === "failed") this.failed += 1;
      else this.unanswered += 1;
      return;
    }
    if (outcome === "answered") this.answeredInAck += 1;
    else this.deferred += 1;
    this.latenciesMs.push(latencyMs);
    const kindLatencies = this.byKind.get(kind) ?? [];
    kindLatencies.push(latencyMs);
    this.byKind.set(kind, kindLatencies);
  }

  get overWindow(): number {
    return this.latenciesMs.filter((ms) => ms > WINDOW_MS).length + this.failed + this.unanswered;
  }

  get settled(): number {
    return this.answeredInAck + this.deferred + this.failed + this.unanswered;
  }

  row(label: string): ResultRow {
    return {
      label,
      values: {
        offered: this.offered,
        "in ack": this.answeredInAck,
        deferred: this.deferred,
        failed: this.failed,
        "no answer": this.unanswered,
        "over 3 s": this.overWindow,
        "p50 ms": round(percentile(this.latenciesMs, 50)),
        "p99 ms": round(percentile(this.latenciesMs, 99)),
        "max ms": round(Math.max(0, ...this.latenciesMs)),
      },
    };
  }

  static merged(tallies: readonly Tally[]): Tally {
    const all = new Tally();
    for (const t of tallies) {
      all.offered += t.offered;
      all.answeredInAck += t.answeredInAck;
      all.deferred += t.deferred;
      all.failed += t.failed;
      all.unanswered += t.unanswered;
      all.lateAnswers += t.lateAnswers;
      all.latenciesMs.push(...t.latenciesMs);
    }
    return all;
  }
}

/**
 * Reads the bot's JSON log lines as they come without keeping them (a minute of load writes tens of thousands): counts
 * warnings and errors by message, and finds the lines the scenario waits for.
 */
class LogWatch {
  warnings = 0;
  errors = 0;
  /** Warning and error messages by text, with how often each came. */
  readonly problems = new Map<string, number>();
  private readonly recent: string[] = [];
  private readonly seen = new Map<string, Record<string, unknown>>();
  private readonly waiting = new Map<string, (entry: Record<string, unknown>) => void>();
  private buffered = "";
  /** The bot's inspector (node --inspect prints it on stderr), through which the scenario asks for a full GC. */
  inspectorUrl: string | undefined;
  /** While false, warnings and errors are the start-up's, not the load's. */
  counting = false;

  constructor(private readonly child: ChildProcess) {
    child.stderr?.on("data", (chunk: Buffer) => {
      this.buffered += chunk.toString("utf8");
      const lines = this.buffered.split("\n");
      this.buffered = lines.pop() ?? "";
      for (const line of lines) this.read(line);
    });
  }

  private read(line: string): void {
    this.recent.push(line);
    if (this.recent.length > 30) this.recent.shift();
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1];
      return;
    }
    const level = typeof entry["level"] === "number" ? entry["level"] : 0;
    const msg = typeof entry["msg"] === "string" ? entry["msg"] : "";
    if (this.counting && level >= 40) {
      if (level >= 50) this.errors += 1;
      else this.warnings += 1;
      const text = `${level >= 50 ? "error" : "warn"}: ${msg.slice(0, 160)}`;
      this.problems.set(text, (this.problems.get(text) ?? 0) + 1);
    }
    if (!this.seen.has(msg)) this.seen.set(msg, entry);
    this.waiting.get(msg)?.(entry);
    this.waiting.delete(msg);
  }

  waitFor(msg: string): Promise<Record<string, unknown>> {
    const found = this.seen.get(msg);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      this.waiting.set(msg, resolve);
      this.child.once("exit", (code) =>
        reject(new Error(`bot exited with ${String(code)} before "${msg}":\n${this.recent.join("\n")}`)),
      );
    });
  }
}

/** GET on the ops endpoint with its own connection pool, so the load's queue never delays a health check. */
const opsAgent = new Agent({ keepAlive: true, maxSockets: 4 });

function opsGet(port: number, path: string, timeoutMs = WINDOW_MS): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: opsAgent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path} took over ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end();
  });
}

interface MemorySample {
  /** ms since the scenario's clock started. */
  at: number;
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
}

/** Sum of the samples of `metric` in a Prometheus text page whose labels contain `labelPart` (all when empty). */
function metricValue(page: string, metric: string, labelPart = ""): number {
  let sum = 0;
  for (const line of page.split("\n")) {
    if (!line.startsWith(metric) || line.startsWith("#")) continue;
    const rest = line.slice(metric.length);
    if (rest[0] !== " " && rest[0] !== "{") continue;
    if (!rest.includes(labelPart)) continue;
    sum += Number(rest.slice(rest.lastIndexOf(" ") + 1));
  }
  return sum;
}

const MIB = 2 ** 20;

/** Watches the bot once a second: RSS from /proc, heap from /metrics, and whether /healthz answers within 3 s. */
class Watcher {
  readonly samples: MemorySample[] = [];
  healthChecks = 0;
  healthFailures = 0;
  healthMaxMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly pid: number,
    private readonly opsPort: number,
    private readonly clockStart: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * RSS always (from /proc, whatever the bot is doing); the heap from /metrics, NaN when it does not answer in time.
   * The once-a-second samples give up after 3 s; the ones the figures rest on wait as long as a busy bot needs.
   */
  async sample(timeoutMs = 30_000): Promise<MemorySample> {
    const at = nowMs() - this.clockStart;
    // A bot that died has no /proc entry: NaN, and the "no crash" goal says so.
    const rssMiB = await residentMiB(this.pid).catch(() => Number.NaN);
    const page = await opsGet(this.opsPort, "/metrics", timeoutMs).then(
      (r) => r.body,
      () => undefined,
    );
    const heap = (metric: string) => (page === undefined ? Number.NaN : metricValue(page, metric) / MIB);
    const sample = {
      at,
      rssMiB,
      heapUsedMiB: heap("newsbot_nodejs_heap_size_used_bytes"),
      heapTotalMiB: heap("newsbot_nodejs_heap_size_total_bytes"),
    };
    this.samples.push(sample);
    return sample;
  }

  async health(): Promise<boolean> {
    this.healthChecks += 1;
    const started = nowMs();
    const ok = await opsGet(this.opsPort, "/healthz").then(
      (r) => r.status === 200,
      () => false,
    );
    this.healthMaxMs = Math.max(this.healthMaxMs, nowMs() - started);
    if (!ok) this.healthFailures += 1;
    return ok;
  }

  /** Samples taken in [fromMs, toMs) of the scenario's clock. */
  between(fromMs: number, toMs: number): MemorySample[] {
    return this.samples.filter((s) => s.at >= fromMs && s.at < toMs);
  }

  private async tick(): Promise<void> {
    // A slow bot must not pile up checks: one at a time, and a missed second is just missed.
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.all([this.health(), this.sample(WINDOW_MS)]);
    } finally {
      this.busy = false;
    }
  }
}

/** How the offered load went, from the generator's side. */
interface Offered {
  /** Arrivals per second actually offered, from the first arrival to the last. */
  offeredPerSecond: number;
  /** How far behind its schedule the generator sent its worst arrival (the bench process itself busy). */
  maxLagMs: number;
  /** ms on the scenario's clock when the last arrival was offered. */
  endedAt: number;
}

/** Drives the bot: Slack commands as signed HTTP POSTs, Discord interactions as gateway dispatches. */
class Driver {
  readonly slack = new Tally();
  readonly discord = new Tally();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: SLACK_CONNECTIONS });
  private readonly pendingDiscord = new Map<string, { arrivedAt: number; kind: string; tally: Tally }>();
  private readonly random = seededRandom(21);
  private readonly nextSlack = picker(SLACK_MIX, this.random);
  private readonly nextDiscord = picker(DISCORD_MIX, this.random);
  private slackInFlight = 0;
  private readonly sockets = new WeakSet<object>();
  /** TCP connections opened to the bot's Slack receiver (a socket is reused while one is free). */
  connectionsOpened = 0;
  private counter = 0;
  /** A real answer seen on each platform, so the figures are known to be about answers, not apologies. */
  slackSample = "";
  discordSample = "";

  constructor(
    private readonly fakeSlack: FakeSlack,
    private readonly fakeDiscord: FakeDiscord,
    private readonly slackPort: number,
  ) {
    fakeDiscord.onCall((call) => {
      const callback = /^\/api\/v10\/interactions\/(\d+)\/[^/]+\/callback$/.exec(call.path);
      if (callback?.[1] !== undefined) {
        const entry = this.pendingDiscord.get(callback[1]);
        if (!entry) return;
        this.pendingDiscord.delete(callback[1]);
        const type = (call.body as { type?: unknown } | undefined)?.type;
        // 5 is "deferred: thinking…"; 4 a message, 8 autocomplete choices: both the answer itself.
        const outcome = call.status >= 300 ? "failed" : type === 5 ? "deferred" : "answered";
        entry.tally.record(entry.kind, nowMs() - entry.arrivedAt, outcome);
        if (entry.kind === "summary" && outcome === "answered" && this.discordSample === "")
          this.discordSample = JSON.stringify(call.body);
      } else if (call.method === "PATCH" && /\/messages\/@original$/.test(call.path)) {
        this.discord.lateAnswers += 1;
      }
    });
  }

  /** Offers `rate` arrivals a second for `seconds`, on schedule whether or not earlier ones were answered. */
  offer(seconds: number, rate: number, clockStart: number): Promise<Offered> {
    const total = Math.round(seconds * rate);
    const started = nowMs();
    let sent = 0;
    let maxLagMs = 0;
    return new Promise((resolve) => {
      const tick = () => {
        const now = nowMs();
        const due = Math.min(total, Math.floor(((now - started) * rate) / 1000) + 1);
        while (sent < due) {
          // Latency counts from when the arrival was due, so a generator that fell behind cannot hide a slow bot.
          const arrivedAt = started + (sent * 1000) / rate;
          maxLagMs = Math.max(maxLagMs, now - arrivedAt);
          if (this.random() < SLACK_SHARE) this.sendSlack(arrivedAt);
          else this.sendDiscord(arrivedAt);
          sent += 1;
        }
        // The fake keeps every request it saw; a minute of load would fill the bench process with them.
        if (this.fakeDiscord.calls.length > 5000) this.fakeDiscord.calls.splice(0);
        if (sent < total) {
          setTimeout(tick, 1);
          return;
        }
        const last = started + ((total - 1) * 1000) / rate;
        resolve({
          offeredPerSecond: total > 1 ? (total - 1) / ((last - started) / 1000) : total,
          maxLagMs,
          endedAt: nowMs() - clockStart,
        });
      };
      tick();
    });
  }

  /** Waits until every offered interaction is answered, or counts the ones still open after GIVE_UP_MS. */
  async settle(): Promise<void> {
    // Each Slack request gives up by itself GIVE_UP_MS after it arrived; the last arrival was just now.
    const deadline = nowMs() + GIVE_UP_MS + 500;
    while ((this.slackInFlight > 0 || this.pendingDiscord.size > 0) && nowMs() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    for (const entry of this.pendingDiscord.values()) entry.tally.unanswered += 1;
    this.pendingDiscord.clear();
    this.fakeDiscord.calls.splice(0);
    // Deferred Slack answers arrive at the response URL; the fake keeps them all.
    this.slack.lateAnswers += this.fakeSlack.responses.splice(0).length;
  }

  private sendSlack(arrivedAt: number): void {
    const ask = this.nextSlack();
    this.counter += 1;
    const n = this.counter;
    this.slack.offered += 1;
    this.slackInFlight += 1;
    // Many people in many channels, as in a real workspace.
    const body = new URLSearchParams({
      token: "deprecated-verification-token",
      team_id: "T0FAKE0001",
      team_domain: "newsroom",
      channel_id: `C0LOAD${String(n % 40).padStart(4, "0")}`,
      channel_name: "news",
      user_id: `U0LOAD${String(n % 600).padStart(4, "0")}`,
      user_name: "reader",
      command: ask.command,
      text: ask.text,
      api_app_id: "A0FAKEAPP1",
      is_enterprise_install: "false",
      response_url: this.fakeSlack.responseUrl(`load-${n}`),
      trigger_id: `${n}.5678.abcdef`,
    }).toString();
    const headers = {
      ...slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      "content-length": String(Buffer.byteLength(body)),
    };
    let done = false;
    let timedOut = false;
    // From the arrival, not from when a socket was free: a request still queued for one counts as waiting too.
    const giveUp = setTimeout(
      () => {
        timedOut = true;
        req.destroy(new Error("no answer"));
      },
      Math.max(0, arrivedAt + GIVE_UP_MS - nowMs()),
    );
    const finish = (outcome: "answered" | "deferred" | "failed" | "unanswered", text = "") => {
      if (done) return;
      done = true;
      clearTimeout(giveUp);
      this.slackInFlight -= 1;
      this.slack.record(ask.kind, nowMs() - arrivedAt, outcome);
      if (ask.kind === "summary" && outcome === "answered" && this.slackSample === "") this.slackSample = text;
    };
    const req = request(
      { host: "127.0.0.1", port: this.slackPort, path: "/slack/events", method: "POST", headers, agent: this.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          // Bolt acknowledges a late answer with an empty 200; the answer follows at the response URL.
          finish(res.statusCode !== 200 ? "failed" : text === "" ? "deferred" : "answered", text);
        });
        res.on("error", () => finish("failed"));
      },
    );
    req.on("error", () => finish(timedOut ? "unanswered" : "failed"));
    req.on("socket", (socket) => {
      if (this.sockets.has(socket)) return;
      this.sockets.add(socket);
      this.connectionsOpened += 1;
    });
    req.end(body);
  }

  private sendDiscord(arrivedAt: number): void {
    const ask = this.nextDiscord();
    const interaction = ask.make();
    this.discord.offered += 1;
    this.pendingDiscord.set(String(interaction["id"]), { arrivedAt, kind: ask.kind, tally: this.discord });
    this.fakeDiscord.interact(interaction);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A full garbage collection in the bot, through its inspector: what the heap holds after it is what the bot retains. */
function collectGarbage(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error("the bot's inspector did not answer"));
    }, 10_000);
    socket.on("open", () => socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" })));
    socket.on("message", (data: Buffer) => {
      if ((JSON.parse(data.toString("utf8")) as { id?: unknown }).id !== 1) return;
      clearTimeout(timer);
      socket.close();
      resolve();
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** CPU time every core of the machine spent busy, and in all, in ms since boot (/proc/stat, Linux). */
async function machineCpuMs(): Promise<{ busy: number; total: number }> {
  const { readFile } = await import("node:fs/promises");
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  // idle and iowait are the 4th and 5th fields; 100 ticks a second.
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: (total - idle) * 10, total: total * 10 };
}

/** Connection attempts the kernel dropped because a listener's accept queue was full, machine-wide (Linux). */
async function listenOverflows(): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const lines = (await readFile("/proc/net/netstat", "utf8")).split("\n").filter((l) => l.startsWith("TcpExt:"));
  const names = lines[0]?.split(/\s+/) ?? [];
  const values = lines[1]?.split(/\s+/) ?? [];
  return Number(values[names.indexOf("ListenOverflows")] ?? Number.NaN);
}

/** How busy the bot, the bench process (load generator and fakes) and everything else were, in cores, over a span. */
class CpuMeter {
  private constructor(
    private readonly pid: number,
    private readonly at: number,
    private readonly bot: number,
    private readonly bench: number,
    private readonly machine: number,
  ) {}

  static async start(pid: number): Promise<CpuMeter> {
    const usage = process.cpuUsage();
    return new CpuMeter(
      pid,
      nowMs(),
      await cpuMs(pid),
      (usage.user + usage.system) / 1000,
      (await machineCpuMs()).busy,
    );
  }

  async cores(): Promise<{ bot: number; bench: number; others: number }> {
    const seconds = (nowMs() - this.at) / 1000;
    const usage = process.cpuUsage();
    const bot = ((await cpuMs(this.pid).catch(() => Number.NaN)) - this.bot) / 1000 / seconds;
    const bench = ((usage.user + usage.system) / 1000 - this.bench) / 1000 / seconds;
    const machine = ((await machineCpuMs()).busy - this.machine) / 1000 / seconds;
    return { bot, bench, others: Number.isNaN(bot) ? Number.NaN : Math.max(0, machine - bot - bench) };
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mib(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The kinds of interaction slowest at p99, to say where the time went when the window is missed. */
function slowestKinds(tally: Tally, count: number): string {
  return [...tally.byKind.entries()]
    .map(([kind, ms]) => ({ kind, p99: percentile(ms, 99) }))
    .sort((a, b) => b.p99 - a.p99)
    .slice(0, count)
    .map((k) => `${k.kind} ${round(k.p99)} ms`)
    .join(", ");
}

export const soakScenario: Scenario = async ({ quick, progress }) => {
  // BENCH_SOAK_SECONDS shortens the load and the settle alike, for probing around the knee without a 3-minute run.
  const fullSeconds = Number(process.env["BENCH_SOAK_SECONDS"] ?? 60);
  const loadSeconds = quick ? 1 : fullSeconds;
  const settleSeconds = quick ? 1 : fullSeconds;
  const idleSeconds = quick ? 0.5 : 10;
  const warmUpSeconds = quick ? 0.3 : 3;
  const clockStart = nowMs();
  const fakeSlack = await FakeSlack.start();
  const fakeDiscord = await FakeDiscord.start({ heartbeatIntervalMs: 30_000 });
  const bot = spawnBot(
    {
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fakeSlack.apiUrl,
      PORT: "0",
      DISCORD_TOKEN,
      DISCORD_API_URL: fakeDiscord.apiUrl,
      DISCORD_APPLICATION_ID: IDS.application,
      OPS_PORT: "0",
      OPS_HOST: "127.0.0.1",
      // As in production: one info line per command, and the digest scheduler ticking (with nothing to send).
      LOG_LEVEL: "info",
    },
    "ignore",
    // Only so the scenario can ask for a full GC before reading what the heap retains; nothing else attaches.
    ["--inspect=127.0.0.1:0"],
  );
  drainStdout(bot);
  const logs = new LogWatch(bot);
  let watcher: Watcher | undefined;
  let driver: Driver | undefined;
  try {
    const [slackConnected, ops] = await Promise.all([
      logs.waitFor("slack connected"),
      logs.waitFor("ops endpoint listening"),
      logs.waitFor("bot ready"),
    ]);
    const inspectorUrl = logs.inspectorUrl;
    if (inspectorUrl === undefined) throw new Error("the bot did not print its inspector's address");
    const pid = bot.pid ?? 0;
    const opsPort = Number(ops["port"]);
    const slackPort = Number(slackConnected["port"]);
    watcher = new Watcher(pid, opsPort, clockStart);
    const atReady = await watcher.sample();
    driver = new Driver(fakeSlack, fakeDiscord, slackPort);
    logs.counting = true;

    // Every kind of question once or more, so lazily built caches are in the baseline rather than counted as growth.
    progress(`soak: warm-up at 100/s for ${warmUpSeconds} s, then ${idleSeconds} s idle for the baseline`);
    await driver.offer(warmUpSeconds, 100, clockStart);
    await driver.settle();
    const answeredStory = (sample: string, offered: number) => offered === 0 || sample.includes("Sources");
    if (
      !answeredStory(driver.slackSample, driver.slack.offered) ||
      !answeredStory(driver.discordSample, driver.discord.offered)
    )
      throw new Error(
        `the bot did not answer with the story: Slack ${driver.slackSample.slice(0, 200)} / Discord ${driver.discordSample.slice(0, 200)}`,
      );
    const warmMissed =
      driver.slack.failed + driver.slack.unanswered + driver.discord.failed + driver.discord.unanswered;
    if (warmMissed > 0) throw new Error(`${warmMissed} warm-up interactions got no answer`);
    driver.close();
    const idleFrom = nowMs() - clockStart;
    watcher.start();
    await wait(idleSeconds * 1000);
    await watcher.sample();
    const baselineSamples = watcher.between(idleFrom, Number.POSITIVE_INFINITY);
    await collectGarbage(inspectorUrl);
    const baselineRetained = await watcher.sample();
    const metricsBefore = (await opsGet(opsPort, "/metrics", 30_000)).body;

    // Fresh tallies: the warm-up's answers are not the load's.
    driver = new Driver(fakeSlack, fakeDiscord, slackPort);
    fakeDiscord.calls.splice(0);
    progress(
      `soak: ${RATE} interactions/s (${Math.round(SLACK_SHARE * 100)}% Slack, the rest Discord) for ${loadSeconds} s, open loop`,
    );
    const loadAverageBefore = loadavg()[0] ?? 0;
    const overflowsBefore = await listenOverflows();
    const cpu = await CpuMeter.start(pid);
    const cpuAtLoad = await cpuMs(pid);
    const loadFrom = nowMs() - clockStart;
    const offered = await driver.offer(loadSeconds, RATE, clockStart);
    const cores = await cpu.cores();
    const overflows = (await listenOverflows()) - overflowsBefore;
    // At least one sample at the height of the load, however the once-a-second ones fell.
    await watcher.sample(WINDOW_MS);
    progress(
      `soak: load offered (${Math.round(offered.offeredPerSecond)}/s, generator at most ${Math.round(offered.maxLagMs)} ms behind); waiting for the last answers`,
    );
    await driver.settle();
    const drainedAt = nowMs() - clockStart;
    const peakHwmMiB = await residentMiB(pid, "VmHWM").catch(() => Number.NaN);
    progress(`soak: ${settleSeconds} s idle after the load`);
    const afterUntil = offered.endedAt + settleSeconds * 1000;
    await wait(Math.max(0, afterUntil - (nowMs() - clockStart)));
    const finalSample = await watcher.sample();
    const metricsAfter = await opsGet(opsPort, "/metrics", 30_000).then(
      (r) => r.body,
      () => undefined,
    );
    // To the end of the minute after: a request the bench gave up on may still be answered by the bot meanwhile.
    const botCpuMs = (await cpuMs(pid).catch(() => Number.NaN)) - cpuAtLoad;
    watcher.stop();
    const during = watcher.between(loadFrom, drainedAt);
    // "A minute after": the last tenth of the settle, so one sample's timing against a garbage collection matters less.
    const after = [...watcher.between(offered.endedAt + settleSeconds * 900, afterUntil), finalSample];
    const curve = watcher
      .between(offered.endedAt, afterUntil + 1)
      .filter((_, i) => i % 10 === 0)
      .map((s) => `${Math.round((s.at - offered.endedAt) / 1000)} s ${mib(s.rssMiB)}/${mib(s.heapUsedMiB)}`)
      .join(", ");
    const collected = await collectGarbage(inspectorUrl).then(
      () => true,
      () => false,
    );
    const afterRetained = collected
      ? await watcher.sample()
      : { at: Number.NaN, rssMiB: Number.NaN, heapUsedMiB: Number.NaN, heapTotalMiB: Number.NaN };
    const finalHealth = await watcher.health();
    const alive = bot.exitCode === null && bot.signalCode === null;

    // A heap sample the busy bot did not answer in time is NaN: left out rather than sorted among the others.
    const known = (samples: readonly MemorySample[], field: "rssMiB" | "heapUsedMiB" | "heapTotalMiB") =>
      samples.map((s) => s[field]).filter(Number.isFinite);
    const baseline = {
      rss: median(known(baselineSamples, "rssMiB")),
      heap: median(known(baselineSamples, "heapUsedMiB")),
    };
    const peak = {
      rss: Math.max(...known(during, "rssMiB")),
      heap: Math.max(...known(during, "heapUsedMiB")),
      heapTotal: Math.max(...known(during, "heapTotalMiB")),
    };
    const back = { rss: median(known(after, "rssMiB")), heap: median(known(after, "heapUsedMiB")) };
    const all = Tally.merged([driver.slack, driver.discord]);
    const counted = (label: string) =>
      metricsAfter === undefined
        ? Number.NaN
        : metricValue(metricsAfter, "newsbot_commands_total", label) -
          metricValue(metricsBefore, "newsbot_commands_total", label);
    const failedCommands = counted('outcome="failed"');
    const commandsCounted = counted("");
    // Commands the bench gave up on may still have been answered; autocompletes are not counted as commands.
    const handled =
      commandsCounted +
      [...driver.discord.byKind]
        .filter(([kind]) => kind.includes("autocomplete"))
        .reduce((n, [, ms]) => n + ms.length, 0);
    driver.close();

    const rows: ResultRow[] = [
      driver.slack.row("Slack (signed HTTP POST)"),
      driver.discord.row("Discord (gateway dispatch)"),
      all.row("all"),
      {
        label: "RSS MiB",
        values: {
          "at ready": mib(atReady.rssMiB),
          baseline: mib(baseline.rss),
          peak: mib(peak.rss),
          "after 1 min": mib(back.rss),
        },
      },
      {
        label: "heap used MiB, as scraped",
        values: {
          "at ready": mib(atReady.heapUsedMiB),
          baseline: mib(baseline.heap),
          peak: mib(peak.heap),
          "after 1 min": mib(back.heap),
        },
      },
      {
        label: "heap after a full GC MiB",
        values: { baseline: mib(baselineRetained.heapUsedMiB), "after 1 min": mib(afterRetained.heapUsedMiB) },
      },
    ];
    const windowMissed = all.latenciesMs.filter((ms) => ms > WINDOW_MS).length;
    const goals: GoalCheck[] = [
      {
        goal: `${RATE} interactions/s offered for ${loadSeconds} s, open loop`,
        measured: `${round(offered.offeredPerSecond)}/s, ${all.offered} in all; the generator fell at most ${round(offered.maxLagMs)} ms behind its schedule`,
        met: offered.offeredPerSecond >= RATE * 0.98 && all.offered === Math.round(loadSeconds * RATE),
      },
      {
        goal: "every interaction answered or deferred within 3 s",
        measured: `${all.overWindow} of ${all.offered} not (${windowMissed} acknowledged after 3 s, ${all.failed} refused or cut off, ${all.unanswered} with no answer in ${GIVE_UP_MS / 1000} s); p99 ${round(percentile(all.latenciesMs, 99))} ms, max ${round(Math.max(0, ...all.latenciesMs))} ms`,
        met: all.overWindow === 0 && all.settled === all.offered,
      },
      {
        goal: "no crash: the bot still running, /healthz ok every second",
        measured: `${alive ? "running" : `exited (${String(bot.exitCode ?? bot.signalCode)})`}; /healthz ${watcher.healthChecks - watcher.healthFailures} of ${watcher.healthChecks} ok within 3 s, slowest ${round(watcher.healthMaxMs)} ms`,
        met: alive && finalHealth && watcher.healthFailures === 0,
      },
      {
        goal: "no command failed on our side",
        measured: `${Number.isNaN(failedCommands) ? "/metrics did not answer" : `${failedCommands} apologies in /metrics`}, ${logs.errors} error and ${logs.warnings} warning log lines`,
        met: failedCommands === 0 && logs.errors === 0,
      },
      {
        goal: `heap after a full GC back within ${NEAR_BASELINE}× of its baseline a minute after the load`,
        measured: `${mib(baselineRetained.heapUsedMiB)} → ${mib(afterRetained.heapUsedMiB)} MiB (${round(afterRetained.heapUsedMiB / baselineRetained.heapUsedMiB)}×); as scraped ${mib(baseline.heap)} → peak ${mib(peak.heap)} → ${mib(back.heap)} MiB`,
        met: afterRetained.heapUsedMiB <= baselineRetained.heapUsedMiB * NEAR_BASELINE,
      },
      {
        goal: `RSS back within ${NEAR_BASELINE}× of its baseline a minute after the load`,
        measured: `${mib(baseline.rss)} → peak ${mib(peak.rss)} → ${mib(back.rss)} MiB (${round(back.rss / baseline.rss)}×); ${mib(afterRetained.rssMiB)} MiB after the full GC`,
        met: back.rss <= baseline.rss * NEAR_BASELINE,
      },
    ];
    return {
      name: "6. Load and soak",
      rows,
      goals,
      notes: [
        `One bot process (node dist/main.js) with Slack in HTTP mode and Discord, against the fakes on 127.0.0.1; ${RATE} arrivals/s, each Slack (${Math.round(SLACK_SHARE * 100)}%, a signed POST to /slack/events, a new connection whenever none is free, up to ${SLACK_CONNECTIONS}) or Discord (INTERACTION_CREATE on the fake gateway), on a fixed schedule that does not wait for answers.`,
        `The mix: story subcommands, /who by surname, full name, typo, role and unknown name, autocomplete, /help, /digest status and preview, and about 6% bad input (typos, stale subcommands, over-long and control-character text). Seeded, so every run asks the same.`,
        `Latency: from when an arrival was due to its acknowledgement (Slack: the HTTP answer to the POST, empty when deferred; Discord: the interaction callback at the fake REST server). ${driver.slack.lateAnswers + driver.discord.lateAnswers} deferred answers followed later.`,
        `Slack: ${driver.connectionsOpened} connections opened to the bot during the load; the kernel dropped ${overflows} connection attempts meanwhile because an accept queue was full (TcpExt ListenOverflows, machine-wide); TCP retries such an attempt only after a second or more.`,
        `Slowest kinds at p99: Slack ${slowestKinds(driver.slack, 3)}; Discord ${slowestKinds(driver.discord, 3)}.`,
        `CPU while the load was offered, in cores of ${availableParallelism()}: the bot ${round(cores.bot)}, the bench process (generator and fakes) ${round(cores.bench)}, everything else on the machine ${round(cores.others)} (load average ${round(loadAverageBefore)} before). From the first arrival to the end of the minute after, the bot used ${round(botCpuMs / handled)} ms of CPU per interaction it handled (${handled}: commands in /metrics and autocompletes answered): a core of its own would carry about ${round(handled / (botCpuMs / 1000))} a second of this mix.`,
        `Memory: RSS from /proc, heap from the bot's /metrics, once a second; baseline = median over ${idleSeconds} s idle after a ${warmUpSeconds} s warm-up at 100/s; after = median over the last ${round(settleSeconds / 10)} s of the ${settleSeconds} s after the last arrival; the full GC is asked for through the bot's inspector (node --inspect on 127.0.0.1) after each. Peak heap total ${mib(peak.heapTotal)} MiB; VmHWM ${mib(peakHwmMiB)} MiB.`,
        `RSS/heap used MiB after the last arrival: ${curve}.`,
        ...(logs.problems.size > 0
          ? [`Logged during the run: ${[...logs.problems].map(([text, count]) => `${text} (×${count})`).join("; ")}.`]
          : []),
        `${commandsCounted} commands counted by the bot's /metrics from the baseline to a minute after the load (autocomplete is not a command); the last answer (or give-up) came ${Math.round((drainedAt - offered.endedAt) / 1000)} s after the last arrival.`,
        `Run ${new Date().toISOString()}; ${Math.round((nowMs() - clockStart) / 1000)} s in all.`,
      ],
    };
  } finally {
    watcher?.stop();
    driver?.close();
    opsAgent.destroy();
    await stopChild(bot);
    await Promise.all([fakeSlack.close(), fakeDiscord.close()]);
  }
};
