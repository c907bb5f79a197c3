// The release follower: serves each newly current release, refuses one it cannot load once, and keeps the last good content.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildContent } from "../../src/core/content/load.js";
import type { ContentIndex } from "../../src/core/content/model.js";
import type { ContentFile } from "../../src/core/content/parse-file.js";
import { prepareRelease } from "../../src/core/content/release.js";
import { initialContent } from "../../src/ops/content-source.js";
import { ReleaseFollower } from "../../src/ops/release-follower.js";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { NewRelease, Store } from "../../src/store/store.js";
import { apply, BOEHLER, replaceIn, setVersion } from "../content-edits.js";
import { contentDir, loadRealContent, realContentFiles } from "../helpers.js";
import { postgresSuite, testSchema, type TestSchema } from "../postgres.js";
import { RecordingLogger } from "../recording-logger.js";

const NEW_DESCRIPTION = "The envoy, as described in the second release.";
const edited = (): ContentFile[] =>
  apply(
    realContentFiles(),
    replaceIn(BOEHLER, /^description: ".*"$/m, `description: "${NEW_DESCRIPTION}"`),
    setVersion(BOEHLER, 2),
  );

function release(files: readonly ContentFile[], overrides: Partial<NewRelease> = {}): NewRelease {
  const built = buildContent(files, "content");
  if (!built.ok) throw new Error("test content is invalid");
  return {
    ...prepareRelease(built.files, built.docs, built.content.fingerprint),
    createdAt: "2026-12-01T09:00:00.000Z",
    author: "Dana",
    message: "",
    ...overrides,
  };
}

const description = (content: ContentIndex): string | undefined => content.entityById.get("adam-boehler")?.description;

describe("following the store's current release", () => {
  let dir: string;
  let store: Store;
  let served: ContentIndex;
  let logger: RecordingLogger;
  const refused: number[] = [];
  let follower: ReleaseFollower;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "newsbot-follow-"));
    store = await openSqliteStore(path.join(dir, "bot.sqlite"));
    served = loadRealContent();
    logger = new RecordingLogger();
    refused.length = 0;
    follower = new ReleaseFollower({
      store,
      current: () => served,
      serve: (content) => {
        served = content;
      },
      logger,
      pollMs: 60_000,
      events: { refused: (id) => refused.push(id) },
    });
  });

  afterEach(async () => {
    await follower.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves a newly current release, and does nothing while it stays current", async () => {
    await follower.check("poll");
    expect(served.release).toBeUndefined();
    await store.publishRelease(release(edited()), undefined);
    await follower.check("poll");
    expect(served.release).toBe(1);
    expect(description(served)).toBe(NEW_DESCRIPTION);
    expect(logger.entries.filter((e) => e.msg === "serving content release 1")).toHaveLength(1);
    const before = served;
    await follower.check("poll");
    expect(served).toBe(before);
  });

  it("refuses a release of an unknown schema once, keeps serving, and serves the next good release", async () => {
    await store.publishRelease(release(realContentFiles()), undefined);
    await follower.check("poll");
    await store.publishRelease(release(edited(), { schemaVersion: 99 }), 1);
    await follower.check("poll");
    await follower.check("poll");
    expect(served.release).toBe(1);
    expect(refused).toEqual([2]);
    expect(follower.refusedRelease).toBe(2);
    expect(logger.entries.filter((e) => e.level === "error").map((e) => e.msg)).toEqual([
      "content release 2 refused: it was written with release schema 99, and this version of the bot reads up to schema 1 (upgrade the bot); still serving release 1",
    ]);
    await store.publishRelease(release(edited()), 2);
    await follower.check("poll");
    expect(served.release).toBe(3);
    expect(follower.refusedRelease).toBeUndefined();
    expect(description(served)).toBe(NEW_DESCRIPTION);
  });

  it("rebuilds a release from its files when its compiled documents do not match their hash", async () => {
    await store.publishRelease(release(edited(), { compiledHash: "0".repeat(64) }), undefined);
    await follower.check("poll");
    expect(served.release).toBe(1);
    expect(description(served)).toBe(NEW_DESCRIPTION);
  });

  it("keeps serving, warning once, while the store cannot be read", async () => {
    await store.close();
    await follower.check("poll");
    await follower.check("poll");
    expect(served.release).toBeUndefined();
    expect(logger.entries.filter((e) => e.level === "warn")).toHaveLength(1);
    store = await openSqliteStore(path.join(dir, "bot.sqlite"));
  });

  it("starts from the release in auto, from the folder in files, and refuses to start in store without one", async () => {
    const none = await initialContent("store", contentDir, store, logger);
    expect(none.ok ? "" : none.message).toContain("no content release has been published to this store");
    await store.publishRelease(release(edited()), undefined);
    const auto = await initialContent("auto", contentDir, store, logger);
    expect(auto.ok && auto.content.release).toBe(1);
    const files = await initialContent("files", contentDir, store, logger);
    expect(files.ok && files.content.release).toBeUndefined();
    await store.publishRelease(release(edited(), { schemaVersion: 99 }), 1);
    const fallback = await initialContent("auto", contentDir, store, logger);
    expect(fallback.ok && fallback.refused).toBe(2);
    expect(fallback.ok && fallback.content.release).toBeUndefined();
    const strict = await initialContent("store", contentDir, store, logger);
    expect(strict.ok ? "" : strict.message).toContain(
      "content release 2 cannot be served: it was written with release schema 99",
    );
  });
});

postgresSuite("following releases on Postgres", () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await testSchema("follow");
  });
  afterEach(async () => schema.drop());

  it("switches when another process publishes, told by NOTIFY long before the next poll", async () => {
    const [bot, publisher] = await Promise.all([openPostgresStore(schema.url), openPostgresStore(schema.url)]);
    let served = loadRealContent();
    const logger = new RecordingLogger();
    let switched: () => void = () => undefined;
    const servedNew = new Promise<void>((resolve) => {
      switched = resolve;
    });
    const follower = new ReleaseFollower({
      store: bot,
      current: () => served,
      serve: (content) => {
        served = content;
        switched();
      },
      logger,
      pollMs: 600_000,
    });
    follower.start();
    try {
      // A publish before LISTEN took hold would only be seen at the (ten-minute) poll.
      await until(() => logger.entries.some((e) => e.msg === "listening for content releases"));
      await publisher.publishRelease(release(edited()), undefined);
      await servedNew;
      expect(served.release).toBe(1);
      expect(description(served)).toBe(NEW_DESCRIPTION);
    } finally {
      await follower.stop();
      await Promise.all([bot.close(), publisher.close()]);
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
