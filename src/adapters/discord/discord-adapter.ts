// The Discord adapter: a discord.js gateway client that hands slash commands, autocomplete and buttons to the core.
import { Client, Events, GatewayIntentBits, MessageFlags, RESTEvents, type ClientOptions } from "discord.js";
import { errorMessage } from "../../core/errors.js";
import type { DiscordSettings } from "../../platform-settings.js";
import { RESTARTING_NOTICE, type AdapterDependencies, type PlatformAdapter } from "../adapter.js";
import { InFlight } from "../in-flight.js";
import { InteractionHandler, NO_MENTIONS, type InteractionOptions } from "./interactions.js";
import { loggableError } from "./loggable-error.js";

export type DiscordAdapterOptions = InteractionOptions;

/** discord.js retries a silent gateway forever; past this the operator hears why start-up is taking so long. */
const SLOW_START_WARNING_MS = 30_000;

export class DiscordAdapter implements PlatformAdapter {
  readonly name = "discord";
  private client: Client | undefined;
  private readonly inFlight = new InFlight();
  private readonly handler: InteractionHandler;
  /** The gateway connection as the shard events report it, for /readyz. */
  private connection: "not started" | "connecting" | "ready" | "reconnecting" | "disconnected" | "stopped" = "not started";

  constructor(
    private readonly settings: DiscordSettings,
    private readonly deps: AdapterDependencies,
    options: DiscordAdapterOptions = {},
  ) {
    this.handler = new InteractionHandler(deps, options);
  }

  async start(): Promise<void> {
    if (this.client) return;
    const { logger } = this.deps;
    const options: ClientOptions = {
      // Interactions arrive without any intent; Guilds keeps discord.js's guild and channel caches coherent.
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: NO_MENTIONS,
      ...(this.settings.apiUrl !== undefined && { rest: { api: this.settings.apiUrl } }),
    };
    const client = new Client(options);
    this.client = client;

    client.on(Events.InteractionCreate, (interaction) => {
      if (this.connection === "stopped") {
        if (interaction.isRepliable()) {
          void interaction
            .reply({ content: RESTARTING_NOTICE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS })
            .catch((error: unknown) => logger.warn({ err: loggableError(error) }, "could not say the bot is restarting"));
        }
        return;
      }
      void this.inFlight.track(this.handler.handle(interaction));
    });
    client.on(Events.Error, (error) => logger.error({ err: loggableError(error) }, "discord client error"));
    client.on(Events.Warn, (message) => logger.warn({ detail: message }, "discord client warning"));
    client.on(Events.ShardDisconnect, (event, shard) => {
      this.setConnection("disconnected");
      logger.warn({ shard, code: event.code }, "discord gateway closed for good");
    });
    client.on(Events.ShardReconnecting, (shard) => {
      this.setConnection("reconnecting");
      logger.info({ shard }, "discord gateway reconnecting");
    });
    client.on(Events.ShardResume, (shard, replayed) => {
      this.setConnection("ready");
      logger.info({ shard, replayed }, "discord gateway resumed");
    });
    client.on(Events.ShardReady, () => this.setConnection("ready"));
    client.rest.on(RESTEvents.RateLimited, (info) => {
      logger.warn({ route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global, scope: info.scope }, "discord rate limit; waiting");
      this.deps.rateLimited?.();
    });
    this.connection = "connecting";

    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    // No hard timeout: destroying a discord.js client while its shard waits for HELLO or READY can hang
    // (@discordjs/ws 1.2), so start() keeps waiting as discord.js retries, and says so in the log.
    const slow = setTimeout(
      () => logger.warn({ waitedMs: SLOW_START_WARNING_MS }, "still waiting for Discord to confirm the connection; check the network and DISCORD_API_URL"),
      SLOW_START_WARNING_MS,
    );
    slow.unref();
    try {
      await client.login(this.settings.token);
      await ready;
    } catch (error) {
      this.client = undefined;
      await client.destroy();
      // discord.js messages name the problem (an invalid token, a refused connection) and never contain the token.
      throw new Error(`Could not connect to Discord: ${errorMessage(error)}`, { cause: error });
    } finally {
      clearTimeout(slow);
    }
    this.connection = "ready";
    logger.info({ user: client.user?.tag, applicationId: client.application?.id }, "discord ready");
  }

  /** Shard events may still arrive while stopping; a stopped adapter stays stopped. */
  private setConnection(state: "ready" | "reconnecting" | "disconnected"): void {
    if (this.connection !== "stopped") this.connection = state;
  }

  readinessProblem(): string | undefined {
    return this.connection === "ready" ? undefined : `gateway ${this.connection}`;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connection = "stopped";
    // Answers under way are finished (the caller bounds how long stopping may take) before the connection closes.
    await this.inFlight.settled();
    if (client) await client.destroy();
  }
}
