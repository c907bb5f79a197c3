// The port every chat platform adapter implements, and what the composition root hands each one.
import type { AnswerSettings, CommandOutcome } from "../core/commands/types.js";
import type { ContentIndex } from "../core/content/model.js";
import type { DigestBook, DigestSettings } from "../core/digest/types.js";
import type { Logger } from "../core/logger.js";

export interface AdapterDependencies {
  /** The current content; read on every command, so a reload is picked up without reconnecting. */
  content: () => ContentIndex;
  settings: AnswerSettings;
  /** Already a child logger for this adapter. */
  logger: Logger;
  /** Told about every command's outcome (metrics). */
  observe?: (outcome: CommandOutcome) => void;
  /** Subscriptions for /digest; absent, /digest says digests are not set up. */
  digests?: { book: DigestBook; settings: DigestSettings };
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

/** What a command gets between SIGTERM and the disconnect: a clear word instead of silence. */
export const RESTARTING_NOTICE = "The news bot is restarting. Please ask again in a minute.";
