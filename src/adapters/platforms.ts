// The chat platforms this process connects, each built by its own folder's factory; an SDK loads only when configured.
import type { Logger } from "../core/logger.js";
import type { DigestPoster } from "../scheduler/poster.js";
import type { RequestBudget } from "../scheduler/shared-rate-budget.js";
import type { Store } from "../store/store.js";
import type { AdapterDependencies, PlatformAdapter } from "./adapter.js";
import type { PlatformSettings } from "./platform-settings.js";

/** What the composition root hands every platform factory. */
export interface PlatformWiring {
  /** The adapter's dependencies, with a logger named after it. */
  deps(name: string): AdapterDependencies;
  /** Keeps OAuth installations (Slack) beside the subscriptions. */
  store: Store;
  logger: Logger;
  /** pino's level, so the SDKs' debug lines are produced only when they would be kept. */
  logLevel: string;
  /** Zone for times in a digest when its channel names none. */
  digestTimeZone: string;
  /** User ids who may change Slack digests besides workspace admins and owners. */
  slackManagers: readonly string[];
  /** Discord's per-bot request rate for digests, and the budget every process on the store shares. */
  discordRequestsPerSecond: number;
  budgetFor(platform: string, perSecond: number): RequestBudget;
  /** Told when a platform rate-limits a digest post (metrics). */
  rateLimited(platform: string): void;
}

export interface ConnectedPlatform {
  adapter: PlatformAdapter;
  /** Built once the adapter has started: Slack's poster takes its tokens from the running adapter. */
  poster(): DigestPoster;
}

/** Every configured platform, Slack first, in one process. */
export async function platformsFor(settings: PlatformSettings, wiring: PlatformWiring): Promise<ConnectedPlatform[]> {
  const platforms: ConnectedPlatform[] = [];
  if (settings.slack) platforms.push((await import("./slack/platform.js")).slackPlatform(settings.slack, wiring));
  if (settings.discord) platforms.push((await import("./discord/platform.js")).discordPlatform(settings.discord, wiring));
  return platforms;
}
