// Chooses the content a process starts with: the store's current release, or the content folder (CONTENT_SOURCE).
import { formatContentReport } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";
import type { ContentIndex } from "../core/content/model.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { ReleaseStore } from "../store/store.js";
import type { AppConfig } from "./config.js";
import { loadRelease } from "./release-follower.js";

export type ContentSourceSetting = AppConfig["contentSource"];

export type InitialContent =
  | {
      ok: true;
      content: ContentIndex;
      seconds: number;
      /** A current release this process could not serve (it serves the folder instead), so it is not retried at once. */
      refused?: number;
    }
  | { ok: false; message: string };

function fromFolder(dir: string, refused?: number): InitialContent {
  const started = performance.now();
  const loaded = loadContentDir(dir);
  if (!loaded.ok) {
    return {
      ok: false,
      message: `${formatContentReport(loaded.errors)}\nFix these and start again (npm run content:check lists them without starting the bot).`,
    };
  }
  return {
    ok: true,
    content: loaded.content,
    seconds: (performance.now() - started) / 1000,
    ...(refused !== undefined && { refused }),
  };
}

/** The content to start serving under `setting`; the store's release wins in auto, and the folder is the fallback. */
export async function initialContent(
  setting: ContentSourceSetting,
  dir: string,
  store: ReleaseStore,
  logger: Logger,
): Promise<InitialContent> {
  if (setting === "files") return fromFolder(dir);
  let id: number | undefined;
  try {
    id = await store.currentReleaseId();
  } catch (error) {
    if (setting === "store") {
      return { ok: false, message: `The store's content release could not be read: ${errorMessage(error)}` };
    }
    logger.warn({ err: errorMessage(error) }, "cannot read the store's content release; serving the content folder");
    return fromFolder(dir);
  }
  if (id === undefined) {
    if (setting === "store") {
      return {
        ok: false,
        message:
          "CONTENT_SOURCE is store, but no content release has been published to this store.\nPublish one with npm run content:publish, or set CONTENT_SOURCE=auto to serve the content folder until then.",
      };
    }
    return fromFolder(dir);
  }
  const loaded = await loadRelease(store, id);
  if (loaded.ok) return { ok: true, content: loaded.content, seconds: loaded.seconds };
  if (setting === "store") {
    return {
      ok: false,
      message: `CONTENT_SOURCE is store, and content release ${id} cannot be served: ${loaded.reason}`,
    };
  }
  logger.error(
    { release: id, reason: loaded.reason },
    `content release ${id} refused: ${loaded.reason}; serving the content folder instead`,
  );
  return fromFolder(dir, id);
}
