// Answers typed text (console, Slack, a clicked button) and shares a private answer into the channel, through execute().
import { markdownLiteral } from "../markdown.js";
import { replyFingerprint, withLeadLine, type Reply } from "../reply.js";
import { execute, newInvocationId } from "./dispatch.js";
import { CommandNames } from "./names.js";
import { cleanArgumentText, parseArguments, parseCommandLine } from "./parse.js";
import { commandsFor } from "./registry.js";
import type { Asker, CommandContext } from "./types.js";

export type { Asker } from "./types.js";

function namesOf(asker: Asker): CommandNames {
  return CommandNames.of(asker.terms?.commandNames);
}

/** "/who boehler" or "who boehler": parses and answers; never throws for anything the asker typed. */
export function answerCommandLine(
  line: string,
  asker: Asker,
  context: CommandContext,
  id = newInvocationId(),
): Promise<Reply> {
  const named =
    line
      .trim()
      .replace(/^\/+\s*/, "")
      .split(/\s/)[0] ?? "";
  const names = namesOf(asker);
  return execute(
    () => parseCommandLine(line, commandsFor(context.content), context.settings.maxInputLength, names),
    asker,
    id,
    named,
    context,
  );
}

/**
 * A slash command whose name the platform already knows (Slack's `/whois` with text "boehler").
 * An unknown name (a command removed from content after the app was set up) gets the same help as a typo.
 */
export function answerCommandText(
  command: string,
  text: string,
  asker: Asker,
  context: CommandContext,
  id = newInvocationId(),
): Promise<Reply> {
  const names = namesOf(asker);
  const spec = commandsFor(context.content).get(names.coreName(command.replace(/^\/+/, "").toLowerCase()));
  if (!spec) return answerCommandLine(`${command} ${text}`, asker, context, id);
  return execute(
    () => parseArguments(spec, cleanArgumentText(text, context.settings.maxInputLength), names),
    asker,
    id,
    spec.name,
    context,
  );
}

/**
 * The "Share in channel" click: asks `commandLine` again, for everyone, noting who shared it.
 * Errors (the story was withdrawn meanwhile, say) stay private to the person who clicked.
 */
export async function answerShared(
  commandLine: string,
  asker: Asker,
  context: CommandContext,
  id = newInvocationId(),
  seen?: string,
): Promise<Reply> {
  const shared = { ...context, settings: { ...context.settings, defaultVisibility: "shared" as const } };
  const reply = await answerCommandLine(commandLine, asker, shared, id);
  if (reply.tone !== "answer") return { ...reply, visibility: "private" };
  // Asked again, the answer is what was shown unless the content changed in between; then the channel gets the
  // current answer, and is told it is not what the sharer read.
  const changed = seen !== undefined && replyFingerprint(reply) !== seen;
  const current = changed
    ? withLeadLine(reply, `Updated since ${markdownLiteral(asker.user.name)} looked: this is the current answer.`)
    : reply;
  return {
    ...current,
    visibility: "shared",
    actions: reply.actions.filter((a) => a.kind !== "share"),
    sharedBy: asker.user.name,
  };
}
