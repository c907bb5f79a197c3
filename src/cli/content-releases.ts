// `npm run content:releases`: the history of published content releases, newest first, the current one marked.
import { pathToFileURL } from "node:url";
import { openExistingStore, readConfig, report, runCli, type CliOutput } from "./bootstrap.js";
import { describeCounts, shortInstant } from "./release-common.js";

/** Lists the releases in the store the bot is configured with; changes nothing (a missing database is not created). */
export async function contentReleases(env: NodeJS.ProcessEnv, out: CliOutput): Promise<number> {
  const config = readConfig(env);
  if (!config.ok) return report(out, config);
  const opened = await openExistingStore(config.value, env);
  if (!opened.ok) return report(out, opened);
  const { store } = opened.value;
  if (store === undefined) {
    out.info(
      `No content release has been published: ${opened.value.reason}. Publish one with npm run content:publish.`,
    );
    return 0;
  }
  try {
    const releases = await store.listReleases();
    if (releases.length === 0) {
      out.info("No content release has been published to this store. Publish one with npm run content:publish.");
      return 0;
    }
    const current = await store.currentReleaseId();
    const lines: string[] = [];
    for (const release of releases) {
      const marker = release.id === current ? "* " : "  ";
      const rollback = release.rollbackOf !== undefined ? ` (rollback to release ${release.rollbackOf})` : "";
      lines.push(
        `${marker}${release.id}  ${shortInstant(release.createdAt)}  ${release.author}  fingerprint ${release.fingerprint}${rollback}`,
        `     ${release.message ? `"${release.message}"` : "(no message)"}; ${describeCounts(release.counts)}`,
      );
    }
    lines.push("", `* the current release (${current ?? "none"}), served by every bot on this store.`);
    out.info(lines.join("\n"));
    return 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli("content:releases stopped unexpectedly", (out) => contentReleases(process.env, out));
}
