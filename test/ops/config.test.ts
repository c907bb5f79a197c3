// Configuration: defaults from config/, overrides from the environment, every bad value listed at once.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/ops/config.js";
import { projectRoot } from "../helpers.js";

describe("loadConfig", () => {
  it("reads the committed defaults", () => {
    const result = loadConfig({}, projectRoot);
    expect(result).toEqual({
      ok: true,
      config: {
        contentDir: path.join(projectRoot, "content"),
        watchContent: false,
        contentSource: "auto",
        contentPollSeconds: 2,
        shutdownGraceSeconds: 10,
        ops: {},
        logLevel: "info",
        answers: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
        digest: {
          databasePath: path.join(projectRoot, "data", "newsbot.sqlite"),
          defaultTime: "08:00",
          defaultTimeZone: "UTC",
          catchUpMinutes: 180,
          quietDays: "post",
          catchUpItems: 5,
          slackManagers: [],
          discordRequestsPerSecond: 48,
          discordNonceWindowSeconds: 60,
          leaseSeconds: 120,
          schedule: true,
        },
      },
    });
  });

  it("reads digest settings from the environment: a loose time, a manager list, and clear errors", () => {
    const result = loadConfig(
      { DIGEST_DEFAULT_TIME: "7pm", DIGEST_SLACK_MANAGERS: "U012AB, U034CD", DATABASE_PATH: "/tmp/x.sqlite" },
      projectRoot,
    );
    expect(result.ok && result.config.digest).toMatchObject({
      defaultTime: "19:00",
      slackManagers: ["U012AB", "U034CD"],
      databasePath: "/tmp/x.sqlite",
    });
    const bad = loadConfig(
      { DIGEST_DEFAULT_TIME: "25:00", DIGEST_DEFAULT_TIME_ZONE: "Mars/Base", DIGEST_QUIET_DAYS: "maybe" },
      projectRoot,
    );
    expect(bad.ok === false && bad.errors).toEqual([
      "digest.defaultTime (DIGEST_DEFAULT_TIME): must be a time such as 08:00",
      "digest.defaultTimeZone (DIGEST_DEFAULT_TIME_ZONE): must be an IANA time zone such as UTC or Europe/London",
      "digest.quietDays (DIGEST_QUIET_DAYS): must be post or skip",
    ]);
  });

  it("treats an empty variable as unset, CONFIG_DIR included", () => {
    const result = loadConfig({ CONFIG_DIR: "", LOG_LEVEL: "", OPS_PORT: "" }, projectRoot);
    expect(result.ok && result.config.logLevel).toBe("info");
    expect(result.ok && result.config.ops).toEqual({});
  });

  it("lets environment variables override the files", () => {
    const result = loadConfig(
      {
        LOG_LEVEL: "debug",
        DISPLAY_TIME_ZONE: "Europe/London",
        ANSWER_VISIBILITY: "shared",
        MAX_INPUT_LENGTH: "120",
        CONTENT_DIR: "/srv/content",
        CONTENT_WATCH: "true",
        SHUTDOWN_GRACE_SECONDS: "30",
        OPS_PORT: "9090",
        OPS_HOST: "127.0.0.1",
      },
      projectRoot,
    );
    expect(result.ok && result.config).toMatchObject({
      contentDir: "/srv/content",
      watchContent: true,
      shutdownGraceSeconds: 30,
      ops: { port: 9090, host: "127.0.0.1" },
      logLevel: "debug",
      answers: { timeZone: "Europe/London", defaultVisibility: "shared", maxInputLength: 120 },
    });
  });

  it("lists every invalid value at once, naming the variable to fix", () => {
    const result = loadConfig(
      {
        LOG_LEVEL: "loud",
        DISPLAY_TIME_ZONE: "Mars/Olympus",
        ANSWER_VISIBILITY: "everyone",
        MAX_INPUT_LENGTH: "lots",
        CONTENT_WATCH: "yes",
        OPS_PORT: "70000",
        SHUTDOWN_GRACE_SECONDS: "0",
        CONTENT_SOURCE: "database",
        CONTENT_POLL_SECONDS: "0",
      },
      projectRoot,
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(9);
    expect(errors.join("\n")).toContain("contentSource (CONTENT_SOURCE): must be auto, files or store");
    expect(errors.join("\n")).toContain("contentPollSeconds (CONTENT_POLL_SECONDS): must be at least 0.1");
    expect(errors.join("\n")).toContain("watchContent (CONTENT_WATCH): must be true or false");
    expect(errors.join("\n")).toContain("ops.port (OPS_PORT): must be a port number from 0 to 65535");
    expect(errors.join("\n")).toContain("shutdownGraceSeconds (SHUTDOWN_GRACE_SECONDS): must be at least 1");
    expect(errors.join("\n")).toContain("logLevel (LOG_LEVEL): must be one of");
    expect(errors.join("\n")).toContain("answers.timeZone (DISPLAY_TIME_ZONE): must be an IANA time zone");
    expect(errors.join("\n")).toContain("answers.defaultVisibility (ANSWER_VISIBILITY): must be private or shared");
    expect(errors.join("\n")).toContain("answers.maxInputLength (MAX_INPUT_LENGTH)");
  });

  it("merges config/local.yaml over the defaults and rejects unknown settings in it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "newsbot-config-"));
    writeFileSync(
      path.join(dir, "default.yaml"),
      "contentDir: content\nwatchContent: false\nshutdownGraceSeconds: 10\nops:\nlogLevel: info\nanswers:\n  timeZone: UTC\n  defaultVisibility: private\n  maxInputLength: 200\n",
    );
    writeFileSync(path.join(dir, "local.yaml"), "answers:\n  timeZone: Asia/Tokyo\n  colour: blue\n");
    const result = loadConfig({ CONFIG_DIR: dir }, projectRoot);
    expect(result).toEqual({ ok: false, errors: ["answers.colour: is not a known setting"] });

    writeFileSync(path.join(dir, "local.yaml"), "answers:\n  timeZone: Asia/Tokyo\n");
    const fixed = loadConfig({ CONFIG_DIR: dir }, projectRoot);
    expect(fixed.ok && fixed.config.answers).toEqual({
      timeZone: "Asia/Tokyo",
      defaultVisibility: "private",
      maxInputLength: 200,
    });
  });

  it("reports a missing or unreadable config file instead of throwing", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "newsbot-config-"));
    const missing = loadConfig({ CONFIG_DIR: empty }, projectRoot);
    expect(missing.ok === false && missing.errors[0]).toContain("default.yaml: not found");

    writeFileSync(path.join(empty, "default.yaml"), "answers: [unclosed\n");
    const broken = loadConfig({ CONFIG_DIR: empty }, projectRoot);
    expect(broken.ok).toBe(false);
    expect(broken.ok === false && broken.errors[0]).toContain("default.yaml");
  });
});
