// Whether this process plans and sends digests: under the shard manager only shard 0's process; replicas on Postgres each do.

export type DigestRole = { plans: true } | { plans: false; reason: string; shards?: number[] };

export interface DigestRoleContext {
  /** DIGEST_SCHEDULE: false means never. */
  schedule: boolean;
  /** This process's Discord shard setting (absent: not sharded, or no Discord at all). */
  shards?: { count: number | "auto"; ids?: number[] | undefined } | undefined;
  /** Started by our ShardingManager (discord.js sets SHARDING_MANAGER in the shard's environment). */
  underShardManager: boolean;
  /** The store is one database every replica shares (Postgres), rather than a file on this machine. */
  sharedStore: boolean;
}

/**
 * Any process could plan: the ledger keeps each digest exactly-once either way. Under the shard manager every shard
 * process is on one machine and is respawned by the manager, so one planner is enough, and N would each scan every
 * subscription every minute and race for every row: shard 0 exists whatever the count, so "the process holding
 * shard 0" names exactly one. Replicas started with their own shard ids on a shared Postgres are separate failure
 * domains: each keeps planning and sending, so digests go on while any replica is up (the issue's "every replica may
 * tick"). On a SQLite file the processes share a machine, so shard 0's process plans alone there too.
 */
export function digestRole(context: DigestRoleContext): DigestRole {
  if (!context.schedule)
    return { plans: false, reason: "digest scheduling is off in this process (DIGEST_SCHEDULE=false)" };
  const { shards } = context;
  // Without explicit ids the process runs every shard ("auto" included), so shard 0 too.
  if (shards?.ids === undefined || shards.ids.includes(0)) return { plans: true };
  if (context.sharedStore && !context.underShardManager) return { plans: true };
  return {
    plans: false,
    reason: "digest scheduling is left to the process holding Discord shard 0; this one answers commands only",
    shards: shards.ids,
  };
}
