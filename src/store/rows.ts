// Row mapping shared by the SQLite and Postgres stores, so both hand back the same Subscription and DeliveryRow objects.
import { z } from "zod";
import { DELIVERY_STATES, type DeliveryState, type EditionSummary, type Subscription } from "../core/digest/types.js";
import type {
  CompiledRelease,
  DeliveryPayload,
  DeliveryRow,
  NewRelease,
  ReleaseHead,
  StoredInstallation,
} from "./store.js";

/** One result row as a driver returns it: column name to value. */
export type Row = Record<string, unknown>;

export const payloadSchema = z.object({
  kind: z.enum(["catch-up", "news", "quiet"]),
  messages: z.array(z.unknown()),
  announce: z.array(z.object({ key: z.string(), version: z.number() })),
});

/** A payload as stored: the JSON of what is posted, and what it was composed from in a column of its own. */
export function payloadColumns(payload: DeliveryPayload): { json: string; composedFrom: string | null } {
  const { composedFrom, ...posted } = payload;
  return { json: JSON.stringify(posted), composedFrom: composedFrom ?? null };
}
export const stringList = z.array(z.string());
export const stateSchema = z.enum(DELIVERY_STATES);

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== "string") throw new Error(`ledger column ${column} is not text`);
  return value;
}

export function optionalText(row: Row, column: string): string | undefined {
  const value = row[column];
  return typeof value === "string" ? value : undefined;
}

/** Accepts a decimal string too: pg returns BIGINT and COUNT(*) as text, since they may not fit a double. */
export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value === "number" || typeof value === "bigint") return Number(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  throw new Error(`ledger column ${column} is not a number`);
}

export function subscriptionOf(row: Row): Subscription {
  const reason = optionalText(row, "paused_reason");
  const at = optionalText(row, "paused_at");
  return {
    channel: text(row, "channel"),
    platform: text(row, "platform"),
    time: text(row, "time"),
    timeZone: text(row, "time_zone"),
    stories: stringList.parse(JSON.parse(text(row, "stories"))),
    createdAt: text(row, "created_at"),
    createdBy: text(row, "created_by"),
    ...(reason !== undefined && at !== undefined && { paused: { reason, at } }),
  };
}

export function deliveryOf(row: Row): DeliveryRow {
  const payload = optionalText(row, "payload");
  const optional = (key: keyof DeliveryRow, column: string) => {
    const value = optionalText(row, column);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    editionKey: text(row, "edition_key"),
    channel: text(row, "channel"),
    platform: text(row, "platform"),
    dueAt: text(row, "due_at"),
    state: stateSchema.parse(row["state"]),
    attempts: integer(row, "attempts"),
    nextAttemptAt: text(row, "next_attempt_at"),
    partsSent: integer(row, "parts_sent"),
    remoteIds: stringList.parse(JSON.parse(text(row, "remote_ids"))),
    resumed: integer(row, "resumed") === 1,
    ...(payload !== undefined && { payload: payloadSchema.parse(JSON.parse(payload)) }),
    ...optional("leaseOwner", "lease_owner"),
    ...optional("leaseUntil", "lease_until"),
    ...optional("error", "error"),
    ...optional("deliveredAt", "delivered_at"),
    ...optional("partAttemptedAt", "part_attempted_at"),
  };
}

export function summaryOf(row: Row): EditionSummary {
  const deliveredAt = optionalText(row, "delivered_at");
  const error = optionalText(row, "error");
  const composedFrom = optionalText(row, "composed_from");
  return {
    editionKey: text(row, "edition_key"),
    dueAt: text(row, "due_at"),
    state: stateSchema.parse(row["state"]),
    ...(deliveredAt !== undefined && { deliveredAt }),
    ...(error !== undefined && { error }),
    ...(composedFrom !== undefined && { composedFrom }),
  };
}

/** Everything of a release but its files and compiled documents, which run to tens of MB on a large corpus. */
export const RELEASE_HEAD_COLUMNS = "id, created_at, author, message, fingerprint, schema_version, counts, rollback_of";

const countsSchema = z.object({
  files: z.number(),
  stories: z.number(),
  updates: z.number(),
  entities: z.number(),
  sources: z.number(),
});

export function releaseHeadOf(row: Row): ReleaseHead {
  const rollbackOf = row["rollback_of"];
  return {
    id: integer(row, "id"),
    createdAt: text(row, "created_at"),
    author: text(row, "author"),
    message: text(row, "message"),
    fingerprint: text(row, "fingerprint"),
    schemaVersion: integer(row, "schema_version"),
    counts: countsSchema.parse(JSON.parse(text(row, "counts"))),
    ...(rollbackOf !== null && rollbackOf !== undefined && { rollbackOf: integer(row, "rollback_of") }),
  };
}

/** The columns a new release is inserted with, in the order of releaseValues. */
export const RELEASE_INSERT_COLUMNS =
  "id, created_at, author, message, fingerprint, schema_version, counts, rollback_of, files, compiled, compiled_hash";

/** The values of a new release's row as release `id`, for RELEASE_INSERT_COLUMNS. */
export function releaseValues(id: number, release: NewRelease): (string | number | null | Buffer)[] {
  return [
    id,
    release.createdAt,
    release.author,
    release.message,
    release.fingerprint,
    release.schemaVersion,
    JSON.stringify(release.counts),
    release.rollbackOf ?? null,
    release.files,
    release.compiled,
    release.compiledHash,
  ];
}

/** A binary column: better-sqlite3 and pg both return a Buffer. */
export function bytes(row: Row, column: string): Buffer {
  const value = row[column];
  if (!Buffer.isBuffer(value)) throw new Error(`column ${column} is not binary`);
  return value;
}

export function compiledReleaseOf(row: Row): CompiledRelease {
  return {
    id: integer(row, "id"),
    schemaVersion: integer(row, "schema_version"),
    compiled: bytes(row, "compiled"),
    compiledHash: text(row, "compiled_hash"),
  };
}

export function installationOf(row: Row): StoredInstallation {
  return {
    key: text(row, "install_key"),
    sealed: text(row, "sealed"),
    installedAt: text(row, "installed_at"),
    updatedAt: text(row, "updated_at"),
  };
}

/** Rows per state from `SELECT state, COUNT(*) AS n … GROUP BY state`, with every state present (0 when it has no row). */
export function stateCounts(rows: readonly Row[]): Record<DeliveryState, number> {
  const counts = Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as Record<DeliveryState, number>;
  for (const row of rows) {
    const state = stateSchema.safeParse(row["state"]);
    if (state.success) counts[state.data] = integer(row, "n");
  }
  return counts;
}
