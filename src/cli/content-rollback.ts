// `npm run content:rollback -- <id> [--message "…"] [--author NAME] [--dry-run]`: makes an earlier release current again, as a new release.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { changeReport } from "../core/content/change-report.js";
import { compareReleases } from "../core/content/release-diff.js";
import { RELEASE_SCHEMA_VERSION } from "../core/content/release.js";
import { errorMessage } from "../core/errors.js";
import { configBaseDir } from "../ops/project-dir.js";
import { openExistingStore, readConfig, report, runCli, type CliOutput } from "./bootstrap.js";
import {
  changedFiles,
  describeCounts,
  describeRelease,
  readersOf,
  readStoredContent,
  whoPublishes,
} from "./release-common.js";

const USAGE = 'Usage: npm run content:rollback -- <release id> [--message "why"] [--author "Your Name"] [--dry-run]';

export async function contentRollback(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: CliOutput,
): Promise<number> {
  let values: { message?: string; author?: string; "dry-run"?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: { message: { type: "string", short: "m" }, author: { type: "string" }, "dry-run": { type: "boolean" } },
      allowPositionals: true,
    }));
  } catch (error) {
    return report(out, { message: `${errorMessage(error)}\n${USAGE}` });
  }
  const [given, ...extra] = positionals;
  if (given === undefined || extra.length > 0 || !/^\d+$/.test(given)) {
    return report(out, {
      message: `Name one release by its number, e.g. 7 (npm run content:releases lists them).\n${USAGE}`,
    });
  }
  const targetId = Number(given);
  const config = readConfig(env);
  if (!config.ok) return report(out, config);
  const opened = await openExistingStore(config.value, env);
  if (!opened.ok) return report(out, opened);
  const { store } = opened.value;
  if (store === undefined)
    return report(out, { message: `There is no release to roll back to: ${opened.value.reason}.` });
  try {
    const [target, current] = await Promise.all([store.releaseHead(targetId), store.currentRelease()]);
    if (!target || !current) {
      return report(out, {
        message: `There is no release ${targetId} in this store (npm run content:releases lists them).`,
      });
    }
    if (target.id === current.id) {
      out.info(`Release ${targetId} is already the current release: nothing to roll back.`);
      return 0;
    }
    if (target.fingerprint === current.fingerprint) {
      out.info(
        `The current ${describeRelease(current)} already has release ${targetId}'s content (fingerprint ${target.fingerprint}): nothing to roll back.`,
      );
      return 0;
    }
    if (target.schemaVersion > RELEASE_SCHEMA_VERSION) {
      return report(out, {
        message: `Release ${targetId} was written by a newer version of the bot (release schema ${target.schemaVersion}); roll back with that version.`,
      });
    }
    const [from, to] = await Promise.all([readStoredContent(store, current), readStoredContent(store, target)]);
    if (!from.ok) return report(out, from);
    if (!to.ok) return report(out, to);

    // The editorial rules guard what editors publish; a rollback deliberately undoes it, so its report only informs.
    const comparison = compareReleases(
      from.value.docs(),
      to.value.docs(),
      changedFiles(from.value.files.list, to.value.files.list, "content"),
      current.id,
    );
    out.info(
      [
        `Rolling back from ${describeRelease(current)} to the content of ${describeRelease(target)}.`,
        ...changeReport({
          comparison: { ...comparison, problems: [] },
          previous: { id: current.id, content: from.value.content },
          next: to.value.content,
          readers: await readersOf(store),
        }).slice(1),
      ].join("\n"),
    );
    const id = current.id + 1;
    if (values["dry-run"] === true) {
      out.info(
        `\nDry run: nothing was stored. Rolling back would make release ${id} (a copy of release ${targetId}) current.`,
      );
      return 0;
    }
    const author = whoPublishes(values.author, configBaseDir(env));
    const outcome = await store.publishRelease(
      {
        fingerprint: target.fingerprint,
        schemaVersion: target.schemaVersion,
        counts: target.counts,
        files: to.value.files.packed,
        compiled: to.value.compiled.compiled,
        compiledHash: to.value.compiled.compiledHash,
        createdAt: new Date().toISOString(),
        author,
        message: values.message?.trim() || `Rollback to release ${targetId}`,
        rollbackOf: targetId,
      },
      current.id,
    );
    if (!outcome.ok) {
      const moved = outcome.current ? describeRelease(outcome.current) : "another release";
      return report(out, {
        message: `\nNot rolled back: the current release moved while this ran (now ${moved}). Nothing was stored: run the rollback again.`,
      });
    }
    out.info(
      `\nRolled back: release ${outcome.id} by ${author} is a copy of release ${targetId} (${describeCounts(target.counts)}). Every bot on this store serves it within seconds.`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli("content:rollback stopped unexpectedly", (out) =>
    contentRollback(process.argv.slice(2), process.env, out),
  );
}
