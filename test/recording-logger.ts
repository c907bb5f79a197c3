// A core Logger for tests that keeps every entry, with the bindings of the child it was written through.
import type { LogFn, Logger } from "../src/core/logger.js";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  fields: Record<string, unknown>;
  msg: string | undefined;
}

/** A Logger that keeps every entry, with the bindings of the child it was written through. */
export class RecordingLogger implements Logger {
  readonly debug: LogFn = this.recorder("debug");
  readonly info: LogFn = this.recorder("info");
  readonly warn: LogFn = this.recorder("warn");
  readonly error: LogFn = this.recorder("error");

  constructor(
    readonly entries: LogEntry[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.entries, { ...this.bindings, ...bindings });
  }

  private recorder(level: LogEntry["level"]): LogFn {
    return (objOrMsg: object | string, msg?: string): void => {
      const own = typeof objOrMsg === "string" ? {} : (objOrMsg as Record<string, unknown>);
      this.entries.push({
        level,
        fields: { ...this.bindings, ...own },
        msg: typeof objOrMsg === "string" ? objOrMsg : msg,
      });
    };
  }
}
