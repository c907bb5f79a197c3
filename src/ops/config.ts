// Configuration: config/default.yaml, then an optional config/local.yaml, then environment variables, checked by one zod schema.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { parseClockTime, formatClockTime } from "../core/digest/schedule.js";
import { isValidTimeZone } from "../core/format.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const booleanSetting = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean({ error: "must be true or false" }),
);

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** A comma- or space-separated list from the environment, or a YAML list. */
const idList = z.preprocess(
  (value) => (typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : (value ?? [])),
  z.array(z.string().regex(/^[A-Z0-9]+$/, { error: "must be Slack user ids such as U012ABCDEF" })),
);

export const configSchema = z.strictObject({
  contentDir: z.string().min(1, { error: "must name a folder" }),
  /** Reload content when a file in contentDir changes (SIGHUP always reloads). */
  watchContent: booleanSetting,
  /**
   * Where the served content comes from: auto serves the store's current content release when there is one and the
   * content folder otherwise; files never looks at releases; store refuses to start without one.
   */
  contentSource: z.enum(["auto", "files", "store"], { error: "must be auto, files or store" }).default("auto"),
  /** How often every bot asks the store for a newly published release (Postgres also tells it at once). */
  contentPollSeconds: z.coerce
    .number({ error: "must be a number of seconds" })
    .min(0.1, { error: "must be at least 0.1" })
    .max(300, { error: "must be at most 300" })
    .default(2),
  /** How long SIGTERM may wait for answers under way before the process exits anyway. */
  shutdownGraceSeconds: z.coerce
    .number({ error: "must be a whole number of seconds" })
    .int({ error: "must be a whole number of seconds" })
    .min(1, { error: "must be at least 1" })
    .max(600, { error: "must be at most 600" }),
  // A section with every key commented out reads as null in YAML.
  ops: z.preprocess(
    (value) => value ?? {},
    z.strictObject({
      /** /healthz, /readyz and /metrics; off when unset. */
      port: z.coerce
        .number({ error: "must be a port number" })
        .int({ error: "must be a port number" })
        .min(0, { error: "must be a port number from 0 to 65535" })
        .max(65535, { error: "must be a port number from 0 to 65535" })
        .optional(),
      host: z.string().min(1).optional(),
    }),
  ),
  // Every digest setting has a default, so a config folder written before digests existed still loads.
  digest: z.preprocess(
    (value) => value ?? {},
    z.strictObject({
      /** SQLite file for subscriptions and the delivery ledger, relative to the project folder. */
      databasePath: z.string().min(1, { error: "must name a file" }).default("data/newsbot.sqlite"),
      defaultTime: z
        .string()
        .refine((t) => parseClockTime(t) !== undefined, { error: "must be a time such as 08:00" })
        .transform((t) => formatClockTime(parseClockTime(t) ?? { hour: 8, minute: 0 }))
        .default("08:00"),
      defaultTimeZone: z
        .string()
        .refine(isValidTimeZone, { error: "must be an IANA time zone such as UTC or Europe/London" })
        .default("UTC"),
      catchUpMinutes: wholeNumber(0, 24 * 60).default(180),
      quietDays: z.enum(["post", "skip"], { error: "must be post or skip" }).default("post"),
      catchUpItems: wholeNumber(1, 20).default(5),
      /** Slack user ids allowed to change subscriptions besides workspace admins and owners. */
      slackManagers: idList.default([]),
      /** Requests per second for all Discord digest posts together: Discord's global limit is 50/s unless it granted the bot more. */
      discordRequestsPerSecond: wholeNumber(1, 5000).default(48),
      /**
       * How long after a first attempt a Discord digest post may be resent on the strength of its nonce alone. Discord
       * drops a repeated nonce only "within a few minutes"; past this, the channel's history is read first.
       */
      discordNonceWindowSeconds: wholeNumber(0, 300).default(60),
      /** How long a sender's claim on a digest lasts; after a crash, another start resumes the digest once it ends. */
      leaseSeconds: wholeNumber(5, 3600).default(120),
      /** Whether this process plans and sends digests (a replica may answer commands only). */
      schedule: booleanSetting.default(true),
    }),
  ),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }),
  answers: z.strictObject({
    timeZone: z.string().refine(isValidTimeZone, { error: "must be an IANA time zone such as UTC or Europe/London" }),
    defaultVisibility: z.enum(["private", "shared"], { error: "must be private or shared" }),
    maxInputLength: z.coerce
      .number({ error: "must be a whole number" })
      .int({ error: "must be a whole number" })
      .min(20, { error: "must be at least 20" })
      .max(2000, { error: "must be at most 2000" }),
  }),
});

export type AppConfig = z.infer<typeof configSchema>;

/** Environment variable -> path in the config object. */
const ENV_OVERRIDES: Record<string, readonly string[]> = {
  CONTENT_DIR: ["contentDir"],
  CONTENT_WATCH: ["watchContent"],
  CONTENT_SOURCE: ["contentSource"],
  CONTENT_POLL_SECONDS: ["contentPollSeconds"],
  SHUTDOWN_GRACE_SECONDS: ["shutdownGraceSeconds"],
  OPS_PORT: ["ops", "port"],
  OPS_HOST: ["ops", "host"],
  LOG_LEVEL: ["logLevel"],
  DATABASE_PATH: ["digest", "databasePath"],
  DIGEST_DEFAULT_TIME: ["digest", "defaultTime"],
  DIGEST_DEFAULT_TIME_ZONE: ["digest", "defaultTimeZone"],
  DIGEST_CATCH_UP_MINUTES: ["digest", "catchUpMinutes"],
  DIGEST_QUIET_DAYS: ["digest", "quietDays"],
  DIGEST_SLACK_MANAGERS: ["digest", "slackManagers"],
  DIGEST_SCHEDULE: ["digest", "schedule"],
  DIGEST_LEASE_SECONDS: ["digest", "leaseSeconds"],
  DISCORD_REQUESTS_PER_SECOND: ["digest", "discordRequestsPerSecond"],
  DISCORD_NONCE_WINDOW_SECONDS: ["digest", "discordNonceWindowSeconds"],
  DISPLAY_TIME_ZONE: ["answers", "timeZone"],
  ANSWER_VISIBILITY: ["answers", "defaultVisibility"],
  MAX_INPUT_LENGTH: ["answers", "maxInputLength"],
};

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; errors: string[] };

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTree(current) && isTree(value) ? merge(current, value) : value;
  }
  return out;
}

function readYamlFile(file: string, errors: string[]): Tree {
  try {
    const parsed: unknown = parseYaml(readFileSync(file, "utf8"));
    if (parsed === null || parsed === undefined) return {};
    if (isTree(parsed)) return parsed;
    errors.push(`${file}: must hold key: value settings`);
  } catch (error) {
    errors.push(`${file}: ${error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error)}`);
  }
  return {};
}

/**
 * Reads the configuration. `configDir` holds default.yaml (required) and local.yaml (optional, not committed);
 * CONFIG_DIR in `env` moves it. Relative paths in the result are resolved against `baseDir`.
 */
export function loadConfig(env: NodeJS.ProcessEnv, baseDir: string): ConfigResult {
  const errors: string[] = [];
  // An empty value (a bare CONFIG_DIR= line in an env file) means unset, as for every other variable.
  const configDir = path.resolve(baseDir, env["CONFIG_DIR"] || "config");
  const defaultsFile = path.join(configDir, "default.yaml");
  if (!existsSync(defaultsFile))
    return { ok: false, errors: [`${defaultsFile}: not found (set CONFIG_DIR to the folder holding default.yaml)`] };

  let tree = readYamlFile(defaultsFile, errors);
  const localFile = path.join(configDir, "local.yaml");
  if (existsSync(localFile)) tree = merge(tree, readYamlFile(localFile, errors));

  for (const [variable, keyPath] of Object.entries(ENV_OVERRIDES)) {
    const value = env[variable];
    if (value === undefined || value === "") continue;
    let override: unknown = value;
    for (const key of [...keyPath].reverse()) override = { [key]: override };
    tree = merge(tree, override as Tree);
  }

  const result = configSchema.safeParse(tree);
  if (!result.success) {
    const envFor = (p: string) => Object.entries(ENV_OVERRIDES).find(([, k]) => k.join(".") === p)?.[0];
    for (const issue of result.error.issues) {
      const where = issue.path.map(String).join(".");
      const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => (where ? `${where}.${k}` : k)) : [where];
      for (const key of keys) {
        const variable = envFor(key);
        const message = issue.code === "unrecognized_keys" ? "is not a known setting" : issue.message;
        errors.push(`${key || "(config)"}${variable ? ` (${variable})` : ""}: ${message}`);
      }
    }
  }
  if (errors.length > 0 || !result.success) return { ok: false, errors };
  const config = result.data;
  return {
    ok: true,
    config: {
      ...config,
      contentDir: path.resolve(baseDir, config.contentDir),
      digest: { ...config.digest, databasePath: path.resolve(baseDir, config.digest.databasePath) },
    },
  };
}
