// Button custom ids: the command line a button re-asks travels in the id itself, so a click needs no stored state.
import type { ReplyAction } from "../../core/reply.js";
import { DISCORD_LIMITS } from "./limits.js";

export type ButtonIntent = { kind: ReplyAction["kind"]; commandLine: string; seen?: string };

const PREFIX: Record<ReplyAction["kind"], string> = { share: "share:", run: "run:" };
/** A share that carries the fingerprint of the answer as shown: "share@<seen>:<command line>". */
const SHARE_SEEN = /^share@([0-9a-f]{1,16}):(.*)$/s;

/**
 * The custom id for an action, or undefined when its command line does not fit Discord's 100 characters: the
 * renderer then leaves the button out and reports the action in `dropped`, for the adapter to log. A share keeps the
 * answer's fingerprint when it fits beside the line; a long line goes without it (the share then cannot tell whether
 * the answer changed since) rather than lose its button.
 */
export function customIdFor(action: ReplyAction): string | undefined {
  if (action.commandLine.trim() === "") return undefined;
  if (action.kind === "share" && action.seen !== undefined) {
    const withSeen = `share@${action.seen}:${action.commandLine}`;
    if (withSeen.length <= DISCORD_LIMITS.customId) return withSeen;
  }
  const id = PREFIX[action.kind] + action.commandLine;
  return id.length <= DISCORD_LIMITS.customId ? id : undefined;
}

/** What a clicked button asks for; undefined for ids this bot never made (an older version's, say). */
export function parseCustomId(customId: string): ButtonIntent | undefined {
  const seen = SHARE_SEEN.exec(customId);
  if (seen) {
    const commandLine = (seen[2] ?? "").trim();
    return commandLine === "" ? undefined : { kind: "share", commandLine, seen: seen[1] ?? "" };
  }
  for (const kind of ["share", "run"] as const) {
    const prefix = PREFIX[kind];
    if (customId.startsWith(prefix)) {
      const commandLine = customId.slice(prefix.length).trim();
      return commandLine === "" ? undefined : { kind, commandLine };
    }
  }
  return undefined;
}
