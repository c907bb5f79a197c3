// Reads a Dockerfile and a .dockerignore the way Docker does, as far as test/dockerfile needs to follow them without Docker.

export interface Instruction {
  /** Upper-cased: FROM, RUN, COPY, … */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** 1-based line the instruction starts on, for messages. */
  line: number;
}

export interface Stage {
  /** The image reference after FROM, e.g. node:20.20.2-bookworm-slim. */
  image: string;
  /** The name after AS, when there is one. */
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions: comments dropped, `\` continuations joined, keywords upper-cased. */
export function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    // Docker drops comment lines even in the middle of a continued instruction; parser directives are comments too.
    if (trimmed.startsWith("#") || (trimmed === "" && pending === undefined)) return;
    const continued = trimmed.endsWith("\\");
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    if (part !== "") pending.parts.push(part);
    if (continued) return;
    const joined = pending.parts.join(" ");
    const match = /^(\S+)\s*(.*)$/s.exec(joined);
    if (match) instructions.push({ keyword: (match[1] ?? "").toUpperCase(), args: match[2] ?? "", line: pending.line });
    pending = undefined;
  });
  if (pending !== undefined) throw new Error(`line ${pending.line}: the file ends inside a continued instruction`);

  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const { flags, rest } = splitFlags(instruction.args);
      if (Object.keys(flags).length > 0) throw new Error(`line ${instruction.line}: FROM flags are not supported here`);
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ image: from[1] ?? "", name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
    stage.instructions.push(instruction);
  }
  return stages;
}

/** Leading `--name=value` options (COPY --from, HEALTHCHECK --interval, …) and what follows them. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args.trim();
  for (let match = /^--([a-z-]+)=(\S*)\s*/.exec(rest); match; match = /^--([a-z-]+)=(\S*)\s*/.exec(rest)) {
    flags[match[1] ?? ""] = match[2] ?? "";
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** The JSON array of an exec-form CMD, HEALTHCHECK CMD or VOLUME, or undefined for shell form (which Docker runs through /bin/sh). */
export function execForm(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith("[")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    // Docker silently treats malformed JSON as shell form, which is exactly the mistake a test should catch.
    return undefined;
  }
  return Array.isArray(parsed) && parsed.every((item): item is string => typeof item === "string") ? parsed : undefined;
}

/** The variables of one ENV instruction: `KEY=value KEY2="a b"`, or the legacy `KEY value`. */
export function parseEnv(args: string): Record<string, string> {
  const text = args.trim();
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=]*)$/.exec(text);
  if (legacy) return { [legacy[1] ?? ""]: legacy[2] ?? "" };
  const env: Record<string, string> = {};
  // Sticky: each pair must start where the previous one ended, so anything unreadable stops the loop with an error.
  const pair = /\s*([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s"']*)/y;
  while (pair.lastIndex < text.length) {
    const match = pair.exec(text);
    if (!match) throw new Error(`cannot read ENV ${args}`);
    const value = match[2] ?? "";
    env[match[1] ?? ""] = value.startsWith('"')
      ? value.slice(1, -1).replace(/\\(.)/g, "$1")
      : value.startsWith("'")
        ? value.slice(1, -1)
        : value;
  }
  return env;
}

/** A HEALTHCHECK instruction: its options and the command, or "NONE". */
export function parseHealthcheck(
  args: string,
): { options: Record<string, string>; command: string[] | undefined; shellForm: boolean } | "NONE" {
  if (args.trim().toUpperCase() === "NONE") return "NONE";
  const { flags, rest } = splitFlags(args);
  const cmd = /^CMD\s+(.*)$/is.exec(rest);
  if (!cmd) throw new Error(`cannot read HEALTHCHECK ${args}`);
  const command = execForm(cmd[1] ?? "");
  return { options: flags, command, shellForm: command === undefined };
}

/** A COPY source's file name with `*` and `?` wildcards (Go's filepath.Match, as Docker uses), as a regular expression. */
export function wildcardRegExp(name: string): RegExp {
  if (/[[\\]/.test(name)) throw new Error(`${name}: character classes and escapes are not supported by this reader`);
  return new RegExp(
    `^${name
      .replace(/[.+^${}()|\]]/g, "\\$&")
      .replace(/\*/g, "[^/]*")
      .replace(/\?/g, "[^/]")}$`,
  );
}

export interface ImageReference {
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits `name[:tag][@sha256:…]`; a registry host with a port (`host:5000/name`) is part of the repository. */
export function parseImage(reference: string): ImageReference {
  const [nameAndTag = "", digest] = reference.split("@");
  const slash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > slash;
  return {
    repository: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    tag: hasTag ? nameAndTag.slice(colon + 1) : undefined,
    digest,
  };
}

/** A .dockerignore pattern as a regular expression over a slash-separated path relative to the build context. */
function patternRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (pattern.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (pattern.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[" || char === "\\") {
      throw new Error(
        `.dockerignore pattern ${pattern}: character classes and escapes are not supported by this reader`,
      );
    } else {
      source += char.replace(/[.+^${}()|\]]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

export interface DockerIgnore {
  /** True when Docker leaves this context-relative path (slash-separated) out of the build context. */
  ignores(relativePath: string): boolean;
  /** True when some `!` exception could bring back a path under this directory, so it must still be walked. */
  mayReinclude(relativeDir: string): boolean;
}

/**
 * Docker's rules: patterns are matched against the whole path from the context root (so `node_modules` is only the
 * top one; a leading `**` and slash reach any depth), a path is also left out when a parent directory matches, `!`
 * makes an exception, and the last matching line wins.
 */
export function parseDockerignore(text: string): DockerIgnore {
  const rules = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const exception = line.startsWith("!");
      const pattern = (exception ? line.slice(1) : line)
        .trim()
        .replace(/^\/+/, "")
        .replace(/\/+$/, "")
        .replace(/^\.\//, "");
      return { exception, pattern, regexp: patternRegExp(pattern) };
    });
  const matches = (regexp: RegExp, relativePath: string): boolean => {
    const parts = relativePath.split("/");
    return parts.some((_, i) => regexp.test(parts.slice(0, i + 1).join("/")));
  };
  return {
    ignores(relativePath) {
      let ignored = false;
      for (const rule of rules) if (matches(rule.regexp, relativePath)) ignored = !rule.exception;
      return ignored;
    },
    mayReinclude(relativeDir) {
      return rules.some(
        (rule) => rule.exception && (rule.pattern.startsWith("*") || rule.pattern.startsWith(`${relativeDir}/`)),
      );
    },
  };
}
