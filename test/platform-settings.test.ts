// Platform settings from the environment: which adapters start, and a clear error for every incomplete or malformed value.
import { describe, expect, it } from "vitest";
import { readPlatformSettings } from "../src/platform-settings.js";

const BOT = "xoxb-1-2-abc";

describe("readPlatformSettings", () => {
  it("configures no platform without tokens, so the console opens", () => {
    expect(readPlatformSettings({})).toEqual({ ok: true, platforms: {} });
  });

  it("chooses Socket Mode when an app-level token is set", () => {
    const result = readPlatformSettings({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: "xapp-1-A-1-x" });
    expect(result).toEqual({ ok: true, platforms: { slack: { mode: "socket", botToken: BOT, appToken: "xapp-1-A-1-x", port: 3000 } } });
  });

  it("chooses HTTP mode with a signing secret, on PORT, with the API URL ending in a slash", () => {
    const result = readPlatformSettings({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s3cret", PORT: "8080", SLACK_API_URL: "http://gateway.internal/api" });
    expect(result).toEqual({
      ok: true,
      platforms: { slack: { mode: "http", botToken: BOT, signingSecret: "s3cret", port: 8080, apiUrl: "http://gateway.internal/api/" } },
    });
  });

  it("configures Discord from its token, trimming the API URL's trailing slash", () => {
    const result = readPlatformSettings({ DISCORD_TOKEN: "abc.def.ghi", DISCORD_API_URL: "http://proxy:8080/api/", DISCORD_APPLICATION_ID: "123456789012345678" });
    expect(result).toEqual({
      ok: true,
      platforms: { discord: { token: "abc.def.ghi", apiUrl: "http://proxy:8080/api", applicationId: "123456789012345678" } },
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
      errors: ["SLACK_BOT_TOKEN: is needed too when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set (the xoxb- token from OAuth & Permissions)"],
    });
  });
});
