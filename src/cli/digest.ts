// `npm run digest -- --dry-run`: prints what every subscription would receive now; posts and records nothing.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderForConsole } from "../adapters/console/render.js";
import { loadConfig } from "../ops/config.js";
import { formatContentReport } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";
import { composeDigest } from "../core/digest/compose.js";
import { nextSlot } from "../core/digest/schedule.js";
import { errorMessage } from "../core/errors.js";
import { formatInstant } from "../core/format.js";
import { openSqliteStore } from "../store/sqlite-store.js";

const USAGE = "Usage: npm run digest -- --dry-run\n  Prints what every subscribed channel would receive if its digest went out now. Nothing is posted or recorded.";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (!args.includes("--dry-run") || args.some((a) => a !== "--dry-run")) {
    // Sending belongs to the running bot, whose ledger makes it exactly-once; a second sender here would only race it.
    console.error(`Only --dry-run is supported: the running bot sends digests itself.\n${USAGE}`);
    return 2;
  }
  const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const configResult = loadConfig(process.env, process.env["CONFIG_DIR"] ? process.cwd() : projectDir);
  if (!configResult.ok) {
    console.error(`The configuration is invalid:\n${configResult.errors.map((e) => `  ${e}`).join("\n")}`);
    return 1;
  }
  const { config } = configResult;
  const loaded = loadContentDir(config.contentDir);
  if (!loaded.ok) {
    console.error(formatContentReport(loaded.errors));
    return 1;
  }
  if (!existsSync(config.digest.databasePath)) {
    console.log(`No channel subscribes to a digest yet: there is no database at ${config.digest.databasePath}.`);
    return 0;
  }
  const store = await openSqliteStore(config.digest.databasePath);
  try {
    const subscriptions = await store.listSubscriptions();
    if (subscriptions.length === 0) {
      console.log(`No channel subscribes to a digest yet (database: ${config.digest.databasePath}).`);
      return 0;
    }
    const now = new Date();
    for (const subscription of subscriptions) {
      const [announced, delivered] = await Promise.all([store.announced(subscription.channel), store.lastDelivered(subscription.channel)]);
      const composed = composeDigest({
        content: loaded.content,
        stories: subscription.stories,
        announced,
        firstDigest: delivered === undefined,
        now,
        settings: config.digest,
        timeZone: subscription.timeZone,
      });
      const when = subscription.paused
        ? `paused since ${formatInstant(subscription.paused.at, subscription.timeZone)}: ${subscription.paused.reason}`
        : `next digest ${formatInstant(nextSlot(subscription, now).dueAt.toISOString(), subscription.timeZone)}`;
      console.log(`=== ${subscription.channel} (${subscription.time} ${subscription.timeZone}; ${when})`);
      console.log(
        composed
          ? `${composed.kind} digest, ${composed.announce.length} item(s):\n\n${renderForConsole(composed.reply, { colour: false, timeZone: subscription.timeZone })}\n`
          : "Nothing new, and quiet days are skipped: nothing would be posted.\n",
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`The dry run failed: ${errorMessage(error)}`);
    process.exitCode = 1;
  },
);
