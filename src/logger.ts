// The process logger: pino JSON on stderr, so stdout stays clean for answers.
import { pino, type DestinationStream, type Logger } from "pino";

/** Paths pino blanks out wherever they appear, so a token or secret never reaches a log line. */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "*.*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "secret",
  "*.secret",
  "signingSecret",
  "*.signingSecret",
  "password",
  "*.password",
];

export function createLogger(level: string, destination: DestinationStream = pino.destination({ fd: 2, sync: true })): Logger {
  return pino({ level, base: { pid: process.pid }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, destination);
}
