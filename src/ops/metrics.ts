// Prometheus metrics for operators: commands by outcome, answer latency, rate-limit waits, and which content is served.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CommandOutcome } from "../core/commands/types.js";
import type { ContentIndex } from "../core/content/model.js";

/** One registry per bot (not prom-client's global one), so tests and several bots in a process never share counts. */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly commands = new Counter({
    name: "newsbot_commands_total",
    help: "Commands handled, by command, platform and outcome (answered, user-error, failed).",
    labelNames: ["command", "platform", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: "newsbot_answer_duration_seconds",
    help: "Time from a parsed command to its answer, by platform.",
    labelNames: ["platform"] as const,
    // Answers take well under a millisecond to a few; Discord and Slack give up after 3 s.
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
    registers: [this.registry],
  });
  private readonly rateLimitWaits = new Counter({
    name: "newsbot_rate_limit_waits_total",
    help: "Times a platform asked the bot to slow down and the request waited.",
    labelNames: ["platform"] as const,
    registers: [this.registry],
  });
  private readonly lateGrants = new Counter({
    name: "newsbot_budget_grants_given_up_total",
    help: "Shared request-budget grants this process woke too late to use (a busy event loop or a slow database), by budget.",
    labelNames: ["budget"] as const,
    registers: [this.registry],
  });
  private readonly contentInfo = new Gauge({
    name: "newsbot_content_info",
    help: "The content being served: 1 for its fingerprint.",
    labelNames: ["fingerprint"] as const,
    registers: [this.registry],
  });
  private readonly contentFiles = new Gauge({
    name: "newsbot_content_files",
    help: "Files in the content being served.",
    registers: [this.registry],
  });
  private readonly contentLoadedAt = new Gauge({
    name: "newsbot_content_loaded_timestamp_seconds",
    help: "When the content being served was loaded (Unix time).",
    registers: [this.registry],
  });
  private readonly contentLoadSeconds = new Gauge({
    name: "newsbot_content_load_duration_seconds",
    help: "How long the last successful content load and validation took.",
    registers: [this.registry],
  });
  private readonly contentRelease = new Gauge({
    name: "newsbot_content_release",
    help: "The content release being served (0: the content folder, no release).",
    registers: [this.registry],
  });
  private readonly releasesRefused = new Counter({
    name: "newsbot_content_releases_refused_total",
    help: "Current content releases this process could not serve (an unknown schema, a damaged release); the content before keeps serving.",
    registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: "newsbot_content_reloads_total",
    help: "Content reloads, by outcome: loaded, or rejected (invalid; the previous content stays).",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });

  private readonly digests = new Counter({
    name: "newsbot_digests_total",
    help: "Digest send outcomes by platform: delivered, retry, failed, paused, unknown, skipped_quiet, skipped_stale, canceled.",
    labelNames: ["platform", "outcome"] as const,
    registers: [this.registry],
  });

  private ledgerCounts: (() => Promise<Record<string, number>>) | undefined;
  private readonly ledgerRows = new Gauge({
    name: "newsbot_digest_ledger_rows",
    help: "Delivery ledger rows by state (all editions kept in the store).",
    labelNames: ["state"] as const,
    registers: [this.registry],
    collect: async () => {
      if (!this.ledgerCounts) return;
      try {
        for (const [state, count] of Object.entries(await this.ledgerCounts())) this.ledgerRows.set({ state }, count);
      } catch {
        // An unreachable store shows on /readyz; the scrape still answers with what it has.
      }
    },
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "newsbot_" });
  }

  commandFinished(event: CommandOutcome): void {
    this.commands.inc({ command: event.command, platform: event.platform, outcome: event.outcome });
    this.latency.observe({ platform: event.platform }, event.seconds);
  }

  digestOutcome(outcome: string, platform: string): void {
    this.digests.inc({ platform, outcome });
  }

  /** Where /metrics reads ledger row counts from at scrape time. */
  watchLedger(counts: () => Promise<Record<string, number>>): void {
    this.ledgerCounts = counts;
  }

  rateLimited(platform: string): void {
    this.rateLimitWaits.inc({ platform });
  }

  lateGrant(budget: string): void {
    this.lateGrants.inc({ budget });
  }

  contentLoaded(content: ContentIndex, seconds: number): void {
    this.contentInfo.reset();
    this.contentInfo.set({ fingerprint: content.fingerprint }, 1);
    this.contentFiles.set(content.fileCount);
    this.contentLoadedAt.set(Date.now() / 1000);
    this.contentLoadSeconds.set(seconds);
    this.contentRelease.set(content.release ?? 0);
  }

  releaseRefused(): void {
    this.releasesRefused.inc();
  }

  contentReloaded(outcome: "loaded" | "rejected"): void {
    this.reloads.inc({ outcome });
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
