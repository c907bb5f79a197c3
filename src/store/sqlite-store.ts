// The embedded Store: SQLite through better-sqlite3 in WAL mode, safe for several processes on one file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { ChannelRef } from "../core/commands/types.js";
import type {
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
  stringList,
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

type SqlValue = string | number | null | Buffer;

const OWNED = "edition_key = ? AND channel = ? AND state = 'sending' AND lease_owner = ?";

export class SqliteStore implements Store {
  readonly kind = "sqlite";
  private closed = false;
  /** Compiled once per SQL text: preparing took more time than running in a 10,000-channel fan-out. */
  private readonly statements = new Map<string, Database.Statement<SqlValue[], Row>>();

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement<SqlValue[], Row> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<SqlValue[], Row>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private all(sql: string, ...params: SqlValue[]): Row[] {
    return this.statement(sql).all(...params);
  }

  private get(sql: string, ...params: SqlValue[]): Row | undefined {
    return this.statement(sql).get(...params);
  }

  private run(sql: string, ...params: SqlValue[]): number {
    return this.statement(sql).run(...params).changes;
  }

  putSubscription(s: NewSubscription): Promise<Subscription> {
    this.run(
      `INSERT INTO subscriptions (channel, platform, time, time_zone, stories, created_at, created_by, paused_reason, paused_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)
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
    return Promise.resolve({ ...s, stories: [...s.stories] });
  }

  deleteSubscription(channel: ChannelRef): Promise<boolean> {
    const removed = this.db.transaction(() => {
      this.run("DELETE FROM announced WHERE channel = ?", channel);
      return this.run("DELETE FROM subscriptions WHERE channel = ?", channel);
    })();
    return Promise.resolve(removed > 0);
  }

  getSubscription(channel: ChannelRef): Promise<Subscription | undefined> {
    const row = this.get("SELECT * FROM subscriptions WHERE channel = ?", channel);
    return Promise.resolve(row && subscriptionOf(row));
  }

  listSubscriptions(): Promise<Subscription[]> {
    return Promise.resolve(this.all("SELECT * FROM subscriptions ORDER BY channel").map(subscriptionOf));
  }

  pauseSubscription(channel: ChannelRef, reason: string, at: string): Promise<void> {
    this.run("UPDATE subscriptions SET paused_reason = ?, paused_at = ? WHERE channel = ?", reason, at, channel);
    return Promise.resolve();
  }

  announced(channel: ChannelRef): Promise<AnnouncedVersions> {
    const rows = this.all("SELECT item_key, version FROM announced WHERE channel = ?", channel);
    return Promise.resolve(new Map(rows.map((r) => [text(r, "item_key"), integer(r, "version")])));
  }

  planEdition(plan: PlannedEdition): Promise<boolean> {
    const inserted = this.run(
      `INSERT INTO deliveries (edition_key, channel, platform, due_at, state, attempts, next_attempt_at, parts_sent, remote_ids, error, resumed, updated_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, 0, '[]', ?, 0, ?)
       ON CONFLICT (edition_key, channel) DO NOTHING`,
      plan.editionKey,
      plan.channel,
      plan.platform,
      plan.dueAt,
      plan.state,
      plan.dueAt,
      plan.error ?? null,
      new Date().toISOString(),
    );
    return Promise.resolve(inserted > 0);
  }

  claimDeliveries(request: ClaimRequest): Promise<DeliveryRow[]> {
    const leaseUntil = new Date(Date.parse(request.now) + request.leaseMs).toISOString();
    // BEGIN IMMEDIATE takes the write lock before reading, so two processes never select the same rows.
    const claim = this.db.transaction(() => {
      const platforms = request.platforms;
      if (platforms !== undefined && platforms.length === 0) return [];
      const only = platforms === undefined ? "" : `AND platform IN (${platforms.map(() => "?").join(", ")})`;
      // Rows whose sender's lease ran out come first (they are the oldest work), then pending rows in the order they
      // became due. Two queries, each walking an index, instead of one OR that sorted the whole ledger on every claim.
      const expired = this.all(
        `SELECT edition_key, channel FROM deliveries WHERE state = 'sending' AND lease_until < ? ${only} ORDER BY lease_until LIMIT ?`,
        request.now,
        ...(platforms ?? []),
        request.limit,
      );
      const pending = this.all(
        `SELECT edition_key, channel FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ${only}
         ORDER BY next_attempt_at, channel LIMIT ?`,
        request.now,
        ...(platforms ?? []),
        request.limit - expired.length,
      );
      const keys = [...expired, ...pending];
      return keys.flatMap((key) => {
        this.run(
          `UPDATE deliveries SET resumed = CASE WHEN state = 'sending' THEN 1 ELSE 0 END, state = 'sending', lease_owner = ?, lease_until = ?,
             attempts = attempts + 1, updated_at = ? WHERE edition_key = ? AND channel = ?`,
          request.owner,
          leaseUntil,
          request.now,
          text(key, "edition_key"),
          text(key, "channel"),
        );
        const row = this.get(
          "SELECT * FROM deliveries WHERE edition_key = ? AND channel = ?",
          text(key, "edition_key"),
          text(key, "channel"),
        );
        return row ? [deliveryOf(row)] : [];
      });
    });
    return Promise.resolve(claim.immediate());
  }

  savePayload(key: DeliveryKey, owner: string, payload: DeliveryPayload): Promise<boolean> {
    const owned = this.get(`SELECT payload FROM deliveries WHERE ${OWNED}`, key.editionKey, key.channel, owner);
    if (!owned) return Promise.resolve(false);
    const stored = payloadColumns(payload);
    this.run(
      `UPDATE deliveries SET payload = ?, composed_from = ? WHERE ${OWNED} AND payload IS NULL`,
      stored.json,
      stored.composedFrom,
      key.editionKey,
      key.channel,
      owner,
    );
    return Promise.resolve(true);
  }

  markPartAttempt(key: DeliveryKey, owner: string, at: string, restart = false): Promise<boolean> {
    const changed = this.run(
      `UPDATE deliveries SET part_attempted_at = ${restart ? "?" : "COALESCE(part_attempted_at, ?)"} WHERE ${OWNED}`,
      at,
      key.editionKey,
      key.channel,
      owner,
    );
    return Promise.resolve(changed > 0);
  }

  recordPart(key: DeliveryKey, owner: string, index: number, remoteId: string): Promise<boolean> {
    const row = this.get(
      `SELECT parts_sent, remote_ids FROM deliveries WHERE ${OWNED}`,
      key.editionKey,
      key.channel,
      owner,
    );
    if (!row) return Promise.resolve(false);
    if (integer(row, "parts_sent") > index) return Promise.resolve(true);
    const ids = [...stringList.parse(JSON.parse(text(row, "remote_ids"))), remoteId];
    const changed = this.run(
      `UPDATE deliveries SET parts_sent = ?, remote_ids = ?, part_attempted_at = NULL WHERE ${OWNED}`,
      index + 1,
      JSON.stringify(ids),
      key.editionKey,
      key.channel,
      owner,
    );
    return Promise.resolve(changed > 0);
  }

  completeDelivery(key: DeliveryKey, owner: string, at: string): Promise<boolean> {
    const done = this.db.transaction(() => {
      const row = this.get(`SELECT payload FROM deliveries WHERE ${OWNED}`, key.editionKey, key.channel, owner);
      if (!row) return false;
      const payload = optionalText(row, "payload");
      const announce = payload === undefined ? [] : payloadSchema.parse(JSON.parse(payload)).announce;
      for (const item of announce) {
        this.run(
          `INSERT INTO announced (channel, item_key, version, announced_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (channel, item_key) DO UPDATE SET version = CASE WHEN excluded.version > announced.version THEN excluded.version ELSE announced.version END,
             announced_at = excluded.announced_at`,
          key.channel,
          item.key,
          item.version,
          at,
        );
      }
      this.run(
        `UPDATE deliveries SET state = 'delivered', delivered_at = ?, lease_owner = NULL, lease_until = NULL, error = NULL, updated_at = ? WHERE ${OWNED}`,
        at,
        at,
        key.editionKey,
        key.channel,
        owner,
      );
      return true;
    });
    return Promise.resolve(done.immediate());
  }

  retryDelivery(
    key: DeliveryKey,
    owner: string,
    nextAttemptAt: string,
    error: string,
    nothingPosted = false,
  ): Promise<boolean> {
    const attempted = nothingPosted ? "NULL" : "part_attempted_at";
    const changed = this.run(
      `UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, next_attempt_at = ?, error = ?, updated_at = ?,
         part_attempted_at = ${attempted} WHERE ${OWNED}`,
      nextAttemptAt,
      error,
      new Date().toISOString(),
      key.editionKey,
      key.channel,
      owner,
    );
    return Promise.resolve(changed > 0);
  }

  finishDelivery(key: DeliveryKey, owner: string, state: FinalState, error: string, at: string): Promise<boolean> {
    const done = this.db.transaction(() => {
      const changed = this.run(
        `UPDATE deliveries SET state = ?, lease_owner = NULL, lease_until = NULL, error = ?, updated_at = ? WHERE ${OWNED}`,
        state,
        error,
        at,
        key.editionKey,
        key.channel,
        owner,
      );
      if (changed > 0 && state === "paused") {
        this.run(
          "UPDATE subscriptions SET paused_reason = ?, paused_at = ? WHERE channel = ? AND paused_reason IS NULL",
          error,
          at,
          key.channel,
        );
      }
      return changed > 0;
    });
    return Promise.resolve(done.immediate());
  }

  releaseDeliveries(owner: string, reason: string): Promise<number> {
    const released = this.run(
      `UPDATE deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, error = ?, updated_at = ? WHERE state = 'sending' AND lease_owner = ?`,
      reason,
      new Date().toISOString(),
      owner,
    );
    return Promise.resolve(released);
  }

  lastEdition(channel: ChannelRef): Promise<EditionSummary | undefined> {
    const row = this.get("SELECT * FROM deliveries WHERE channel = ? ORDER BY due_at DESC LIMIT 1", channel);
    return Promise.resolve(row && summaryOf(row));
  }

  lastDelivered(channel: ChannelRef): Promise<EditionSummary | undefined> {
    const row = this.get(
      "SELECT * FROM deliveries WHERE channel = ? AND state = 'delivered' ORDER BY due_at DESC LIMIT 1",
      channel,
    );
    return Promise.resolve(row && summaryOf(row));
  }

  delivery(key: DeliveryKey): Promise<DeliveryRow | undefined> {
    const row = this.get("SELECT * FROM deliveries WHERE edition_key = ? AND channel = ?", key.editionKey, key.channel);
    return Promise.resolve(row && deliveryOf(row));
  }

  listDeliveries(): Promise<DeliveryRow[]> {
    return Promise.resolve(this.all("SELECT * FROM deliveries ORDER BY due_at, channel").map(deliveryOf));
  }

  countDeliveries(): Promise<Record<DeliveryState, number>> {
    return Promise.resolve(stateCounts(this.all("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state")));
  }

  putInstallation(installation: StoredInstallation): Promise<void> {
    this.run(
      `INSERT INTO installations (install_key, sealed, installed_at, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (install_key) DO UPDATE SET sealed = excluded.sealed, installed_at = excluded.installed_at, updated_at = excluded.updated_at`,
      installation.key,
      installation.sealed,
      installation.installedAt,
      installation.updatedAt,
    );
    return Promise.resolve();
  }

  getInstallation(key: string): Promise<StoredInstallation | undefined> {
    const row = this.get("SELECT * FROM installations WHERE install_key = ?", key);
    return Promise.resolve(row && installationOf(row));
  }

  deleteInstallation(key: string): Promise<boolean> {
    return Promise.resolve(this.run("DELETE FROM installations WHERE install_key = ?", key) > 0);
  }

  pauseChannels(channelPrefix: string, reason: string, at: string): Promise<number> {
    // substr, not LIKE: a channel id may hold _ or %, which LIKE would read as wildcards.
    return Promise.resolve(
      this.run(
        "UPDATE subscriptions SET paused_reason = ?, paused_at = ? WHERE substr(channel, 1, ?) = ? AND paused_reason IS NULL",
        reason,
        at,
        channelPrefix.length,
        channelPrefix,
      ),
    );
  }

  resumeChannels(channelPrefix: string, reason: string): Promise<number> {
    return Promise.resolve(
      this.run(
        "UPDATE subscriptions SET paused_reason = NULL, paused_at = NULL WHERE substr(channel, 1, ?) = ? AND paused_reason = ?",
        channelPrefix.length,
        channelPrefix,
        reason,
      ),
    );
  }

  reserveGrant(name: string, intervalMs: number): Promise<number> {
    // Every process on this file shares the machine's clock, so Date.now() is the common clock here.
    const reserve = this.db.transaction(() => {
      const now = Date.now();
      const row = this.get("SELECT next_grant_ms FROM request_budgets WHERE name = ?", name);
      const due = Math.max(row === undefined ? now : Number(row["next_grant_ms"]), now);
      this.run(
        "INSERT INTO request_budgets (name, next_grant_ms) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET next_grant_ms = excluded.next_grant_ms",
        name,
        due + intervalMs,
      );
      return due - now;
    });
    return Promise.resolve(reserve.immediate());
  }

  currentReleaseId(): Promise<number | undefined> {
    return Promise.resolve(this.currentId());
  }

  private currentId(): number | undefined {
    const row = this.get("SELECT release_id FROM content_state WHERE name = 'current'");
    return row && integer(row, "release_id");
  }

  currentRelease(): Promise<ReleaseHead | undefined> {
    const row = this.get(
      `SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases WHERE id = (SELECT release_id FROM content_state WHERE name = 'current')`,
    );
    return Promise.resolve(row && releaseHeadOf(row));
  }

  releaseHead(id: number): Promise<ReleaseHead | undefined> {
    const row = this.get(`SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases WHERE id = ?`, id);
    return Promise.resolve(row && releaseHeadOf(row));
  }

  releaseCompiled(id: number): Promise<CompiledRelease | undefined> {
    const row = this.get("SELECT id, schema_version, compiled, compiled_hash FROM content_releases WHERE id = ?", id);
    return Promise.resolve(row && compiledReleaseOf(row));
  }

  releaseFiles(id: number): Promise<Buffer | undefined> {
    const row = this.get("SELECT files FROM content_releases WHERE id = ?", id);
    return Promise.resolve(row && bytes(row, "files"));
  }

  listReleases(): Promise<ReleaseHead[]> {
    return Promise.resolve(
      this.all(`SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases ORDER BY id DESC`).map(releaseHeadOf),
    );
  }

  publishRelease(release: NewRelease, basedOn: number | undefined): Promise<PublishOutcome> {
    // BEGIN IMMEDIATE: the compare and the write happen under the file's write lock, so of two processes publishing
    // from the same release the second sees the first's release as current.
    const publish = this.db.transaction((): PublishOutcome => {
      const current = this.currentId();
      if (current !== basedOn) {
        const row =
          current === undefined
            ? undefined
            : this.get(`SELECT ${RELEASE_HEAD_COLUMNS} FROM content_releases WHERE id = ?`, current);
        return { ok: false, current: row && releaseHeadOf(row) };
      }
      const id = (basedOn ?? 0) + 1;
      this.run(
        `INSERT INTO content_releases (${RELEASE_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ...releaseValues(id, release),
      );
      this.run(
        `INSERT INTO content_state (name, release_id, changed_at) VALUES ('current', ?, ?)
         ON CONFLICT (name) DO UPDATE SET release_id = excluded.release_id, changed_at = excluded.changed_at`,
        id,
        release.createdAt,
      );
      return { ok: true, id };
    });
    try {
      return Promise.resolve(publish.immediate());
    } catch (error) {
      // A busy database (another publisher past the timeout) rejects, as every other failure of a store method does.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  ping(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    this.get("SELECT 1 AS ok");
    return Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.db.close();
    }
    return Promise.resolve();
  }
}

function migrate(db: Database.Database): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  // Re-read inside the write lock: a second process opening the same new file waits here, then finds them applied.
  db.transaction(() => {
    const applied = new Set(
      db
        .prepare<[], { version: number }>("SELECT version FROM schema_migrations")
        .all()
        .map((r) => r.version),
    );
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) db.exec(statement);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }
  }).immediate();
}

/** Opens (creating folder and file when missing) and migrates the database; several processes may share the file. */
export function openSqliteStore(file: string, options: { busyTimeoutMs?: number } = {}): Promise<SqliteStore> {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return Promise.resolve(new SqliteStore(db));
}
