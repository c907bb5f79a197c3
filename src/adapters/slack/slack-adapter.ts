// The Slack adapter: a Bolt app over Socket Mode or HTTP that answers slash commands and buttons from the core.
import type { Server } from "node:http";
import { App, SocketModeReceiver } from "@slack/bolt";
import { webApi, type AckFn, type BlockButtonAction, type RespondArguments, type RespondFn, type SlackCommandMiddlewareArgs } from "@slack/bolt";
import { answerCommandLine, answerCommandText, answerShared, type Asker } from "../../core/commands/answer-line.js";
import { apologyReply, newInvocationId } from "../../core/commands/dispatch.js";
import type { CommandContext } from "../../core/commands/types.js";
import type { Reply } from "../../core/reply.js";
import type { SlackSettings } from "../../platform-settings.js";
import { RESTARTING_NOTICE, type AdapterDependencies, type PlatformAdapter } from "../adapter.js";
import { InFlight } from "../in-flight.js";
import { secretScrubber } from "../log-scrub.js";
import { settledWithin } from "../within.js";
import { boltLevelFor, boltLogger } from "./bolt-logger.js";
import { SlackManagers } from "./permissions.js";
import { renderSlackMessage, type SlackMessage } from "./render.js";

/**
 * Slack keeps some command names for itself (/who lists a channel's members), so the app registers another name.
 * Slack name -> core command; everything else is the core name itself.
 */
export const SLACK_COMMAND_ALIASES: Readonly<Record<string, string>> = { whois: "who" };
/** Core command -> the name shown to Slack users in help and hints. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(SLACK_COMMAND_ALIASES).map(([slack, core]) => [core, slack]));

/** Slack wants an acknowledgement within 3 s; answer in the acknowledgement when we can, else acknowledge and respond. */
const ANSWER_IN_ACK_WITHIN_MS = 2000;

/** Slack errors that mean the bot cannot post in that channel itself, but the response_url still can. */
const CANNOT_POST_HERE = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "missing_scope"]);

export interface SlackAdapterOptions {
  /** HTTP mode: the address to listen on; all interfaces when unset. */
  host?: string;
  /** pino's level, so Bolt's own debug lines are only produced when they would be kept. */
  logLevel?: string;
  /** How long an answer may take and still go in the acknowledgement (default 2000 ms); 0 always acknowledges first. */
  answerInAckWithinMs?: number;
  /** Web API retry policy (tests use a fast one); Slack's default waits out 429s for up to about 30 minutes. */
  retryConfig?: webApi.RetryOptions;
  /** User ids who may change digests besides workspace admins and owners (config digest.slackManagers). */
  digestManagers?: readonly string[];
}

/** Only these change a subscription, so only they cost a users.info call. */
const MANAGING = /^\s*\/?(digest)\s+(subscribe|unsubscribe)\b/i;

function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  if (typeof data?.error === "string") return data.error;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

export class SlackAdapter implements PlatformAdapter {
  readonly name = "slack";
  private readonly app: App;
  private server: Server | undefined;
  private socketState: string | undefined;
  private started = false;
  private stopping = false;
  private readonly managers: SlackManagers;
  private readonly inFlight = new InFlight();

  constructor(
    private readonly settings: SlackSettings,
    private readonly deps: AdapterDependencies,
    private readonly options: SlackAdapterOptions = {},
  ) {
    const level = boltLevelFor(options.logLevel ?? "info");
    const scrub = secretScrubber([settings.botToken, settings.appToken, settings.signingSecret]);
    const clientOptions = {
      ...(settings.apiUrl !== undefined && { slackApiUrl: settings.apiUrl }),
      ...(options.retryConfig !== undefined && { retryConfig: options.retryConfig }),
    };
    const logger = boltLogger(deps.logger.child({ library: "bolt" }), level, scrub);
    let receiverOptions;
    if (settings.mode === "socket") {
      // Our own receiver, so its connection state can answer /readyz.
      const receiver = new SocketModeReceiver({ appToken: settings.appToken ?? "", logger, logLevel: level, installerOptions: { clientOptions } });
      for (const state of ["connecting", "connected", "reconnecting", "disconnecting", "disconnected"]) {
        receiver.client.on(state, () => {
          this.socketState = state;
          if (state !== "connected" && this.started && !this.stopping) this.deps.logger.warn({ state }, "slack socket not connected");
        });
      }
      receiverOptions = { receiver };
    } else {
      receiverOptions = { signingSecret: settings.signingSecret, endpoints: "/slack/events" };
    }
    this.app = new App({
      token: settings.botToken,
      logger,
      logLevel: level,
      clientOptions,
      ...receiverOptions,
      // We check the token ourselves in start(), with an error an operator can act on.
      tokenVerificationEnabled: false,
    });
    this.managers = new SlackManagers(this.app.client, options.digestManagers ?? [], deps.logger);
    this.app.client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfter: number) => {
      this.deps.logger.warn({ retryAfterSeconds: retryAfter }, "slack rate limit; waiting");
      this.deps.rateLimited?.();
    });
    this.app.command(/^\/[\w-]+$/, (args) => this.inFlight.track(this.onCommand(args)));
    this.app.action<BlockButtonAction>({ type: "block_actions", action_id: /^(share|run:\d+)$/ }, (args) =>
      this.inFlight.track(this.onButton(args.body, args.ack, args.respond)),
    );
    this.app.error((error) => {
      this.deps.logger.error({ code: slackErrorCode(error), err: { message: scrub(error.message) } }, "slack listener failed");
      return Promise.resolve();
    });
  }

  /** HTTP mode: the port actually listened on (useful with PORT=0). */
  get port(): number | undefined {
    const address = this.server?.address();
    return typeof address === "object" && address !== null ? address.port : undefined;
  }

  async start(): Promise<void> {
    let identity;
    try {
      identity = await this.app.client.auth.test();
    } catch (error) {
      throw new Error(`Slack refused the bot token (${slackErrorCode(error) ?? "no answer"}); check SLACK_BOT_TOKEN and that the app is installed.`, {
        cause: error,
      });
    }
    if (this.settings.mode === "socket") {
      await this.app.start();
    } else {
      const started: unknown = await this.app.start({ port: this.settings.port, ...(this.options.host !== undefined && { host: this.options.host }) });
      this.server = started as Server;
    }
    this.started = true;
    this.deps.logger.info({ mode: this.settings.mode, team: identity.team_id, port: this.port }, "slack connected");
  }

  async stop(): Promise<void> {
    if (this.stopping || !this.started) return;
    this.stopping = true;
    // Answers already being written are finished before the connection closes.
    await this.inFlight.settled();
    await this.app.stop();
    this.deps.logger.info("slack disconnected");
  }

  readinessProblem(): string | undefined {
    if (!this.started) return "not started";
    if (this.stopping) return "stopping";
    if (this.settings.mode === "http") return this.server?.listening === true ? undefined : "HTTP receiver not listening";
    return this.socketState === "connected" ? undefined : `socket ${this.socketState ?? "not connected"}`;
  }

  /** The asker, with whether they may change this channel's digest when the line is one that would. */
  private async withAuthority(asker: Asker, line: string): Promise<Asker> {
    if (!MANAGING.test(line)) return asker;
    return { ...asker, mayManageChannel: await this.managers.mayManage(asker.user.id) };
  }

  private context(): CommandContext {
    const { content, settings, logger, observe, digests } = this.deps;
    return { content: content(), settings, logger, ...(observe && { observe }), ...(digests && { digests }) };
  }

  private render(reply: Reply): SlackMessage {
    return renderSlackMessage(reply, { timeZone: this.deps.settings.timeZone, commandNames: DISPLAY_NAMES });
  }

  private asResponse(reply: Reply): RespondArguments {
    return { response_type: reply.visibility === "shared" ? "in_channel" : "ephemeral", ...this.render(reply) };
  }

  private async onCommand({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> {
    if (this.stopping) {
      await ack({ response_type: "ephemeral", text: RESTARTING_NOTICE });
      return;
    }
    const id = newInvocationId();
    const name = command.command.replace(/^\//, "").toLowerCase();
    const asker: Asker = {
      user: { id: command.user_id, name: command.user_name },
      channel: `slack:${command.team_id}:${command.channel_id}`,
      platform: "slack",
    };
    const answer = this.withAuthority(asker, `/${name} ${command.text}`)
      .then((checked) => answerCommandText(SLACK_COMMAND_ALIASES[name] ?? name, command.text, checked, this.context(), id))
      .catch(
      (error: unknown): Reply => {
        this.deps.logger.error({ err: error, invocation: id }, "slack command failed");
        return apologyReply(id);
      },
    );
    const budget = this.options.answerInAckWithinMs ?? ANSWER_IN_ACK_WITHIN_MS;
    const quick = await settledWithin(answer, budget);
    if (quick !== undefined) {
      await ack(this.asResponse(quick));
      return;
    }
    await ack();
    await this.respondSafely(respond, this.asResponse(await answer), id);
  }

  private async onButton(body: BlockButtonAction, ack: AckFn<void>, respond: RespondFn): Promise<void> {
    await ack();
    const id = newInvocationId();
    const action = body.actions[0];
    if (!action?.value) return;
    const asker: Asker = {
      user: { id: body.user.id, name: body.user.name ?? body.user.username },
      channel: `slack:${body.team?.id ?? body.user.team_id ?? "unknown"}:${body.channel?.id ?? "unknown"}`,
      platform: "slack",
    };
    if (action.action_id !== "share") {
      // A "did you mean" choice replaces the private pick-list with the answer.
      const reply = await answerCommandLine(action.value, await this.withAuthority(asker, action.value), this.context(), id);
      await this.respondSafely(respond, { ...this.asResponse(reply), replace_original: true }, id);
      return;
    }
    const reply = await answerShared(action.value, asker, this.context(), id);
    if (reply.visibility !== "shared" || body.channel === undefined) {
      await this.respondSafely(respond, { ...this.asResponse(reply), replace_original: false }, id);
      return;
    }
    const message = this.render(reply);
    try {
      // app.client, not the listener's pooled client: its rate-limit events are the ones we count.
      await this.app.client.chat.postMessage({ channel: body.channel.id, ...message, unfurl_links: false, unfurl_media: false });
    } catch (error) {
      const code = slackErrorCode(error);
      this.deps.logger.warn({ invocation: id, code }, "chat.postMessage failed; sharing through the response URL");
      if (code === undefined || !CANNOT_POST_HERE.has(code)) {
        await this.respondSafely(respond, { ...this.asResponse(apologyReply(id)), replace_original: false }, id);
        return;
      }
      // The response URL may post where the bot is not a member (a private channel, a DM).
      if (!(await this.respondSafely(respond, { response_type: "in_channel", replace_original: false, ...message }, id))) return;
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
      this.deps.logger.error({ invocation, code: slackErrorCode(error) }, "slack response failed");
      return false;
    }
  }
}
