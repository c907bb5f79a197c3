// Answers a typed command line (console, Slack text, a clicked button) and shares a private answer into the channel.
import { isUserError } from "../errors.js";
import type { Reply } from "../reply.js";
import { dispatch, newInvocationId, userErrorReply } from "./dispatch.js";
import { cleanArgumentText, parseArguments, parseCommandLine, type ParsedCommand } from "./parse.js";
import { commandsFor } from "./registry.js";
import type { ChannelRef, CommandContext, Invocation } from "./types.js";

/** Who asks and where: everything about an invocation that the platform, not the text, supplies. */
export interface Asker {
  user: { id: string; name: string };
  channel: ChannelRef;
  platform: string;
  /** See Invocation.mayManageChannel. */
  mayManageChannel?: boolean;
}

/** The command a line names, if it is one we answer: a metrics label must not be whatever was typed. */
function knownCommand(name: string, context: CommandContext): string {
  const normalised = name.replace(/^\/+/, "").toLowerCase();
  return commandsFor(context.content).get(normalised) ? normalised : "unknown";
}

async function answerParsed(parse: () => ParsedCommand, asker: Asker, context: CommandContext, id: string, named: string): Promise<Reply> {
  const started = performance.now();
  let parsed: ParsedCommand;
  try {
    parsed = parse();
  } catch (error) {
    if (!isUserError(error)) throw error;
    context.logger.info({ invocation: id, platform: asker.platform, outcome: "user-error", code: error.code }, error.message);
    context.observe?.({ command: knownCommand(named, context), platform: asker.platform, outcome: "user-error", seconds: (performance.now() - started) / 1000 });
    return userErrorReply(error);
  }
  const invocation: Invocation = { id, ...parsed, ...asker };
  return dispatch(invocation, context);
}

/** "/who boehler" or "who boehler": parses and answers; never throws for anything the asker typed. */
export function answerCommandLine(line: string, asker: Asker, context: CommandContext, id = newInvocationId()): Promise<Reply> {
  const named = line.trim().replace(/^\/+\s*/, "").split(/\s/)[0] ?? "";
  return answerParsed(() => parseCommandLine(line, commandsFor(context.content), context.settings.maxInputLength), asker, context, id, named);
}

/**
 * A slash command whose name the platform already knows (Slack's `/who` with text "boehler").
 * An unknown name (a command removed from content after the app was set up) gets the same help as a typo.
 */
export function answerCommandText(command: string, text: string, asker: Asker, context: CommandContext, id = newInvocationId()): Promise<Reply> {
  const spec = commandsFor(context.content).get(command.replace(/^\/+/, "").toLowerCase());
  if (!spec) return answerCommandLine(command, asker, context, id);
  return answerParsed(() => parseArguments(spec, cleanArgumentText(text, context.settings.maxInputLength)), asker, context, id, spec.name);
}

/**
 * The "Share in channel" click: asks `commandLine` again, for everyone, noting who shared it.
 * Errors (the story was withdrawn meanwhile, say) stay private to the person who clicked.
 */
export async function answerShared(commandLine: string, asker: Asker, context: CommandContext, id = newInvocationId()): Promise<Reply> {
  const shared = { ...context, settings: { ...context.settings, defaultVisibility: "shared" as const } };
  const reply = await answerCommandLine(commandLine, asker, shared, id);
  if (reply.tone !== "answer") return { ...reply, visibility: "private" };
  return { ...reply, visibility: "shared", actions: reply.actions.filter((a) => a.kind !== "share"), sharedBy: asker.user.name };
}
