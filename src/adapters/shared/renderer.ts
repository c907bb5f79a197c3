// The one contract every platform renderer keeps: a Reply in, the platform's message out, and whether it was cut.
import type { Reply, ReplyAction } from "../../core/reply.js";

export interface RenderOptions {
  /** IANA zone the times in the answer are shown in. */
  timeZone: string;
  /** Shown in place of whatever did not fit; platforms without a hint of their own use a generic one. */
  shortenedHint?: string;
}

export interface Rendered<Message> {
  message: Message;
  /** True when some of the reply's text did not fit in one message and was replaced by the shortened hint. */
  shortened: boolean;
  /** Actions left out (a command line too long for the platform's button id or value, or more than a message holds). */
  dropped: ReplyAction[];
}

/** `Options` lets a platform ask for more than the shared options (the console's colour, say). */
export type Renderer<Message, Options extends RenderOptions = RenderOptions> = (
  reply: Reply,
  options: Options,
) => Rendered<Message>;
