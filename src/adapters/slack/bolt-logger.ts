// Bolt's logger interface over our pino logger, with every line scrubbed of tokens and secrets first.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../core/logger.js";
import { scrubbedLine } from "../shared/log-scrub.js";

/** Bolt and its Web API and Socket Mode clients write free text (URLs, payloads); only scrubbed text reaches pino. */
export function boltLogger(logger: Logger, level: LogLevel, scrub: (text: string) => string): BoltLogger {
  let current = level;
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const enabled = (wanted: LogLevel) => order.indexOf(wanted) >= order.indexOf(current);
  return {
    debug: (...parts: unknown[]) => enabled(LogLevel.DEBUG) && logger.debug(scrubbedLine(parts, scrub)),
    info: (...parts: unknown[]) => enabled(LogLevel.INFO) && logger.info(scrubbedLine(parts, scrub)),
    warn: (...parts: unknown[]) => enabled(LogLevel.WARN) && logger.warn(scrubbedLine(parts, scrub)),
    error: (...parts: unknown[]) => enabled(LogLevel.ERROR) && logger.error(scrubbedLine(parts, scrub)),
    setLevel: (next: LogLevel) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}

/** pino's level names to Bolt's four. */
export function boltLevelFor(pinoLevel: string): LogLevel {
  switch (pinoLevel) {
    case "trace":
    case "debug":
      return LogLevel.DEBUG;
    case "info":
      return LogLevel.INFO;
    case "warn":
      return LogLevel.WARN;
    default:
      return LogLevel.ERROR;
  }
}
