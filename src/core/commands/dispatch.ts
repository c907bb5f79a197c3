// Runs an Invocation: validates it against the command's spec, runs it, and turns every failure into a Reply.
import { randomBytes } from "node:crypto";
import { isUserError, UserError } from "../errors.js";
import type { Reply } from "../reply.js";
import { cleanArgumentText } from "./parse.js";
import { commandsFor } from "./registry.js";
import type { CommandContext, CommandSpec, Invocation, ReplyDraft } from "./types.js";

/** A short id to tie a log line to what the asker saw. */
export function newInvocationId(): string {
  return randomBytes(4).toString("hex");
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
  const spec = commandsFor(context.content).get(invocation.command);
  if (!spec) {
    const guess = commandsFor(context.content).nearest(invocation.command);
    throw new UserError("unknown-command", `I don't know the command “/${invocation.command}”.`, {
      hint: guess ? `Did you mean /${guess}? See /help for everything I answer.` : "See /help for everything I answer.",
      suggestions: guess ? [{ label: `/${guess}`, commandLine: `/${guess}` }] : [],
    });
  }
  let options = spec.options;
  let subcommand = invocation.subcommand;
  if (spec.subcommands.length > 0) {
    const sub = spec.subcommands.find((s) => s.name === (invocation.subcommand ?? spec.defaultSubcommand));
    if (!sub) {
      throw new UserError("unknown-subcommand", `/${spec.name} has no “${invocation.subcommand ?? ""}”.`, {
        hint: `Try one of: ${spec.subcommands.map((s) => `/${spec.name} ${s.name}`).join(", ")}.`,
      });
    }
    options = sub.options;
    subcommand = sub.name;
  }
  const cleaned: Record<string, string> = {};
  for (const option of options) {
    const raw = invocation.options[option.name];
    const value = raw === undefined ? "" : cleanArgumentText(raw, context.settings.maxInputLength);
    if (value !== "") cleaned[option.name] = value;
    else if (option.required) {
      const usage = [`/${spec.name}`, subcommand, `<${option.name}>`].filter(Boolean).join(" ");
      throw new UserError("missing-option", `/${spec.name} needs a ${option.name}.`, { hint: `Ask like this: ${usage}` });
    }
  }
  return { spec, invocation: { ...invocation, subcommand, options: cleaned } };
}

function finish(draft: ReplyDraft, context: CommandContext): Reply {
  if (draft.tone !== "answer") return { ...draft, visibility: "private" };
  const visibility = context.settings.defaultVisibility;
  const actions = visibility === "private" ? [...draft.actions, { kind: "share" as const, label: "Share in channel" }] : draft.actions;
  return { ...draft, visibility, actions };
}

/** Never throws: a UserError becomes a private explanation, anything else a logged apology with an id. */
export async function dispatch(invocation: Invocation, context: CommandContext): Promise<Reply> {
  const log = context.logger.child({ invocation: invocation.id, platform: invocation.platform, command: invocation.command });
  const started = performance.now();
  try {
    const checked = validate(invocation, context);
    const reply = finish(await checked.spec.run(checked.invocation, context), context);
    log.info({ subcommand: invocation.subcommand, outcome: "answered", ms: Math.round(performance.now() - started) }, "command answered");
    return reply;
  } catch (error) {
    if (isUserError(error)) {
      log.info({ subcommand: invocation.subcommand, outcome: "user-error", code: error.code, options: invocation.options }, error.message);
      return userErrorReply(error);
    }
    log.error({ err: error, subcommand: invocation.subcommand, outcome: "failed" }, "command failed");
    return apologyReply(invocation.id);
  }
}
