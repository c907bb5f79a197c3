// The Discord adapter: a discord.js gateway client that hands slash commands, autocomplete and buttons to the core.
import { Client, Events, GatewayIntentBits, MessageFlags, RESTEvents, type ClientOptions } from "discord.js";
import { errorMessage } from "../../core/errors.js";
import type { DiscordSettings, DiscordShards } from "./settings.js";
import type { AdapterDependencies, PlatformAdapter } from "../adapter.js";
import { AnswerGate } from "../shared/answer-window.js";
import { InteractionHandler, NO_MENTIONS, type InteractionOptions } from "./interactions.js";
import { loggableError } from "./loggable-error.js";

export type DiscordAdapterOptions = InteractionOptions;

/** discord.js retries a silent gateway forever; past this the operator hears why start-up is taking so long. */
const SLOW_START_WARNING_MS = 30_000;

type ShardState = "connecting" | "ready" | "reconnecting" | "disconnected";

/** discord.js options for the shards this process runs; none leaves discord.js to SHARDS/SHARD_COUNT or one shard. */
function shardOptions(shards: DiscordShards | undefined): Pick<ClientOptions, "shards" | "shardCount"> {
  if (shards === undefined) return {};
  // With shards "auto" discord.js takes Discord's recommended count and ignores shardCount.
  if (shards.count === "auto") return { shards: "auto" };
  return { shardCount: shards.count, ...(shards.ids !== undefined && { shards: shards.ids }) };
}

/** The shard ids a client runs: known from the options, or from Discord's recommendation once it has logged in. */
function shardIdsOf(client: Client): number[] | undefined {
  const { shards } = client.options;
  if (typeof shards === "number") return [shards];
  return Array.isArray(shards) ? [...(shards as readonly number[])] : undefined;
}

export class DiscordAdapter implements PlatformAdapter {
  readonly name = "discord";
  private client: Client | undefined;
  private readonly gate = new AnswerGate();
  private readonly handler: InteractionHandler;
  /** The adapter's own phase; while "running", /readyz follows each shard's state. */
  private phase: "not started" | "connecting" | "running" | "stopped" = "not started";
  /** Each gateway shard of this process as its events report it; ready means every one of them is ready. */
  private readonly shardStates = new Map<number, ShardState>();
  /** Whether this process runs a part of a sharded bot, so readiness and logs name the shards. */
  private sharded = false;

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
      ...shardOptions(this.settings.shards),
    };
    const client = new Client(options);
    this.client = client;
    // The options now include what discord.js took from SHARDS/SHARD_COUNT, set by a ShardingManager for its processes.
    this.sharded = client.options.shards === "auto" || (client.options.shardCount ?? 1) > 1;
    const shardLog = () =>
      this.sharded ? { shards: shardIdsOf(client) ?? "auto", shardCount: client.options.shardCount } : {};

    client.on(Events.InteractionCreate, (interaction) => {
      void this.gate.admit(
        () => this.handler.handle(interaction),
        async (notice) => {
          if (!interaction.isRepliable()) return;
          await interaction
            .reply({ content: notice, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS })
            .then(
              () => undefined,
              (error: unknown) => logger.warn({ err: loggableError(error) }, "could not say the bot is restarting"),
            );
        },
      );
    });
    client.on(Events.Error, (error) => logger.error({ err: loggableError(error) }, "discord client error"));
    client.on(Events.Warn, (message) => logger.warn({ detail: message }, "discord client warning"));
    client.on(Events.ShardDisconnect, (event, shard) => {
      this.shardStates.set(shard, "disconnected");
      logger.warn({ shard, code: event.code }, "discord gateway closed for good");
    });
    client.on(Events.ShardReconnecting, (shard) => {
      this.shardStates.set(shard, "reconnecting");
      logger.info({ shard }, "discord gateway reconnecting");
    });
    client.on(Events.ShardResume, (shard, replayed) => {
      this.shardStates.set(shard, "ready");
      logger.info({ shard, replayed }, "discord gateway resumed");
    });
    client.on(Events.ShardReady, (shard) => {
      this.shardStates.set(shard, "ready");
      if (this.sharded) logger.info({ shard, shardCount: client.options.shardCount }, "discord shard ready");
    });
    client.rest.on(RESTEvents.RateLimited, (info) => {
      logger.warn(
        {
          route: info.route,
          method: info.method,
          retryAfterMs: info.retryAfter,
          global: info.global,
          scope: info.scope,
        },
        "discord rate limit; waiting",
      );
      this.deps.rateLimited?.();
    });
    this.phase = "connecting";
    this.shardStates.clear();

    // discord.js emits clientReady once every shard of this process is ready, not at the first.
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    // No hard timeout: destroying a discord.js client while its shard waits for HELLO or READY can hang
    // (@discordjs/ws 1.2), so start() keeps waiting as discord.js retries, and says so in the log.
    const slow = setTimeout(
      () =>
        logger.warn(
          {
            waitedMs: SLOW_START_WARNING_MS,
            ...shardLog(),
            ...(this.sharded && { readyShards: this.shardIdsIn("ready") }),
          },
          "still waiting for Discord to confirm the connection; check the network and DISCORD_API_URL",
        ),
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
    if (this.phase === "connecting") this.phase = "running";
    logger.info({ user: client.user?.tag, applicationId: client.application?.id, ...shardLog() }, "discord ready");
  }

  private shardIdsIn(state: ShardState): number[] {
    return [...this.shardStates]
      .filter(([, s]) => s === state)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  }

  readinessProblem(): string | undefined {
    if (this.phase !== "running") return `gateway ${this.phase}`;
    const expected = (this.client && shardIdsOf(this.client)) ?? [...this.shardStates.keys()];
    const notReady = expected
      .sort((a, b) => a - b)
      .map((id) => [id, this.shardStates.get(id) ?? "connecting"] as const)
      .filter(([, state]) => state !== "ready");
    if (notReady.length === 0) return undefined;
    if (!this.sharded) return `gateway ${notReady[0]?.[1] ?? "connecting"}`;
    return `gateway ${notReady.map(([id, state]) => `shard ${id} ${state}`).join(", ")}`;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.phase = "stopped";
    // Answers under way are finished (the caller bounds how long stopping may take) before the connection closes.
    await this.gate.close();
    if (client) await client.destroy();
  }
}
