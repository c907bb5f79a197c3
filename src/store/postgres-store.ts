// The Store on Postgres, for several replicas sharing one ledger: row locks that skip each other, one clock for budgets.
import { Client, Pool, type ClientConfig, type PoolClient } from "pg";
import type { ChannelRef } from "../core/commands/types.js";
import type {
  AnnouncedItem,
  AnnouncedVersions,
  DeliveryState,
  EditionSummary,
  NewSubscription,
  Subscription,
} from "../core/digest/types.js";
import { MIGRATIONS } from "./migrations.js";
import {
  bytes,
  compiledReleaseOf,
  deliveryOf,
  installationOf,
  integer,
  optionalText,
  payloadColumns,
  payloadSchema,
  RELEASE_HEAD_COLUMNS,
  RELEASE_INSERT_COLUMNS,
  releaseHeadOf,
  releaseValues,
  stateCounts,
  subscriptionOf,
  summaryOf,
  text,
  type Row,
} from "./rows.js";
import type {
  ClaimRequest,
  CompiledRelease,
  DeliveryKey,
  DeliveryPayload,
  DeliveryRow,
  FinalState,
  NewRelease,
  PlannedEdition,
  PublishOutcome,
  ReleaseHead,
  Store,
  StoredInstallation,
} from "./store.js";

type SqlValue = string | number | null | readonly string[] | readonly number[];

/** Any constant unique to this application: every replica takes the same advisory lock before migrating. */
const MIGRATION_LOCK_KEY = 7_316_270_118;
/** Unquoted Postgres identifiers: safe in a search_path option and in DDL without escaping rules to get wrong. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Parameters $1, $2, $3 of every owner-checked statement are edition key, channel and owner. */
const OWNED = "edition_key = $1 AND channel = $2 AND state = 'sending' AND lease_owner = $3";

/** Milliseconds since the epoch on the database's clock; clock_timestamp() moves within a transaction, now() does not. */
const DB_NOW_MS = "(extract(epoch FROM clock_timestamp()) * 1000)::double precision";

/** Notified with the new id by every publish. Channels span the database, not one schema: listeners re-read the id. */
const RELEASE_CHANNEL = "newsbot_content_release";
/** SQLSTATE unique_violation: two first publishers both inserted release 1 (there was no content_state row to lock). */
const UNIQUE_VIOLATION = "23505";

/**
 * Each key once with its highest version (a key twice in one INSERT … ON CONFLICT DO UPDATE is an error in Postgres),
 * in key order, so two deliveries to one channel completing at once lock the announced rows in the same order and
 * cannot deadlock.
 */
function highestVersions(announce: readonly AnnouncedItem[]): { keys: string[]; versions: number[] } {
  const highest = new Map<string, number>();
  for (const item of announce) highest.set(item.key, Math.max(item.version, highest.get(item.key) ?? item.version));
  const keys = [...highest.keys()].sort();
  return { keys, versions: keys.map((key) => highest.get(key) ?? 0) };
}

export class PostgresStore implements Store {
  readonly kind = "postgres";
  private closed = false;
  /** Stops of the LISTEN clients watchReleases opened, ended by close(). */
  private readonly watchers = new Set<() => Promise<void>>();

  /**
   * `scrub` takes the connection string and its password out of an error, for errors that reach /readyz.
   * `connection` is what the pool connects with, for the clients that must stay out of it (LISTEN holds its connection).
   */
  constructor(
    private readonly pool: Pool,
    private readonly scrub: (error: unknown) => Error,
    private readonly connection: ClientConfig,
  ) {}

  private async all(sql: string, ...params: SqlValue[]): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, params)).rows;
  }

  private async get(sql: string, ...params: SqlValue[]): Promise<Row | undefined> {
    return (await this.all(sql, ...params))[0];
  }

  private async run(sql: string, ...params: SqlValue[]): Promise<number> {
    return (await this.pool.query(sql, params)).rowCount ?? 0;
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  async putSubscription(s: NewSubscription): Promise<Subscription> {
    await this.run(
      `INSERT INTO subscriptions (channel, platform, time, time_zone, stories, created_at, created_by, paused_reason, paused_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)
       ON CONFLICT (channel) DO UPDATE SET platform = excluded.platform, time = excluded.time, time_zone = excluded.time_zone,
         stories = excluded.stories, created_at = excluded.created_at, created_by = excluded.created_by, paused_reason = NULL, paused_at = NULL`,
      s.channel,
      s.platform,
      s.time,
      s.timeZone,
      JSON.stringify(s.stories),
      s.createdAt,
      s.createdBy,
    );
    return { ...s, stories: [...s.stories] };
  }

  deleteSubscription(channel: ChannelRef): Promise<boolean> {
    return this.transaction(async (client) => {
      await client.query("DELETE FROM announced WHERE channel = $1", [channel]);
      const removed = await client.query("DELETE FROM subscriptions WHERE channel = $1", [channel]);
      return (removed.rowCount ?? 0) > 0;
    });
  }

  async getSubscription(channel: ChannelRef): Promise<Subscription | undefined> {
    const row = await this.get("SELECT * FROM subscriptions WHERE channel = $1", channel);
    return row && subscriptionOf(row);
  }

  async listSubscriptions(): Promise<Subscription[]> {
    return (await this.all("SELECT * FROM subscriptions ORDER BY channel")).map(subscriptionOf);
  }

  async pauseSubscription(channel: ChannelRef, reason: string, at: string): Promise<void> {
    await this.run(
      "UPDATE subscriptions SET paused_reason = $1, paused_at = $2 WHERE channel = $3",
      reason,
      at,
      channel,
    );
  }

  async announced(channel: ChannelRef): Promise<AnnouncedVersions> {
    const rows = await this.all("SELECT item_key, version FROM announced WHERE channel = $1", channel);
    return new Map(rows.map((r) => [text(r, "item_key"), integer(r, "version")]));
  }

  async planEdition(plan: PlannedEdition): Promise<boolean> {
    const inserted = await this.run(
      `INSERT INTO deliveries (edition_key, channel, platform, due_at, state, attempts, next_attempt_at, parts_sent, remote_ids, error, resumed, updated_at)
       VALUES ($1, $2, $3, $4, $5, 0, $4, 0, '[]', $6, 0, $7)
       ON CONFLICT (edition_key, channel) DO NOTHING`,
      plan.editionKey,
      plan.channel,
      plan.platform,
      plan.dueAt,
      plan.state,
      plan.error ?? null,
      new Date().toISOString(),
    );
    return inserted > 0;
  }

  async claimDeliveries(request: ClaimRequest): Promise<DeliveryRow[]> {
    const platforms = request.platforms;
    if (platforms !== undefined && platforms.length === 0) return [];
    const only = platforms === undefined ? "" : "AND platform = ANY($5::text[])";
    const leaseUntil = new Date(Date.parse(request.now) + request.leaseMs).toISOString();
    // One statement, so no transaction is held open between round trips. SKIP LOCKED: a row another replica is claiming
    // right now is passed over, not waited for, and a row it has already claimed fails the re-checked WHERE; so two
    // replicas never get the same row and neither blocks the other. Expired leases first (the oldest work), then pending
    // rows in the order they became due, each phase walking its own index as on SQLite.
    const rows = await this.all(
      `WITH expired AS (
         SELECT edition_key, channel, lease_until AS since FROM deliveries
         WHERE state = 'sending' AND lease_until < $1 ${only}
         ORDER BY lease_until LIMIT $2
         FOR UPDATE SKIP LOCKED
       ), pending AS (
         SELECT edition_key, channel, next_attempt_at AS since FROM deliveries
         WHERE state = 'pending' AND next_attempt_at <= $1 ${only}
         ORDER BY next_attempt_at, channel LIMIT $2 - (SELECT count(*) FROM expired)
         FOR UPDATE SKIP LOCKED
       ), chosen AS (
         SELECT edition_key, channel, since, 0 AS phase FROM expired
         UNION ALL SELECT edition_key, channel, since, 1 AS phase FROM pending
       ), claimed AS (
         UPDATE deliveries d SET resumed = CASE WHEN d.state = 'sending' THEN 1 ELSE 0 END, state = 'sending', lease_owner = $3,
           lease_until = $4, attempts = d.attempts + 1, updated_at = $1
         FROM chosen WHERE d.edition_key = chosen.edition_key AND d.channel = chosen.channel
         RETURNING d.*, chosen.phase, chosen.since
       )
       SELECT * FROM claimed ORDER BY phase, since, channel`,
      request.now,
      request.limit,
      request.owner,
      leaseUntil,
      ...(platforms === undefined ? [] : [platforms]),
    );
    return rows.map(deliveryOf);
  }

  async savePayload(key: DeliveryKey, owner: string, payload: DeliveryPayload): Promise<boolean> {
    // COALESCE keeps the first payload: a resumed row must post exactly what the first attempt began posting. SET
    // reads the old row, so composed_from changes only together with the payload.
    const stored = payloadColumns(payload);
    const owned = await this.run(
      `UPDATE deliveries SET payload = COALESCE(payload, $4),
         composed_from = CASE WHEN payload IS NULL THEN $5 ELSE composed_from END WHERE ${OWNED}`,
      key.editionKey,
      key.channel,
      owner,
      stored.json,
      stored.composedFrom,
    );
    return owned > 0;
  }

  async markPartAttempt(key: DeliveryKey, owner: string, at: string, restart = false): Promise<boolean> {
    const owned = await this.run(
      `UPDATE deliveries SET part_attempted_at = ${restart ? "$4" : "COALESCE(part_attempted_at, $4)"} WHERE ${OWNED}`,
      key.editionKey,
      key.channel,
      owner,
      at,
    );
    return owned > 0;
  }

  async recordPart(key: DeliveryKey, owner: string, index: number, remoteId: string): Promise<boolean> {
    // The owner check and the append are one statement; a part already recorded (parts_sent > index) changes nothing.
    const owned = await this.run(
      `UPDATE deliveries SET
         remote_ids = CASE WHEN parts_sent > $4 THEN remote_ids ELSE (remote_ids::jsonb || to_jsonb($5::text))::text END,
         part_attempted_at = CASE WHEN parts_sent > $4 THEN part_attempted_at ELSE NULL END,
         parts_sent = GREATEST(parts_sent, $4 + 1)
       WHERE ${OWNED}`,
      key.editionKey,
      key.channel,
      owner,
      index,
      remoteId,
    );
    return owned > 0;
  }

  completeDelivery(key: DeliveryKey, owner: string, at: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const done = await client.query<Row>(
        `UPDATE deliveries SET state = 'delivered', delivered_at = $4, lease_owner = NULL, lease_until = NULL, error = NULL, updated_at = $4
         WHERE ${OWNED} RETURNING payload`,
        [key.editionKey, key.channel, owner, at],
      );
      const row = done.rows[0];
      if (!row) return false;
      const payload = optionalText(row, "payload");
      const highest = highestVersions(payload === undefined ? [] : payloadSchema.parse(JSON.parse(payload)).announce);
      if (highest.keys.length > 0) {
        await client.query(
          `INSERT INTO announced (channel, item_key, version, announced_at)
           SELECT $1, item.item_key, item.version, $2 FROM unnest($3::text[], $4::integer[]) AS item (item_key, version)
           ON CONFLICT (channel, item_key) DO UPDATE SET version = GREATEST(announced.version, excluded.version), announced_at = excluded.announced_at`,
          [key.channel, at, highest.keys, highest.versions],
        );
      }
      return true;
    });
  }

  async retryDelivery(
    key: DeliveryKey,
    owner: string,
    nextAttemptAt: string,
    error: string,
    nothingPosted = false,
  ): Promise<boolean> {
    const attempted = nothingPosted ? "NULL" : "part_attempted_at";
    const changed = await this.run(
      `UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, next_attempt_at = $4, error = $5, updated_at = $6,
         part_attempted_at = ${attempted} WHERE ${OWNED}`,
      key.editionKey,
      key.channel,
      owner,
      nextAttemptAt,
      error,
      new Date().toISOString(),
    );
    return changed > 0;
  }

  finishDelivery(key: DeliveryKey, owner: string, state: FinalState, error: string, at: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const done = await client.query(
        `UPDATE deliveries SET state = $4, lease_owner = NULL, lease_until = NULL, error = $5, updated_at = $6 WHERE ${OWNED}`,
        [key.editionKey, key.channel, owner, state, error, at],
      );
      const changed = (done.rowCount ?? 0) > 0;
      if (changed && state === "paused") {
        await client.query(
          "UPDATE subscriptions SET paused_reason = $1, paused_at = $2 WHERE channel = $3 AND paused_reason IS NULL",
          [error, at, key.channel],
        );
      }
      return changed;
    });
  }

  releaseDeliveries(owner: string, reason: string): Promise<number> {
    return this.run(
      "UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, error = $1, updated_at = $2 WHERE state = 'sending' AND lease_owner = $3",
      reason,
      new Date().toISOString(),
      owner,
    );
  }

  async lastEdition(channel: ChannelRef): Promise<EditionSummary | undefined> {
    const row = await this.get("SELECT * FROM deliveries WHERE channel = $1 ORDER BY due_at DESC LIMIT 1", channel);
    return row && summaryOf(row);
  }

  async lastDelivered(channel: ChannelRef): Promise<EditionSummary | undefined> {
    const row = await this.get(
      "SELECT * FROM deliveries WHERE channel = $1 AND state = 'delivered' ORDER BY due_at DESC LIMIT 1",
      channel,
    );
    return row && summaryOf(row);
  }

  async delivery(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    const row = await this.get(
      "SELECT * FROM deliveries WHERE edition_key = $1 AND channel = $2",
      key.editionKey,
      key.channel,
    );
    return row && deliveryOf(row);
  }

  async listDeliveries(): Promise<DeliveryRow[]> {
    return (await this.all("SELECT * FROM deliveries ORDER BY due_at, channel")).map(deliveryOf);
  }

  async countDeliveries(): Promise<Record<DeliveryState, number>> {
    return stateCounts(await this.all("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state"));
  }

  async putInstallation(installation: StoredInstallation): Promise<void> {
    await this.run(
      `INSERT INTO installations (install_key, sealed, installed_at, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (install_key) DO UPDATE SET sealed = excluded.sealed, installed_at = excluded.installed_at, updated_at = excluded.updated_at`,
      installation.key,
      installation.sealed,
      installation.installedAt,
      installation.updatedAt,
    );
  }

  async getInstallation(key: string): Promise<StoredInstallation | undefined> {
    const row = await this.get("SELECT * FROM installations WHERE install_key = $1", key);
    return row && installationOf(row);
  }

  async deleteInstallation(key: string): Promise<boolean> {
    return (await this.run("DELETE FROM installations WHERE install_key = $1", key)) > 0;
  }

  pauseChannels(channelPrefix: string, reason: string, at: string): Promise<number> {
    // starts_with, not LIKE: a channel id may hold _ or %, which LIKE would read as wildcards.
    return this.run(
      "UPDATE subscriptions SET paused_reason = $1, paused_at = $2 WHERE starts_with(channel, $3) AND paused_reason IS NULL",
      reason,
      at,
      channelPrefix,
    );
  }

  resumeChannels(channelPrefix: string, reason: string): Promise<number> {
    return this.run(
      "UPDATE subscriptions SET paused_reason = NULL, paused_at = NULL WHERE starts_with(channel, $1) AND paused_reason = $2",
      channelPrefix,
      reason,
    );
  }

  async reserveGrant(name: string, intervalMs: number): Promise<number> {
    // Replicas run on different machines whose clocks disagree, so the grant is timed on the database's clock. The
    // upsert takes the budget's row lock, so concurrent reservations queue on it and each gets its own slot. The CTE is
    // evaluated once (clock_timestamp() is volatile), so "now" is one instant throughout the statement.
    const row = await this.get(
      `WITH now AS (SELECT ${DB_NOW_MS} AS ms)
       INSERT INTO request_budgets (name, next_grant_ms) SELECT $1, now.ms + $2::double precision FROM now
       ON CONFLICT (name) DO UPDATE SET next_grant_ms = GREATEST(request_budgets.next_grant_ms, (SELECT ms FROM now)) + $2::double precision
       RETURNING next_grant_ms - $2::double precision - (SELECT ms FROM now) AS wait_ms`,
      name,
      intervalMs,
    );
    const waitMs = row?.["wait_ms"];
    if (typeof waitMs !== "number") throw new Error(`the request budget ${name} returned no grant`);
    // Subtracting the interval back out of a double can leave a rounding residue just below zero.
    return Math.max(0, waitMs);
  }

  async currentReleaseId(): Promise<number | undefined> {
    const row = await this.get("SELECT release_id FROM content_state WHERE name = 'current'");
    return row && integer(row, "release_id");
  }

  async currentRelease(): Promise<ReleaseHead | undefined> {
    const row = await this.get(
      `SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases WHERE id = (SELECT release_id FROM content_state WHERE name = 'current')`,
    );
    return row && releaseHeadOf(row);
  }

  async releaseHead(id: number): Promise<ReleaseHead | undefined> {
    const row = await this.get(`SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases WHERE id = $1`, id);
    return row && releaseHeadOf(row);
  }

  async releaseCompiled(id: number): Promise<CompiledRelease | undefined> {
    const row = await this.get(
      "SELECT id, schema_version, compiled, compiled_hash FROM content_releases WHERE id = $1",
      id,
    );
    return row && compiledReleaseOf(row);
  }

  async releaseFiles(id: number): Promise<Buffer | undefined> {
    const row = await this.get("SELECT files FROM content_releases WHERE id = $1", id);
    return row && bytes(row, "files");
  }

  async listReleases(): Promise<ReleaseHead[]> {
    return (await this.all(`SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases ORDER BY id DESC`)).map(releaseHeadOf);
  }

  async publishRelease(release: NewRelease, basedOn: number | undefined): Promise<PublishOutcome> {
    const id = (basedOn ?? 0) + 1;
    try {
      return await this.transaction(async (client): Promise<PublishOutcome> => {
        // The row lock queues publishers once a release exists; the one that waited then reads the winner's id.
        const locked = await client.query<Row>(
          "SELECT release_id FROM content_state WHERE name = 'current' FOR UPDATE",
        );
        const lockedRow = locked.rows[0];
        const current = lockedRow && integer(lockedRow, "release_id");
        if (current !== basedOn) {
          const head =
            current === undefined
              ? undefined
              : (
                  await client.query<Row>(`SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases WHERE id = $1`, [
                    current,
                  ])
                ).rows[0];
          return { ok: false, current: head && releaseHeadOf(head) };
        }
        // The release row before the version row: until the latter is written, no bot can see a release to load.
        await client.query(
          `INSERT INTO content_releases (${RELEASE_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          releaseValues(id, release),
        );
        await client.query(
          `INSERT INTO content_state (name, release_id, changed_at) VALUES ('current', $1, $2)
           ON CONFLICT (name) DO UPDATE SET release_id = excluded.release_id, changed_at = excluded.changed_at`,
          [id, release.createdAt],
        );
        // Delivered at COMMIT, and only if it commits.
        await client.query("SELECT pg_notify($1, $2)", [RELEASE_CHANNEL, String(id)]);
        return { ok: true, id };
      });
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== UNIQUE_VIOLATION) throw this.scrub(error);
      // The other first publisher committed release 1 (and its version row) before this one's insert gave way.
      return { ok: false, current: await this.currentRelease() };
    }
  }

  async watchReleases(published: () => void, failed: (error: Error) => void): Promise<() => Promise<void>> {
    if (this.closed) throw new Error("the store is closed");
    // Not a pooled connection: LISTEN lasts as long as its session, and the pool hands sessions around.
    const client = new Client(this.connection);
    let listening = false;
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      this.watchers.delete(stop);
      await client.end().catch(() => undefined);
    };
    // Both are reported once, and only after LISTEN took: a failure to start is thrown to the caller instead.
    const lost = (error: Error) => {
      if (stopped || !listening) return;
      void stop();
      failed(error);
    };
    client.on("error", (error) => lost(this.scrub(error)));
    client.on("end", () => lost(new Error("the connection listening for content releases ended")));
    client.on("notification", (message) => {
      if (!stopped && message.channel === RELEASE_CHANNEL) published();
    });
    this.watchers.add(stop);
    try {
      await client.connect();
      await client.query(`LISTEN ${RELEASE_CHANNEL}`);
    } catch (error) {
      await stop();
      throw this.scrub(error);
    }
    if (stopped) throw new Error("the store is closed");
    listening = true;
    return stop;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("the store is closed");
    try {
      await this.pool.query("SELECT 1");
    } catch (error) {
      throw this.scrub(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.watchers].map((stop) => stop()));
    await this.pool.end();
  }
}

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is discarded rather than handed to the next caller mid-transaction.
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

async function migrate(pool: Pool, schema: string | undefined): Promise<void> {
  // The advisory lock serialises replicas starting together against a new database: the first applies the migrations,
  // the others wait, then find them recorded. DDL is transactional in Postgres, so a failed migration leaves nothing.
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
    const applied = new Set(
      (await client.query<Row>("SELECT version FROM schema_migrations")).rows.map((r) => integer(r, "version")),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
  });
}

/** `message` without the connection string or its password, which pg or Node's URL parser may have put there. */
export function withoutUrlSecrets(message: string, url: string): string {
  return urlSecretForms(url).reduce((text, secret) => text.split(secret).join("***"), message);
}

/** The forms in which a database URL's secret can appear in text: the URL, its password, and that decoded. */
export function urlSecretForms(url: string): string[] {
  const secrets = [url];
  let password = "";
  try {
    password = new URL(url).password;
  } catch {
    // An unparsable URL yields no password to pick out; the whole URL is still removed.
  }
  if (password !== "") {
    secrets.push(password);
    try {
      secrets.push(decodeURIComponent(password));
    } catch {
      // A lone "%" cannot be decoded; the password as written is still removed.
    }
  }
  return secrets;
}

/** The error without the connection string or its password. */
function withoutSecrets(error: unknown, url: string): Error {
  const message = withoutUrlSecrets(error instanceof Error ? error.message : String(error), url);
  // Not `cause`: the original error may carry the URL in its own fields (Node's URL errors keep it in `input`).
  const safe = new Error(message);
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code === "string") Object.assign(safe, { code });
  return safe;
}

export interface PostgresStoreOptions {
  /** Created when missing and used by every pooled connection (tests isolate themselves in one); public when unset. */
  schema?: string;
  /** Connections in the pool; 10 when unset. */
  poolSize?: number;
  /** How long to wait for a connection before a query fails; 10 s when unset. */
  connectTimeoutMs?: number;
  /** Told (the error scrubbed of the URL) when the server drops an idle pooled connection: a restart, a failover. */
  onIdleError?: (error: Error) => void;
}

/** Connects and migrates; several replicas may open a new database at once. Errors never contain the URL. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(
      `the Postgres schema name ${JSON.stringify(schema)} must be lower-case letters, digits and _, starting with a letter or _`,
    );
  }
  const connection: ClientConfig = {
    connectionString: url,
    // pg waits for a connection forever by default: an unreachable host would hang /readyz and every claim.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  };
  const pool = new Pool({ ...connection, max: options.poolSize ?? 10 });
  // An idle connection the server drops is reported here; without a listener the process would crash. The pool has
  // already discarded that connection, and the next query either gets a fresh one or fails with its own error.
  pool.on("error", (error) => options.onIdleError?.(withoutSecrets(error, url)));
  try {
    await migrate(pool, schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw withoutSecrets(error, url);
  }
  return new PostgresStore(pool, (error) => withoutSecrets(error, url), connection);
}
