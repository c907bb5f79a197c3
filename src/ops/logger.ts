// The process logger: pino JSON on stderr (stdout stays clean for answers), pretty at a developer's terminal, secrets redacted.
import { createRequire } from "node:module";
import { pino, type DestinationStream, type Logger } from "pino";

/** Paths pino blanks out wherever they appear, so a token or secret never reaches a log line. */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "*.*.token",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "authorization",
  "Authorization",
  "*.authorization",
  "*.Authorization",
  "headers.authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "secret",
  "*.secret",
  "signingSecret",
  "*.signingSecret",
  "clientSecret",
  "*.clientSecret",
  "stateSecret",
  "*.stateSecret",
  "installationKey",
  "*.installationKey",
  "databaseUrl",
  "*.databaseUrl",
  "password",
  "*.password",
];

export interface LoggerOptions {
  destination?: DestinationStream;
  /** Human-readable lines (pino-pretty) instead of JSON, when pino-pretty is installed (a development dependency). */
  pretty?: boolean;
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve("pino-pretty");
    return true;
  } catch {
    // A production install leaves development dependencies out; JSON it is.
    return false;
  }
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const base = { level, base: { pid: process.pid }, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  if (options.pretty === true && options.destination === undefined && prettyAvailable()) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { destination: 2, colorize: true, translateTime: "SYS:HH:MM:ss" } },
    });
  }
  return pino(base, options.destination ?? pino.destination({ fd: 2, sync: true }));
}
