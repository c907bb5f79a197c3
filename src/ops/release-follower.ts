// Follows the store's current content release: loads it, swaps it in, and keeps the last good content when one cannot be served.
import { buildContent } from "../core/content/load.js";
import type { ContentIndex } from "../core/content/model.js";
import { contentFromCompiled, contentOrigin, unpackFiles } from "../core/content/release.js";
import { formatContentError } from "../core/content/content-error.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { ContentFile, ParsedDoc } from "../core/content/parse-file.js";
import type { CompiledRelease, ReleaseStore } from "../store/store.js";

/** A stored release, loaded: served content, and what comparing or copying it needs. */
export interface LoadedRelease {
  content: ContentIndex;
  seconds: number;
  /** The documents as parsed, for comparing; built only when asked for. */
  docs: () => ParsedDoc[];
  /** The compiled form as stored, for copying the release (a rollback). */
  compiled: CompiledRelease;
  /** The release's files, packed as stored and unpacked; read only when asked for (or to rebuild). */
  files?: { packed: Buffer; list: ContentFile[] };
}

export type ReleaseLoad = ({ ok: true } & LoadedRelease) | { ok: false; reason: string };

/**
 * Loads release `id` from its compiled documents, or from its files when its compiled form is older or damaged; never
 * throws (a store that cannot be read is a reason like any other). `withFiles` also reads the files, for comparing.
 */
export async function loadRelease(
  store: ReleaseStore,
  id: number,
  options: { withFiles?: boolean } = {},
): Promise<ReleaseLoad> {
  try {
    return await load(store, id, options.withFiles === true);
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  }
}

async function load(store: ReleaseStore, id: number, withFiles: boolean): Promise<ReleaseLoad> {
  const started = performance.now();
  const stored = await store.releaseCompiled(id);
  if (!stored) return { ok: false, reason: "it is not in the store" };
  const compiled = contentFromCompiled(stored.compiled, stored.compiledHash, stored.schemaVersion);
  if (!compiled.ok && !compiled.rebuildFromFiles) return { ok: false, reason: compiled.reason };
  let files: LoadedRelease["files"];
  if (withFiles || !compiled.ok) {
    const packed = await store.releaseFiles(id);
    const list = packed === undefined ? undefined : unpackFiles(packed);
    if (packed === undefined || list === undefined) {
      return {
        ok: false,
        reason: compiled.ok ? "its files cannot be read" : `${compiled.reason}, and its files cannot be read`,
      };
    }
    files = { packed, list };
  }
  let content: ContentIndex;
  let docs: () => ParsedDoc[];
  if (compiled.ok) ({ content, docs } = compiled);
  else {
    const built = buildContent(files?.list ?? []);
    if (!built.ok) {
      const problems = built.errors.slice(0, 3).map(formatContentError).join("; ");
      return { ok: false, reason: `${compiled.reason}, and its files no longer pass this bot's checks: ${problems}` };
    }
    content = built.content;
    docs = () => built.docs;
  }
  content.release = id;
  return {
    ok: true,
    content,
    seconds: (performance.now() - started) / 1000,
    docs,
    compiled: stored,
    ...(files && { files }),
  };
}

export interface FollowerEvents {
  /** A release could not be served; the content before it keeps serving. */
  refused(id: number): void;
}

export interface ReleaseFollowerOptions {
  store: ReleaseStore;
  /** What is served now. */
  current: () => ContentIndex;
  /** Swaps in a loaded release (ContentHolder.serve). */
  serve: (content: ContentIndex, seconds: number) => void;
  logger: Logger;
  /** How often the store is asked for its current release; LISTEN/NOTIFY (Postgres) wakes it sooner. */
  pollMs: number;
  events?: FollowerEvents;
  /** A current release already refused at start, so it is not loaded and logged again at the first poll. */
  refused?: number;
}

/** How long to wait before listening again after Postgres dropped the listening connection. */
const RELISTEN_MS = 5000;

export class ReleaseFollower {
  private timer: NodeJS.Timeout | undefined;
  private relisten: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** The release last refused, so one that cannot be served is logged once, not at every poll. */
  private refusedId: number | undefined;
  private lastPollError: string | undefined;

  constructor(private readonly options: ReleaseFollowerOptions) {
    this.refusedId = options.refused;
  }

  /** The current release this process refused (it serves the content before it), if the current one is refused. */
  get refusedRelease(): number | undefined {
    return this.refusedId;
  }

  start(): void {
    this.timer = setInterval(() => void this.check("poll"), this.options.pollMs);
    this.timer.unref();
    void this.listen();
  }

  /**
   * Asks the store for its current release and serves it if it is new; checks asked for while one runs are folded
   * into one more check after it, so a burst of notifications costs two queries.
   */
  check(reason: string): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.follow(reason).finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.check("notification");
      }
    });
    return this.running;
  }

  private async follow(reason: string): Promise<void> {
    const { store, logger } = this.options;
    let id: number | undefined;
    try {
      id = await store.currentReleaseId();
      this.lastPollError = undefined;
    } catch (error) {
      const message = errorMessage(error);
      // One line per outage, not one per poll.
      if (message !== this.lastPollError)
        logger.warn({ err: message }, "cannot read the current content release; still serving what was loaded");
      this.lastPollError = message;
      return;
    }
    const serving = this.options.current();
    if (id === undefined || id === serving.release || id === this.refusedId || this.stopped) return;
    const loaded = await loadRelease(store, id);
    if (this.stopped) return;
    if (!loaded.ok) {
      this.refusedId = id;
      this.options.events?.refused(id);
      logger.error(
        { release: id, reason: loaded.reason, serving: contentOrigin(serving) },
        `content release ${id} refused: ${loaded.reason}; still serving ${contentOrigin(serving)}`,
      );
      return;
    }
    this.refusedId = undefined;
    this.options.serve(loaded.content, loaded.seconds);
    logger.info(
      {
        reason,
        release: id,
        previous: contentOrigin(serving),
        fingerprint: loaded.content.fingerprint,
        ms: Math.round(loaded.seconds * 1000),
      },
      `serving content release ${id}`,
    );
  }

  private async listen(): Promise<void> {
    const { store, logger } = this.options;
    if (!store.watchReleases || this.stopped) return;
    try {
      const unlisten = await store.watchReleases(
        () => void this.check("notification"),
        (error) => {
          logger.warn({ err: error.message }, "stopped listening for content releases; polling until listening again");
          this.unlisten = undefined;
          this.scheduleRelisten();
        },
      );
      if (this.stopped) await unlisten();
      else {
        this.unlisten = unlisten;
        logger.info("listening for content releases");
      }
    } catch (error) {
      logger.warn({ err: errorMessage(error) }, "cannot listen for content releases; polling instead");
      this.scheduleRelisten();
    }
  }

  private scheduleRelisten(): void {
    if (this.stopped) return;
    clearTimeout(this.relisten);
    this.relisten = setTimeout(() => void this.listen(), RELISTEN_MS);
    this.relisten.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.relisten);
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = undefined;
    await this.running;
  }
}
