// What the composition root hands each platform's factory, and what a factory gives back: an adapter and its poster.
import type { Logger } from "../core/logger.js";
import type { DigestPoster, RequestBudget } from "../scheduler/poster.js";
import type { Store } from "../store/store.js";
import type { AdapterDependencies, PlatformAdapter } from "./adapter.js";

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
  /** How long after a first attempt a Discord post may be resent relying on its nonce alone. */
  discordNonceWindowMs: number;
  budgetFor(platform: string, perSecond: number): RequestBudget;
  /** Told when a platform rate-limits a digest post (metrics). */
  rateLimited(platform: string): void;
}

export interface ConnectedPlatform {
  adapter: PlatformAdapter;
  /** Built once the adapter has started: Slack's poster takes its tokens from the running adapter. */
  poster(): DigestPoster;
}
