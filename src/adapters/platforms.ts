// The chat platforms this process connects, each built by its own folder's factory; an SDK loads only when configured.
import type { PlatformSettings } from "./platform-settings.js";
import type { ConnectedPlatform, PlatformWiring } from "./platform-wiring.js";

export type { ConnectedPlatform, PlatformWiring } from "./platform-wiring.js";

/** Every configured platform, Slack first, in one process. */
export async function platformsFor(settings: PlatformSettings, wiring: PlatformWiring): Promise<ConnectedPlatform[]> {
  const platforms: ConnectedPlatform[] = [];
  if (settings.slack) platforms.push((await import("./slack/platform.js")).slackPlatform(settings.slack, wiring));
  if (settings.discord)
    platforms.push((await import("./discord/platform.js")).discordPlatform(settings.discord, wiring));
  return platforms;
}
