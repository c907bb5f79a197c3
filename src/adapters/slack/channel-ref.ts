// Slack's side of the channel-ref codec: "slack:<team id>:<channel id>", and the prefix all of one workspace share.
import { buildChannelRef, parseChannelRef, spacePrefix, type ChannelRef } from "../../core/channel-ref.js";

export const SLACK_PLATFORM = "slack";

export function slackChannelRef(teamId: string, channelId: string): ChannelRef {
  return buildChannelRef({ platform: SLACK_PLATFORM, space: teamId || "unknown", channel: channelId || "unknown" });
}

/** The workspace and channel of a Slack ref; undefined for anything else. */
export function slackChannelOf(ref: ChannelRef): { teamId: string; channelId: string } | undefined {
  const parts = parseChannelRef(ref);
  if (parts?.platform !== SLACK_PLATFORM || parts.channel === "") return undefined;
  return { teamId: parts.space, channelId: parts.channel };
}

/** Every channel of one workspace, for pausing and resuming its subscriptions at once. */
export function slackWorkspacePrefix(teamId: string): string {
  return spacePrefix(SLACK_PLATFORM, teamId);
}
