// The Slack app manifest in config/: every story's command, /whois and /help, the least scopes, Socket Mode on.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { SLACK_COMMAND_ALIASES } from "../../../src/adapters/slack/slack-adapter.js";
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

  it("asks for the least scopes: commands, chat:write, and users:read (who may change a digest)", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(["chat:write", "commands", "users:read"]);
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
