// Reading settings from environment variables: blank means unset, and URLs are checked without echoing values.

export function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === "" ? undefined : raw;
}

export function httpUrl(raw: string | undefined, name: string, errors: string[]): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch {
    // reported below
  }
  errors.push(`${name}: must be an http:// or https:// URL`);
  return undefined;
}
