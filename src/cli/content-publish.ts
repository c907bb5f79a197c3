// `npm run content:publish [-- --message "…"] [--dry-run] [--author NAME]`: checks content/, reports what changes, stores it as the current release.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { changeReport } from "../core/content/change-report.js";
import { formatContentError, formatContentReport } from "../core/content/content-error.js";
import { loadContentDir } from "../core/content/load.js";
import { compareReleases, nothingSeen, type ReleaseComparison } from "../core/content/release-diff.js";
import { checkReleaseFiles, countsOf, prepareRelease, secretsIn } from "../core/content/release.js";
import { errorMessage } from "../core/errors.js";
import { counted } from "../core/format.js";
import { configBaseDir } from "../ops/project-dir.js";
import { openBotStore, openExistingStore, readConfig, report, runCli, type CliOutput } from "./bootstrap.js";
import {
  changedFiles,
  describeCounts,
  describeRelease,
  readersOf,
  readStoredContent,
  secretValues,
  whoPublishes,
} from "./release-common.js";

const USAGE = 'Usage: npm run content:publish [-- --message "what changed"] [--dry-run] [--author "Your Name"]';

export interface PublishArgs {
  message: string;
  dryRun: boolean;
  author?: string;
}

export function parsePublishArgs(
  args: readonly string[],
): { ok: true; value: PublishArgs } | { ok: false; message: string } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        message: { type: "string", short: "m" },
        "dry-run": { type: "boolean" },
        author: { type: "string" },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) return { ok: false, message: `Unexpected argument "${positionals[0]}".\n${USAGE}` };
    return {
      ok: true,
      value: {
        message: values.message?.trim() ?? "",
        dryRun: values["dry-run"] === true,
        ...(values.author !== undefined && { author: values.author }),
      },
    };
  } catch (error) {
    return { ok: false, message: `${errorMessage(error)}\n${USAGE}` };
  }
}

const EMPTY_COMPARISON: ReleaseComparison = { problems: [], stories: [], entities: [], sources: [], unseenChanges: [] };

/** Publishes the content folder the bot is configured with; returns the exit code. */
export async function contentPublish(args: readonly string[], env: NodeJS.ProcessEnv, out: CliOutput): Promise<number> {
  const parsed = parsePublishArgs(args);
  if (!parsed.ok) return report(out, parsed);
  const options = parsed.value;
  const config = readConfig(env);
  if (!config.ok) return report(out, config);
  const dir = config.value.contentDir;
  const displayRoot = path.relative(process.cwd(), dir).split(path.sep).join("/") || ".";

  const loaded = loadContentDir(dir, { displayRoot });
  if (!loaded.ok) {
    out.error(`${formatContentReport(loaded.errors)}\nNothing was published: fix these and publish again.`);
    return 1;
  }
  const refusedFiles = [
    ...checkReleaseFiles(loaded.files, displayRoot),
    ...secretsIn(loaded.files, secretValues(env), displayRoot),
  ];
  if (refusedFiles.length > 0) {
    out.error(`${formatContentReport(refusedFiles)}\nNothing was published: fix these and publish again.`);
    return 1;
  }

  // A dry run changes nothing, so it does not create (or migrate) a database either: none means no release yet.
  const opened = options.dryRun ? await openExistingStore(config.value, env) : await openBotStore(config.value, env);
  if (!opened.ok) return report(out, opened);
  const { store } = opened.value;
  try {
    const head = store ? await store.currentRelease() : undefined;
    const stored = store && head ? await readStoredContent(store, head) : undefined;
    if (stored && !stored.ok) return report(out, stored);
    const previous = stored?.value;
    const next = loaded.content;
    if (previous && previous.head.fingerprint === next.fingerprint) {
      out.info(
        `Nothing to publish: the content folder is the same as the current ${describeRelease(previous.head)} (fingerprint ${previous.head.fingerprint}).`,
      );
      return 0;
    }
    const comparison = previous
      ? compareReleases(
          previous.docs(),
          loaded.docs,
          changedFiles(previous.files.list, loaded.files, displayRoot),
          previous.head.id,
        )
      : EMPTY_COMPARISON;
    const lines = changeReport({
      comparison,
      ...(previous && { previous: { id: previous.head.id, content: previous.content } }),
      next,
      readers: store ? await readersOf(store) : [],
    });
    out.info(lines.join("\n"));
    if (comparison.problems.length > 0) {
      out.error(
        [
          "",
          `Refused: ${counted(comparison.problems.length, "editorial problem", "editorial problems")} found against release ${previous?.head.id ?? "?"}.`,
          ...comparison.problems.map((p) => `  ${formatContentError(p)}`),
          "Nothing was published: fix these and publish again.",
        ].join("\n"),
      );
      return 1;
    }
    const id = (previous?.head.id ?? 0) + 1;
    const seen = previous === undefined || !nothingSeen(comparison);
    const summary = seen ? describeCounts(countsOf(loaded.docs, loaded.files.length)) : "no change to what readers see";
    if (options.dryRun || !store) {
      out.info(`\nDry run: nothing was stored. Publishing would make release ${id} current (${summary}).`);
      return 0;
    }
    const author = whoPublishes(options.author, configBaseDir(env));
    const outcome = await store.publishRelease(
      {
        ...prepareRelease(loaded.files, loaded.docs, next.fingerprint),
        createdAt: new Date().toISOString(),
        author,
        message: options.message,
      },
      previous?.head.id,
    );
    if (!outcome.ok) {
      const moved = outcome.current ? describeRelease(outcome.current) : "another release";
      out.error(
        `\nNot published: the current release moved while this ran (now ${moved}). Nothing was stored: run npm run content:publish again to compare against it.`,
      );
      return 1;
    }
    out.info(
      `\nPublished release ${outcome.id} by ${author} (fingerprint ${next.fingerprint}; ${summary})${options.message ? `: "${options.message}"` : ""}. Every bot on this store serves it within seconds.`,
    );
    return 0;
  } finally {
    await store?.close();
  }
}

// Run only as a program, so a test can import contentPublish without publishing anything.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCli("content:publish stopped unexpectedly", (out) =>
    contentPublish(process.argv.slice(2), process.env, out),
  );
}
