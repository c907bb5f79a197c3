// A loopback Discord for adapter tests: REST on node:http and a gateway on ws, recording what the real discord.js client sends.
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";

/** Realistic snowflakes, so nothing in discord.js trips over an id that could never occur. */
export const IDS = {
  application: "1187654321098765432",
  guild: "1098765432109876543",
  channel: "1112223334445556667",
  dmChannel: "1112223334445556668",
  user: "287654321098765432",
  otherUser: "287654321098765433",
} as const;

export const BOT_USER = {
  id: IDS.application,
  username: "newsroom",
  discriminator: "0",
  global_name: null,
  avatar: null,
  bot: true,
};
export const ASKER = { id: IDS.user, username: "dana.k", discriminator: "0", global_name: "Dana", avatar: null };

export interface RecordedCall {
  method: string;
  /** Decoded, with the /api/v10 prefix: "/api/v10/webhooks/…/messages/@original". */
  path: string;
  /** The path exactly as sent, before decoding. */
  rawPath: string;
  query: string;
  contentType: string | undefined;
  body: unknown;
  status: number;
  /** Date.now() when the request arrived, for rate checks. */
  at: number;
}

export interface GatewayFrame {
  /** The gateway URL path the client connected to: /gateway, or /resume after a reconnect. */
  path: string;
  op: number;
  d: unknown;
  /** The `[id, count]` of the session the connection had when the frame arrived (none before IDENTIFY or RESUME). */
  shard?: [number, number];
}

/** One IDENTIFY as the fake answered it: the shard the client asked for and the session it got. */
export interface IdentifiedSession {
  sessionId: string;
  shard: [number, number];
}

export interface ScriptedResponse {
  method: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests get this answer (default 1). */
  times?: number;
  /** Handle the request as usual first (create the message), then answer with this: "the server failed after posting". */
  afterHandling?: boolean;
  /** Answer only every n-th matching request this way (e.g. 3: the 3rd, 6th, …), until `times` are used up. */
  every?: number;
  /** Handle the request as usual (create the message), then never answer: "the response was lost". */
  hang?: boolean;
}

export interface FakeDiscordOptions {
  /** HELLO's heartbeat interval; short, so tests see heartbeats answered. */
  heartbeatIntervalMs?: number;
  /** The shard count GET /gateway/bot recommends (default 1): what discord.js's `shards: "auto"` follows. */
  recommendedShards?: number;
  /**
   * `session_start_limit.max_concurrency` (default 1). discord.js waits about 5 s between two IDENTIFYs in one
   * process that fall into the same bucket (shard id modulo this), so multi-shard tests raise it.
   */
  maxConcurrency?: number;
  /** Enforce Discord's rate limits (off by default): the benchmarks scale them up to keep a run short. */
  limits?: DiscordLimits;
  /**
   * How long a message's nonce is remembered for enforce_nonce (default 5 minutes). Discord drops a repeat only
   * "within the past few minutes": after that, the same nonce creates a second message.
   */
  nonceWindowMs?: number;
}

/** Discord's epoch (2015-01-01), from which snowflakes count milliseconds. */
const DISCORD_EPOCH = 1_420_070_400_000n;

export interface DiscordLimits {
  /** Requests per rolling second over every route but interaction callbacks and webhooks (Discord: 50). */
  globalPerSecond: number;
  /** Message creates per channel per window, announced in X-RateLimit-* headers (Discord: 5 per 5 s). */
  channelMessages: { limit: number; windowMs: number };
}

/** What the fake refused with 429, by kind: "global" cannot be foreseen from headers, "route" could have been. */
export interface RateLimitCounts {
  global: number;
  route: number;
}

type JsonObject = Record<string, unknown>;

/** A gateway session as Discord keeps it across reconnects: the shard it serves and the last sequence number sent. */
interface Session {
  id: string;
  shard: [number, number];
  sequence: number;
}

/** One open WebSocket: its own sequence numbers, bound to a session by IDENTIFY or RESUME. */
interface Connection {
  ws: WebSocket;
  path: string;
  sequence: number;
  session?: Session;
}

function shardOf(value: unknown): [number, number] {
  const shard = Array.isArray(value) ? (value as unknown[]) : [];
  const [id, count] = shard;
  return typeof id === "number" && typeof count === "number" ? [id, count] : [0, 1];
}

function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as JsonObject) : {};
}

const API = "/api/v10";

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly frames: GatewayFrame[] = [];
  /** Routes the fake does not know: a test asserts this stays empty, so a new client call is never silently lost. */
  readonly unknownRoutes: string[] = [];
  /** Gateway paths connected to, in order. */
  readonly connections: string[] = [];
  /** Messages created in each channel through POST /channels/{id}/messages, in order (a nonce repeat creates none). */
  readonly channelMessages = new Map<string, JsonObject[]>();
  /** Application commands as Discord would keep them, by route ("global" or the guild id). */
  readonly storedCommands = new Map<string, JsonObject[]>();

  private readonly changes = new EventEmitter();
  private readonly scripts: (ScriptedResponse & { left: number; seen: number })[] = [];
  /** channel id + nonce → the message it created and when, for enforce_nonce within the window. */
  private readonly nonces = new Map<string, { message: JsonObject; at: number }>();
  /** Creates that carried a nonce already seen in that channel: dropped within the window, or not (a duplicate). */
  readonly nonceRepeats = { dropped: 0, pastWindow: 0 };
  /** Every IDENTIFY answered, in order. */
  readonly identified: IdentifiedSession[] = [];
  /** Open gateway connections, oldest first; a dispatch without a shard goes to the newest. */
  private readonly open: Connection[] = [];
  private readonly sessionsById = new Map<string, Session>();
  /** Shards whose READY is held back by holdReady(), with the READYs waiting to go out. */
  private readonly heldReady = new Map<number, (() => void)[]>();
  private lastId = 0n;
  readonly rateLimited: RateLimitCounts = { global: 0, route: 0 };
  /** Arrival times of the requests that count towards the global limit in the last second, oldest first. */
  private readonly globalWindow: number[] = [];
  private readonly channelBuckets = new Map<string, { resetAt: number; remaining: number }>();

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly port: number,
    private readonly limits: DiscordLimits | undefined,
    private readonly gatewayShape: { recommendedShards: number; maxConcurrency: number },
    private readonly nonceWindowMs: number,
  ) {
    this.changes.setMaxListeners(100);
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const wss = new WebSocketServer({ noServer: true });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const fake = new FakeDiscord(
      server,
      wss,
      (server.address() as AddressInfo).port,
      options.limits,
      {
        recommendedShards: options.recommendedShards ?? 1,
        maxConcurrency: options.maxConcurrency ?? 1,
      },
      options.nonceWindowMs ?? 5 * 60_000,
    );
    const heartbeat = options.heartbeatIntervalMs ?? 1000;
    server.on("request", (req, res) => void fake.onRequest(req, res));
    server.on("upgrade", (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => fake.onConnection(ws, req, heartbeat));
    });
    return fake;
  }

  /** The answer to GET /gateway/bot, pointing at `path` on the fake gateway. */
  gatewayInfo(path = "/gateway"): JsonObject {
    return {
      url: `ws://127.0.0.1:${this.port}${path}`,
      shards: this.gatewayShape.recommendedShards,
      session_start_limit: {
        total: 1000,
        remaining: 999,
        reset_after: 86_400_000,
        max_concurrency: this.gatewayShape.maxConcurrency,
      },
    };
  }

  /** What goes into discord.js's `rest.api` (and DISCORD_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** A new id that, like Discord's, carries its creation time: history reads by `after` and `before` rely on it. */
  snowflake(): string {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    this.lastId = fromClock > this.lastId ? fromClock : this.lastId + 1n;
    return this.lastId.toString();
  }

  /** The next `times` requests matching method and path get this answer instead of the usual one. */
  script(response: ScriptedResponse): void {
    this.scripts.push({ ...response, left: response.times ?? 1, seen: 0 });
  }

  /** Resolves with the first value `check` returns that is not undefined, re-checking on every request and frame. */
  waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `fake Discord: gave up waiting for ${what}; saw ${this.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(", ")}`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.changes.off("change", attempt);
      };
      this.changes.on("change", attempt);
      attempt();
    });
  }

  /** The `index`-th (0-based) recorded call whose method matches and whose path matches `path`. */
  waitForCall(method: string, path: RegExp, index = 0): Promise<RecordedCall> {
    return this.waitFor(`${method} ${String(path)} #${index}`, () => this.callsTo(method, path)[index]);
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  framesWithOp(op: number): GatewayFrame[] {
    return this.frames.filter((f) => f.op === op);
  }

  /** Calls `listener` with every request as it is answered (the benchmarks time interaction callbacks with it). */
  onCall(listener: (call: RecordedCall) => void): void {
    this.changes.on("call", listener);
  }

  /**
   * Sends a dispatch (op 0) on shard `shardId`'s open connection, or without a shard on the newest connection
   * (the only one, when the client runs one shard).
   */
  dispatch(event: string, data: unknown, shardId?: number): void {
    this.send(this.connectionFor(shardId), event, data);
  }

  /** Delivers an interaction as Discord does over the gateway: on the connection of the shard that serves the guild. */
  interact(payload: JsonObject, shardId?: number): void {
    this.dispatch("INTERACTION_CREATE", payload, shardId);
  }

  /** Op 7: Discord asks the client to reconnect and resume (shard `shardId`, or the newest connection). */
  requestReconnect(shardId?: number): void {
    const connection =
      shardId === undefined ? this.open.at(-1) : this.open.findLast((c) => c.session?.shard[0] === shardId);
    connection?.ws.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Closes shard `shardId`'s connection (or the newest) with a gateway close code: 4010 (invalid shard) is one discord.js never retries. */
  closeConnection(code: number, shardId?: number): void {
    this.connectionFor(shardId).ws.close(code);
  }

  /**
   * IDENTIFYs for shard `shardId` get no READY until the returned function is called: a shard that is slow to
   * come up while the others are ready.
   */
  holdReady(shardId: number): () => void {
    this.heldReady.set(shardId, []);
    return () => {
      const waiting = this.heldReady.get(shardId) ?? [];
      this.heldReady.delete(shardId);
      for (const sendReady of waiting) sendReady();
    };
  }

  /** How many gateway connections are open now. */
  get openConnections(): number {
    return this.open.length;
  }

  async close(): Promise<void> {
    for (const connection of this.open) connection.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- gateway -------------------------------------------------------------------------------------

  private connectionFor(shardId: number | undefined): Connection {
    const connection =
      shardId === undefined ? this.open.at(-1) : this.open.findLast((c) => c.session?.shard[0] === shardId);
    if (!connection)
      throw new Error(
        `fake Discord: no open gateway connection${shardId === undefined ? "" : ` for shard ${shardId}`}`,
      );
    return connection;
  }

  private send(connection: Connection, event: string, data: unknown): void {
    connection.sequence += 1;
    if (connection.session) connection.session.sequence = connection.sequence;
    connection.ws.send(JSON.stringify({ op: 0, t: event, s: connection.sequence, d: data }));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, heartbeatIntervalMs: number): void {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const connection: Connection = { ws, path, sequence: 0 };
    this.open.push(connection);
    this.connections.push(path);
    ws.on("close", () => {
      this.open.splice(this.open.indexOf(connection), 1);
      this.changes.emit("change");
    });
    ws.on("message", (raw) => this.onFrame(connection, raw));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: heartbeatIntervalMs } }));
    this.changes.emit("change");
  }

  private onFrame(connection: Connection, raw: RawData): void {
    const text = Array.isArray(raw)
      ? Buffer.concat(raw).toString("utf8")
      : Buffer.from(raw as ArrayBuffer).toString("utf8");
    const frame = asObject(JSON.parse(text));
    const op = typeof frame["op"] === "number" ? frame["op"] : -1;
    const d = asObject(frame["d"]);
    switch (op) {
      case 1:
        connection.ws.send(JSON.stringify({ op: 11 }));
        break;
      case 2:
        this.identify(connection, shardOf(d["shard"]));
        break;
      case 6: {
        // A resume continues the session (and its sequence numbers) on the new connection.
        const session = typeof d["session_id"] === "string" ? this.sessionsById.get(d["session_id"]) : undefined;
        if (session) {
          connection.session = session;
          connection.sequence = session.sequence;
        }
        this.send(connection, "RESUMED", {});
        break;
      }
      default:
        break;
    }
    this.frames.push({
      path: connection.path,
      op,
      d: frame["d"],
      ...(connection.session && { shard: connection.session.shard }),
    });
    this.changes.emit("change");
  }

  /** A new session for the shard the client asked for, answered with READY (unless holdReady() holds it back). */
  private identify(connection: Connection, shard: [number, number]): void {
    const session: Session = { id: `fake-session-${this.identified.length + 1}`, shard, sequence: 0 };
    this.sessionsById.set(session.id, session);
    this.identified.push({ sessionId: session.id, shard });
    connection.session = session;
    connection.sequence = 0;
    const sendReady = () => {
      if (connection.ws.readyState !== connection.ws.OPEN) return;
      this.send(connection, "READY", {
        v: 10,
        user: BOT_USER,
        // A non-empty list would make discord.js wait for a GUILD_CREATE per guild before it is ready.
        guilds: [],
        session_id: session.id,
        resume_gateway_url: `ws://127.0.0.1:${this.port}/resume`,
        shard,
        application: { id: IDS.application, flags: 0 },
      });
    };
    const held = this.heldReady.get(shard[0]);
    if (held) held.push(sendReady);
    else sendReady();
  }

  // --- REST ----------------------------------------------------------------------------------------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Stamped before the body is read: rate checks count arrivals, and reading the body adds jitter.
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    const contentType = req.headers["content-type"];
    let body: unknown = raw;
    if (raw !== "" && contentType?.includes("application/json")) body = JSON.parse(raw);
    const call: RecordedCall = {
      method,
      path: decodeURIComponent(url.pathname),
      rawPath: url.pathname,
      query: url.search,
      contentType,
      body,
      status: 0,
      at,
    };
    const limited = this.rateLimit(call);
    if (limited) {
      call.status = 429;
      this.calls.push(call);
      res.writeHead(429, limited.headers);
      res.end(JSON.stringify(limited.body));
      this.changes.emit("change");
      return;
    }
    const script = this.scripted(call);
    if (script?.hang === true) {
      this.route(call);
      call.status = 0;
      // Never answered: the connection stays open until the client gives up or the fake closes.
      this.calls.push(call);
      this.changes.emit("call", call);
      this.changes.emit("change");
      return;
    }
    const handled = script === undefined || script.afterHandling ? this.route(call) : undefined;
    const answer = script?.answer ?? handled ?? this.route(call);
    call.status = answer.status;
    this.calls.push(call);
    res.writeHead(answer.status, { ...answer.headers, ...this.bucketHeaders(call) });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    this.changes.emit("call", call);
    this.changes.emit("change");
  }

  /** Like Discord: a 429 for the global limit (no warning beforehand) or a channel's message bucket (announced in headers). */
  private rateLimit(call: RecordedCall): { headers: Record<string, string>; body: unknown } | undefined {
    const limits = this.limits;
    if (!limits || /^\/api\/v10\/(interactions|webhooks)\//.test(call.path)) return undefined;
    const now = call.at;
    while (this.globalWindow.length > 0 && (this.globalWindow[0] ?? 0) <= now - 1000) this.globalWindow.shift();
    if (this.globalWindow.length >= limits.globalPerSecond) {
      this.rateLimited.global += 1;
      const retryAfter = Math.max(1, (this.globalWindow[0] ?? now) + 1000 - now) / 1000;
      return {
        headers: {
          "content-type": "application/json",
          "retry-after": String(Math.ceil(retryAfter)),
          "x-ratelimit-global": "true",
          "x-ratelimit-scope": "global",
        },
        body: { message: "You are being rate limited.", retry_after: retryAfter, global: true },
      };
    }
    const bucket = this.channelBucket(call);
    if (bucket && bucket.remaining <= 0) {
      this.rateLimited.route += 1;
      const retryAfter = (bucket.resetAt - now) / 1000;
      return {
        headers: {
          "content-type": "application/json",
          "retry-after": String(Math.ceil(retryAfter)),
          "x-ratelimit-scope": "user",
          ...this.bucketHeaders(call),
        },
        body: { message: "You are being rate limited.", retry_after: retryAfter, global: false },
      };
    }
    this.globalWindow.push(now);
    if (bucket) bucket.remaining -= 1;
    return undefined;
  }

  private channelBucket(call: RecordedCall): { resetAt: number; remaining: number } | undefined {
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(call.path)?.[1];
    if (!this.limits || call.method !== "POST" || channel === undefined) return undefined;
    const { limit, windowMs } = this.limits.channelMessages;
    let bucket = this.channelBuckets.get(channel);
    if (!bucket || bucket.resetAt <= call.at) {
      bucket = { resetAt: call.at + windowMs, remaining: limit };
      this.channelBuckets.set(channel, bucket);
    }
    return bucket;
  }

  private bucketHeaders(call: RecordedCall): Record<string, string> {
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(call.path)?.[1];
    const bucket = channel === undefined || call.method !== "POST" ? undefined : this.channelBuckets.get(channel);
    if (!this.limits || !bucket) return {};
    return {
      "x-ratelimit-limit": String(this.limits.channelMessages.limit),
      "x-ratelimit-remaining": String(Math.max(0, bucket.remaining)),
      "x-ratelimit-reset": String(bucket.resetAt / 1000),
      "x-ratelimit-reset-after": String(Math.max(0, bucket.resetAt - Date.now()) / 1000),
      "x-ratelimit-bucket": "fake-channel-messages",
    };
  }

  private scripted(call: RecordedCall):
    | {
        answer: { status: number; headers: Record<string, string>; body?: unknown };
        afterHandling: boolean;
        hang: boolean;
      }
    | undefined {
    const script = this.scripts.find((s) => {
      if (s.left <= 0 || s.method !== call.method || !s.path.test(call.path)) return false;
      s.seen += 1;
      return s.every === undefined || s.seen % s.every === 0;
    });
    if (!script) return undefined;
    script.left -= 1;
    const headers = { ...(script.body !== undefined && { "content-type": "application/json" }), ...script.headers };
    return {
      answer: { status: script.status, headers, body: script.body },
      afterHandling: script.afterHandling === true,
      hang: script.hang === true,
    };
  }

  /** Messages created in a channel. */
  messagesIn(channelId: string): JsonObject[] {
    return this.channelMessages.get(channelId) ?? [];
  }

  /** Every POST /channels/{id}/messages that reached the fake (429s excluded), whether or not it created a message. */
  createRequests(): RecordedCall[] {
    return this.calls.filter(
      (c) => c.method === "POST" && c.status !== 429 && /^\/api\/v10\/channels\/\d+\/messages$/.test(c.path),
    );
  }

  /**
   * Like Discord: with enforce_nonce, a second create with the same nonce in the channel within the window returns the
   * first message; past the window the nonce is forgotten and a second message is created.
   */
  private createChannelMessage(channelId: string, body: unknown): JsonObject {
    const sent = asObject(body);
    const nonce =
      typeof sent["nonce"] === "string" || typeof sent["nonce"] === "number" ? String(sent["nonce"]) : undefined;
    const key = nonce !== undefined && sent["enforce_nonce"] === true ? `${channelId}:${nonce}` : undefined;
    const existing = key === undefined ? undefined : this.nonces.get(key);
    if (existing && Date.now() - existing.at <= this.nonceWindowMs) {
      this.nonceRepeats.dropped += 1;
      return existing.message;
    }
    if (existing) this.nonceRepeats.pastWindow += 1;
    const message = { ...this.message(body, undefined, channelId), ...(nonce !== undefined && { nonce }) };
    if (key !== undefined) this.nonces.set(key, { message, at: Date.now() });
    this.channelMessages.set(channelId, [...this.messagesIn(channelId), message]);
    return message;
  }

  /**
   * GET /channels/{id}/messages as Discord answers it: newest first, at most `limit` (default 50, at most 100), after or
   * before a message id. Unlike Discord's, the returned messages carry no nonce (Discord returns one only on create).
   */
  private channelHistory(channelId: string, query: string): JsonObject[] {
    const params = new URLSearchParams(query);
    const limit = Math.min(100, Number(params.get("limit") ?? "50"));
    const after = params.get("after");
    const before = params.get("before");
    const id = (m: JsonObject) => BigInt(String(m["id"]));
    let messages = this.messagesIn(channelId).map(({ nonce: _nonce, ...rest }) => rest);
    if (after !== null) messages = messages.filter((m) => id(m) > BigInt(after)).slice(0, limit);
    else {
      if (before !== null) messages = messages.filter((m) => id(m) < BigInt(before));
      messages = messages.slice(-limit);
    }
    return messages.reverse();
  }

  private route(call: RecordedCall): { status: number; headers: Record<string, string>; body?: unknown } {
    const json = (body: unknown, status = 200) => ({ status, headers: { "content-type": "application/json" }, body });
    const noContent = { status: 204, headers: {} };
    const path = call.path.startsWith(API) ? call.path.slice(API.length) : call.path;
    const parts = path.split("/").filter(Boolean);
    const [first, second, third, fourth, fifth] = parts;

    if (call.method === "GET" && path === "/gateway/bot") {
      return json(this.gatewayInfo());
    }
    if (call.method === "GET" && path === "/users/@me") return json(BOT_USER);
    // Discord answers 204 with no body; with a JSON content type discord.js would try to parse the empty body.
    if (call.method === "POST" && first === "interactions" && parts.length === 4 && fourth === "callback") {
      return call.query.includes("with_response=true") ? json({ interaction: { id: second, type: 2 } }) : noContent;
    }
    if (first === "webhooks" && second === IDS.application && third !== undefined) {
      if (call.method === "POST" && parts.length === 3) return json(this.message(call.body));
      if (fourth === "messages" && fifth !== undefined && parts.length === 5) {
        if (call.method === "PATCH" || call.method === "GET")
          return json(this.message(call.body, fifth === "@original" ? undefined : fifth));
        if (call.method === "DELETE") return noContent;
      }
    }
    if (
      first === "channels" &&
      second !== undefined &&
      third === "messages" &&
      parts.length === 3 &&
      call.method === "POST"
    ) {
      return json(this.createChannelMessage(second, call.body));
    }
    if (first === "channels" && second !== undefined && third === "messages" && parts.length === 3) {
      if (call.method === "GET") return json(this.channelHistory(second, call.query));
    }
    if (first === "applications" && second === IDS.application) {
      const scope =
        parts.length === 3 && third === "commands"
          ? "global"
          : fourth !== undefined && third === "guilds" && fifth === "commands" && parts.length === 5
            ? fourth
            : undefined;
      if (scope !== undefined && call.method === "GET") return json(this.storedCommands.get(scope) ?? []);
      if (scope !== undefined && call.method === "PUT" && Array.isArray(call.body)) {
        const stored = call.body.map((c) => this.storeCommand(asObject(c), scope));
        this.storedCommands.set(scope, stored);
        return json(stored);
      }
    }
    this.unknownRoutes.push(`${call.method} ${call.path}`);
    return json({ message: "404: Not Found", code: 0 }, 404);
  }

  private message(body: unknown, id?: string, channelId: string = IDS.channel): JsonObject {
    const sent = asObject(body);
    return botMessage({
      id: id ?? this.snowflake(),
      channel_id: channelId,
      type: 0,
      content: typeof sent["content"] === "string" ? sent["content"] : "",
      embeds: Array.isArray(sent["embeds"]) ? sent["embeds"] : [],
      components: Array.isArray(sent["components"]) ? sent["components"] : [],
      flags: typeof sent["flags"] === "number" ? sent["flags"] : 0,
      timestamp: new Date().toISOString(),
    });
  }

  /** What Discord gives back for a command: ids, a version and defaults added; `required: false` left out. */
  private storeCommand(command: JsonObject, scope: string): JsonObject {
    const trimOption = (raw: unknown): JsonObject => {
      const { required, options, ...rest } = asObject(raw);
      return {
        ...rest,
        ...(required === true && { required: true }),
        ...(Array.isArray(options) && { options: options.map(trimOption) }),
      };
    };
    return {
      id: this.snowflake(),
      application_id: IDS.application,
      version: this.snowflake(),
      default_member_permissions: null,
      type: 1,
      dm_permission: true,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...command,
      ...(Array.isArray(command["options"]) && { options: command["options"].map(trimOption) }),
      ...(scope !== "global" && { guild_id: scope }),
    };
  }
}

// --- interaction payloads, shaped like Discord's -----------------------------------------------------

let interactionCounter = 0;

/** A message the bot sent, as Discord returns it: `fields` plus the author and the defaults every message carries. */
function botMessage(fields: JsonObject): JsonObject {
  return {
    author: BOT_USER,
    application_id: IDS.application,
    webhook_id: IDS.application,
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
    ...fields,
  };
}

function interactionBase(where: "guild" | "dm", user: JsonObject, permissions = "2248473465835073"): JsonObject {
  interactionCounter += 1;
  const id = (1_310_000_000_000_000_000n + BigInt(interactionCounter)).toString();
  const inGuild = where === "guild";
  return {
    id,
    application_id: IDS.application,
    token: `fake-interaction-token-${interactionCounter}`,
    version: 1,
    locale: "en-GB",
    // The bot was invited without permissions; it answers through the interaction, which needs none.
    app_permissions: "0",
    entitlements: [],
    attachment_size_limit: 10_485_760,
    authorizing_integration_owners: { "0": inGuild ? IDS.guild : "0" },
    context: inGuild ? 0 : 1,
    ...(inGuild
      ? {
          guild_id: IDS.guild,
          guild_locale: "en-US",
          guild: { id: IDS.guild, locale: "en-US", features: [] },
          channel_id: IDS.channel,
          channel: {
            id: IDS.channel,
            type: 0,
            guild_id: IDS.guild,
            name: "news",
            position: 0,
            permissions: "0",
            flags: 0,
          },
          member: {
            user,
            roles: [],
            nick: null,
            avatar: null,
            joined_at: "2024-05-01T10:00:00.000Z",
            deaf: false,
            mute: false,
            flags: 0,
            pending: false,
            permissions,
          },
        }
      : {
          channel_id: IDS.dmChannel,
          channel: { id: IDS.dmChannel, type: 1, flags: 0, recipients: [user] },
          user,
        }),
  };
}

export interface CommandOptions {
  subcommand?: string;
  options?: Record<string, string>;
  where?: "guild" | "dm";
  user?: JsonObject;
  /** The member's permissions in the channel as Discord computes them (a bit-set string); a plain member's by default. */
  permissions?: string;
}

/** Permission bits of a member who may manage the channel (plain member's bits plus Manage Channels, 16). */
export const MANAGER_PERMISSIONS = (2248473465835073n | 16n).toString();

/** A chat-input command (type 2), e.g. /hostages summary or /who name:boehler. */
export function commandInteraction(name: string, opts: CommandOptions = {}): JsonObject {
  const values = Object.entries(opts.options ?? {}).map(([optionName, value]) => ({
    type: 3,
    name: optionName,
    value,
  }));
  const options = opts.subcommand === undefined ? values : [{ type: 1, name: opts.subcommand, options: values }];
  return {
    ...interactionBase(opts.where ?? "guild", opts.user ?? ASKER, opts.permissions),
    type: 2,
    data: { id: "1200000000000000001", name, type: 1, options },
  };
}

/** An autocomplete request (type 4) while the user types `value` into option `option`. */
export function autocompleteInteraction(name: string, option: string, value: string, subcommand?: string): JsonObject {
  const focused = [{ type: 3, name: option, value, focused: true }];
  return {
    ...interactionBase("guild", ASKER),
    type: 4,
    data: {
      id: "1200000000000000002",
      name,
      type: 1,
      options: subcommand === undefined ? focused : [{ type: 1, name: subcommand, options: focused }],
    },
  };
}

/** A button click (type 3) on an ephemeral answer the bot sent earlier. */
export function buttonInteraction(customId: string, opts: { user?: JsonObject } = {}): JsonObject {
  const base = interactionBase("guild", opts.user ?? ASKER);
  return {
    ...base,
    type: 3,
    data: { custom_id: customId, component_type: 2 },
    message: botMessage({
      id: "1300000000000000999",
      channel_id: IDS.channel,
      type: 20,
      content: "",
      embeds: [],
      components: [{ type: 1, components: [{ type: 2, custom_id: customId, label: "Share in channel", style: 1 }] }],
      flags: 64,
      timestamp: "2026-03-05T10:00:00.000Z",
    }),
  };
}
