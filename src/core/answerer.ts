// The one way into the core for every adapter: built once per process, it answers, shares and completes commands.
import { answerCommandLine, answerCommandText, answerShared } from "./commands/answer-line.js";
import { apologyReply, dispatch, newInvocationId } from "./commands/dispatch.js";
import { CommandNames } from "./commands/names.js";
import { exampleWhoQuery } from "./commands/examples.js";
import { commandsFor } from "./commands/registry.js";
import type {
  AnswerSettings,
  Asker,
  CommandContext,
  CommandOutcome,
  CommandSpec,
  Completion,
  Invocation,
  Permission,
} from "./commands/types.js";
import type { ContentIndex } from "./content/model.js";
import type { DigestBook, DigestSettings } from "./digest/types.js";
import type { Logger } from "./logger.js";
import type { Reply, Visibility } from "./reply.js";

export interface AnswererDependencies {
  /** The current content; read on every command, so a reload is picked up without reconnecting. */
  content: () => ContentIndex;
  settings: AnswerSettings;
  logger: Logger;
  /** Told about every command's outcome (metrics); must not throw. */
  observe?: (outcome: CommandOutcome) => void;
  /** Subscriptions for /digest; absent, /digest says digests are not set up. */
  digests?: { book: DigestBook; settings: DigestSettings };
  /** The clock, injectable for tests. */
  now?: () => Date;
}

export interface AskOptions {
  /** The invocation id the adapter already logged; a new one when unset. */
  id?: string;
  /** Overrides the configured default: a one-click follow-up is a private question. */
  visibility?: Visibility;
}

/** A command as a platform registers it: names, options and which permission hides it by default. */
export interface CommandDeclaration {
  spec: CommandSpec;
  /** Permissions any of its subcommands requires (Discord hides such a command from members without them). */
  requires: Permission[];
}

export class Answerer {
  constructor(private readonly deps: AnswererDependencies) {}

  get settings(): AnswerSettings {
    return this.deps.settings;
  }

  /** The content answers come from now. */
  content(): ContentIndex {
    return this.deps.content();
  }

  newId(): string {
    return newInvocationId();
  }

  /** A command the platform already parsed into its parts (a Discord slash command). */
  answer(invocation: Invocation): Promise<Reply> {
    return dispatch(invocation, this.context());
  }

  /** A slash command the platform names, with the rest as typed (Slack's `/whois` and "boehler"). */
  answerText(command: string, text: string, asker: Asker, options: AskOptions = {}): Promise<Reply> {
    return answerCommandText(command, text, asker, this.context(options.visibility), options.id ?? newInvocationId());
  }

  /** A whole typed line (the console, a clicked "did you mean" button). */
  answerLine(line: string, asker: Asker, options: AskOptions = {}): Promise<Reply> {
    return answerCommandLine(line, asker, this.context(options.visibility), options.id ?? newInvocationId());
  }

  /**
   * "Share in channel": asks the line again for everyone, naming who shared it; errors stay private. `seen` is the
   * share action's fingerprint of the answer as shown: if the answer has changed since, the shared one says so.
   */
  share(line: string, asker: Asker, options: AskOptions & { seen?: string | undefined } = {}): Promise<Reply> {
    return answerShared(line, asker, this.context(), options.id ?? newInvocationId(), options.seen);
  }

  /**
   * Autocomplete: up to `limit` completions for an option as typed so far; none for an option the core does not
   * complete. `command` may be the platform's name for it (`whois`).
   */
  complete(
    request: {
      command: string;
      subcommand?: string | undefined;
      option: string;
      partial: string;
      terms?: Asker["terms"];
    },
    limit: number,
  ): Completion[] {
    const content = this.deps.content();
    const names = CommandNames.of(request.terms?.commandNames);
    const spec = commandsFor(content).get(names.coreName(request.command));
    if (spec === undefined) return [];
    const options = request.subcommand
      ? (spec.subcommands.find((s) => s.name === request.subcommand)?.options ?? [])
      : spec.options;
    const option = options.find((o) => o.name === request.option);
    if (option?.complete === undefined) return [];
    return option.complete(request.partial.slice(0, this.deps.settings.maxInputLength), content, limit);
  }

  /** Every command the core answers for the current content, for platforms that register commands ahead. */
  /**
   * Builds what answers read from `content` beyond the index (the command registry, the /who lookup), so the first
   * command after a start or a switch of content is as quick as the rest; called before the content is served.
   */
  prepare(content: ContentIndex): void {
    exampleWhoQuery(content);
    commandsFor(content);
  }

  declarations(content: ContentIndex = this.deps.content()): CommandDeclaration[] {
    return declarationsFor(content);
  }

  /** The apology for a failure outside the core (a platform call that threw), quoting `id`. */
  apology(id: string): Reply {
    return apologyReply(id);
  }

  private context(visibility?: Visibility): CommandContext {
    const { content, settings, logger, observe, digests, now } = this.deps;
    return {
      content: content(),
      settings: visibility === undefined ? settings : { ...settings, defaultVisibility: visibility },
      logger,
      ...(observe && { observe }),
      ...(digests && { digests }),
      ...(now && { now }),
    };
  }
}

/** The commands for `content` with what each requires: Discord's deploy reads these without a running bot. */
export function declarationsFor(content: ContentIndex): CommandDeclaration[] {
  return commandsFor(content).commands.map((spec) => ({
    spec,
    requires: [...new Set(spec.subcommands.flatMap((s) => (s.requires ? [s.requires.permission] : [])))],
  }));
}
