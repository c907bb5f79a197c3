// Start-up, readiness and an orderly, bounded stop on SIGTERM or SIGINT, for the bot's one process.
import type { Logger } from "../core/logger.js";
import type { ReadinessCheck } from "./ops-server.js";

/** What the lifecycle needs of an adapter: the StoppableAdapter port's stop and readiness. */
export interface StoppableAdapter {
  readonly name: string;
  stop(): Promise<void>;
  readinessProblem(): string | undefined;
}

/**
 * Until the adapters run there is nothing to finish, so a stop signal exits at once; without a handler,
 * node running as a container's PID 1 would ignore SIGTERM and wait to be killed.
 */
function exitEarly(): void {
  process.exit(0);
}

/** From the first line of start-up: SIGTERM or SIGINT exit 0 at once, until exitOnSignals takes over. */
export function exitEarlyOnSignals(): void {
  process.once("SIGTERM", exitEarly);
  process.once("SIGINT", exitEarly);
}

/** Start-up, readiness and an orderly, bounded stop on SIGTERM or SIGINT. */
export class Lifecycle {
  private readonly adapters: StoppableAdapter[] = [];
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  private readonly services: (() => Promise<void>)[] = [];
  private readonly finalCleanups: (() => Promise<void> | void)[] = [];
  private readonly extraChecks: ReadinessCheck[] = [];
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    private readonly graceMs: number,
    cleanup: () => void,
  ) {
    this.cleanups.push(cleanup);
  }

  add(adapter: StoppableAdapter): void {
    this.adapters.push(adapter);
  }

  onStop(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  /** Stopped alongside the adapters, within the same grace period (the digest sender finishing its posts). */
  addService(stop: () => Promise<void>): void {
    this.services.push(stop);
  }

  /** Runs after every other cleanup (closing the store the others still write to). */
  onFinalStop(cleanup: () => Promise<void> | void): void {
    this.finalCleanups.push(cleanup);
  }

  addReadinessCheck(check: ReadinessCheck): void {
    this.extraChecks.push(check);
  }

  readinessChecks(): ReadinessCheck[] {
    return [
      // Content is always loaded once the bot is up: invalid content stops start-up, and a bad reload keeps the old.
      { name: "content", problem: () => undefined },
      { name: "process", problem: () => (this.stopping ? "shutting down" : undefined) },
      ...this.extraChecks,
      ...this.adapters.map((a) => ({ name: a.name, problem: () => a.readinessProblem() })),
    ];
  }

  /** Stops the adapters (answers under way may finish within the grace period), then everything else; never throws. */
  async stop(reason: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.logger.info({ reason, graceMs: this.graceMs }, "stopping");
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), this.graceMs)));
    const stopped = Promise.allSettled([...this.adapters.map((a) => a.stop()), ...this.services.map((stop) => stop())]);
    if ((await Promise.race([stopped, graceOver])) === "timeout") {
      this.logger.warn(
        { graceMs: this.graceMs },
        "answers still under way when the grace period ended; stopping anyway",
      );
    }
    clearTimeout(timer);
    await Promise.allSettled(this.cleanups.map(async (cleanup) => cleanup()));
    await Promise.allSettled(this.finalCleanups.map(async (cleanup) => cleanup()));
    this.logger.info("stopped");
  }

  /** SIGTERM (container stop) and SIGINT (Ctrl+C) stop the bot and exit 0. */
  exitOnSignals(options: { before?: () => void; underShardManager?: boolean } = {}): void {
    const handle = (signal: string) => {
      options.before?.();
      void this.stop(signal).then(() => process.exit(0));
    };
    process.off("SIGINT", exitEarly);
    process.off("SIGTERM", exitEarly);
    process.once("SIGINT", () => handle("SIGINT"));
    process.once("SIGTERM", () => handle("SIGTERM"));
    // A shard whose manager died (SIGKILL, OOM) would otherwise run on, and a new manager would start the same shard
    // twice: losing the manager's IPC channel stops it like SIGTERM.
    if (options.underShardManager === true) process.once("disconnect", () => handle("shard manager gone"));
  }
}
