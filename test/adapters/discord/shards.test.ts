// Discord in shards against the loopback Discord: one adapter running two shards, and the compiled shard manager running a process per shard.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../../src/adapters/discord/discord-adapter.js";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import { LogReader } from "../../bot-process.js";
import { FakeDiscord, IDS, commandInteraction } from "../../fakes/discord.js";
import { adapterDeps, loadRealContent, projectRoot } from "../../helpers.js";
import { RecordingLogger, type LogEntry } from "../../recording-logger.js";
import { subscribeDueDiscordChannels } from "../../digest-seed.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.shards-test-token";
const DIGEST_CHANNEL = "1112223334445550042";

type Json = Record<string, unknown>;

function callbackPath(interaction: Json): RegExp {
  return new RegExp(`^/api/v10/interactions/${String(interaction["id"])}/${String(interaction["token"])}/callback$`);
}

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("one adapter running two shards", () => {
  const content = loadRealContent();
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  const logs: LogEntry[] = [];

  beforeAll(async () => {
    // max_concurrency 2 puts the two IDENTIFYs in different buckets, so discord.js does not space them 5 s apart.
    fake = await FakeDiscord.start({ maxConcurrency: 2 });
    adapter = new DiscordAdapter(
      { token: TOKEN, apiUrl: fake.apiUrl, applicationId: IDS.application, shards: { count: 2 } },
      adapterDeps({
        content: () => content,
        settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
        logger: new RecordingLogger(logs),
      }),
    );
  });

  afterAll(async () => {
    await adapter.stop();
    await fake.close();
  });

  it("is ready only once every shard is: start() waits for a shard that is slow to get READY", async () => {
    const releaseShard1 = fake.holdReady(1);
    let started = false;
    const starting = adapter.start().then(() => (started = true));
    await until(
      "shard 0 ready and shard 1 identified",
      () =>
        logs.some((l) => l.msg === "discord shard ready" && l.fields["shard"] === 0) && fake.identified.length === 2,
    );
    // A heartbeat round trip on shard 0 after its READY: time enough for start() to have resolved, had it not waited.
    const heartbeats = fake.framesWithOp(1).length;
    await fake.waitFor("another heartbeat", () => (fake.framesWithOp(1).length > heartbeats ? true : undefined));
    expect(started).toBe(false);
    expect(adapter.readinessProblem()).toBe("gateway connecting");

    releaseShard1();
    await starting;
    expect(adapter.readinessProblem()).toBeUndefined();
    expect(fake.identified.map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    const ready = logs.find((l) => l.msg === "discord ready");
    expect(ready?.fields).toMatchObject({ shards: [0, 1], shardCount: 2 });
  });

  it("answers an interaction on each shard's connection", async () => {
    const onShard0 = commandInteraction("hostages", { subcommand: "summary" });
    const onShard1 = commandInteraction("who", { options: { name: "boehler" } });
    fake.interact(onShard0, 0);
    fake.interact(onShard1, 1);
    await fake.waitForCall("POST", callbackPath(onShard0));
    await fake.waitForCall("POST", callbackPath(onShard1));
    expect(fake.unknownRoutes).toEqual([]);
  });

  it("names the shard that is down in /readyz while the other keeps answering", async () => {
    // 4010 (invalid shard) is a close discord.js does not retry: shard 1 stays down.
    fake.closeConnection(4010, 1);
    await until("shard 1 reported down", () => adapter.readinessProblem() !== undefined);
    expect(adapter.readinessProblem()).toBe("gateway shard 1 disconnected");
    expect(logs.find((l) => l.msg === "discord gateway closed for good")?.fields).toMatchObject({
      shard: 1,
      code: 4010,
    });

    const interaction = commandInteraction("hostages", { subcommand: "latest" });
    fake.interact(interaction, 0);
    await fake.waitForCall("POST", callbackPath(interaction));
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });
});

// --- the compiled shard manager ------------------------------------------------------------------------

function spawnManager(env: Record<string, string>): { child: ChildProcess; logs: LogReader } {
  const database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-shards-")), "bot.sqlite");
  const child = spawn(process.execPath, [path.join(projectRoot, "dist/cli/discord-shards.js")], {
    cwd: projectRoot,
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "",
      DATABASE_PATH: database,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { child, logs: new LogReader(child) };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

/** A port whose next one is free too, for OPS_PORT with two shards (OPS_PORT and OPS_PORT + 1). */
async function twoFreePorts(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const first = await listen(0);
    const { port } = first.address() as { port: number };
    const second = await listen(port + 1).catch(() => undefined);
    await new Promise((resolve) => first.close(resolve));
    if (second) {
      await new Promise((resolve) => second.close(resolve));
      return port;
    }
  }
  throw new Error("no two consecutive free ports");
}

/** Subscribes one Discord channel to a digest that fell due two minutes ago (inside the catch-up window). */
async function seedDueDigest(database: string): Promise<void> {
  const store = await openSqliteStore(database);
  await subscribeDueDiscordChannels(store, [DIGEST_CHANNEL]);
  await store.close();
}

describe("npm run start:shards with DISCORD_SHARD_COUNT=2", () => {
  let fake: FakeDiscord;
  let manager: { child: ChildProcess; logs: LogReader };
  let database: string;
  let opsPort: number;
  /** The pid of the process running each shard, as the manager logged it (the latest spawn). */
  const pidOf = (shard: number): number => {
    const spawned = manager.logs.entries().filter((e) => e["msg"] === "shard spawned" && e["shard"] === shard);
    return Number(spawned.at(-1)?.["shardPid"]);
  };
  const linesOf = (pid: number, msg: string) =>
    manager.logs.entries().filter((e) => e["pid"] === pid && e["msg"] === msg);

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    database = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-shards-db-")), "ledger.sqlite");
    await seedDueDigest(database);
    opsPort = await twoFreePorts();
    manager = spawnManager({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_APPLICATION_ID: IDS.application,
      DISCORD_SHARD_COUNT: "2",
      DATABASE_PATH: database,
      OPS_PORT: String(opsPort),
      OPS_HOST: "127.0.0.1",
      SHUTDOWN_GRACE_SECONDS: "2",
    });
    await manager.logs.waitFor((e) => e["msg"] === "all shards ready");
    // The manager's ready is discord.js's shardReady; the bot's own start-up (digests included) ends with "bot ready".
    await until(
      "both shard processes ready",
      () => manager.logs.entries().filter((e) => e["msg"] === "bot ready").length === 2,
      20_000,
    );
  }, 60_000);

  afterAll(async () => {
    if (manager.child.exitCode === null && manager.child.signalCode === null) {
      for (const shard of [0, 1]) if (alive(pidOf(shard))) process.kill(pidOf(shard), "SIGKILL");
      manager.child.kill("SIGKILL");
      await exitOf(manager.child);
    }
    await fake.close();
  });

  it("runs each shard in a process of its own, which IDENTIFYs with [0, 2] and [1, 2]", () => {
    const pids = [pidOf(0), pidOf(1)];
    expect(pids.every((pid) => Number.isInteger(pid) && pid !== manager.child.pid)).toBe(true);
    // Lines carry the pid of the process that wrote them: the manager's own say so, the shards' are told apart by it.
    expect(manager.logs.entries().find((e) => e["msg"] === "shard spawned")?.["pid"]).toBe(manager.child.pid);
    expect(pids[0]).not.toBe(pids[1]);
    expect(fake.identified.map((s) => s.shard).sort((a, b) => a[0] - b[0])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(fake.openConnections).toBe(2);
    expect(linesOf(pids[0] ?? 0, "discord ready")[0]).toMatchObject({ shards: [0], shardCount: 2 });
    expect(linesOf(pids[1] ?? 0, "discord ready")[0]).toMatchObject({ shards: [1], shardCount: 2 });
  });

  it("answers an interaction dispatched on shard 0 and one on shard 1", async () => {
    const onShard0 = commandInteraction("hostages", { subcommand: "summary" });
    const onShard1 = commandInteraction("who", { options: { name: "boehler" } });
    fake.interact(onShard0, 0);
    fake.interact(onShard1, 1);
    expect(obj((await fake.waitForCall("POST", callbackPath(onShard0))).body)["type"]).toBe(4);
    expect(obj((await fake.waitForCall("POST", callbackPath(onShard1))).body)["type"]).toBe(4);
  });

  it("gives each shard process its own ops endpoint, OPS_PORT and OPS_PORT + 1, both ready", async () => {
    for (const port of [opsPort, opsPort + 1]) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(obj(await ready.json())["checks"]).toMatchObject({ discord: "ok" });
    }
  });

  it("plans and posts a due digest exactly once, from the shard-0 process only", async () => {
    await fake.waitFor("the digest", () => (fake.messagesIn(DIGEST_CHANNEL).length > 0 ? true : undefined), 30_000);
    const store = await openSqliteStore(database);
    try {
      // The bot records the delivery right after Discord answers; give it a moment to land.
      let rows = await store.listDeliveries();
      for (let i = 0; i < 50 && rows.some((r) => r.state !== "delivered"); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rows = await store.listDeliveries();
      }
      expect(rows.map((r) => [r.channel, r.state])).toEqual([[`discord:${IDS.guild}:${DIGEST_CHANNEL}`, "delivered"]]);
    } finally {
      await store.close();
    }
    expect(fake.messagesIn(DIGEST_CHANNEL)).toHaveLength(1);
    const planned = manager.logs.entries().filter((e) => e["msg"] === "digests planned");
    expect(planned.map((e) => e["pid"])).toEqual([pidOf(0)]);
    expect(planned[0]).toMatchObject({ planned: 1 });
    const leftToShard0 = linesOf(
      pidOf(1),
      "digest scheduling is left to the process holding Discord shard 0; this one answers commands only",
    );
    expect(leftToShard0).toHaveLength(1);
    expect(leftToShard0[0]).toMatchObject({ shards: [1] });
  });

  it("respawns a shard process that dies, which connects again as shard 1", async () => {
    const before = pidOf(1);
    const identifies = fake.identified.length;
    process.kill(before, "SIGKILL");
    await manager.logs.waitFor((e) => e["msg"] === "shard died" && e["shard"] === 1 && e["shardPid"] === before);
    await manager.logs.waitFor((e) => e["msg"] === "respawning shard" && e["shard"] === 1);
    await manager.logs.waitFor((e) => e["msg"] === "shard ready" && e["shard"] === 1 && e["shardPid"] !== before);
    expect(pidOf(1)).not.toBe(before);
    expect(fake.identified.slice(identifies).map((s) => s.shard)).toEqual([[1, 2]]);
    const onShard1 = commandInteraction("who", { options: { name: "boehler" } });
    fake.interact(onShard1, 1);
    await fake.waitForCall("POST", callbackPath(onShard1));
  }, 30_000);

  it("passes SIGTERM to every shard, waits for them to stop, and exits 0; the token is in no log line", async () => {
    const pids = [pidOf(0), pidOf(1)];
    manager.child.kill("SIGTERM");
    expect(await exitOf(manager.child)).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    // Each shard stopped in order (main.ts's "stopped") rather than being killed.
    for (const pid of pids) expect(linesOf(pid, "stopped")).toHaveLength(1);
    expect(
      manager.logs
        .entries()
        .filter((e) => e["msg"] === "shard stopped")
        .map((e) => e["shard"])
        .sort(),
    ).toEqual([0, 1]);
    expect(manager.logs.lines.join("\n")).not.toContain(TOKEN);
    expect(manager.logs.entries().some((e) => e["msg"] === "respawning shard" && e["shard"] === 0)).toBe(false);
  }, 30_000);
});

describe("npm run start:shards: other counts and bad settings", () => {
  it("with DISCORD_SHARD_COUNT=auto asks DISCORD_API_URL for the count; SIGTERM during start-up still exits 0", async () => {
    const fake = await FakeDiscord.start({ recommendedShards: 2 });
    const { child, logs } = spawnManager({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARD_COUNT: "auto",
    });
    try {
      expect(await logs.waitFor((e) => e["msg"] === "shard count recommended by Discord")).toMatchObject({
        shardCount: 2,
      });
      await logs.waitFor((e) => e["msg"] === "shard ready" && e["shard"] === 0);
      expect(fake.identified.map((s) => s.shard)).toEqual([[0, 2]]);
      // The manager is now pausing before shard 1, as Discord wants between IDENTIFYs.
      child.kill("SIGTERM");
      expect(await exitOf(child)).toBe(0);
      expect(
        logs
          .entries()
          .filter((e) => e["msg"] === "shard spawned")
          .map((e) => e["shard"]),
      ).toEqual([0]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await fake.close();
    }
  }, 30_000);

  it("stops its shard processes when the manager itself is killed, so a new manager never runs the same shard twice", async () => {
    const fake = await FakeDiscord.start();
    const { child, logs } = spawnManager({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_SHARD_COUNT: "1",
      SHUTDOWN_GRACE_SECONDS: "2",
    });
    let shardPid = 0;
    try {
      await logs.waitFor((e) => e["msg"] === "bot ready");
      shardPid = Number(logs.entries().find((e) => e["msg"] === "shard spawned")?.["shardPid"]);
      expect(alive(shardPid)).toBe(true);
      child.kill("SIGKILL");
      // The orphan notices the manager's IPC channel close, stops in order, and exits (its stderr is still our pipe).
      await until(
        "the orphan to log its stop",
        () => logs.entries().some((e) => e["pid"] === shardPid && e["msg"] === "stopped"),
        10_000,
      );
      await until("the orphaned shard process to exit", () => !alive(shardPid), 10_000);
      expect(
        logs
          .entries()
          .some((e) => e["pid"] === shardPid && e["msg"] === "stopping" && e["reason"] === "shard manager gone"),
      ).toBe(true);
    } finally {
      if (shardPid > 0 && alive(shardPid)) process.kill(shardPid, "SIGKILL");
      await fake.close();
    }
  }, 30_000);

  it("refuses shard ids at or above the count, and a missing token, before starting anything", async () => {
    const outOfRange = spawnManager({ DISCORD_TOKEN: TOKEN, DISCORD_SHARD_COUNT: "2", DISCORD_SHARD_IDS: "1-2" });
    const noToken = spawnManager({ DISCORD_SHARD_COUNT: "2" });
    expect(await exitOf(outOfRange.child)).toBe(1);
    expect(outOfRange.logs.lines.join("\n")).toContain(
      "DISCORD_SHARD_IDS: shard 2 is not below DISCORD_SHARD_COUNT (2)",
    );
    expect(outOfRange.logs.lines.join("\n")).not.toContain(TOKEN);
    expect(await exitOf(noToken.child)).toBe(1);
    expect(noToken.logs.lines.join("\n")).toContain("DISCORD_TOKEN is not set");
  });
});

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}
