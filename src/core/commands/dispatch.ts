// Runs a command request: parses or validates it against the command's spec, checks what it requires, runs it, and turns every failure into a Reply.
import { randomUUID } from "node:crypto";
import { isUserError, type UserError } from "../errors.js";
import { replyFingerprint, withLeadLine, type Reply } from "../reply.js";
import { CommandNames } from "./names.js";
import { cleanArgumentText, missingOption, unknownCommand, unknownSubcommand } from "./parse.js";
import { checkRequirement } from "./permissions.js";
import { commandsFor } from "./registry.js";
import type {
  Asker,
  CommandContext,
  CommandOutcome,
  CommandRequest,
  CommandSpec,
  Invocation,
  ReplyDraft,
  Requirement,
} from "./types.js";

/** A short id to tie a log line to what the asker saw. */
export function newInvocationId(): string {
  // randomUUID draws from a pooled buffer; randomBytes asked the system for entropy on every command. A v4 UUID's
  // first eight hex digits are all random.
  return randomUUID().slice(0, 8);
}

export function userErrorReply(error: UserError): Reply {
  return {
    tone: "error",
    title: error.message,
    lead: error.hint,
    sections: [],
    sources: [],
    visibility: "private",
    actions: error.suggestions.map((s) => ({ kind: "run", label: s.label, commandLine: s.commandLine })),
  };
}

export function apologyReply(invocationId: string): Reply {
  return {
    tone: "error",
    title: "Sorry, something went wrong on our side.",
    lead: `Please try again in a moment. If it keeps happening, tell the bot's operators and quote error id ${invocationId}.`,
    sections: [],
    sources: [],
    visibility: "private",
    actions: [],
  };
}

/** The words asked after the command, for a "did you mean" that asks the same: "/whoo boehler" -> "boehler". */
function argumentsOf(request: CommandRequest): string {
  return [request.subcommand, ...Object.values(request.options)]
    .map((w) => w?.replace(/\s+/g, " ").trim() ?? "")
    .filter((w) => w !== "")
    .join(" ");
}

interface Checked {
  spec: CommandSpec;
  request: CommandRequest;
  requires?: Requirement;
}

/** Checks a request against the spec, so every platform gets the same errors; returns cleaned options. */
function validate(request: CommandRequest, context: CommandContext): Checked {
  const names = context.names ?? CommandNames.core;
  const registry = commandsFor(context.content);
  const spec = registry.get(request.command);
  if (!spec) throw unknownCommand(registry, request.command, names, argumentsOf(request));
  let options = spec.options;
  let subcommand = request.subcommand;
  let requires: Requirement | undefined;
  if (spec.subcommands.length > 0) {
    const sub = spec.subcommands.find((s) => s.name === (request.subcommand ?? spec.defaultSubcommand));
    if (!sub) throw unknownSubcommand(spec, request.subcommand, names);
    options = sub.options;
    subcommand = sub.name;
    requires = sub.requires;
  }
  const cleaned: Record<string, string> = {};
  for (const option of options) {
    const raw = request.options[option.name];
    const value = raw === undefined ? "" : cleanArgumentText(raw, context.settings.maxInputLength);
    if (value !== "") cleaned[option.name] = value;
    else if (option.required) throw missingOption(spec, subcommand, option, names);
  }
  return { spec, request: { command: spec.name, subcommand, options: cleaned }, ...(requires && { requires }) };
}

/** The command line that asks for `invocation` again: options in the spec's positional order, the last taking the rest. */
export function commandLineOf(spec: CommandSpec, request: CommandRequest): string {
  const options = request.subcommand
    ? (spec.subcommands.find((s) => s.name === request.subcommand)?.options ?? [])
    : spec.options;
  const values = options.map((o) => request.options[o.name]).filter((v): v is string => v !== undefined);
  return ["/" + spec.name, request.subcommand, ...values].filter(Boolean).join(" ");
}

function finish(draft: ReplyDraft, spec: CommandSpec, request: CommandRequest, context: CommandContext): Reply {
  if (draft.tone !== "answer" || draft.visibility === "private") return { ...draft, visibility: "private" };
  const visibility = context.settings.defaultVisibility;
  const share = {
    kind: "share" as const,
    label: "Share in channel",
    commandLine: commandLineOf(spec, request),
    seen: replyFingerprint(draft),
  };
  return { ...draft, visibility, actions: visibility === "private" ? [...draft.actions, share] : draft.actions };
}

/**
 * One line saying which subcommand a typed prefix was taken for ("Showing /hostages timeline"), so a reader who
 * meant another knows at once. Added after finish(): a shared answer is asked by its full line, without the line.
 */
function sayWhatWasShown(reply: Reply, checked: Checked, context: CommandContext): Reply {
  const names = context.names ?? CommandNames.core;
  return withLeadLine(reply, `Showing ${names.slash(checked.spec.name)} ${checked.request.subcommand ?? ""}`.trim());
}

/** The command a name means, if it is one we answer: a metrics label must not be whatever was typed. */
function knownCommand(name: string, context: CommandContext): string {
  const typed = name.replace(/^\/+/, "").toLowerCase();
  const core = (context.names ?? CommandNames.core).coreName(typed);
  return commandsFor(context.content).get(core) ? core : "unknown";
}

/**
 * The one way a command runs, whatever the platform and however it was asked: `request` parses typed text or hands
 * over what the platform parsed; `named` is the command as asked, for the metric when parsing fails. One log line and
 * one outcome per command. Never throws: a UserError becomes a private explanation, anything else a logged apology.
 */
export async function execute(
  request: () => CommandRequest,
  asker: Asker,
  id: string,
  named: string,
  given: CommandContext,
): Promise<Reply> {
  const started = performance.now();
  const context = given.names ? given : { ...given, names: CommandNames.of(asker.terms?.commandNames) };
  let asked: CommandRequest | undefined;
  // Fields rather than a child logger: a child per command cost more than the line it wrote.
  const about = () => ({
    invocation: id,
    platform: asker.platform,
    command: asked?.command ?? named,
    subcommand: asked?.subcommand,
  });
  const observe = (outcome: CommandOutcome["outcome"]) =>
    context.observe?.({
      command: knownCommand(asked?.command ?? named, context),
      platform: asker.platform,
      outcome,
      seconds: (performance.now() - started) / 1000,
    });
  try {
    asked = request();
    const checked = validate(asked, context);
    const invocation: Invocation = { id, ...asker, ...checked.request };
    if (checked.requires) await checkRequirement(checked.requires, invocation);
    const finished = finish(await checked.spec.run(invocation, context), checked.spec, checked.request, context);
    const reply = asked.subcommandPrefix === undefined ? finished : sayWhatWasShown(finished, checked, context);
    context.logger.info(
      { ...about(), outcome: "answered", ms: Math.round(performance.now() - started) },
      "command answered",
    );
    observe("answered");
    return reply;
  } catch (error) {
    if (isUserError(error)) {
      context.logger.info(
        { ...about(), outcome: "user-error", code: error.code, ...(asked && { options: asked.options }) },
        error.message,
      );
      observe("user-error");
      return userErrorReply(error);
    }
    context.logger.error({ ...about(), err: error, outcome: "failed" }, "command failed");
    observe("failed");
    return apologyReply(id);
  }
}

/** Runs an Invocation the platform already parsed (a Discord slash command). */
export function dispatch(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const { id, command, subcommand, options, ...asker } = invocation;
  return execute(
    () => ({ command, options, ...(subcommand !== undefined && { subcommand }) }),
    asker,
    id,
    command,
    context,
  );
}
