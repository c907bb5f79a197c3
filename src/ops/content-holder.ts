// Holds the content being served and swaps in a reload only when the new content is valid; the last good content stays otherwise.
import { watch, type FSWatcher } from "node:fs";
import { formatContentError } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";
import type { ContentIndex } from "../core/content/model.js";
import type { Logger } from "../core/logger.js";

export interface ContentEvents {
  /** Called with valid new content before it is swapped in, to build what answers need from it. */
  prepare?(content: ContentIndex): void;
  loaded(content: ContentIndex, seconds: number): void;
  reloaded(outcome: "loaded" | "rejected"): void;
}

export type ReloadOutcome = "loaded" | "unchanged" | "rejected";

/** Editors save several files in a burst; one reload after the burst is enough. */
const WATCH_SETTLE_MS = 400;

export class ContentHolder {
  private content: ContentIndex;
  private watcher: FSWatcher | undefined;
  private settle: NodeJS.Timeout | undefined;

  constructor(
    private readonly dir: string,
    initial: ContentIndex,
    private readonly logger: Logger,
    private readonly events?: ContentEvents,
  ) {
    this.content = initial;
  }

  /** The content to answer from now; adapters call this per command, so a reload applies to the next one. */
  readonly current = (): ContentIndex => this.content;

  /**
   * Swaps in valid content, prepared first so no command after the swap pays for it, and reports it: a reload of the
   * folder comes here, and so does a content release loaded elsewhere (then the folder is no longer reloaded).
   */
  serve(content: ContentIndex, seconds: number): void {
    this.events?.prepare?.(content);
    this.content = content;
    if (content.release !== undefined) this.close();
    this.events?.loaded(content, seconds);
  }

  /** Loads and validates the folder again; never throws, never swaps in invalid content. */
  reload(reason: string): ReloadOutcome {
    if (this.content.release !== undefined) {
      // Every replica serves the store's release; a file on this machine must not make this one answer differently.
      this.logger.info(
        { reason, release: this.content.release },
        `content release ${this.content.release} is served, so the content folder is not reloaded: publish changes with npm run content:publish`,
      );
      return "unchanged";
    }
    const started = performance.now();
    const result = loadContentDir(this.dir);
    if (!result.ok) {
      // Every problem, so an editor can fix them all at once; the bot keeps answering from the last good content.
      this.logger.error(
        { reason, problems: result.errors.map(formatContentError), serving: this.content.fingerprint },
        `content reload rejected: ${result.errors.length} problem${result.errors.length === 1 ? "" : "s"}; still serving the previous content`,
      );
      this.events?.reloaded("rejected");
      return "rejected";
    }
    const seconds = (performance.now() - started) / 1000;
    if (result.content.fingerprint === this.content.fingerprint) {
      this.logger.info({ reason, fingerprint: this.content.fingerprint }, "content reloaded: unchanged");
      return "unchanged";
    }
    const previous = this.content.fingerprint;
    this.serve(result.content, seconds);
    this.events?.reloaded("loaded");
    this.logger.info(
      {
        reason,
        previous,
        fingerprint: result.content.fingerprint,
        files: result.content.fileCount,
        ms: Math.round(seconds * 1000),
      },
      "content reloaded",
    );
    return "loaded";
  }

  /** Reloads after files under the content folder change. */
  watch(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => {
        clearTimeout(this.settle);
        this.settle = setTimeout(() => this.reload("file change"), WATCH_SETTLE_MS);
      });
      this.watcher.on("error", (error) =>
        this.logger.error({ err: error }, "content watch failed; SIGHUP still reloads"),
      );
      this.logger.info({ dir: this.dir }, "watching content for changes");
    } catch (error) {
      this.logger.error({ err: error }, "cannot watch the content folder; SIGHUP still reloads");
    }
  }

  close(): void {
    clearTimeout(this.settle);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
