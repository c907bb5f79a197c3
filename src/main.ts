// Composition root: reads config, loads content, wires the logger and starts the adapter.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AdapterDependencies, PlatformAdapter } from "./adapters/adapter.js";
import { ConsoleAdapter } from "./adapters/console/console-adapter.js";
import { DiscordAdapter } from "./adapters/discord/discord-adapter.js";
import { SlackAdapter } from "./adapters/slack/slack-adapter.js";
import { loadConfig } from "./config.js";
import { formatContentReport } from "./core/content/content-error.js";
import { loadContentDir } from "./core/content/load.js";
import { createLogger } from "./logger.js";
import type { Logger } from "./core/logger.js";
import { readPlatformSettings, type PlatformSettings } from "./platform-settings.js";

/** The project folder (one above dist/ or src/), so `npm start` works from any working directory. */
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const configResult = loadConfig(process.env, process.env["CONFIG_DIR"] ? process.cwd() : projectDir);
  if (!configResult.ok) {
    fail(`The configuration is invalid, so the bot did not start:\n${configResult.errors.map((e) => `  ${e}`).join("\n")}`);
  }
  const { config } = configResult;
  const platformResult = readPlatformSettings(process.env);
  if (!platformResult.ok) {
    fail(`The platform settings are invalid, so the bot did not start:\n${platformResult.errors.map((e) => `  ${e}`).join("\n")}`);
  }
  const { platforms } = platformResult;
  const interactive = process.stdin.isTTY === true;
  // A person at a terminal shares stderr with the prompt: keep routine info lines out unless LOG_LEVEL asks for them.
  const consoleOnly = platforms.slack === undefined && platforms.discord === undefined;
  const quietTerminal = consoleOnly && interactive && process.stderr.isTTY === true && process.env["LOG_LEVEL"] === undefined && config.logLevel === "info";
  const logger = createLogger(quietTerminal ? "warn" : config.logLevel);

  const started = performance.now();
  const loaded = loadContentDir(config.contentDir);
  if (!loaded.ok) {
    logger.error({ problems: loaded.errors.length }, "content is invalid; not starting");
    fail(`${formatContentReport(loaded.errors)}\nFix these and start again (npm run content:check lists them without starting the bot).`);
  }
  const content = loaded.content;
  logger.info(
    { files: content.fileCount, stories: content.stories.length, fingerprint: content.fingerprint, ms: Math.round(performance.now() - started) },
    "content loaded",
  );

  if (consoleOnly) {
    await runConsole(() => content, config.answers, logger, interactive);
    return;
  }
  await runPlatforms(platforms, (name) => ({ content: () => content, settings: config.answers, logger: logger.child({ adapter: name }) }), config.logLevel, logger);
}

/** No platform configured: the terminal shell, which needs no account. */
async function runConsole(content: AdapterDependencies["content"], settings: AdapterDependencies["settings"], logger: Logger, interactive: boolean): Promise<void> {
  const adapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    interactive,
    colour: process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined,
    content,
    settings,
    logger: logger.child({ adapter: "console" }),
  });
  const stop = (): void => adapter.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await adapter.run();
  logger.info("console closed");
}

/** Every configured platform in one process; a platform that cannot connect stops the start, with the reason. */
async function runPlatforms(
  platforms: PlatformSettings,
  deps: (name: string) => AdapterDependencies,
  logLevel: string,
  logger: Logger,
): Promise<void> {
  const adapters: PlatformAdapter[] = [];
  if (platforms.slack) adapters.push(new SlackAdapter(platforms.slack, deps("slack"), { logLevel }));
  if (platforms.discord) adapters.push(new DiscordAdapter(platforms.discord, deps("discord")));
  let stopping = false;
  const stopAll = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    await Promise.allSettled(adapters.map((a) => a.stop()));
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", () => void stopAll("SIGINT"));
  process.once("SIGTERM", () => void stopAll("SIGTERM"));
  const results = await Promise.allSettled(adapters.map((a) => a.start()));
  const failures = results.flatMap((r, i) => (r.status === "rejected" ? [`${adapters[i]?.name ?? "?"}: ${messageOf(r.reason)}`] : []));
  if (failures.length > 0) {
    logger.error({ failures }, "a platform could not connect; not starting");
    await Promise.allSettled(adapters.map((a) => a.stop()));
    fail(`The bot could not connect:\n${failures.map((f) => `  ${f}`).join("\n")}`);
  }
  logger.info({ platforms: adapters.map((a) => a.name) }, "bot ready");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  process.stderr.write(`The bot stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
