// Entry point for a sharded Discord bot (npm run start:shards): runs dist/main.js once per gateway shard and restarts any that dies.
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { ShardingManager, type Shard } from "discord.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import { digestRole } from "../scheduler/digest-role.js";
import { createLogger } from "../ops/logger.js";
import { readPlatformSettings } from "../adapters/platform-settings.js";
import { readConfig } from "./bootstrap.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const BOT_FILE = path.join(here, "..", "main.js");

/** discord.js's own spacing between shard starts: Discord accepts one IDENTIFY per 5 s per max_concurrency bucket. */
const SPAWN_SPACING_MS = 5_500;
/** How long the start-up waits for a shard's ready before moving on to the next (the late one keeps connecting). */
const READY_WAIT_MS = 30_000;
/** A crashing shard is restarted after 1 s, then 2, 4, … up to a minute, so a bad setting cannot spin the CPU. */
const FIRST_RESPAWN_DELAY_MS = 1_000;
const MAX_RESPAWN_DELAY_MS = 60_000;
/** Beyond the shards' own grace period: time to close connections and the store before they are killed. */
const STOP_MARGIN_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * DISCORD_SHARD_COUNT=auto: the count Discord recommends for the bot (GET /gateway/bot). discord.js's own "auto" asks
 * https://discord.com/api whatever DISCORD_API_URL says; asking here goes through DISCORD_API_URL like every other call.
 */
async function recommendedShardCount(token: string, apiUrl: string | undefined): Promise<number> {
  const response = await fetch(`${apiUrl ?? "https://discord.com/api"}/v10/gateway/bot`, {
    headers: { Authorization: `Bot ${token}` },
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status === 401) throw new Error("Discord refused DISCORD_TOKEN (401 Unauthorized)");
  if (!response.ok) throw new Error(`Discord answered ${response.status} ${response.statusText}`);
  const { shards } = (await response.json()) as { shards?: unknown };
  if (typeof shards !== "number" || !Number.isInteger(shards) || shards < 1)
    throw new Error("Discord's answer had no shard count");
  return shards;
}

/** Resolves once the child has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

async function main(): Promise<void> {
  const configResult = readConfig(process.env, { heading: "The configuration is invalid, so no shard was started" });
  if (!configResult.ok) fail(configResult.message);
  const config = configResult.value;
  const platformResult = readPlatformSettings(process.env);
  if (!platformResult.ok)
    fail(
      `The platform settings are invalid, so no shard was started:\n${platformResult.errors.map((e) => `  ${e}`).join("\n")}`,
    );
  const { discord, slack } = platformResult.platforms;
  if (!discord)
    fail(
      "DISCORD_TOKEN is not set: shards are Discord gateway connections, so there is nothing to run. Use npm start for Slack or the console.",
    );
  const logger: Logger = createLogger(config.logLevel, {
    pretty: process.stderr.isTTY === true && process.env["NODE_ENV"] !== "production",
  }).child({
    component: "shards",
  });

  let shardCount: number;
  if (discord.shards === undefined || discord.shards.count === "auto") {
    shardCount = await recommendedShardCount(discord.token, discord.apiUrl).catch((error: unknown) =>
      fail(
        `Could not ask Discord how many shards the bot needs (DISCORD_SHARD_COUNT=auto): ${errorMessage(error)}\nSet DISCORD_SHARD_COUNT to a number to start without asking.`,
      ),
    );
    logger.info({ shardCount }, "shard count recommended by Discord");
  } else {
    shardCount = discord.shards.count;
  }
  const shardIds = discord.shards?.ids ?? Array.from({ length: shardCount }, (_, id) => id);
  if (slack && shardIds.length > 1) {
    // Every shard process runs all of main.js, Slack included.
    if (slack.mode === "http")
      fail(
        "Slack HTTP mode is configured too: every shard process would listen on the same PORT. Run Slack in its own npm start process.",
      );
    logger.warn(
      { shards: shardIds },
      "Slack is configured too: every shard process opens its own Socket Mode connection",
    );
  }
  const opsPort = config.ops.port;
  if (opsPort !== undefined && opsPort > 0 && opsPort + shardIds.length - 1 > 65535)
    fail(`OPS_PORT ${opsPort} leaves no room for one port per shard (${shardIds.length})`);

  const manager = new ShardingManager(BOT_FILE, {
    totalShards: shardCount,
    shardList: shardIds,
    mode: "process",
    // Respawning is done here instead, with a growing delay: discord.js restarts a dead shard at once, forever.
    respawn: false,
    token: discord.token,
    execArgv: process.execArgv.filter((arg) => !arg.startsWith("--inspect")),
  });

  let stopping = false;
  const respawnTimers = new Set<NodeJS.Timeout>();
  const respawnDelays = new Map<number, number>();

  const start = (shard: Shard): Promise<void> =>
    shard.spawn(READY_WAIT_MS).then(
      () => undefined,
      (error: unknown) => {
        // A shard that died before ready is reported (and respawned) by its death event; one that is only slow keeps going.
        if (!stopping && shard.process)
          logger.warn(
            { shard: shard.id, err: errorMessage(error) },
            "shard not ready yet; starting the next one anyway",
          );
      },
    );

  const watch = (shard: Shard, index: number) => {
    // The manager passes its whole environment (tokens included) to every shard; these name the one shard it runs,
    // read by readDiscord like on a replica started by hand, overriding this machine's DISCORD_SHARD_IDS list.
    shard.env = {
      ...(shard.env as NodeJS.ProcessEnv),
      DISCORD_SHARD_IDS: String(shard.id),
      DISCORD_SHARD_COUNT: String(shardCount),
      // Each process has its own /readyz and /metrics; the first shard here keeps OPS_PORT, so a health check finds it.
      ...(opsPort !== undefined && opsPort > 0 && { OPS_PORT: String(opsPort + index) }),
    };
    // shardPid, not pid: pino's own pid field names the process that wrote the line, the manager.
    shard.on("spawn", (child) =>
      logger.info({ shard: shard.id, shardPid: (child as ChildProcess).pid }, "shard spawned"),
    );
    shard.on("ready", () => {
      respawnDelays.delete(shard.id);
      logger.info({ shard: shard.id, shardPid: shard.process?.pid }, "shard ready");
      if (manager.shards.size === shardIds.length && manager.shards.every((s) => s.ready))
        logger.info({ shards: shardIds, shardCount }, "all shards ready");
    });
    // A shard closing its gateway connection while stopping reports "reconnecting" too: not news then.
    shard.on("reconnecting", () => {
      if (!stopping) logger.info({ shard: shard.id }, "shard reconnecting to Discord");
    });
    shard.on("resume", () => logger.info({ shard: shard.id }, "shard resumed"));
    shard.on("disconnect", () => logger.warn({ shard: shard.id }, "shard disconnected from Discord for good"));
    shard.on("death", (child) => {
      const { pid: shardPid, exitCode: code, signalCode: signal } = child as ChildProcess;
      if (stopping) {
        logger.info({ shard: shard.id, shardPid, code, signal }, "shard stopped");
        return;
      }
      const delayMs = respawnDelays.get(shard.id) ?? FIRST_RESPAWN_DELAY_MS;
      respawnDelays.set(shard.id, Math.min(delayMs * 2, MAX_RESPAWN_DELAY_MS));
      logger.error({ shard: shard.id, shardPid, code, signal }, "shard died");
      logger.info({ shard: shard.id, inMs: delayMs }, "respawning shard");
      const timer = setTimeout(() => {
        respawnTimers.delete(timer);
        if (!stopping) void start(shard);
      }, delayMs);
      respawnTimers.add(timer);
    });
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const timer of respawnTimers) clearTimeout(timer);
    const children = manager.shards
      .map((shard) => shard.process)
      .filter((child): child is ChildProcess => child !== null);
    // Ctrl+C at a terminal already reached every process of the foreground group, shards included; a second SIGINT
    // would kill a shard mid-way through its orderly stop, so only a signal sent to this process alone is passed on.
    const forward = !(signal === "SIGINT" && process.stdin.isTTY === true);
    logger.info({ signal, shards: children.length, forwarded: forward }, "stopping shards");
    if (forward) for (const child of children) child.kill(signal);
    const deadlineMs = config.shutdownGraceSeconds * 1000 + STOP_MARGIN_MS;
    let killed = 0;
    const deadline = setTimeout(() => {
      for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
          killed += 1;
          child.kill("SIGKILL");
        }
      }
      logger.error({ killed, waitedMs: deadlineMs }, "shards still running after the grace period; killed");
    }, deadlineMs);
    void Promise.all(children.map(exited)).then(() => {
      clearTimeout(deadline);
      logger.info("all shards stopped");
      process.exit(killed > 0 ? 1 : 0);
    });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  // Whether this machine's shards include the digest planner (shard 0's process), for the operator reading the log.
  const plansDigests = digestRole({
    schedule: config.digest.schedule,
    shards: { count: shardCount, ids: shardIds },
    underShardManager: true,
    sharedStore: false,
  }).plans;
  logger.info({ shards: shardIds, shardCount, plansDigests }, "starting shards");
  for (const [index, id] of shardIds.entries()) {
    if (stopping) break;
    const shard = manager.createShard(id);
    watch(shard, index);
    await Promise.all([start(shard), index < shardIds.length - 1 ? sleep(SPAWN_SPACING_MS) : undefined]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`The shard manager stopped unexpectedly: ${errorMessage(error)}\n`);
  process.exit(1);
});
