// Discord's factory: the gateway adapter that answers commands, and the REST poster for digests.
import type { ConnectedPlatform, PlatformWiring } from "../platform-wiring.js";
import { DiscordAdapter } from "./discord-adapter.js";
import { DiscordDigestPoster, digestRest } from "./digest-poster.js";
import type { DiscordSettings } from "./settings.js";

export function discordPlatform(settings: DiscordSettings, wiring: PlatformWiring): ConnectedPlatform {
  return {
    adapter: new DiscordAdapter(settings, wiring.deps("discord")),
    poster: () =>
      new DiscordDigestPoster({
        rest: digestRest(settings.token, settings.apiUrl, wiring.discordRequestsPerSecond),
        // Discord's limit is per bot, so every process on this store (replicas on one Postgres, or several processes
        // on one SQLite file) draws on one budget kept in the store.
        budget: wiring.budgetFor("discord", wiring.discordRequestsPerSecond),
        logger: wiring.logger.child({ component: "digest", platform: "discord" }),
        timeZone: wiring.digestTimeZone,
        nonceWindowMs: wiring.discordNonceWindowMs,
        rateLimited: () => wiring.rateLimited("discord"),
      }),
  };
}
