// Button custom ids: the command line a button re-asks travels in the id itself, so a click needs no stored state.
import type { ReplyAction } from "../../core/reply.js";
import { DISCORD_LIMITS } from "./limits.js";

export type ButtonIntent = { kind: ReplyAction["kind"]; commandLine: string };

const PREFIX: Record<ReplyAction["kind"], string> = { share: "share:", run: "run:" };

/**
 * The custom id for an action, or undefined when its command line does not fit Discord's 100 characters: the
 * renderer then leaves the button out and reports the action in `dropped`, for the adapter to log.
 */
export function customIdFor(action: ReplyAction): string | undefined {
  const id = PREFIX[action.kind] + action.commandLine;
  return id.length <= DISCORD_LIMITS.customId && action.commandLine.trim() !== "" ? id : undefined;
}

/** What a clicked button asks for; undefined for ids this bot never made (an older version's, say). */
export function parseCustomId(customId: string): ButtonIntent | undefined {
  for (const kind of ["share", "run"] as const) {
    const prefix = PREFIX[kind];
    if (customId.startsWith(prefix)) {
      const commandLine = customId.slice(prefix.length).trim();
      return commandLine === "" ? undefined : { kind, commandLine };
    }
  }
  return undefined;
}
