// UserError: a problem the asker can fix, shown to them; anything else is logged and apologised for.

export type UserErrorCode =
  | "empty-input"
  | "input-too-long"
  | "unknown-command"
  | "unknown-subcommand"
  | "missing-option"
  | "too-many-arguments"
  | "unknown-name"
  | "not-allowed"
  | "invalid-option";

export interface UserErrorDetails {
  /** What to try instead, in a sentence. */
  hint?: string;
  /** Commands the asker may run next (e.g. "did you mean"), as full command lines. */
  suggestions?: { label: string; commandLine: string }[];
}

export class UserError extends Error {
  override readonly name = "UserError";
  readonly hint: string | undefined;
  readonly suggestions: { label: string; commandLine: string }[];

  constructor(
    readonly code: UserErrorCode,
    message: string,
    details: UserErrorDetails = {},
  ) {
    super(message);
    this.hint = details.hint;
    this.suggestions = details.suggestions ?? [];
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** The message of anything thrown, for a line an operator reads. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
