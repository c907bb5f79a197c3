// What content:publish, content:releases and content:rollback share: who publishes, reading a stored release, the readers.
import { execFileSync } from "node:child_process";
import { userInfo } from "node:os";
import type { Reader } from "../core/content/change-report.js";
import type { ContentFile } from "../core/content/parse-file.js";
import { counted } from "../core/format.js";
import { loadRelease, type LoadedRelease } from "../ops/release-follower.js";
import { urlSecretForms } from "../store/postgres-store.js";
import type { ReleaseHead, Store } from "../store/store.js";

/** Who published: --author, else `git config user.name` in `cwd`, else the operating system's user name. */
export function whoPublishes(given: string | undefined, cwd: string): string {
  const author = given?.trim();
  if (author) return author;
  try {
    const name = execFileSync("git", ["config", "user.name"], {
      cwd,
      encoding: "utf8",
      timeout: 5000,
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (name) return name;
  } catch {
    // No git, or no name configured: the OS user is the next best record.
  }
  try {
    return userInfo().username || "unknown";
  } catch {
    return "unknown";
  }
}

export interface StoredContent extends LoadedRelease {
  head: ReleaseHead;
  files: { packed: Buffer; list: ContentFile[] };
}

export type StoredContentResult = { ok: true; value: StoredContent } | { ok: false; message: string };

/** A stored release with its files, for comparing the content folder (or another release) against it, or copying it. */
export async function readStoredContent(store: Store, head: ReleaseHead): Promise<StoredContentResult> {
  const loaded = await loadRelease(store, head.id, { withFiles: true });
  if (!loaded.ok || !loaded.files) {
    const reason = loaded.ok ? "its files cannot be read" : loaded.reason;
    return { ok: false, message: `Release ${head.id} cannot be compared with: ${reason}.` };
  }
  return { ok: true, value: { ...loaded, head, files: loaded.files } };
}

/** Every subscription with what its channel was told, for the report's "what readers will be told". */
export async function readersOf(store: Store): Promise<Reader[]> {
  const subscriptions = await store.listSubscriptions();
  return Promise.all(
    subscriptions.map(async (subscription) => {
      const [announced, delivered] = await Promise.all([
        store.announced(subscription.channel),
        store.lastDelivered(subscription.channel),
      ]);
      return {
        channel: subscription.channel,
        stories: subscription.stories,
        paused: subscription.paused !== undefined,
        firstDigest: delivered === undefined,
        announced,
      };
    }),
  );
}

/** Display paths (as documents name their files) whose text differs between two sets of files. */
export function changedFiles(
  before: readonly ContentFile[],
  after: readonly ContentFile[],
  displayRoot: string,
): Set<string> {
  const old = new Map(before.map((f) => [f.path, f.text]));
  return new Set(after.filter((f) => old.get(f.path) !== f.text).map((f) => `${displayRoot}/${f.path}`));
}

/** "release 12, published 2026-12-04 18:00 UTC by Dana" */
export function describeRelease(head: ReleaseHead): string {
  return `release ${head.id}, published ${shortInstant(head.createdAt)} by ${head.author}`;
}

export function shortInstant(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** "20 files, 1 story, 4 updates, 12 people and organisations, 3 sources" */
export function describeCounts(counts: ReleaseHead["counts"]): string {
  return [
    counted(counts.files, "file", "files"),
    counted(counts.stories, "story", "stories"),
    counted(counts.updates, "update", "updates"),
    counted(counts.entities, "person or organisation", "people and organisations"),
    counted(counts.sources, "source", "sources"),
  ].join(", ");
}

/** The secrets this machine holds, so a release never stores one: tokens, signing secrets, keys, the database URL. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const databaseUrl = env["DATABASE_URL"]?.trim();
  return [
    env["DISCORD_TOKEN"],
    env["SLACK_BOT_TOKEN"],
    env["SLACK_APP_TOKEN"],
    env["SLACK_SIGNING_SECRET"],
    env["SLACK_CLIENT_SECRET"],
    env["SLACK_STATE_SECRET"],
    env["SLACK_INSTALLATION_KEY"],
    ...(databaseUrl ? urlSecretForms(databaseUrl) : []),
  ].flatMap((value) => (value?.trim() ? [value.trim()] : []));
}
