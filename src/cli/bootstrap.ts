// Start-up shared by the CLIs: the bot's config, content and store, each found as the bot finds them and returned as a result to report.
import { existsSync } from "node:fs";
import { Client } from "pg";
import { formatContentReport } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";
import type { ContentIndex } from "../core/content/model.js";
import { errorMessage } from "../core/errors.js";
import { loadConfig, type AppConfig } from "../ops/config.js";
import { configBaseDir } from "../ops/project-dir.js";
import { MIGRATIONS } from "../store/migrations.js";
import { openStore } from "../store/open-store.js";
import { withoutUrlSecrets } from "../store/postgres-store.js";
import type { Store } from "../store/store.js";

/** Where a CLI writes: the terminal when run, an array in a test. */
export interface CliOutput {
  info(line: string): void;
  error(line: string): void;
}

export const consoleOutput: CliOutput = {
  info: (line) => console.log(line),
  error: (line) => console.error(line),
};

/** A step of start-up: its value, or the message that explains why the CLI stops (with exit code 1). */
export type Step<T> = { ok: true; value: T } | { ok: false; message: string };

/** Prints a failed step's message and returns the exit code for it. */
export function report(out: CliOutput, failure: { message: string }): number {
  out.error(failure.message);
  return 1;
}

export interface ConfigOptions {
  /** The folder config/ and relative paths are read from; the bot's own (configBaseDir) when unset. */
  baseDir?: string;
  /** Opens the message when the config is invalid, e.g. "The configuration is invalid, so no shard was started". */
  heading?: string;
}

/** The configuration the bot would run with, from config/ and `env`. */
export function readConfig(env: NodeJS.ProcessEnv, options: ConfigOptions = {}): Step<AppConfig> {
  const result = loadConfig(env, options.baseDir ?? configBaseDir(env));
  if (result.ok) return { ok: true, value: result.config };
  return {
    ok: false,
    message: `${options.heading ?? "The configuration is invalid"}:\n${result.errors.map((e) => `  ${e}`).join("\n")}`,
  };
}

/** The content folder, loaded and checked; its problems worded as the bot and content:check word them. */
export function loadContent(dir: string): Step<ContentIndex> {
  const loaded = loadContentDir(dir);
  return loaded.ok ? { ok: true, value: loaded.content } : { ok: false, message: formatContentReport(loaded.errors) };
}

/** DATABASE_URL, read only from the environment (never from config files) because it may hold a password. */
export function databaseUrlOf(env: NodeJS.ProcessEnv): string | undefined {
  return env["DATABASE_URL"]?.trim() || undefined;
}

export interface OpenedStore {
  store: Store;
  /** Names the database in messages without its URL: the SQLite path, or "the Postgres database in DATABASE_URL". */
  name: string;
}

const POSTGRES_NAME = "the Postgres database in DATABASE_URL";

function openFailure(
  databaseUrl: string | undefined,
  databasePath: string,
  reason: string,
): { ok: false; message: string } {
  return {
    ok: false,
    message:
      databaseUrl === undefined
        ? `The digest database ${databasePath} could not be opened: ${reason}\nSet DATABASE_PATH to a writable file.`
        : `The Postgres database in DATABASE_URL could not be opened: ${reason}\nCheck that it is running and that the URL is right.`,
  };
}

export interface StoreOptions {
  /** Postgres: told when the server drops an idle connection. */
  onIdleError?: (error: Error) => void;
}

/** The store the bot would open (Postgres when DATABASE_URL is set, else DATABASE_PATH), migrated as the bot migrates it. */
export async function openBotStore(
  config: AppConfig,
  env: NodeJS.ProcessEnv,
  options: StoreOptions = {},
): Promise<Step<OpenedStore>> {
  const databaseUrl = databaseUrlOf(env);
  const databasePath = config.digest.databasePath;
  try {
    const store = await openStore({
      databasePath,
      ...(databaseUrl !== undefined && { databaseUrl }),
      ...(options.onIdleError && { onIdleError: options.onIdleError }),
    });
    return { ok: true, value: { store, name: databaseUrl === undefined ? databasePath : POSTGRES_NAME } };
  } catch (error) {
    // openStore's errors are already free of the URL; scrubbing again costs nothing and guards any path that is not.
    return openFailure(databaseUrl, databasePath, scrub(errorMessage(error), databaseUrl));
  }
}

/** A database the bot has not created yet: nothing is subscribed, and a read-only CLI says so instead of creating it. */
export interface NoDatabase {
  store: undefined;
  /** Why there is nothing to read, as a sentence. */
  reason: string;
}

/**
 * The bot's store only if the bot has already set it up, for CLIs that must change nothing: opening a store migrates
 * it, which would create a SQLite file or Postgres tables just to find them empty, or change the schema under a
 * running bot of another version. So a missing SQLite file or missing Postgres tables give NoDatabase, and a Postgres
 * database lacking some of this version's migrations is refused; only a database already up to date is opened, where
 * migrating does nothing.
 */
export async function openExistingStore(
  config: AppConfig,
  env: NodeJS.ProcessEnv,
): Promise<Step<OpenedStore | NoDatabase>> {
  const databaseUrl = databaseUrlOf(env);
  const databasePath = config.digest.databasePath;
  if (databaseUrl === undefined) {
    if (!existsSync(databasePath))
      return { ok: true, value: { store: undefined, reason: `there is no database at ${databasePath}` } };
    return openBotStore(config, env);
  }
  // A URL openStore refuses is refused there, with its own message, before anything connects.
  if (!/^postgres(?:ql)?:\/\//i.test(databaseUrl)) return openBotStore(config, env);
  let applied: Set<number> | undefined;
  try {
    applied = await appliedPostgresMigrations(databaseUrl);
  } catch (error) {
    return openFailure(databaseUrl, databasePath, scrub(errorMessage(error), databaseUrl));
  }
  if (applied === undefined)
    return {
      ok: true,
      value: { store: undefined, reason: `${POSTGRES_NAME} has no bot tables yet (the bot has not started on it)` },
    };
  const missing = MIGRATIONS.filter((m) => !applied.has(m.version));
  if (missing.length > 0) {
    return {
      ok: false,
      message:
        `The Postgres database in DATABASE_URL lacks ${missing.length} of this version's ${MIGRATIONS.length} schema migrations, and a dry run changes nothing.\n` +
        "Start this version of the bot on it once (it migrates on start), or run this command from the version the bot runs.",
    };
  }
  return openBotStore(config, env);
}

/** The versions in schema_migrations, or undefined when the bot never migrated this database (in its search_path). */
async function appliedPostgresMigrations(url: string): Promise<Set<number> | undefined> {
  let client: Client | undefined;
  try {
    // As the store's pool: a bounded wait, not pg's default of forever on an unreachable host.
    client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    // A connection the server drops fails the query under way; without a listener it would also crash the process.
    client.on("error", () => undefined);
    await client.connect();
    const table = await client.query<{ name: string | null }>("SELECT to_regclass('schema_migrations')::text AS name");
    if ((table.rows[0]?.name ?? null) === null) return undefined;
    const rows = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    return new Set(rows.rows.map((r) => Number(r.version)));
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** `message` without the URL or its password. */
function scrub(message: string, url: string | undefined): string {
  return url === undefined ? message : withoutUrlSecrets(message, url);
}

/**
 * Runs a CLI's main and sets the exit code from it. An unexpected error is reported after `failed` (e.g. "The dry run
 * failed"), never with a stack: the CLIs are for operators, and a stack from pg could hold connection details.
 */
export function runCli(
  failed: string,
  main: (out: CliOutput) => Promise<number>,
  out: CliOutput = consoleOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return main(out).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      out.error(`${failed}: ${scrub(errorMessage(error), databaseUrlOf(env))}`);
      process.exitCode = 1;
    },
  );
}
