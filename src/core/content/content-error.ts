// One content problem, located by file and field path, and how a list of them is printed.

export interface ContentError {
  /** Display path of the file, e.g. content/people/adam-boehler.md. */
  file: string;
  /** Field path inside the file, e.g. aliases[2] or claims[0].quote; empty for the file as a whole. */
  path: string;
  message: string;
}

export function formatContentError(error: ContentError): string {
  return error.path === "" ? `${error.file}: ${error.message}` : `${error.file}: ${error.path}: ${error.message}`;
}

/** The report printed by `content:check` and by the bot when it refuses to start. */
export function formatContentReport(errors: readonly ContentError[]): string {
  const heading = `Content is invalid: ${errors.length} problem${errors.length === 1 ? "" : "s"} found.`;
  return [heading, ...errors.map((e) => `  ${formatContentError(e)}`)].join("\n");
}

/** Renders a zod-style path such as ["claims", 0, "quote"] as claims[0].quote. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
