// Runs digests in a process: a node-cron tick each minute plans due editions into the ledger, then sends them.
import cron, { type ScheduledTask } from "node-cron";
import type { ContentIndex } from "../core/content/model.js";
import type { DigestSettings } from "../core/digest/types.js";
import type { Logger } from "../core/logger.js";
import type { Store } from "../store/store.js";
import { Planner } from "./planner.js";
import type { DigestPoster } from "./poster.js";
import { Sender } from "./sender.js";

/**
 * node-cron only triggers: a tick missed while the process was down, or fired twice on two replicas, is harmless
 * because the planner's ledger rows are the truth (see docs in README, "Daily digests").
 */
export class DigestService {
  private task: ScheduledTask | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly planner: Planner,
    private readonly sender: Sender,
    private readonly logger: Logger,
  ) {}

  /** Ticks at once (catching up on what was missed while down), then at the start of every minute. */
  start(): void {
    // The owner names this process's claims in the ledger: an operator (or a test) can tell whose rows a dead one left.
    this.logger.info({ owner: this.sender.owner }, "digest sender started");
    this.task = cron.schedule("* * * * *", () => this.tick(), { name: "digest-planner", noOverlap: true });
    void this.tick();
  }

  /** Plans, then sends; a tick while one runs joins it. Never throws. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.ticking ??= this.runTick().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async runTick(): Promise<void> {
    try {
      const planned = await this.planner.tick();
      if (planned.planned + planned.skipped > 0) this.logger.info(planned, "digests planned");
    } catch (error) {
      this.logger.error({ err: error }, "digest planning failed; the next tick tries again");
    }
    await this.sender.drain();
  }

  /** Stops ticking; sends under way finish, unsent rows go back to the ledger (Sender.stop). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.task?.destroy();
    await this.sender.stop();
    await this.ticking;
  }
}

export interface DigestServiceWiring {
  store: Store;
  /** One per platform this process posts to; only their subscriptions are planned here. */
  posters: readonly DigestPoster[];
  content: () => ContentIndex;
  settings: DigestSettings;
  logger: Logger;
  leaseMs: number;
  /** Told each outcome (metrics). */
  observe: (outcome: string, platform: string) => void;
}

/** A planner and a sender over the store for `posters`, ready to start. */
export function createDigestService(wiring: DigestServiceWiring): DigestService {
  const { store, posters, settings, logger, observe } = wiring;
  const planner = new Planner(
    store,
    {
      catchUpMinutes: settings.catchUpMinutes,
      platforms: posters.map((p) => p.platform),
      onSkipped: (platform) => observe("skipped_stale", platform),
    },
    logger,
  );
  const sender = new Sender(
    {
      store,
      posters: new Map(posters.map((p) => [p.platform, p])),
      content: wiring.content,
      settings,
      logger,
      observe,
    },
    { leaseMs: wiring.leaseMs },
  );
  return new DigestService(planner, sender, logger);
}
