// The one way a channel is named outside its platform: "<platform>:<space>:<channel>", built and parsed here only.

/**
 * "discord:<guild id or dm>:<channel id>", "slack:<team id>:<channel id>", "console:local": the store, the ledger and
 * the core never need platform types. Each platform's adapter encodes and decodes its own parts beside it.
 */
export type ChannelRef = string;

export interface ChannelRefParts {
  platform: string;
  /** The guild, workspace or other space the channel lives in ("local" for the console). */
  space: string;
  /** The channel inside that space; empty for a platform with one channel (the console). */
  channel: string;
}

const PART = /^[^:\s]+$/;

/** Builds a ref; a part holding ":" or whitespace would make it ambiguous, so that throws (a programming error). */
export function buildChannelRef(parts: ChannelRefParts): ChannelRef {
  const named = parts.channel === "" ? [parts.platform, parts.space] : [parts.platform, parts.space, parts.channel];
  if (!named.every((part) => PART.test(part)))
    throw new Error(`not a valid channel ref part in ${JSON.stringify(parts)}`);
  return named.join(":");
}

/** The parts of a ref this codec built; undefined for anything else (a corrupt or foreign row). */
export function parseChannelRef(ref: ChannelRef): ChannelRefParts | undefined {
  const parts = ref.split(":");
  if (parts.length < 2 || parts.length > 3 || !parts.every((part) => PART.test(part))) return undefined;
  const [platform = "", space = "", channel = ""] = parts;
  return { platform, space, channel };
}

/** The prefix every channel of one space shares, for pausing or resuming a whole workspace at once. */
export function spacePrefix(platform: string, space: string): string {
  return `${buildChannelRef({ platform, space, channel: "" })}:`;
}
