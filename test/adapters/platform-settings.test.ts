// Platform settings from the environment: which adapters start, and a clear error for every incomplete or malformed value.
import { describe, expect, it } from "vitest";
import { readPlatformSettings } from "../../src/adapters/platform-settings.js";

const BOT = "xoxb-1-2-abc";

describe("readPlatformSettings", () => {
  it("configures no platform without tokens, so the console opens", () => {
    expect(readPlatformSettings({})).toEqual({ ok: true, platforms: {} });
  });

  it("chooses Socket Mode when an app-level token is set", () => {
    const result = readPlatformSettings({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: "xapp-1-A-1-x" });
    expect(result).toEqual({
      ok: true,
      platforms: { slack: { mode: "socket", botToken: BOT, appToken: "xapp-1-A-1-x", port: 3000 } },
    });
  });

  it("chooses HTTP mode with a signing secret, on PORT, with the API URL ending in a slash", () => {
    const result = readPlatformSettings({
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: "s3cret",
      PORT: "8080",
      SLACK_API_URL: "http://gateway.internal/api",
    });
    expect(result).toEqual({
      ok: true,
      platforms: {
        slack: {
          mode: "http",
          botToken: BOT,
          signingSecret: "s3cret",
          port: 8080,
          apiUrl: "http://gateway.internal/api/",
        },
      },
    });
  });

  it("configures Discord from its token, trimming the API URL's trailing slash", () => {
    const result = readPlatformSettings({
      DISCORD_TOKEN: "abc.def.ghi",
      DISCORD_API_URL: "http://proxy:8080/api/",
      DISCORD_APPLICATION_ID: "123456789012345678",
    });
    expect(result).toEqual({
      ok: true,
      platforms: {
        discord: { token: "abc.def.ghi", apiUrl: "http://proxy:8080/api", applicationId: "123456789012345678" },
      },
    });
  });

  it("lists every problem at once and never repeats a secret's value", () => {
    const result = readPlatformSettings({
      SLACK_BOT_TOKEN: "xoxp-user-token-value",
      SLACK_APP_TOKEN: "wrong-app-token-value",
      PORT: "http",
      SLACK_API_URL: "ftp://x",
      DISCORD_TOKEN: "d",
      DISCORD_GUILD_ID: "my server",
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual([
      "SLACK_BOT_TOKEN: must be a bot token starting with xoxb-",
      "SLACK_APP_TOKEN: must be an app-level token starting with xapp-",
      "PORT: must be a port number from 0 to 65535",
      "SLACK_API_URL: must be an http:// or https:// URL",
      "DISCORD_GUILD_ID: must be the server's numeric id",
    ]);
    expect(errors.join("\n")).not.toMatch(/token-value/);
  });

  it("asks for the bot token when only the app token or signing secret is set", () => {
    expect(readPlatformSettings({ SLACK_SIGNING_SECRET: "s" })).toEqual({
      ok: false,
      errors: [
        "SLACK_BOT_TOKEN: is needed too when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (the xoxb- token from OAuth & Permissions)",
      ],
    });
  });
});

describe("readPlatformSettings: Discord shards", () => {
  const TOKEN = "abc.def.ghi";
  const discordErrors = (env: Record<string, string>): string[] => {
    const result = readPlatformSettings({ DISCORD_TOKEN: TOKEN, ...env });
    return result.ok ? [] : result.errors;
  };

  it("leaves shards out when neither variable is set, so discord.js runs shard 0 of 1", () => {
    expect(readPlatformSettings({ DISCORD_TOKEN: TOKEN })).toEqual({
      ok: true,
      platforms: { discord: { token: TOKEN } },
    });
  });

  it("reads a count alone (every shard in this process) and auto", () => {
    expect(readPlatformSettings({ DISCORD_TOKEN: TOKEN, DISCORD_SHARD_COUNT: "4" })).toEqual({
      ok: true,
      platforms: { discord: { token: TOKEN, shards: { count: 4 } } },
    });
    expect(readPlatformSettings({ DISCORD_TOKEN: TOKEN, DISCORD_SHARD_COUNT: "Auto" })).toEqual({
      ok: true,
      platforms: { discord: { token: TOKEN, shards: { count: "auto" } } },
    });
  });

  it("reads this process's shard ids as a list or ranges, sorted", () => {
    expect(
      readPlatformSettings({ DISCORD_TOKEN: TOKEN, DISCORD_SHARD_COUNT: "8", DISCORD_SHARD_IDS: "6-7, 2 3" }),
    ).toEqual({
      ok: true,
      platforms: { discord: { token: TOKEN, shards: { count: 8, ids: [2, 3, 6, 7] } } },
    });
  });

  it("rejects a count that is not a whole number of at least 1", () => {
    for (const count of ["0", "two", "1.5", "-1"]) {
      expect(discordErrors({ DISCORD_SHARD_COUNT: count })).toEqual([
        "DISCORD_SHARD_COUNT: must be a whole number of shards (at least 1) or auto",
      ]);
    }
  });

  it("wants ids below the count, since shards are numbered from 0", () => {
    expect(discordErrors({ DISCORD_SHARD_COUNT: "2", DISCORD_SHARD_IDS: "1,2,3" })).toEqual([
      "DISCORD_SHARD_IDS: shard 2, 3 is not below DISCORD_SHARD_COUNT (2); shards are numbered from 0",
    ]);
  });

  it("wants a numeric count beside the ids: none at all, or auto, would let machines split the guilds differently", () => {
    expect(discordErrors({ DISCORD_SHARD_IDS: "0" })).toEqual([
      "DISCORD_SHARD_IDS: needs DISCORD_SHARD_COUNT beside it, the number of shards over every process of the bot",
    ]);
    expect(discordErrors({ DISCORD_SHARD_COUNT: "auto", DISCORD_SHARD_IDS: "0" })).toEqual([
      "DISCORD_SHARD_IDS: needs a number in DISCORD_SHARD_COUNT, not auto, so that every process splits the guilds the same way",
    ]);
  });

  it("rejects malformed ids, backward ranges and repeats", () => {
    expect(discordErrors({ DISCORD_SHARD_COUNT: "4", DISCORD_SHARD_IDS: "first" })).toEqual([
      "DISCORD_SHARD_IDS: must be shard numbers such as 0,1 or a range such as 0-3",
    ]);
    expect(discordErrors({ DISCORD_SHARD_COUNT: "4", DISCORD_SHARD_IDS: "3-1" })).toEqual([
      "DISCORD_SHARD_IDS: the range 3-1 runs backwards",
    ]);
    expect(discordErrors({ DISCORD_SHARD_COUNT: "4", DISCORD_SHARD_IDS: "0-2,1" })).toEqual([
      "DISCORD_SHARD_IDS: lists shard 1 more than once",
    ]);
  });

  it("checks the shard variables even without a token, like the other Discord settings", () => {
    expect(readPlatformSettings({ DISCORD_SHARD_COUNT: "none" })).toEqual({
      ok: false,
      errors: ["DISCORD_SHARD_COUNT: must be a whole number of shards (at least 1) or auto"],
    });
  });
});

describe("readPlatformSettings: Slack in many workspaces (OAuth)", () => {
  const KEY = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
  const OAUTH = {
    SLACK_CLIENT_ID: "1234567890123.9876543210987",
    SLACK_CLIENT_SECRET: "client-secret-value",
    SLACK_SIGNING_SECRET: "signing-secret-value",
    SLACK_STATE_SECRET: "state-secret-value-0123456789",
    SLACK_INSTALLATION_KEY: KEY,
  };
  const slackErrors = (env: Record<string, string>): string[] => {
    const result = readPlatformSettings(env);
    return result.ok ? [] : result.errors;
  };

  it("chooses OAuth mode with the client id and secret, signing secret, state secret and key, and no bot token", () => {
    expect(readPlatformSettings({ ...OAUTH, PORT: "8080", SLACK_API_URL: "http://gateway.internal/api" })).toEqual({
      ok: true,
      platforms: {
        slack: {
          mode: "oauth",
          clientId: OAUTH.SLACK_CLIENT_ID,
          clientSecret: OAUTH.SLACK_CLIENT_SECRET,
          signingSecret: OAUTH.SLACK_SIGNING_SECRET,
          stateSecret: OAUTH.SLACK_STATE_SECRET,
          installationKey: KEY,
          apiUrl: "http://gateway.internal/api/",
          port: 8080,
        },
      },
    });
  });

  it("takes the installation key as 64 hex characters too", () => {
    const result = readPlatformSettings({ ...OAUTH, SLACK_INSTALLATION_KEY: "ab".repeat(32) });
    expect(result.ok && result.platforms.slack?.mode).toBe("oauth");
  });

  it("names every missing OAuth variable at once", () => {
    expect(slackErrors({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID })).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET: is needed for installing the app in many workspaces/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: is needed for installing the app in many workspaces/),
      expect.stringMatching(/^SLACK_STATE_SECRET: is needed for installing the app in many workspaces/),
      expect.stringMatching(
        /^SLACK_INSTALLATION_KEY: is needed for installing the app in many workspaces.*openssl rand -base64 32/,
      ),
    ]);
  });

  it("explains a malformed client id, short state secret or bad key without repeating any value", () => {
    const errors = slackErrors({
      ...OAUTH,
      SLACK_CLIENT_ID: "A0APPID-value",
      SLACK_STATE_SECRET: "short-value",
      SLACK_INSTALLATION_KEY: "not-a-key-value!",
    });
    expect(errors).toEqual([
      "SLACK_CLIENT_ID: must be the app's Client ID, two numbers joined by a dot (Basic Information > App Credentials)",
      "SLACK_STATE_SECRET: must be at least 16 characters; generate one with: openssl rand -hex 32",
      expect.stringMatching(
        /^SLACK_INSTALLATION_KEY: must be 32 random bytes written as base64 \(44 characters\) or hex \(64 characters\)/,
      ),
    ]);
    expect(slackErrors({ ...OAUTH, SLACK_INSTALLATION_KEY: "c2hvcnQta2V5LXZhbHVl" })).toEqual([
      expect.stringMatching(/^SLACK_INSTALLATION_KEY: must be 32 bytes, but this base64 value holds 15/),
    ]);
    expect(errors.join("\n")).not.toMatch(/value/);
  });

  it("refuses a bot token or an app token beside the OAuth variables: one workspace or many, not both", () => {
    expect(slackErrors({ ...OAUTH, SLACK_BOT_TOKEN: BOT })).toEqual([
      "SLACK_BOT_TOKEN: serves one workspace, but SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET or SLACK_INSTALLATION_KEY is set for installing in many; unset one or the other",
    ]);
    expect(slackErrors({ ...OAUTH, SLACK_APP_TOKEN: "xapp-1-A-1-x" })).toEqual([
      "SLACK_APP_TOKEN: Socket Mode serves one workspace; installing in many runs over HTTP (SLACK_SIGNING_SECRET), so unset SLACK_APP_TOKEN",
    ]);
  });
});
