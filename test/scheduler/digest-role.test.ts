// Which process plans digests: unsharded as before, under the shard manager only shard 0's, replicas on Postgres each, never with DIGEST_SCHEDULE=false.
import { describe, expect, it } from "vitest";
import { digestRole, type DigestRoleContext } from "../../src/scheduler/digest-role.js";

const role = (shards: DigestRoleContext["shards"], over: Partial<DigestRoleContext> = {}) =>
  digestRole({ schedule: true, shards, underShardManager: false, sharedStore: false, ...over });

describe("digestRole", () => {
  it("plans in an unsharded process, Discord or not", () => {
    expect(role(undefined)).toEqual({ plans: true });
  });

  it("plans in the process that holds shard 0, alone or among others", () => {
    expect(role({ count: 4, ids: [0] }, { underShardManager: true })).toEqual({ plans: true });
    expect(role({ count: 4, ids: [0, 1] })).toEqual({ plans: true });
  });

  it("plans when one process runs every shard: a count without ids, or auto", () => {
    expect(role({ count: 4 })).toEqual({ plans: true });
    expect(role({ count: "auto" })).toEqual({ plans: true });
  });

  it("leaves digests to shard 0's process in every other shard process under the manager, or on one SQLite file", () => {
    for (const over of [
      { underShardManager: true },
      { underShardManager: true, sharedStore: true },
      { sharedStore: false },
    ]) {
      const decided = role({ count: 4, ids: [2, 3] }, over);
      expect(decided).toMatchObject({ plans: false, shards: [2, 3] });
      expect(decided.plans ? "" : decided.reason).toMatch(/shard 0/);
    }
  });

  it("plans in every replica started with its own shard ids on a shared Postgres, so digests outlive any one replica", () => {
    expect(role({ count: 2, ids: [1] }, { sharedStore: true })).toEqual({ plans: true });
  });

  it("never plans with DIGEST_SCHEDULE=false, shard 0 or not", () => {
    for (const shards of [undefined, { count: 2, ids: [0] }, { count: 2, ids: [1] }]) {
      expect(role(shards, { schedule: false, sharedStore: true })).toEqual({
        plans: false,
        reason: "digest scheduling is off in this process (DIGEST_SCHEDULE=false)",
      });
    }
  });
});
