// The port every chat platform adapter implements, and what the composition root hands each one.
import type { Answerer } from "../core/answerer.js";
import type { Logger } from "../core/logger.js";

export { RESTARTING_NOTICE } from "./shared/answer-window.js";

export interface AdapterDependencies {
  /** The core: every command, share and completion goes through it. */
  answerer: Answerer;
  /** Already a child logger for this adapter. */
  logger: Logger;
  /** Told each time the platform rate-limits a request and the bot waits (metrics). */
  rateLimited?: () => void;
}

export interface PlatformAdapter {
  readonly name: string;
  /** Connects and resolves once the adapter answers commands; rejects with a message fit for an operator. */
  start(): Promise<void>;
  /** Stops taking commands and disconnects, letting answers under way finish; safe to call twice. */
  stop(): Promise<void>;
  /** undefined while connected and answering; otherwise why not, for /readyz (e.g. "reconnecting"). */
  readinessProblem(): string | undefined;
}
