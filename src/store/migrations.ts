// Schema migrations, written in SQL both SQLite and Postgres accept: TEXT ISO-8601 UTC timestamps, ON CONFLICT upserts.

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "subscriptions, announced items and the delivery ledger",
    statements: [
      `CREATE TABLE subscriptions (
        channel TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        stories TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        paused_reason TEXT,
        paused_at TEXT
      )`,
      `CREATE TABLE announced (
        channel TEXT NOT NULL,
        item_key TEXT NOT NULL,
        version INTEGER NOT NULL,
        announced_at TEXT NOT NULL,
        PRIMARY KEY (channel, item_key)
      )`,
      `CREATE TABLE deliveries (
        edition_key TEXT NOT NULL,
        channel TEXT NOT NULL,
        platform TEXT NOT NULL,
        due_at TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until TEXT,
        next_attempt_at TEXT NOT NULL,
        payload TEXT,
        parts_sent INTEGER NOT NULL,
        remote_ids TEXT NOT NULL,
        error TEXT,
        delivered_at TEXT,
        resumed INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (edition_key, channel)
      )`,
      "CREATE INDEX deliveries_claim ON deliveries (state, next_attempt_at)",
      "CREATE INDEX deliveries_channel ON deliveries (channel, due_at)",
    ],
  },
  {
    version: 2,
    name: "indexes that let a claim walk the ledger in order instead of sorting it",
    statements: [
      "DROP INDEX deliveries_claim",
      "CREATE INDEX deliveries_pending ON deliveries (state, next_attempt_at, channel)",
      "CREATE INDEX deliveries_lease ON deliveries (state, lease_until)",
    ],
  },
  {
    version: 3,
    name: "sealed platform installations and request budgets shared by every replica",
    statements: [
      `CREATE TABLE installations (
        install_key TEXT PRIMARY KEY,
        sealed TEXT NOT NULL,
        installed_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // Milliseconds since the epoch as a double: grants are a few ms apart, finer than the ISO text elsewhere needs.
      `CREATE TABLE request_budgets (
        name TEXT PRIMARY KEY,
        next_grant_ms DOUBLE PRECISION NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    name: "when the part being sent was first attempted, so a repeat past the platform's idempotency window is checked",
    statements: [
      "ALTER TABLE deliveries ADD COLUMN part_attempted_at TEXT",
      // Rows caught mid-send by the upgrade may have posted their next part unrecorded: they get checked, not resent blindly.
      "UPDATE deliveries SET part_attempted_at = updated_at WHERE payload IS NOT NULL AND state IN ('pending', 'sending')",
    ],
  },
  {
    version: 5,
    name: "content releases, the version row every bot polls, and what each edition was composed from",
    statements: [
      // files and compiled are gzipped JSON: BYTEA in Postgres; SQLite keeps a blob as it is under any column type.
      // Ids come from the publisher (the release it compared against + 1), not a sequence: two publishers racing from
      // the same release then collide on the primary key, and history has no gaps.
      `CREATE TABLE content_releases (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        author TEXT NOT NULL,
        message TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        counts TEXT NOT NULL,
        rollback_of INTEGER,
        files BYTEA NOT NULL,
        compiled BYTEA NOT NULL,
        compiled_hash TEXT NOT NULL
      )`,
      // One row, 'current', kept apart from the releases so the poll every bot runs reads a few bytes, not a release.
      `CREATE TABLE content_state (
        name TEXT PRIMARY KEY,
        release_id INTEGER NOT NULL,
        changed_at TEXT NOT NULL
      )`,
      "ALTER TABLE deliveries ADD COLUMN composed_from TEXT",
    ],
  },
];
