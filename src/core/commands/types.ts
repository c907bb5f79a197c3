// The command port: what an adapter hands the core (Invocation) and what a command declares (CommandSpec).
import type { ContentIndex } from "../content/model.js";
import type { Logger } from "../logger.js";
import type { DigestBook, DigestSettings } from "../digest/types.js";
import type { Reply, Visibility } from "../reply.js";

/** "discord:<guild>:<channel>", "slack:<team>:<channel>", "console:local": the store never needs platform types. */
export type ChannelRef = string;

export interface Invocation {
  /** Short random id, logged with everything this invocation does and quoted in apologies. */
  id: string;
  command: string;
  subcommand?: string;
  /** Option values by option name, already cleaned of invisible characters. */
  options: Record<string, string>;
  user: { id: string; name: string };
  channel: ChannelRef;
  platform: string;
  /**
   * Whether the asker may change this channel's digest subscription, as the adapter established it (Discord:
   * Manage Channels; Slack: workspace admin or owner, or listed in config; console: always). Unset means no.
   */
  mayManageChannel?: boolean;
}

export interface OptionSpec {
  name: string;
  description: string;
  required: boolean;
  /** Offer completions while typing (Discord autocomplete); `complete` supplies them. */
  autocomplete?: boolean;
  /** Up to `limit` completions for what has been typed so far, best first. */
  complete?: (partial: string, content: ContentIndex, limit: number) => Completion[];
}

/** One autocomplete choice: `name` is shown, `value` is what the option receives. */
export interface Completion {
  name: string;
  value: string;
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
}

export interface AnswerSettings {
  /** IANA zone that times in answers are shown in. */
  timeZone: string;
  /** Whether answers go only to the asker (with a share button) or to the whole channel. */
  defaultVisibility: Visibility;
  /** Longest accepted input, in characters, after cleaning. */
  maxInputLength: number;
}

/** What became of one command, for metrics; `command` is a known command's name or "unknown". */
export interface CommandOutcome {
  command: string;
  platform: string;
  outcome: "answered" | "user-error" | "failed";
  seconds: number;
}

export interface CommandContext {
  content: ContentIndex;
  settings: AnswerSettings;
  logger: Logger;
  /** Told about every command once it has an answer; must not throw. */
  observe?: (outcome: CommandOutcome) => void;
  /** Subscriptions for /digest; without it /digest explains that digests are not set up here. */
  digests?: { book: DigestBook; settings: DigestSettings };
  /** The clock, injectable for tests; defaults to Date.now. */
  now?: () => Date;
}

/**
 * What a handler returns; the dispatcher decides visibility and adds the share action, unless the handler
 * insists on "private" (a preview of what would be posted is for the asker's eyes only).
 */
export type ReplyDraft = Omit<Reply, "visibility"> & { visibility?: "private" };

export interface CommandSpec {
  name: string;
  description: string;
  /** Empty when the command takes options directly. */
  subcommands: SubcommandSpec[];
  /** What a bare "/hostages" means on text platforms (Discord always sends a subcommand). */
  defaultSubcommand?: string;
  options: OptionSpec[];
  /** Full command lines worth trying, shown by /help. */
  examples?: string[];
  /** On Discord, only members with this permission see the command by default (checked again at run time). */
  defaultMemberPermission?: "manage-channels";
  run(invocation: Invocation, context: CommandContext): ReplyDraft | Promise<ReplyDraft>;
}
