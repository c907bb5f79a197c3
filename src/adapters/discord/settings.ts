// Discord's settings, read from environment variables only: the bot token, the REST base URL and gateway shards.
import { httpUrl, value } from "../shared/env.js";

const SNOWFLAKE = /^\d{17,20}$/;

export interface DiscordSettings {
  token: string;
  /** REST base URL (discord.js `rest.api`), for a shared rate-limit proxy or a test server. */
  apiUrl?: string;
  applicationId?: string;
  guildId?: string;
  /** Gateway shards (DISCORD_SHARD_COUNT, DISCORD_SHARD_IDS); absent, discord.js runs the single shard 0 of 1. */
  shards?: DiscordShards;
}

export interface DiscordShards {
  /** Shards over every process of the bot; "auto": as many as Discord recommends at start-up, all in this process. */
  count: number | "auto";
  /** The shards this process connects, ascending; absent, every shard from 0 to count - 1. */
  ids?: number[];
}

/** DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS, each checked against the other; undefined when neither is set. */
function readDiscordShards(env: NodeJS.ProcessEnv, errors: string[]): DiscordShards | undefined {
  const countText = value(env, "DISCORD_SHARD_COUNT");
  const idsText = value(env, "DISCORD_SHARD_IDS");
  let count: number | "auto" | undefined;
  if (countText !== undefined) {
    count =
      countText.toLowerCase() === "auto"
        ? "auto"
        : /^\d{1,5}$/.test(countText) && Number(countText) >= 1
          ? Number(countText)
          : undefined;
    if (count === undefined) errors.push("DISCORD_SHARD_COUNT: must be a whole number of shards (at least 1) or auto");
  }
  if (idsText === undefined) return count === undefined ? undefined : { count };
  const ids: number[] = [];
  for (const part of idsText.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!range) {
      errors.push("DISCORD_SHARD_IDS: must be shard numbers such as 0,1 or a range such as 0-3");
      return undefined;
    }
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) {
      errors.push(`DISCORD_SHARD_IDS: the range ${part} runs backwards`);
      return undefined;
    }
    for (let id = first; id <= last; id += 1) ids.push(id);
  }
  const repeated = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (repeated.length > 0) errors.push(`DISCORD_SHARD_IDS: lists shard ${repeated.join(", ")} more than once`);
  if (countText === undefined) {
    errors.push(
      "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT beside it, the number of shards over every process of the bot",
    );
    return undefined;
  }
  if (count === "auto") {
    // Which guilds a shard serves depends on the count: every process must agree on it, and "auto" could differ between starts.
    errors.push(
      "DISCORD_SHARD_IDS: needs a number in DISCORD_SHARD_COUNT, not auto, so that every process splits the guilds the same way",
    );
    return undefined;
  }
  if (count === undefined) return undefined;
  const outside = ids.filter((id) => id >= count);
  if (outside.length > 0) {
    errors.push(
      `DISCORD_SHARD_IDS: shard ${outside.join(", ")} is not below DISCORD_SHARD_COUNT (${count}); shards are numbered from 0`,
    );
  }
  return { count, ids: [...new Set(ids)].sort((a, b) => a - b) };
}

export function readDiscord(env: NodeJS.ProcessEnv, errors: string[]): DiscordSettings | undefined {
  const token = value(env, "DISCORD_TOKEN");
  const applicationId = value(env, "DISCORD_APPLICATION_ID");
  const guildId = value(env, "DISCORD_GUILD_ID");
  if (applicationId !== undefined && !SNOWFLAKE.test(applicationId))
    errors.push("DISCORD_APPLICATION_ID: must be the application's numeric id");
  if (guildId !== undefined && !SNOWFLAKE.test(guildId))
    errors.push("DISCORD_GUILD_ID: must be the server's numeric id");
  const shards = readDiscordShards(env, errors);
  if (token === undefined) return undefined;
  const apiUrl = httpUrl(value(env, "DISCORD_API_URL"), "DISCORD_API_URL", errors)?.replace(/\/+$/, "");
  return {
    token,
    ...(apiUrl !== undefined && { apiUrl }),
    ...(applicationId !== undefined && { applicationId }),
    ...(guildId !== undefined && { guildId }),
    ...(shards !== undefined && { shards }),
  };
}
