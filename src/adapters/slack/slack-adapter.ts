// The Slack adapter: a Bolt app over Socket Mode, HTTP, or HTTP with OAuth installs in many workspaces, answering commands and buttons.
import type { Server } from "node:http";
import { App, SocketModeReceiver, webApi, type AppOptions } from "@slack/bolt";
import type { Store } from "../../store/store.js";
import type { AdapterDependencies, PlatformAdapter } from "../adapter.js";
import { AnswerGate } from "../shared/answer-window.js";
import { secretScrubber } from "../shared/log-scrub.js";
import { slackAuthFor, type SlackAuth } from "./auth.js";
import { boltLevelFor, boltLogger } from "./bolt-logger.js";
import type { SlackPosterAuth } from "./digest-poster.js";
import { slackErrorCode } from "./errors.js";
import { SlackHandlers } from "./handlers.js";
import type { SlackSettings } from "./settings.js";

export { SLACK_BOT_SCOPES, SLACK_INSTALL_PATH, SLACK_REDIRECT_PATH } from "./auth.js";
export { SLACK_COMMAND_ALIASES, SLACK_COMMAND_NAMES } from "./handlers.js";

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
  if (settings.mode === "oauth")
    return [settings.clientSecret, settings.signingSecret, settings.stateSecret, settings.installationKey];
  return [settings.botToken, settings.appToken, settings.signingSecret];
}

const SOCKET_STATES = ["connecting", "connected", "reconnecting", "disconnecting", "disconnected"];

export class SlackAdapter implements PlatformAdapter {
  readonly name = "slack";
  private readonly app: App;
  private readonly auth: SlackAuth;
  private readonly gate = new AnswerGate();
  private server: Server | undefined;
  private socketState: string | undefined;
  private started = false;
  private stopping = false;

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
    this.auth = slackAuthFor(settings, {
      logger: deps.logger,
      boltLogger: logger,
      logLevel: level,
      clientOptions,
      digestManagers: options.digestManagers ?? [],
      ...(options.store !== undefined && { store: options.store }),
      ...(options.authorizationUrl !== undefined && { authorizationUrl: options.authorizationUrl }),
    });
    this.app = new App({
      logger,
      logLevel: level,
      clientOptions,
      ...this.auth.appOptions,
      ...(settings.mode === "socket" && {
        receiver: this.socketReceiver(settings.appToken ?? "", logger, level, clientOptions),
      }),
      // We check the token ourselves in start(), with an error an operator can act on.
      tokenVerificationEnabled: false,
    });
    this.auth.bind(this.app, (work) => this.gate.track(work));
    this.app.client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfter: number) => {
      this.deps.logger.warn({ retryAfterSeconds: retryAfter }, "slack rate limit; waiting");
      this.deps.rateLimited?.();
    });
    new SlackHandlers(this.app, {
      answerer: deps.answerer,
      logger: deps.logger,
      auth: this.auth,
      gate: this.gate,
      ...(options.answerInAckWithinMs !== undefined && { answerInAckWithinMs: options.answerInAckWithinMs }),
    }).listen();
    this.app.error((error) => {
      this.deps.logger.error(
        { code: slackErrorCode(error), err: { message: scrub(error.message) } },
        "slack listener failed",
      );
      return Promise.resolve();
    });
  }

  /** Our own Socket Mode receiver, so its connection state can answer /readyz. */
  private socketReceiver(
    appToken: string,
    logger: AppOptions["logger"],
    level: AppOptions["logLevel"],
    clientOptions: AppOptions["clientOptions"],
  ): SocketModeReceiver {
    const receiver = new SocketModeReceiver({
      appToken,
      ...(logger !== undefined && { logger }),
      ...(level !== undefined && { logLevel: level }),
      installerOptions: { ...(clientOptions !== undefined && { clientOptions }) },
    });
    for (const state of SOCKET_STATES) {
      receiver.client.on(state, () => {
        this.socketState = state;
        if (state !== "connected" && this.started && !this.stopping)
          this.deps.logger.warn({ state }, "slack socket not connected");
      });
    }
    return receiver;
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
    return this.auth.postingAuth();
  }

  async start(): Promise<void> {
    const identity = await this.auth.verify(this.app);
    if (this.settings.mode === "socket") {
      await this.app.start();
    } else {
      const started: unknown = await this.app.start({
        port: this.settings.port,
        ...(this.options.host !== undefined && { host: this.options.host }),
      });
      this.server = started as Server;
    }
    this.started = true;
    this.deps.logger.info({ mode: this.settings.mode, team: identity.team, port: this.port }, "slack connected");
  }

  async stop(): Promise<void> {
    if (this.stopping || !this.started) return;
    this.stopping = true;
    // Answers already being written are finished before the connection closes.
    await this.gate.close();
    await this.app.stop();
    this.deps.logger.info("slack disconnected");
  }

  readinessProblem(): string | undefined {
    if (!this.started) return "not started";
    if (this.stopping) return "stopping";
    if (this.settings.mode !== "socket")
      return this.server?.listening === true ? undefined : "HTTP receiver not listening";
    return this.socketState === "connected" ? undefined : `socket ${this.socketState ?? "not connected"}`;
  }
}
