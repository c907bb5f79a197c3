// `npm run digest -- --dry-run`: prints what every subscription would receive now; posts and records nothing.
import { pathToFileURL } from "node:url";
import { renderConsole } from "../adapters/console/render.js";
import { composeDigest } from "../core/digest/compose.js";
import { nextSlot } from "../core/digest/schedule.js";
import { formatInstant } from "../core/format.js";
import { contentOrigin } from "../core/content/release.js";
import { silentLogger } from "../core/logger.js";
import { initialContent } from "../ops/content-source.js";
import { openExistingStore, readConfig, report, runCli, type CliOutput } from "./bootstrap.js";

const USAGE =
  "Usage: npm run digest -- --dry-run\n  Prints what every subscribed channel would receive if its digest went out now. Nothing is posted or recorded.";

/** Reads the store the bot reads (DATABASE_URL, else DATABASE_PATH) and prints each subscription's digest; returns the exit code. */
export async function digestDryRun(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: CliOutput,
  now = new Date(),
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    out.info(USAGE);
    return 0;
  }
  if (!args.includes("--dry-run") || args.some((a) => a !== "--dry-run")) {
    // Sending belongs to the running bot, whose ledger makes it exactly-once; a second sender here would only race it.
    out.error(`Only --dry-run is supported: the running bot sends digests itself.\n${USAGE}`);
    return 2;
  }
  const config = readConfig(env);
  if (!config.ok) return report(out, config);
  const opened = await openExistingStore(config.value, env);
  if (!opened.ok) return report(out, opened);
  if (opened.value.store === undefined) {
    out.info(`No channel subscribes to a digest yet: ${opened.value.reason}.`);
    return 0;
  }
  const { store, name } = opened.value;
  try {
    const subscriptions = await store.listSubscriptions();
    if (subscriptions.length === 0) {
      out.info(`No channel subscribes to a digest yet (database: ${name}).`);
      return 0;
    }
    // The content the bot would compose from: the store's current release, or the content folder without one.
    const served = await initialContent(config.value.contentSource, config.value.contentDir, store, {
      ...silentLogger,
      error: (obj: object | string, msg?: string) => out.error(typeof obj === "string" ? obj : (msg ?? "")),
    });
    if (!served.ok) return report(out, served);
    const content = { value: served.content };
    out.info(`Composed from content ${contentOrigin(served.content)}.\n`);
    for (const subscription of subscriptions) {
      const [announced, delivered] = await Promise.all([
        store.announced(subscription.channel),
        store.lastDelivered(subscription.channel),
      ]);
      const composed = composeDigest({
        content: content.value,
        stories: subscription.stories,
        announced,
        firstDigest: delivered === undefined,
        now,
        settings: config.value.digest,
        timeZone: subscription.timeZone,
      });
      const when = subscription.paused
        ? `paused since ${formatInstant(subscription.paused.at, subscription.timeZone)}: ${subscription.paused.reason}`
        : `next digest ${formatInstant(nextSlot(subscription, now).dueAt.toISOString(), subscription.timeZone)}`;
      out.info(`=== ${subscription.channel} (${subscription.time} ${subscription.timeZone}; ${when})`);
      out.info(
        composed
          ? `${composed.kind} digest, ${composed.announce.length} item(s):\n\n${renderConsole(composed.reply, { colour: false, timeZone: subscription.timeZone }).message}\n`
          : "Nothing new, and quiet days are skipped: nothing would be posted.\n",
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

// Run only as a program, so a test can import digestDryRun without running it.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli("The dry run failed", (out) => digestDryRun(process.argv.slice(2), process.env, out));
}
