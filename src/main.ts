// Composition root: reads config, loads content, wires logging, metrics and the ops endpoint, and runs the adapters.
import type { AdapterDependencies, PlatformAdapter } from "./adapters/adapter.js";
import { ConsoleAdapter } from "./adapters/console/console-adapter.js";
import { ConsoleDigestPoster } from "./adapters/console/digest-poster.js";
import type { SlackPosterAuth } from "./adapters/slack/digest-poster.js";
import { loadConfig, type AppConfig } from "./ops/config.js";
import { ContentHolder } from "./ops/content-holder.js";
import { formatContentReport } from "./core/content/content-error.js";
import type { DigestSettings } from "./core/digest/types.js";
import { loadContentDir } from "./core/content/load.js";
import { errorMessage } from "./core/errors.js";
import type { Logger } from "./core/logger.js";
import { digestRole } from "./scheduler/digest-role.js";
import { createLogger } from "./ops/logger.js";
import { configBaseDir } from "./ops/project-dir.js";
import { BotMetrics } from "./ops/metrics.js";
import { OpsServer, type ReadinessCheck } from "./ops/ops-server.js";
import { readPlatformSettings, type PlatformSettings } from "./adapters/platform-settings.js";
import { StoreDigestBook } from "./scheduler/digest-book.js";
import { DigestService } from "./scheduler/digest-service.js";
import { Planner } from "./scheduler/planner.js";
import type { DigestPoster } from "./scheduler/poster.js";
import { Sender } from "./scheduler/sender.js";
import { SharedRateBudget } from "./scheduler/shared-rate-budget.js";
import { openStore } from "./store/open-store.js";
import type { Store } from "./store/store.js";


function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/**
 * Until the adapters run there is nothing to finish, so a stop signal exits at once; without a handler,
 * node running as a container's PID 1 would ignore SIGTERM and wait to be killed.
 */
function exitEarly(): void {
  process.exit(0);
}

async function main(): Promise<void> {
  process.once("SIGTERM", exitEarly);
  process.once("SIGINT", exitEarly);
  const configResult = loadConfig(process.env, configBaseDir(process.env));
  if (!configResult.ok) {
    fail(`The configuration is invalid, so the bot did not start:\n${configResult.errors.map((e) => `  ${e}`).join("\n")}`);
  }
  const { config } = configResult;
  const platformResult = readPlatformSettings(process.env);
  if (!platformResult.ok) {
    fail(`The platform settings are invalid, so the bot did not start:\n${platformResult.errors.map((e) => `  ${e}`).join("\n")}`);
  }
  const { platforms } = platformResult;
  const consoleOnly = platforms.slack === undefined && platforms.discord === undefined;
  const interactive = process.stdin.isTTY === true;
  const terminal = interactive && process.stderr.isTTY === true;
  // A person at a terminal shares stderr with the prompt: keep routine info lines out unless LOG_LEVEL asks for them.
  const quietTerminal = consoleOnly && terminal && process.env["LOG_LEVEL"] === undefined && config.logLevel === "info";
  const logger = createLogger(quietTerminal ? "warn" : config.logLevel, {
    pretty: terminal && process.env["NODE_ENV"] !== "production",
  });

  const started = performance.now();
  const loaded = loadContentDir(config.contentDir);
  if (!loaded.ok) {
    logger.error({ problems: loaded.errors.length }, "content is invalid; not starting");
    fail(`${formatContentReport(loaded.errors)}\nFix these and start again (npm run content:check lists them without starting the bot).`);
  }
  const loadSeconds = (performance.now() - started) / 1000;
  logger.info(
    { files: loaded.content.fileCount, stories: loaded.content.stories.length, fingerprint: loaded.content.fingerprint, ms: Math.round(loadSeconds * 1000) },
    "content loaded",
  );

  const metrics = new BotMetrics();
  metrics.contentLoaded(loaded.content, loadSeconds);
  const content = new ContentHolder(config.contentDir, loaded.content, logger.child({ component: "content" }), {
    loaded: (c, seconds) => metrics.contentLoaded(c, seconds),
    reloaded: (outcome) => metrics.contentReloaded(outcome),
  });
  process.on("SIGHUP", () => content.reload("SIGHUP"));
  if (config.watchContent) content.watch();

  // DATABASE_URL (Postgres, for several replicas) is read from the environment only: it may hold a password.
  const databaseUrl = process.env["DATABASE_URL"]?.trim() || undefined;
  const store = await openStore({
    databasePath: config.digest.databasePath,
    ...(databaseUrl !== undefined && { databaseUrl }),
    onIdleError: (error) => logger.warn({ err: error }, "Postgres dropped an idle connection; the next query opens a new one"),
  }).catch((error: unknown) =>
    fail(
      databaseUrl === undefined
        ? `The digest database ${config.digest.databasePath} could not be opened: ${errorMessage(error)}\nSet DATABASE_PATH to a writable file.`
        : `The Postgres database in DATABASE_URL could not be opened: ${errorMessage(error)}\nCheck that it is running and that the URL is right.`,
    ),
  );
  logger.info({ store: store.kind }, "store opened");
  metrics.watchLedger(() => store.countDeliveries());
  const digestSettings: DigestSettings = {
    defaultTime: config.digest.defaultTime,
    defaultTimeZone: config.digest.defaultTimeZone,
    catchUpMinutes: config.digest.catchUpMinutes,
    quietDays: config.digest.quietDays,
    catchUpItems: config.digest.catchUpItems,
  };
  const digests = { book: new StoreDigestBook(store), settings: digestSettings };

  const deps = (name: string): AdapterDependencies => ({
    content: content.current,
    settings: config.answers,
    logger: logger.child({ adapter: name }),
    observe: (outcome) => metrics.commandFinished(outcome),
    rateLimited: () => metrics.rateLimited(name),
    digests,
  });

  const life = new Lifecycle(logger, config.shutdownGraceSeconds * 1000, () => content.close());
  life.addReadinessCheck({
    name: "store",
    problem: () => store.ping().then(() => undefined, (error: unknown) => `store unreachable: ${errorMessage(error)}`),
  });
  // The store closes last: the digest service hands unsent rows back to it while stopping.
  life.onFinalStop(() => store.close());

  /** Plans and sends digests through `posters` in this process, unless config leaves that to another replica. */
  const startDigests = (posters: DigestPoster[]) => {
    const role = digestRole({
      schedule: config.digest.schedule,
      shards: platforms.discord?.shards,
      underShardManager: process.env["SHARDING_MANAGER"] === "true",
      sharedStore: store.kind === "postgres",
    });
    if (!role.plans) {
      logger.info(role.shards ? { shards: role.shards } : {}, role.reason);
      return;
    }
    const digestLogger = logger.child({ component: "digest" });
    const observe = (outcome: string, platform: string) => metrics.digestOutcome(outcome, platform);
    const planner = new Planner(
      store,
      { catchUpMinutes: config.digest.catchUpMinutes, platforms: posters.map((p) => p.platform), onSkipped: (platform) => observe("skipped_stale", platform) },
      digestLogger,
    );
    const sender = new Sender(
      { store, posters: new Map(posters.map((p) => [p.platform, p])), content: content.current, settings: digestSettings, logger: digestLogger, observe },
      { leaseMs: config.digest.leaseSeconds * 1000 },
    );
    const service = new DigestService(planner, sender, digestLogger);
    life.addService(() => service.stop());
    service.start();
  };
  if (config.ops.port !== undefined) {
    const ops = new OpsServer({
      port: config.ops.port,
      host: config.ops.host,
      metrics,
      logger: logger.child({ component: "ops" }),
      checks: () => life.readinessChecks(),
    });
    await ops.start().catch((error: unknown) => fail(`The ops endpoint could not listen on port ${config.ops.port}: ${errorMessage(error)}`));
    life.onStop(() => ops.stop());
  }

  if (consoleOnly) {
    await runConsole(deps("console"), interactive, life, startDigests);
    return;
  }
  await runPlatforms(platforms, deps, config, logger, life, startDigests, metrics, store);
}

/** Start-up, readiness and an orderly, bounded stop on SIGTERM or SIGINT. */
class Lifecycle {
  private readonly adapters: PlatformAdapter[] = [];
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private readonly services: (() => Promise<void>)[] = [];
  private readonly finalCleanups: (() => Promise<void> | void)[] = [];
  private readonly extraChecks: ReadinessCheck[] = [];
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    private readonly graceMs: number,
    cleanup: () => void,
  ) {
    this.cleanups.push(cleanup);
  }

  add(adapter: PlatformAdapter): void {
    this.adapters.push(adapter);
  }

  onStop(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  /** Stopped alongside the adapters, within the same grace period (the digest sender finishing its posts). */
  addService(stop: () => Promise<void>): void {
    this.services.push(stop);
  }

  /** Runs after every other cleanup (closing the store the others still write to). */
  onFinalStop(cleanup: () => Promise<void> | void): void {
    this.finalCleanups.push(cleanup);
  }

  addReadinessCheck(check: ReadinessCheck): void {
    this.extraChecks.push(check);
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      // Content is always loaded once the bot is up: invalid content stops start-up, and a bad reload keeps the old.
      { name: "content", problem: () => undefined },
      { name: "process", problem: () => (this.stopping ? "shutting down" : undefined) },
      ...this.extraChecks,
      ...this.adapters.map((a) => ({ name: a.name, problem: () => a.readinessProblem() })),
    ];
  }

  /** Stops the adapters (answers under way may finish within the grace period), then everything else; never throws. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ reason, graceMs: this.graceMs }, "stopping");
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.graceMs)));
    const stopped = Promise.allSettled([...this.adapters.map((a) => a.stop()), ...this.services.map((stop) => stop())]);
    if ((await Promise.race([stopped, graceOver])) === "timeout") {
      this.logger.warn({ graceMs: this.graceMs }, "answers still under way when the grace period ended; stopping anyway");
    }
    clearTimeout(timer);
    await Promise.allSettled(this.cleanups.map(async (cleanup) => cleanup()));
    await Promise.allSettled(this.finalCleanups.map(async (cleanup) => cleanup()));
    this.logger.info("stopped");
  }

  /** SIGTERM (container stop) and SIGINT (Ctrl+C) stop the bot and exit 0. */
  exitOnSignals(before?: () => void): void {
    const handle = (signal: string) => {
      before?.();
      void this.stop(signal).then(() => process.exit(0));
    };
    process.off("SIGINT", exitEarly);
    process.off("SIGTERM", exitEarly);
    process.once("SIGINT", () => handle("SIGINT"));
    process.once("SIGTERM", () => handle("SIGTERM"));
    // A shard whose manager died (SIGKILL, OOM) would otherwise run on, and a new manager would start the same shard
    // twice: losing the manager's IPC channel stops it like SIGTERM.
    if (process.env["SHARDING_MANAGER"] === "true") process.once("disconnect", () => handle("shard manager gone"));
  }
}

/** No platform configured: the terminal shell, which needs no account. */
async function runConsole(
  deps: AdapterDependencies,
  interactive: boolean,
  life: Lifecycle,
  startDigests: (posters: DigestPoster[]) => void,
): Promise<void> {
  const adapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    interactive,
    colour: process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined,
    content: deps.content,
    settings: deps.settings,
    logger: deps.logger,
    ...(deps.digests && { digests: deps.digests }),
  });
  life.exitOnSignals(() => adapter.stop());
  startDigests([new ConsoleDigestPoster((reply) => adapter.postDigest(reply))]);
  await adapter.run();
  deps.logger.info("console closed");
  await life.stop("end of input");
}

/** Every configured platform in one process; a platform that cannot connect stops the start, with the reason. */
async function runPlatforms(
  platforms: PlatformSettings,
  deps: (name: string) => AdapterDependencies,
  config: AppConfig,
  logger: Logger,
  life: Lifecycle,
  startDigests: (posters: DigestPoster[]) => void,
  metrics: BotMetrics,
  store: Store,
): Promise<void> {
  const adapters: PlatformAdapter[] = [];
  // Each platform's SDK is loaded only when it is configured: discord.js and Bolt together took over a second of
  // every start, the console's included.
  let slackPosting: SlackPosterAuth | undefined;
  if (platforms.slack) {
    const { SlackAdapter } = await import("./adapters/slack/slack-adapter.js");
    // The store keeps OAuth installations; the digest poster takes its tokens from the adapter (each workspace's in OAuth mode).
    const slack = new SlackAdapter(platforms.slack, deps("slack"), { logLevel: config.logLevel, digestManagers: config.digest.slackManagers, store });
    slackPosting = slack.postingAuth();
    adapters.push(slack);
  }
  if (platforms.discord) {
    const { DiscordAdapter } = await import("./adapters/discord/discord-adapter.js");
    adapters.push(new DiscordAdapter(platforms.discord, deps("discord")));
  }
  adapters.forEach((a) => life.add(a));
  life.exitOnSignals();
  const results = await Promise.allSettled(adapters.map((a) => a.start()));
  const failures = results.flatMap((r, i) => (r.status === "rejected" ? [`${adapters[i]?.name ?? "?"}: ${errorMessage(r.reason)}`] : []));
  if (failures.length > 0) {
    logger.error({ failures }, "a platform could not connect; not starting");
    await life.stop("start-up failed");
    fail(`The bot could not connect:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  }
  startDigests(await digestPosters(platforms, config, logger, metrics, store, slackPosting));
  logger.info({ platforms: adapters.map((a) => a.name) }, "bot ready");
}

/** The digest posters for the platforms this process is connected to, each with its own REST or Web API client. */
async function digestPosters(
  platforms: PlatformSettings,
  config: AppConfig,
  logger: Logger,
  metrics: BotMetrics,
  store: Store,
  slackPosting?: SlackPosterAuth,
): Promise<DigestPoster[]> {
  const posters: DigestPoster[] = [];
  const timeZone = config.digest.defaultTimeZone;
  if (platforms.discord) {
    const { DiscordDigestPoster, digestRest } = await import("./adapters/discord/digest-poster.js");
    posters.push(
      new DiscordDigestPoster({
        rest: digestRest(platforms.discord.token, platforms.discord.apiUrl, config.digest.discordRequestsPerSecond),
        // Discord's limit is per bot, so every process on this store (replicas on one Postgres, or several processes
        // on one SQLite file) draws on one budget kept in the store.
        budget: new SharedRateBudget(store, {
          name: "discord",
          perSecond: config.digest.discordRequestsPerSecond,
          onLateGrant: () => metrics.lateGrant("discord"),
        }),
        logger: logger.child({ component: "digest", platform: "discord" }),
        timeZone,
        rateLimited: () => metrics.rateLimited("discord"),
      }),
    );
  }
  if (platforms.slack && slackPosting) {
    const { SlackDigestPoster } = await import("./adapters/slack/digest-poster.js");
    posters.push(
      new SlackDigestPoster({
        ...slackPosting,
        ...(platforms.slack.apiUrl !== undefined && { apiUrl: platforms.slack.apiUrl }),
        logger: logger.child({ component: "digest", platform: "slack" }),
        logLevel: config.logLevel,
        timeZone,
        rateLimited: () => metrics.rateLimited("slack"),
      }),
    );
  }
  return posters;
}

main().catch((error: unknown) => {
  process.stderr.write(`The bot stopped unexpectedly: ${errorMessage(error)}\n`);
  process.exit(1);
});
