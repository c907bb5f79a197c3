// Postgres for tests: TEST_DATABASE_URL, a throwaway schema per suite, and a DATABASE_URL that points a process at it.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { describe, it } from "vitest";

export const HOW_TO_RUN_POSTGRES_TESTS = "TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test";

function inCi(): boolean {
  const ci = process.env["CI"]?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/** TEST_DATABASE_URL, or undefined when it is unset (the Postgres suites then skip, or fail in CI). */
export function testDatabaseUrl(): string | undefined {
  const url = process.env["TEST_DATABASE_URL"]?.trim();
  return url === undefined || url === "" ? undefined : url;
}

/** TEST_DATABASE_URL, for code that runs only inside a postgresSuite (which is skipped when it is unset). */
export function requireTestDatabaseUrl(): string {
  const url = testDatabaseUrl();
  if (url === undefined) throw new Error(`TEST_DATABASE_URL is not set; run with ${HOW_TO_RUN_POSTGRES_TESTS}`);
  return url;
}

/**
 * A describe block that needs Postgres: runs when TEST_DATABASE_URL is set; otherwise skipped with a note of how to run
 * it, except in CI, where a missing database must not pass silently, so the suite fails instead.
 */
export function postgresSuite(title: string, body: () => void): void {
  if (testDatabaseUrl() === undefined && inCi()) {
    describe(title, () => {
      it("has a Postgres to run against", () => {
        throw new Error(
          `TEST_DATABASE_URL is not set, and CI must run the Postgres tests: ${HOW_TO_RUN_POSTGRES_TESTS}`,
        );
      });
    });
    return;
  }
  const skipped = testDatabaseUrl() === undefined;
  describe.skipIf(skipped)(skipped ? `${title} (skipped without Postgres: ${HOW_TO_RUN_POSTGRES_TESTS})` : title, body);
}

/** A schema name no other test file or run uses: lower case, so it needs no quoting anywhere. */
export function uniqueSchemaName(label = "test"): string {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, "_")
    .slice(0, 30);
  return `t_${safeLabel}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/**
 * The URL with every connection's search_path set to `schema`, through libpq's `options` startup parameter, which pg
 * honours too (test/store/postgres-store.test.ts checks it). Replaces any `options` the URL already had.
 */
export function databaseUrlWithSchema(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set("options", `-c search_path=${schema}`);
  // %20, not the + URLSearchParams writes: pg reads either as a space, libpq (psql) only %20.
  withSchema.search = withSchema.searchParams.toString().replace(/\+/g, "%20");
  return withSchema.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

export interface TestSchema {
  name: string;
  /** A DATABASE_URL whose connections all use this schema: give it to openPostgresStore or to a spawned bot. */
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty schema in TEST_DATABASE_URL's database; drop() removes it with everything in it. */
export async function testSchema(label?: string): Promise<TestSchema> {
  const url = requireTestDatabaseUrl();
  const name = uniqueSchemaName(label);
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${name}"`));
  return { name, url: databaseUrlWithSchema(url, name), drop: () => dropSchema(url, name) };
}
