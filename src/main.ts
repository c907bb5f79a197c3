// Composition root: reads config, loads content, wires the logger and starts the adapter.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConsoleAdapter } from "./adapters/console/console-adapter.js";
import { loadConfig } from "./config.js";
import { formatContentReport } from "./core/content/content-error.js";
import { loadContentDir } from "./core/content/load.js";
import { createLogger } from "./logger.js";

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
  const interactive = process.stdin.isTTY === true;
  // A person at a terminal shares stderr with the prompt: keep routine info lines out unless LOG_LEVEL asks for them.
  const quietTerminal = interactive && process.stderr.isTTY === true && process.env["LOG_LEVEL"] === undefined && config.logLevel === "info";
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

  // Discord and Slack adapters are not part of this build yet; the console adapter needs no account.
  const adapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    interactive,
    colour: process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined,
    content: () => content,
    settings: config.answers,
    logger: logger.child({ adapter: "console" }),
  });
  const stop = (): void => adapter.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await adapter.run();
  logger.info("console closed");
}

main().catch((error: unknown) => {
  process.stderr.write(`The bot stopped unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
