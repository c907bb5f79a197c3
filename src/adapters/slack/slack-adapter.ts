// The Slack adapter: a Bolt app over Socket Mode, HTTP, or HTTP with OAuth installs in many workspaces, answering commands and buttons.
import type { Server } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver } from "@slack/bolt";
import {
  webApi,
  type AckFn,
  type AllMiddlewareArgs,
  type BlockButtonAction,
  type Context,
  type EnvelopedEvent,
  type RespondArguments,
  type RespondFn,
  type SlackCommandMiddlewareArgs,
} from "@slack/bolt";
import { answerCommandLine, answerCommandText, answerShared, type Asker } from "../../core/commands/answer-line.js";
import { apologyReply, newInvocationId } from "../../core/commands/dispatch.js";
import type { CommandContext } from "../../core/commands/types.js";
import { errorMessage } from "../../core/errors.js";
import type { Reply } from "../../core/reply.js";
import type { SlackSettings } from "./settings.js";
import { SecretBox } from "./secret-box.js";
import type { Store } from "../../store/store.js";
import { RESTARTING_NOTICE, type AdapterDependencies, type PlatformAdapter } from "../adapter.js";
import { InFlight } from "../in-flight.js";
import { secretScrubber } from "../log-scrub.js";
import { settledWithin } from "../within.js";
import { boltLevelFor, boltLogger } from "./bolt-logger.js";
import type { SlackPosterAuth } from "./digest-poster.js";
import { SlackInstallations, type EventScope } from "./installations.js";
import { SlackManagers, type UsersInfoClient } from "./permissions.js";
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

/** The bot scopes config/slack-app-manifest.yaml asks for, requested at each install (a test keeps the two equal). */
export const SLACK_BOT_SCOPES: readonly string[] = ["commands", "chat:write", "users:read"];

/** OAuth mode's install link and Slack's redirect back (register https://<host>/slack/oauth_redirect in the app). */
export const SLACK_INSTALL_PATH = "/slack/install";
export const SLACK_REDIRECT_PATH = "/slack/oauth_redirect";

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
  /** OAuth mode: the store that keeps each workspace's installation, sealed with SLACK_INSTALLATION_KEY. */
  store?: Store;
  /** OAuth mode: Slack's authorize page (tests point it at a fake); Slack's own when unset. */
  authorizationUrl?: string;
}

/** Every secret the settings hold, blanked from whatever Bolt and its clients log. */
function secretsOf(settings: SlackSettings): (string | undefined)[] {
  if (settings.mode === "oauth") return [settings.clientSecret, settings.signingSecret, settings.stateSecret, settings.installationKey];
  return [settings.botToken, settings.appToken, settings.signingSecret];
}

/** Which installation an app_uninstalled or tokens_revoked envelope is about. */
function scopeOf(body: EnvelopedEvent): EventScope {
  const orgWide = body.authorizations?.[0]?.is_enterprise_install === true;
  return { teamId: body.team_id, orgWide, ...(body.enterprise_id !== undefined && { enterpriseId: body.enterprise_id }) };
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
  /** OAuth mode: each workspace's managers check, asking users.info with that workspace's latest token. */
  private readonly workspaceManagers = new Map<string, { token: string; managers: SlackManagers }>();
  private readonly inFlight = new InFlight();
  private readonly installations: SlackInstallations | undefined;
  private readonly receiver: HTTPReceiver | undefined;

  constructor(
    private readonly settings: SlackSettings,
    private readonly deps: AdapterDependencies,
    private readonly options: SlackAdapterOptions = {},
  ) {
    const level = boltLevelFor(options.logLevel ?? "info");
    const scrub = secretScrubber(secretsOf(settings));
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
    } else if (settings.mode === "oauth") {
      if (options.store === undefined) throw new Error("Slack OAuth mode needs the store that keeps each workspace's installation");
      this.installations = new SlackInstallations(options.store, SecretBox.fromKeyText(settings.installationKey), deps.logger.child({ component: "slack-installations" }));
      // Our own receiver, so its InstallProvider's authorize can hand tokens to the digest poster too.
      this.receiver = new HTTPReceiver({
        signingSecret: settings.signingSecret,
        endpoints: "/slack/events",
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        stateSecret: settings.stateSecret,
        scopes: [...SLACK_BOT_SCOPES],
        installationStore: this.installations,
        logger,
        logLevel: level,
        installerOptions: {
          installPath: SLACK_INSTALL_PATH,
          redirectUriPath: SLACK_REDIRECT_PATH,
          // The install link goes straight to Slack's consent page: this bot has no landing page to show first.
          directInstall: true,
          // The OAuth exchange and token refreshes go to SLACK_API_URL like every other call.
          clientOptions,
          ...(options.authorizationUrl !== undefined && { authorizationUrl: options.authorizationUrl }),
        },
      });
      receiverOptions = { receiver: this.receiver };
    } else {
      receiverOptions = { signingSecret: settings.signingSecret, endpoints: "/slack/events" };
    }
    this.app = new App({
      // Without a token Bolt authorizes each request with its workspace's installation, through the receiver's installer.
      ...(settings.mode !== "oauth" && { token: settings.botToken }),
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
      this.inFlight.track(this.onButton(args.body, args.ack, args.respond, args.context)),
    );
    const installations = this.installations;
    if (installations !== undefined) {
      // Bolt acknowledges these before the listener runs and skips authorizing them: the installation may be gone.
      this.app.event("app_uninstalled", ({ body }) => this.inFlight.track(this.onInstallEvent("app_uninstalled", () => installations.appUninstalled(scopeOf(body)))));
      this.app.event("tokens_revoked", ({ body, event }) =>
        this.inFlight.track(this.onInstallEvent("tokens_revoked", () => installations.tokensRevoked(scopeOf(body), event.tokens))),
      );
    }
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

  /**
   * How the digest poster gets its token: the one bot token, or in OAuth mode each workspace's, through Bolt's
   * authorize, which refreshes an expiring token and saves the refreshed installation before it is used.
   */
  postingAuth(): SlackPosterAuth {
    if (this.settings.mode !== "oauth") return { token: this.settings.botToken };
    const installer = this.receiver?.installer;
    if (this.installations === undefined || installer === undefined) throw new Error("Slack OAuth mode without its installer");
    return { tokenFor: this.installations.tokenSource((source) => installer.authorize(source)) };
  }

  async start(): Promise<void> {
    // In OAuth mode there is no one token to check: each workspace's is checked when it installs.
    let identity: { team_id?: string } = {};
    if (this.settings.mode !== "oauth") {
      try {
        identity = await this.app.client.auth.test();
      } catch (error) {
        throw new Error(`Slack refused the bot token (${slackErrorCode(error) ?? "no answer"}); check SLACK_BOT_TOKEN and that the app is installed.`, {
          cause: error,
        });
      }
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
    if (this.settings.mode !== "socket") return this.server?.listening === true ? undefined : "HTTP receiver not listening";
    return this.socketState === "connected" ? undefined : `socket ${this.socketState ?? "not connected"}`;
  }

  /** The asker, with whether they may change this channel's digest when the line is one that would. */
  private async withAuthority(asker: Asker, line: string, teamId: string, context: Context): Promise<Asker> {
    if (!MANAGING.test(line)) return asker;
    return { ...asker, mayManageChannel: await this.managersFor(teamId, context).mayManage(asker.user.id) };
  }

  /** One check per workspace in OAuth mode: its users.info calls carry that workspace's token, its cache its own users. */
  private managersFor(teamId: string, context: Context): SlackManagers {
    const token = context.botToken;
    if (this.settings.mode !== "oauth" || token === undefined) return this.managers;
    let workspace = this.workspaceManagers.get(teamId);
    if (workspace === undefined) {
      // app.client with a per-call token, not the listener's pooled client: its rate-limit events are the ones we count.
      const client: UsersInfoClient = {
        users: { info: (args) => this.app.client.users.info({ ...args, token: this.workspaceManagers.get(teamId)?.token ?? token }) },
      };
      workspace = { token, managers: new SlackManagers(client, this.options.digestManagers ?? [], this.deps.logger) };
      this.workspaceManagers.set(teamId, workspace);
    }
    // A rotated token replaces the old one for later calls.
    workspace.token = token;
    return workspace.managers;
  }

  /** OAuth mode: the workspace's token on each Web API call; the single-token modes' client carries theirs already. */
  private tokenArgument(context: Context): { token?: string } {
    return this.settings.mode === "oauth" && context.botToken !== undefined ? { token: context.botToken } : {};
  }

  /** Uninstall and revocation events are already acknowledged; a failure is logged for an operator to act on. */
  private async onInstallEvent(event: string, handle: () => Promise<void>): Promise<void> {
    try {
      await handle();
    } catch (error) {
      this.deps.logger.error({ event, err: { message: errorMessage(error) } }, "slack installation event not handled");
    }
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

  private async onCommand({ command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
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
    const answer = this.withAuthority(asker, `/${name} ${command.text}`, command.team_id, context)
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

  private async onButton(body: BlockButtonAction, ack: AckFn<void>, respond: RespondFn, context: Context): Promise<void> {
    await ack();
    const id = newInvocationId();
    const action = body.actions[0];
    if (!action?.value) return;
    const teamId = body.team?.id ?? body.user.team_id ?? "unknown";
    const asker: Asker = {
      user: { id: body.user.id, name: body.user.name ?? body.user.username },
      channel: `slack:${teamId}:${body.channel?.id ?? "unknown"}`,
      platform: "slack",
    };
    if (action.action_id !== "share") {
      // A "did you mean" choice replaces the private pick-list with the answer.
      const reply = await answerCommandLine(action.value, await this.withAuthority(asker, action.value, teamId, context), this.context(), id);
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
      await this.app.client.chat.postMessage({ channel: body.channel.id, ...message, unfurl_links: false, unfurl_media: false, ...this.tokenArgument(context) });
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
