// Removes tokens and secrets from free-text log messages that client libraries write, where pino's redact paths cannot reach.

const TOKEN_PATTERNS: readonly RegExp[] = [
  // Slack bot, user, app-level and refresh tokens.
  /\bxox[abeoprs]-[A-Za-z0-9-]+/g,
  /\bxapp-[A-Za-z0-9-]+/g,
  // A Socket Mode WebSocket URL carries a one-time ticket that opens a session.
  /(ticket=)[^&\s"']+/g,
  // "Bot <token>" / "Bearer <token>" headers quoted in debug output.
  /((?:Bot|Bearer)\s+)[A-Za-z0-9._~+/=-]{16,}/g,
];

/** Returns a function that blanks every known secret value and every token-shaped string in a message. */
export function secretScrubber(secrets: readonly (string | undefined)[]): (text: string) => string {
  // Longest first, so a secret that contains another is blanked whole.
  const exact = secrets
    .filter((s): s is string => s !== undefined && s.length >= 6)
    .sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    for (const secret of exact) out = out.split(secret).join("[redacted]");
    for (const pattern of TOKEN_PATTERNS) {
      out = out.replace(pattern, (match, prefix: unknown) =>
        typeof prefix === "string" && match.startsWith(prefix) ? `${prefix}[redacted]` : "[redacted]",
      );
    }
    return out;
  };
}

/** Turns a library's log arguments (strings, errors, objects) into one scrubbed line. */
export function scrubbedLine(parts: readonly unknown[], scrub: (text: string) => string): string {
  return scrub(
    parts
      .map((part) => {
        if (typeof part === "string") return part;
        if (part instanceof Error) return `${part.name}: ${part.message}`;
        try {
          return JSON.stringify(part);
        } catch {
          return String(part);
        }
      })
      .join(" "),
  );
}
