// Composition root: reads config, loads content, and wires the core, the store, the digests, the ops endpoint and the adapters.
import type { AdapterDependencies } from "./adapters/adapter.js";
import { ConsoleAdapter } from "./adapters/console/console-adapter.js";
import { ConsoleDigestPoster } from "./adapters/console/digest-poster.js";
import { readPlatformSettings } from "./adapters/platform-settings.js";
import { platformsFor } from "./adapters/platforms.js";
import { Answerer } from "./core/answerer.js";
import type { DigestSettings } from "./core/digest/types.js";
import { errorMessage } from "./core/errors.js";
import { loadConfig } from "./ops/config.js";
import { ContentHolder } from "./ops/content-holder.js";
import { initialContent } from "./ops/content-source.js";
import { exitEarlyOnSignals, Lifecycle } from "./ops/lifecycle.js";
import { createLogger } from "./ops/logger.js";
import { BotMetrics } from "./ops/metrics.js";
import { OpsServer } from "./ops/ops-server.js";
import { ReleaseFollower } from "./ops/release-follower.js";
import { configBaseDir } from "./ops/project-dir.js";
import { StoreDigestBook } from "./scheduler/digest-book.js";
import { digestRole } from "./scheduler/digest-role.js";
import { createDigestService } from "./scheduler/digest-service.js";
import type { DigestPoster } from "./scheduler/poster.js";
import { SharedRateBudget } from "./scheduler/shared-rate-budget.js";
import { openStore } from "./store/open-store.js";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  exitEarlyOnSignals();
  const configResult = loadConfig(process.env, configBaseDir(process.env));
  if (!configResult.ok) {
    fail(
      `The configuration is invalid, so the bot did not start:\n${configResult.errors.map((e) => `  ${e}`).join("\n")}`,
    );
  }
  const { config } = configResult;
  const platformResult = readPlatformSettings(process.env);
  if (!platformResult.ok) {
    fail(
      `The platform settings are invalid, so the bot did not start:\n${platformResult.errors.map((e) => `  ${e}`).join("\n")}`,
    );
  }
  const { platforms } = platformResult;
  const consoleOnly = platforms.slack === undefined && platforms.discord === undefined;
  const interactive = process.stdin.isTTY === true;
  const terminal = interactive && process.stderr.isTTY === true;
  const underShardManager = process.env["SHARDING_MANAGER"] === "true";
  // A person at a terminal shares stderr with the prompt: keep routine info lines out unless LOG_LEVEL asks for them.
  const quietTerminal = consoleOnly && terminal && process.env["LOG_LEVEL"] === undefined && config.logLevel === "info";
  const logger = createLogger(quietTerminal ? "warn" : config.logLevel, {
    pretty: terminal && process.env["NODE_ENV"] !== "production",
  });

  // DATABASE_URL (Postgres, for several replicas) is read from the environment only: it may hold a password.
  const databaseUrl = process.env["DATABASE_URL"]?.trim() || undefined;
  const store = await openStore({
    databasePath: config.digest.databasePath,
    ...(databaseUrl !== undefined && { databaseUrl }),
    onIdleError: (error) =>
      logger.warn({ err: error }, "Postgres dropped an idle connection; the next query opens a new one"),
  }).catch((error: unknown) => {
    // openStore's errors never hold the URL; the line is for log collectors, the message below for the operator.
    logger.error(
      { store: databaseUrl === undefined ? "sqlite" : "postgres", err: errorMessage(error) },
      "store could not be opened; not starting",
    );
    return fail(
      databaseUrl === undefined
        ? `The digest database ${config.digest.databasePath} could not be opened: ${errorMessage(error)}\nSet DATABASE_PATH to a writable file.`
        : `The Postgres database in DATABASE_URL could not be opened: ${errorMessage(error)}\nCheck that it is running and that the URL is right.`,
    );
  });
  logger.info({ store: store.kind }, "store opened");

  const metrics = new BotMetrics();
  const contentLogger = logger.child({ component: "content" });
  const initial = await initialContent(config.contentSource, config.contentDir, store, contentLogger);
  if (!initial.ok) {
    logger.error({ source: config.contentSource }, "no content to serve; not starting");
    await store.close().catch(() => undefined);
    fail(initial.message);
  }
  if (initial.refused !== undefined) metrics.releaseRefused();
  const first = initial.content;
  logger.info(
    {
      files: first.fileCount,
      stories: first.stories.length,
      fingerprint: first.fingerprint,
      ...(first.release !== undefined && { release: first.release }),
      ms: Math.round(initial.seconds * 1000),
    },
    first.release !== undefined ? `serving content release ${first.release}` : "content loaded",
  );
  metrics.contentLoaded(first, initial.seconds);
  const content = new ContentHolder(config.contentDir, first, contentLogger, {
    prepare: (c) => answerer.prepare(c),
    loaded: (c, seconds) => metrics.contentLoaded(c, seconds),
    reloaded: (outcome) => metrics.contentReloaded(outcome),
  });
  // With CONTENT_SOURCE=files the store's releases are never looked at; otherwise every process follows the current one.
  const follower =
    config.contentSource === "files"
      ? undefined
      : new ReleaseFollower({
          store,
          current: content.current,
          serve: (c, seconds) => content.serve(c, seconds),
          logger: contentLogger,
          pollMs: config.contentPollSeconds * 1000,
          ...(initial.refused !== undefined && { refused: initial.refused }),
          events: { refused: () => metrics.releaseRefused() },
        });
  metrics.watchLedger(() => store.countDeliveries());
  const digestSettings: DigestSettings = {
    defaultTime: config.digest.defaultTime,
    defaultTimeZone: config.digest.defaultTimeZone,
    catchUpMinutes: config.digest.catchUpMinutes,
    quietDays: config.digest.quietDays,
    catchUpItems: config.digest.catchUpItems,
  };

  const answerer = new Answerer({
    content: content.current,
    settings: config.answers,
    logger,
    observe: (outcome) => metrics.commandFinished(outcome),
    digests: { book: new StoreDigestBook(store), settings: digestSettings },
  });
  answerer.prepare(first);
  follower?.start();
  process.on("SIGHUP", () => {
    if (content.current().release !== undefined && follower) void follower.check("SIGHUP");
    else content.reload("SIGHUP");
  });
  if (config.watchContent && first.release === undefined) content.watch();
  const deps = (name: string): AdapterDependencies => ({
    answerer,
    logger: logger.child({ adapter: name }),
    rateLimited: () => metrics.rateLimited(name),
  });

  const life = new Lifecycle(logger, config.shutdownGraceSeconds * 1000, () => content.close());
  if (follower) life.onStop(() => follower.stop());
  life.addReadinessCheck({
    name: "store",
    problem: () =>
      store.ping().then(
        () => undefined,
        (error: unknown) => `store unreachable: ${errorMessage(error)}`,
      ),
  });
  // The store closes last: the digest service hands unsent rows back to it while stopping.
  life.onFinalStop(() => store.close());

  /** Plans and sends digests through `posters` in this process, unless config leaves that to another replica. */
  const startDigests = (posters: DigestPoster[]) => {
    const role = digestRole({
      schedule: config.digest.schedule,
      shards: platforms.discord?.shards,
      underShardManager,
      sharedStore: store.kind === "postgres",
    });
    if (!role.plans) {
      logger.info(role.shards ? { shards: role.shards } : {}, role.reason);
      return;
    }
    const service = createDigestService({
      store,
      posters,
      content: content.current,
      settings: digestSettings,
      logger: logger.child({ component: "digest" }),
      leaseMs: config.digest.leaseSeconds * 1000,
      observe: (outcome, platform) => metrics.digestOutcome(outcome, platform),
    });
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
      details: () => {
        const served = content.current();
        return {
          content: {
            source: served.release !== undefined ? "release" : "files",
            ...(served.release !== undefined && { release: served.release }),
            fingerprint: served.fingerprint,
            // Still ready: the last good content answers; the refusal's reason is in the log.
            ...(follower?.refusedRelease !== undefined && { refusedRelease: follower.refusedRelease }),
          },
        };
      },
    });
    await ops
      .start()
      .catch((error: unknown) =>
        fail(`The ops endpoint could not listen on port ${config.ops.port}: ${errorMessage(error)}`),
      );
    life.onStop(() => ops.stop());
  }

  if (consoleOnly) {
    // No platform configured: the terminal shell, which needs no account.
    const shell = new ConsoleAdapter(deps("console"), {
      input: process.stdin,
      output: process.stdout,
      interactive,
      colour: process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined,
    });
    life.add(shell);
    life.exitOnSignals({ before: () => void shell.stop() });
    startDigests([new ConsoleDigestPoster((reply) => shell.postDigest(reply))]);
    await shell.start();
    await shell.closed;
    logger.info("console closed");
    await life.stop("end of input");
    return;
  }

  const connected = await platformsFor(platforms, {
    deps,
    store,
    logger,
    logLevel: config.logLevel,
    digestTimeZone: config.digest.defaultTimeZone,
    slackManagers: config.digest.slackManagers,
    discordRequestsPerSecond: config.digest.discordRequestsPerSecond,
    discordNonceWindowMs: config.digest.discordNonceWindowSeconds * 1000,
    budgetFor: (name, perSecond) =>
      new SharedRateBudget(store, { name, perSecond, onLateGrant: () => metrics.lateGrant(name) }),
    rateLimited: (name) => metrics.rateLimited(name),
  });
  connected.forEach((p) => life.add(p.adapter));
  life.exitOnSignals({ underShardManager });
  // Every configured platform in one process; a platform that cannot connect stops the start, with the reason.
  const results = await Promise.allSettled(connected.map((p) => p.adapter.start()));
  const failures = results.flatMap((r, i) =>
    r.status === "rejected" ? [`${connected[i]?.adapter.name ?? "?"}: ${errorMessage(r.reason)}`] : [],
  );
  if (failures.length > 0) {
    logger.error({ failures }, "a platform could not connect; not starting");
    await life.stop("start-up failed");
    fail(`The bot could not connect:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  }
  startDigests(connected.map((p) => p.poster()));
  logger.info({ platforms: connected.map((p) => p.adapter.name) }, "bot ready");
}

main().catch((error: unknown) => {
  process.stderr.write(`The bot stopped unexpectedly: ${errorMessage(error)}\n`);
  process.exit(1);
});
