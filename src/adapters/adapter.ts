// The port every chat platform adapter implements, and what the composition root hands each one.
import type { AnswerSettings } from "../core/commands/types.js";
import type { ContentIndex } from "../core/content/model.js";
import type { Logger } from "../core/logger.js";

export interface AdapterDependencies {
  /** The current content; read on every command, so a reload is picked up without reconnecting. */
  content: () => ContentIndex;
  settings: AnswerSettings;
  /** Already a child logger for this adapter. */
  logger: Logger;
}

export interface PlatformAdapter {
  readonly name: string;
  /** Connects and resolves once the adapter answers commands; rejects with a message fit for an operator. */
  start(): Promise<void>;
  /** Stops taking commands and disconnects; safe to call twice. */
  stop(): Promise<void>;
}
