// Slack's factory: the Bolt adapter that answers commands, and the Web API poster for digests, sharing one auth.
import type { ConnectedPlatform, PlatformWiring } from "../platform-wiring.js";
import { SlackDigestPoster } from "./digest-poster.js";
import type { SlackSettings } from "./settings.js";
import { SlackAdapter } from "./slack-adapter.js";

export function slackPlatform(settings: SlackSettings, wiring: PlatformWiring): ConnectedPlatform {
  // The store keeps OAuth installations; the digest poster takes its tokens from the adapter (each workspace's in OAuth mode).
  const adapter = new SlackAdapter(settings, wiring.deps("slack"), {
    logLevel: wiring.logLevel,
    digestManagers: wiring.slackManagers,
    store: wiring.store,
  });
  return {
    adapter,
    poster: () =>
      new SlackDigestPoster({
        ...adapter.postingAuth(),
        ...(settings.apiUrl !== undefined && { apiUrl: settings.apiUrl }),
        logger: wiring.logger.child({ component: "digest", platform: "slack" }),
        logLevel: wiring.logLevel,
        timeZone: wiring.digestTimeZone,
        rateLimited: () => wiring.rateLimited("slack"),
      }),
  };
}
