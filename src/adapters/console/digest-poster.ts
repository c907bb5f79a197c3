// Delivers digests to the console's one channel by printing them, so digests can be tried without any account.
import { randomBytes } from "node:crypto";
import type { ChannelRef } from "../../core/commands/types.js";
import type { Reply } from "../../core/reply.js";
import type { DigestPoster, PostResult } from "../../scheduler/poster.js";
import type { Rendered } from "../shared/renderer.js";

function isReply(value: unknown): value is Reply {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { title?: unknown }).title === "string" &&
    Array.isArray((value as { sections?: unknown }).sections)
  );
}

export class ConsoleDigestPoster implements DigestPoster {
  readonly platform = "console";

  constructor(private readonly print: (reply: Reply, channel: ChannelRef) => void) {}

  /** The Reply itself, printed when posted: a terminal has no message size limit, so nothing is shortened. */
  render(part: Reply): Rendered<Reply> {
    return { message: part, shortened: false, dropped: [] };
  }

  post(channel: ChannelRef, message: unknown): Promise<PostResult> {
    if (!isReply(message))
      return Promise.resolve({ ok: false, kind: "permanent", reason: "the stored digest is not a console message" });
    this.print(message, channel);
    return Promise.resolve({ ok: true, remoteId: `console-${randomBytes(4).toString("hex")}` });
  }
}
