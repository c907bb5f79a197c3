// Runs an Invocation: validates it against the command's spec, runs it, and turns every failure into a Reply.
import { randomUUID } from "node:crypto";
import { isUserError, type UserError } from "../errors.js";
import type { Reply } from "../reply.js";
import { cleanArgumentText, missingOption, unknownCommand, unknownSubcommand } from "./parse.js";
import { commandsFor } from "./registry.js";
import type { CommandContext, CommandOutcome, CommandSpec, Invocation, ReplyDraft } from "./types.js";

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

/** Checks what the adapter parsed against the spec, so every platform gets the same errors; returns cleaned options. */
function validate(invocation: Invocation, context: CommandContext): { spec: CommandSpec; invocation: Invocation } {
  const registry = commandsFor(context.content);
  const spec = registry.get(invocation.command);
  if (!spec) throw unknownCommand(registry, invocation.command);
  let options = spec.options;
  let subcommand = invocation.subcommand;
  if (spec.subcommands.length > 0) {
    const sub = spec.subcommands.find((s) => s.name === (invocation.subcommand ?? spec.defaultSubcommand));
    if (!sub) throw unknownSubcommand(spec, invocation.subcommand);
    options = sub.options;
    subcommand = sub.name;
  }
  const cleaned: Record<string, string> = {};
  for (const option of options) {
    const raw = invocation.options[option.name];
    const value = raw === undefined ? "" : cleanArgumentText(raw, context.settings.maxInputLength);
    if (value !== "") cleaned[option.name] = value;
    else if (option.required) throw missingOption(spec, subcommand, option);
  }
  return { spec, invocation: { ...invocation, subcommand, options: cleaned } };
}

/** The command line that asks for `invocation` again: options in the spec's positional order, the last taking the rest. */
export function commandLineOf(spec: CommandSpec, invocation: Invocation): string {
  const options = invocation.subcommand ? (spec.subcommands.find((s) => s.name === invocation.subcommand)?.options ?? []) : spec.options;
  const values = options.map((o) => invocation.options[o.name]).filter((v): v is string => v !== undefined);
  return ["/" + spec.name, invocation.subcommand, ...values].filter(Boolean).join(" ");
}

function finish(draft: ReplyDraft, spec: CommandSpec, invocation: Invocation, context: CommandContext): Reply {
  if (draft.tone !== "answer" || draft.visibility === "private") return { ...draft, visibility: "private" };
  const visibility = context.settings.defaultVisibility;
  const share = { kind: "share" as const, label: "Share in channel", commandLine: commandLineOf(spec, invocation) };
  return { ...draft, visibility, actions: visibility === "private" ? [...draft.actions, share] : draft.actions };
}

/** Never throws: a UserError becomes a private explanation, anything else a logged apology with an id. */
export async function dispatch(invocation: Invocation, context: CommandContext): Promise<Reply> {
  // Fields rather than a child logger: a child per command cost more than the line it wrote.
  const about = { invocation: invocation.id, platform: invocation.platform, command: invocation.command, subcommand: invocation.subcommand };
  const started = performance.now();
  // Metrics label only commands that exist, so typed nonsense cannot grow the label set.
  const known = commandsFor(context.content).get(invocation.command) ? invocation.command : "unknown";
  const observe = (outcome: CommandOutcome["outcome"]) =>
    context.observe?.({ command: known, platform: invocation.platform, outcome, seconds: (performance.now() - started) / 1000 });
  try {
    const checked = validate(invocation, context);
    const reply = finish(await checked.spec.run(checked.invocation, context), checked.spec, checked.invocation, context);
    context.logger.info({ ...about, outcome: "answered", ms: Math.round(performance.now() - started) }, "command answered");
    observe("answered");
    return reply;
  } catch (error) {
    if (isUserError(error)) {
      context.logger.info({ ...about, outcome: "user-error", code: error.code, options: invocation.options }, error.message);
      observe("user-error");
      return userErrorReply(error);
    }
    context.logger.error({ ...about, err: error, outcome: "failed" }, "command failed");
    observe("failed");
    return apologyReply(invocation.id);
  }
}
