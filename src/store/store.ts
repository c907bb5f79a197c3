// The storage port: subscriptions, what each channel was told, and the delivery ledger. Async so SQLite and Postgres fit.
import type { ChannelRef } from "../core/commands/types.js";
import type { PreparedRelease, ReleaseCounts } from "../core/content/release.js";
import type {
  AnnouncedItem,
  AnnouncedVersions,
  DeliveryState,
  EditionSummary,
  NewSubscription,
  Subscription,
} from "../core/digest/types.js";

/** Identifies one ledger row: one edition for one channel, delivered at most once. */
export interface DeliveryKey {
  /** "daily:YYYY-MM-DD", the channel's local date in its time zone. */
  editionKey: string;
  channel: ChannelRef;
}

/** What the sender stores on first claim so that every retry posts exactly the same messages. */
export interface DeliveryPayload {
  kind: "catch-up" | "news" | "quiet";
  /** Platform messages as returned by the poster's split(). */
  messages: unknown[];
  /** Marked announced when the delivery completes. */
  announce: AnnouncedItem[];
  /**
   * The content the digest was composed from: "release 12", or "files <fingerprint>" (contentOrigin). Kept in the
   * ledger row's composed_from column, not in the stored payload: lastEdition reads it back.
   */
  composedFrom?: string;
}

export interface DeliveryRow extends DeliveryKey {
  platform: string;
  /** ISO instant the edition was due (the local fire time). */
  dueAt: string;
  state: DeliveryState;
  /** Claims so far (each claim is one attempt). */
  attempts: number;
  leaseOwner?: string;
  /** ISO instant the current claim expires; after it another sender may resume the row. */
  leaseUntil?: string;
  /** ISO instant before which a pending row is not claimed (retry backoff). */
  nextAttemptAt: string;
  payload?: DeliveryPayload;
  /** Parts of payload.messages already posted, in order; a resumed send starts at this index. */
  partsSent: number;
  remoteIds: string[];
  error?: string;
  deliveredAt?: string;
  /**
   * True when this claim took the row over from a sender whose lease ran out while sending (it crashed, or hung).
   */
  resumed?: boolean;
  /**
   * ISO instant of the first attempt to post part `partsSent`, set just before its request leaves and cleared when it
   * is recorded (or when an attempt failed in a way that proves nothing was posted). Set means the part may be on the
   * platform unrecorded: it may be resent blindly only while the platform still drops a repeat of its key.
   */
  partAttemptedAt?: string;
}

export interface PlannedEdition extends DeliveryKey {
  platform: string;
  dueAt: string;
  /** pending: to be sent; skipped_stale: recorded as missed (outside the catch-up window). */
  state: "pending" | "skipped_stale";
  /** Why it was skipped, for skipped_stale. */
  error?: string;
}

export interface ClaimRequest {
  /** ISO instant: the caller's clock (injected in tests). */
  now: string;
  /** Unique per sender process; only the owner may update a claimed row. */
  owner: string;
  leaseMs: number;
  limit: number;
  /** Only rows for these platforms (the ones this process can post to); every platform when unset. */
  platforms?: readonly string[];
}

/** How a claimed row ended when it did not complete: every state but pending, sending and delivered. */
export type FinalState = Exclude<DeliveryState, "pending" | "sending" | "delivered" | "skipped_stale">;

/**
 * A platform installation (a Slack workspace that installed the app through OAuth), stored sealed: `sealed` is the
 * installation encrypted by the caller (src/adapters/slack/secret-box.ts), so no token is ever in the database in plain text.
 */
export interface StoredInstallation {
  /** "slack:T123" for a workspace, "slack:E123" for an org-wide (Enterprise Grid) installation. */
  key: string;
  sealed: string;
  installedAt: string;
  updatedAt: string;
}

/** A stored content release, without its (large) files and compiled documents. */
export interface ReleaseHead {
  /** 1, 2, 3…: the newest release is the current one. */
  id: number;
  /** ISO instant it was stored. */
  createdAt: string;
  author: string;
  message: string;
  fingerprint: string;
  schemaVersion: number;
  counts: ReleaseCounts;
  /** The release whose content a rollback made current again. */
  rollbackOf?: number;
}

/** A release to store: prepared from the content folder (or copied from an earlier release, for a rollback). */
export interface NewRelease extends PreparedRelease {
  createdAt: string;
  author: string;
  message: string;
  rollbackOf?: number;
}

/** What a stored release's compiled documents need to be served. */
export interface CompiledRelease {
  id: number;
  schemaVersion: number;
  /** Packed (gzipped JSON), as prepareRelease made it. */
  compiled: Buffer;
  compiledHash: string;
}

/** Published as `id`; or refused because the current release is no longer the one the publisher compared against. */
export type PublishOutcome = { ok: true; id: number } | { ok: false; current: ReleaseHead | undefined };

/** Content releases: history only grows, and the newest release is the one every bot serves. */
export interface ReleaseStore {
  /** The current release's id, in one cheap query: what every bot polls. undefined when none was published. */
  currentReleaseId(): Promise<number | undefined>;
  /** The current release, or undefined when none was published. */
  currentRelease(): Promise<ReleaseHead | undefined>;
  releaseHead(id: number): Promise<ReleaseHead | undefined>;
  releaseCompiled(id: number): Promise<CompiledRelease | undefined>;
  /** The release's files as stored (packed JSON of path and text), or undefined when there is no such release. */
  releaseFiles(id: number): Promise<Buffer | undefined>;
  /** Every release, newest first. */
  listReleases(): Promise<ReleaseHead[]>;
  /**
   * Stores `release` as id basedOn + 1 (1 when basedOn is undefined) and makes it current, in one transaction, only
   * if the current release is still `basedOn`; otherwise nothing is stored and the outcome names the current one.
   * Of two publishers racing from the same release, exactly one wins.
   */
  publishRelease(release: NewRelease, basedOn: number | undefined): Promise<PublishOutcome>;
  /**
   * Calls `published` when a release may have been published by any process (Postgres LISTEN/NOTIFY), until the
   * returned function is called. Absent where only polling can tell (SQLite).
   */
  watchReleases?(published: () => void, failed: (error: Error) => void): Promise<() => Promise<void>>;
}

export interface Store extends ReleaseStore {
  readonly kind: string;

  /** Creates or replaces the channel's subscription, clearing any pause. */
  putSubscription(subscription: NewSubscription): Promise<Subscription>;
  /** Removes the subscription and what the channel was told; false when there was none. */
  deleteSubscription(channel: ChannelRef): Promise<boolean>;
  getSubscription(channel: ChannelRef): Promise<Subscription | undefined>;
  /** Every subscription, paused ones included, ordered by channel. */
  listSubscriptions(): Promise<Subscription[]>;
  pauseSubscription(channel: ChannelRef, reason: string, at: string): Promise<void>;

  announced(channel: ChannelRef): Promise<AnnouncedVersions>;

  /** INSERT … ON CONFLICT DO NOTHING on (edition, channel): safe to repeat, safe across processes. true when inserted. */
  planEdition(plan: PlannedEdition): Promise<boolean>;
  /**
   * Atomically claims up to `limit` rows, oldest due first: pending rows whose nextAttemptAt has come, and sending
   * rows whose lease expired (a sender died). Claimed rows become sending with the caller's lease and attempts + 1.
   * No two callers, in any process, get the same row while its lease runs.
   */
  claimDeliveries(request: ClaimRequest): Promise<DeliveryRow[]>;
  /** Stores the payload once (a resumed row keeps the first one); false when `owner` no longer holds the row. */
  savePayload(key: DeliveryKey, owner: string, payload: DeliveryPayload): Promise<boolean>;
  /**
   * Notes that part partsSent is about to be sent at `at`: kept as partAttemptedAt unless an earlier attempt is already
   * noted (`restart` replaces it, after the caller made sure the earlier attempt posted nothing); false when not the owner.
   */
  markPartAttempt(key: DeliveryKey, owner: string, at: string, restart?: boolean): Promise<boolean>;
  /** Records part `index` posted with its remote id (partsSent becomes index + 1, partAttemptedAt cleared); false when not the owner. */
  recordPart(key: DeliveryKey, owner: string, index: number, remoteId: string): Promise<boolean>;
  /** Marks delivered and records payload.announce for the channel, in one transaction; false when not the owner. */
  completeDelivery(key: DeliveryKey, owner: string, at: string): Promise<boolean>;
  /**
   * Puts the row back to pending, clears the lease, sets nextAttemptAt and error; false when not the owner.
   * `nothingPosted`: the failed attempt provably posted nothing (a 429, a refusal), so partAttemptedAt is cleared.
   */
  retryDelivery(
    key: DeliveryKey,
    owner: string,
    nextAttemptAt: string,
    error: string,
    nothingPosted?: boolean,
  ): Promise<boolean>;
  /** Ends the row in `state` with `error`; state paused also pauses the subscription, in the same transaction. */
  finishDelivery(key: DeliveryKey, owner: string, state: FinalState, error: string, at: string): Promise<boolean>;
  /** Shutdown: every row `owner` holds goes back to pending at once (lease cleared, error = reason); returns how many. */
  releaseDeliveries(owner: string, reason: string): Promise<number>;

  /** The channel's most recent edition by dueAt, any state. */
  lastEdition(channel: ChannelRef): Promise<EditionSummary | undefined>;
  lastDelivered(channel: ChannelRef): Promise<EditionSummary | undefined>;
  /** One row, for tests and tools. */
  delivery(key: DeliveryKey): Promise<DeliveryRow | undefined>;
  /** Every row, oldest due first (tests, dry runs, small installations). */
  listDeliveries(): Promise<DeliveryRow[]>;
  /** Rows per state, for metrics. */
  countDeliveries(): Promise<Record<DeliveryState, number>>;

  /** Creates or replaces the installation under `key` (a reinstall or a token rotation replaces it). */
  putInstallation(installation: StoredInstallation): Promise<void>;
  getInstallation(key: string): Promise<StoredInstallation | undefined>;
  /** false when there was none. */
  deleteInstallation(key: string): Promise<boolean>;
  /**
   * Pauses every unpaused subscription whose channel starts with `channelPrefix` (a workspace: "slack:T123:"), in one
   * statement; returns how many. An uninstalled app or revoked token pauses the workspace's digests.
   */
  pauseChannels(channelPrefix: string, reason: string, at: string): Promise<number>;
  /** Lifts the pause of subscriptions under `channelPrefix` paused with exactly `reason` (a reinstall); returns how many. */
  resumeChannels(channelPrefix: string, reason: string): Promise<number>;

  /**
   * Reserves the next grant of the request budget `name` shared by every process on this store (GCRA: grants `intervalMs`
   * apart, none before the store's clock says now). Returns how many ms from now the grant is due; the caller waits
   * that long, then sends. Reserved grants are never handed out twice, in any process.
   */
  reserveGrant(name: string, intervalMs: number): Promise<number>;

  /** Throws when the store cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
