// Answers Slack slash commands and button clicks through the core, within Slack's 3-second acknowledgement.
import type {
  AckFn,
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  Context,
  RespondArguments,
  RespondFn,
  SlackCommandMiddlewareArgs,
} from "@slack/bolt";
import type { Answerer } from "../../core/answerer.js";
import type { Asker, PlatformTerms } from "../../core/commands/types.js";
import type { Logger } from "../../core/logger.js";
import type { Reply } from "../../core/reply.js";
import { answerInWindow, DEFAULT_ANSWER_WINDOW_MS, type AnswerGate } from "../shared/answer-window.js";
import type { SlackAuth } from "./auth.js";
import { SLACK_PLATFORM, slackChannelRef } from "./channel-ref.js";
import { responseUrlCanPost, slackErrorCode } from "./errors.js";
import { renderSlack, type SlackMessage } from "./render.js";

/**
 * Slack keeps some command names for itself (/who lists a channel's members), so the app registers another name.
 * Core command -> the name Slack users type and see; everything else is the core name itself.
 */
export const SLACK_COMMAND_NAMES: Readonly<Record<string, string>> = { who: "whois" };

/** Slack name -> core command, for the manifest and anyone mapping back. */
export const SLACK_COMMAND_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SLACK_COMMAND_NAMES).map(([core, slack]) => [slack, core]),
);

export const SLACK_TERMS: PlatformTerms = {
  commandNames: SLACK_COMMAND_NAMES,
  holders: { "manage-channel": "workspace admins and owners, and people the bot's operators have listed" },
};

export interface SlackHandlerOptions {
  answerer: Answerer;
  logger: Logger;
  auth: SlackAuth;
  gate: AnswerGate;
  /** How long an answer may take and still go in the acknowledgement; 0 always acknowledges first. */
  answerInAckWithinMs?: number;
}

export class SlackHandlers {
  constructor(
    private readonly app: App,
    private readonly options: SlackHandlerOptions,
  ) {}

  /** Registers the slash-command and button listeners on the app. */
  listen(): void {
    const { gate } = this.options;
    this.app.command(/^\/[\w-]+$/, (args) =>
      gate.admit(
        () => this.onCommand(args),
        (notice) => args.ack({ response_type: "ephemeral", text: notice }),
      ),
    );
    this.app.action<BlockButtonAction>(
      { type: "block_actions", action_id: /^(share(:[0-9a-f]{1,16})?|run:\d+)$/ },
      (args) =>
        gate.admit(
          () => this.onButton(args.body, args.ack, args.respond, args.context),
          async (notice) => {
            await args.ack();
            await args
              .respond({ response_type: "ephemeral", replace_original: false, text: notice })
              .catch(() => undefined);
          },
        ),
    );
  }

  /** The asker, whose authority (users.info) is asked only if a subcommand requires it. */
  private asker(user: { id: string; name: string }, teamId: string, channelId: string, context: Context): Asker {
    return {
      user,
      channel: slackChannelRef(teamId, channelId),
      platform: SLACK_PLATFORM,
      authority: { has: () => this.options.auth.managersFor(teamId, context).mayManage(user.id) },
      terms: SLACK_TERMS,
    };
  }

  private render(reply: Reply): SlackMessage {
    const rendered = renderSlack(reply, { timeZone: this.options.answerer.settings.timeZone });
    if (rendered.dropped.length > 0)
      this.options.logger.debug(
        { dropped: rendered.dropped.map((a) => a.commandLine), title: reply.title },
        "buttons left out",
      );
    return rendered.message;
  }

  private asResponse(reply: Reply): RespondArguments {
    return { response_type: reply.visibility === "shared" ? "in_channel" : "ephemeral", ...this.render(reply) };
  }

  private async onCommand({
    command,
    ack,
    respond,
    context,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    const { answerer, logger } = this.options;
    const id = answerer.newId();
    const asker = this.asker(
      { id: command.user_id, name: command.user_name },
      command.team_id,
      command.channel_id,
      context,
    );
    const answer = answerer.answerText(command.command, command.text, asker, { id }).catch((error: unknown): Reply => {
      logger.error({ err: error, invocation: id }, "slack command failed");
      return answerer.apology(id);
    });
    await answerInWindow(answer, this.options.answerInAckWithinMs ?? DEFAULT_ANSWER_WINDOW_MS, {
      inTime: (reply) => ack(this.asResponse(reply)),
      acknowledge: () => ack(),
      late: async (reply) => void (await this.respondSafely(respond, this.asResponse(reply), id)),
    });
  }

  private async onButton(
    body: BlockButtonAction,
    ack: AckFn<void>,
    respond: RespondFn,
    context: Context,
  ): Promise<void> {
    await ack();
    const { answerer, logger, auth } = this.options;
    const id = answerer.newId();
    const action = body.actions[0];
    if (!action?.value) return;
    const teamId = body.team?.id ?? body.user.team_id ?? "unknown";
    const asker = this.asker(
      { id: body.user.id, name: body.user.name ?? body.user.username },
      teamId,
      body.channel?.id ?? "unknown",
      context,
    );
    const share = /^share(?::([0-9a-f]{1,16}))?$/.exec(action.action_id);
    if (!share) {
      // A "did you mean" choice replaces the private pick-list with the answer.
      const reply = await answerer.answerLine(action.value, asker, { id });
      await this.respondSafely(respond, { ...this.asResponse(reply), replace_original: true }, id);
      return;
    }
    const reply = await answerer.share(action.value, asker, { id, seen: share[1] });
    if (reply.visibility !== "shared" || body.channel === undefined) {
      await this.respondSafely(respond, { ...this.asResponse(reply), replace_original: false }, id);
      return;
    }
    const message = this.render(reply);
    try {
      // app.client, not the listener's pooled client: its rate-limit events are the ones we count.
      await this.app.client.chat.postMessage({
        channel: body.channel.id,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
        ...auth.tokenArgument(context),
      });
    } catch (error) {
      const code = slackErrorCode(error);
      logger.warn({ invocation: id, code }, "chat.postMessage failed; sharing through the response URL");
      if (!responseUrlCanPost(code)) {
        await this.respondSafely(respond, { ...this.asResponse(answerer.apology(id)), replace_original: false }, id);
        return;
      }
      // The response URL may post where the bot is not a member (a private channel, a DM).
      if (
        !(await this.respondSafely(respond, { response_type: "in_channel", replace_original: false, ...message }, id))
      )
        return;
    }
    // The private copy has served its purpose once everyone can see the answer.
    await this.respondSafely(respond, { delete_original: true }, id);
  }

  /** respond() posts to Slack's response_url; a failure is logged with Slack's code, never thrown into Bolt. */
  private async respondSafely(respond: RespondFn, message: RespondArguments, invocation: string): Promise<boolean> {
    try {
      await respond(message);
      return true;
    } catch (error) {
      this.options.logger.error({ invocation, code: slackErrorCode(error) }, "slack response failed");
      return false;
    }
  }
}
