// The command port: who asks and what (Asker, Invocation), and what a command declares (CommandSpec).
import type { ChannelRef } from "../channel-ref.js";
import type { ContentIndex } from "../content/model.js";
import type { Logger } from "../logger.js";
import type { DigestBook, DigestSettings } from "../digest/types.js";
import type { Reply, Visibility } from "../reply.js";
import type { CommandNames } from "./names.js";

export type { ChannelRef } from "../channel-ref.js";

/** What a subcommand may require of the asker; each platform's adapter decides who holds it. */
export type Permission = "manage-channel";

/** The asker's permissions where they ask, as the platform knows them; asked only when a subcommand requires one. */
export interface Authority {
  has(permission: Permission): boolean | Promise<boolean>;
}

/** How a platform words things the core writes: command names it knows them by, and who holds each permission. */
export interface PlatformTerms {
  /** Core command name -> the name on this platform (Slack keeps /who for itself, so the app registers /whois). */
  commandNames?: Readonly<Record<string, string>>;
  /** Who holds a permission, e.g. "members with the Manage Channels permission"; a generic phrase when unset. */
  holders?: Readonly<Partial<Record<Permission, string>>>;
}

/** Who asks and where: everything about an invocation that the platform, not the text, supplies. */
export interface Asker {
  user: { id: string; name: string };
  channel: ChannelRef;
  platform: string;
  /** Unset: the asker holds no permission. */
  authority?: Authority;
  terms?: PlatformTerms;
}

/** What is asked: the command, its subcommand and option values by name, as the platform or the parser gave them. */
export interface CommandRequest {
  command: string;
  subcommand?: string;
  options: Record<string, string>;
  /** What the asker typed for the subcommand when it was the start of exactly one ("tim" for timeline). */
  subcommandPrefix?: string;
}

export interface Invocation extends Asker, CommandRequest {
  /** Short random id, logged with everything this invocation does and quoted in apologies. */
  id: string;
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

/** A permission a subcommand needs, and how a refusal reads: "Only <holders> can <action>." */
export interface Requirement {
  permission: Permission;
  /** e.g. "set up this channel's digest" */
  action: string;
  /** What the asker may do instead. */
  hint?: string;
}

export interface SubcommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** Checked before the command runs; on Discord, a command with any such subcommand is hidden from members without it. */
  requires?: Requirement;
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
  /** Command names as the asker's platform shows them; core names when unset. */
  names?: CommandNames;
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
  run(invocation: Invocation, context: CommandContext): ReplyDraft | Promise<ReplyDraft>;
}
