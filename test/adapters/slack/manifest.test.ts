// The Slack app manifests in config/: every story's command, /whois and /help, the least scopes; Socket Mode, or HTTP with OAuth for many workspaces.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { SLACK_BOT_SCOPES, SLACK_COMMAND_ALIASES } from "../../../src/adapters/slack/slack-adapter.js";
import { loadRealContent, projectRoot } from "../../helpers.js";

interface Manifest {
  features: { slash_commands: { command: string; description: string; should_escape: boolean }[]; bot_user: unknown };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean; interactivity: { is_enabled: boolean } };
}

const manifest = parse(readFileSync(path.join(projectRoot, "config/slack-app-manifest.yaml"), "utf8")) as Manifest;
const commands = manifest.features.slash_commands.map((c) => c.command);

describe("config/slack-app-manifest.yaml", () => {
  it("declares a command for every story, /whois for /who, /digest and /help, and nothing else", () => {
    const stories = loadRealContent().stories.map((s) => `/${s.command}`);
    const aliases = Object.keys(SLACK_COMMAND_ALIASES).map((name) => `/${name}`);
    expect(new Set(commands)).toEqual(new Set([...stories, ...aliases, "/digest", "/help"]));
    expect(commands).not.toContain("/who");
  });

  it("asks for the least scopes: commands, chat:write, users:read (who may change a digest), history (interrupted posts)", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      "channels:history",
      "chat:write",
      "commands",
      "groups:history",
      "users:read",
    ]);
  });

  it("enables Socket Mode and interactivity (for the Share button), and keeps command text unescaped", () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    for (const command of manifest.features.slash_commands) {
      expect(command.should_escape).toBe(false);
      expect(command.description.length).toBeGreaterThan(0);
    }
  });
});

interface OAuthManifest {
  features: { slash_commands: { command: string; url: string }[] };
  oauth_config: { scopes: { bot: string[] }; redirect_urls: string[] };
  settings: {
    socket_mode_enabled: boolean;
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

describe("config/slack-app-manifest.oauth.yaml (many workspaces)", () => {
  const oauth = parse(
    readFileSync(path.join(projectRoot, "config/slack-app-manifest.oauth.yaml"), "utf8"),
  ) as OAuthManifest;

  it("declares the same commands and scopes as the single-workspace manifest, and the scopes the install asks for", () => {
    expect(oauth.features.slash_commands.map((c) => c.command)).toEqual(commands);
    expect(oauth.oauth_config.scopes.bot).toEqual(manifest.oauth_config.scopes.bot);
    expect([...oauth.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
  });

  it("runs over HTTP: commands, buttons and events at /slack/events, the install's redirect at /slack/oauth_redirect", () => {
    expect(oauth.settings.socket_mode_enabled).toBe(false);
    const urls = [
      ...oauth.features.slash_commands.map((c) => c.url),
      oauth.settings.interactivity.request_url,
      oauth.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe("/slack/events");
    expect(oauth.oauth_config.redirect_urls.map((u) => new URL(u).pathname)).toEqual(["/slack/oauth_redirect"]);
  });

  it("subscribes to the uninstall and revocation events that pause a workspace's digests", () => {
    expect([...oauth.settings.event_subscriptions.bot_events].sort()).toEqual(["app_uninstalled", "tokens_revoked"]);
  });
});
