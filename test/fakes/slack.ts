// A fake Slack on 127.0.0.1: Web API methods, response_url sinks and a Socket Mode WebSocket, recording what arrives.
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface ApiCall {
  method: string;
  authorization: string | undefined;
  /** Form fields or JSON, with JSON-valued fields (blocks) left as the strings Slack receives. */
  body: Record<string, unknown>;
}

export interface ResponseUrlPost {
  path: string;
  body: Record<string, unknown>;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Read the request, then drop the connection without answering: "did it post or not?" */
  reset?: boolean;
}

/** What users.info says about a user (admin, owner), for the digest permission check. */
export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

type Waiter = { check: () => boolean; resolve: () => void };

export const FAKE_TEAM = "T0FAKE0001";
export const FAKE_BOT_USER = "U0FAKEBOT1";
/** Slack puts a one-time ticket in the Socket Mode URL; it must never be logged. */
export const SOCKET_TICKET = "b2f0c1d7-3a4e-4f5b-9c6d-7e8f9a0b1c2d";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === "") return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

export class FakeSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  /** Acks received over Socket Mode, by envelope id. */
  readonly socketAcks: { envelope_id: string; payload?: unknown }[] = [];
  readonly unknownRoutes: string[] = [];
  /** Messages chat.postMessage accepted, per channel id, in order. */
  readonly posted = new Map<string, { ts: string; text: unknown; blocks: unknown; at: number }[]>();
  /** Users users.info knows; any other id gets user_not_found. */
  readonly users = new Map<string, FakeUser>();
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private readonly waiters: Waiter[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private tsCounter = 0;
  /** Holds each response_url answer this long, to keep a command "under way" in tests. */
  respondDelayMs = 0;
  /** chat.postMessage per channel per rolling window (Slack: 1 per second); off unless set. */
  perChannelLimit: { limit: number; windowMs: number } | undefined;
  /** chat.postMessage calls refused with 429 by perChannelLimit. */
  rateLimitedPosts = 0;
  private readonly channelWindows = new Map<string, number[]>();

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: "/socket" });
    this.wss.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString("utf8")) as { envelope_id?: string; payload?: unknown };
        if (typeof message.envelope_id === "string") this.socketAcks.push({ envelope_id: message.envelope_id, payload: message.payload });
        this.notify();
      });
      socket.on("close", () => {
        this.sockets.delete(socket);
        this.notify();
      });
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0FAKEAPP1" } }));
      this.notify();
    });
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    await new Promise<void>((resolve) => fake.server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Base URL for the Web API client (SLACK_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url that this fake records, distinct per name. */
  responseUrl(name: string): string {
    return `http://127.0.0.1:${this.port}/respond/${name}`;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  /** The next calls to `method` get these answers, in order, before the defaults resume. */
  script(method: string, answers: ScriptedAnswer[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...answers]);
  }

  /** Messages posted in a channel. */
  messagesIn(channel: string): { ts: string; text: unknown; blocks: unknown; at: number }[] {
    return this.posted.get(channel) ?? [];
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `check` holds, re-checked on every request and socket message; rejects after `ms`. */
  waitFor(check: () => boolean, ms = 5000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { check, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`fake Slack: condition not met within ${ms} ms (calls: ${this.calls.map((c) => c.method).join(", ")})`));
        }
      }, ms).unref();
    });
  }

  /** Sends a Socket Mode envelope to every connected client. */
  sendEnvelope(envelope: { envelope_id: string; type: string; payload: unknown; accepts_response_payload?: boolean }): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(envelope));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = parseBody(await readBody(req), req.headers["content-type"]);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };

    if (url.pathname.startsWith("/respond/")) {
      if (this.respondDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.respondDelayMs));
      this.responses.push({ path: url.pathname.slice("/respond/".length), body });
      send(200, { ok: true });
    } else if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      this.calls.push({ method, authorization: req.headers.authorization, body });
      const scripted = this.scripts.get(method)?.shift();
      if (scripted?.reset === true) {
        req.socket.destroy();
        this.notify();
        return;
      }
      const retryAfter = scripted ? undefined : this.channelRetryAfter(method, body);
      if (scripted) send(scripted.status, scripted.body, scripted.headers);
      else if (retryAfter !== undefined) send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(retryAfter) });
      else send(200, this.defaultAnswer(method, body));
    } else {
      this.unknownRoutes.push(`${req.method ?? "?"} ${url.pathname}`);
      send(404, { ok: false, error: "unknown_route" });
    }
    this.notify();
  }

  /** Seconds to wait when a post would break the per-channel limit (Slack sends whole seconds), else undefined. */
  private channelRetryAfter(method: string, body: Record<string, unknown>): number | undefined {
    if (!this.perChannelLimit || method !== "chat.postMessage") return undefined;
    const { limit, windowMs } = this.perChannelLimit;
    const channel = String(body["channel"]);
    const now = Date.now();
    const recent = (this.channelWindows.get(channel) ?? []).filter((at) => at > now - windowMs);
    this.channelWindows.set(channel, recent);
    if (recent.length >= limit) {
      this.rateLimitedPosts += 1;
      return Math.max(1, Math.ceil(((recent[0] ?? now) + windowMs - now) / 1000));
    }
    recent.push(now);
    return undefined;
  }

  private defaultAnswer(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://fake.slack.test/", team: "Fake", user: "newsbot", team_id: FAKE_TEAM, user_id: FAKE_BOT_USER, bot_id: "B0FAKEBOT1" };
      case "apps.connections.open":
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${SOCKET_TICKET}&app_id=A0FAKEAPP1` };
      case "chat.postMessage": {
        this.tsCounter += 1;
        const ts = `1700000000.${String(this.tsCounter).padStart(6, "0")}`;
        const channel = String(body["channel"]);
        this.posted.set(channel, [...this.messagesIn(channel), { ts, text: body["text"], blocks: body["blocks"], at: Date.now() }]);
        return { ok: true, channel, ts, message: {} };
      }
      case "users.info": {
        const user = this.users.get(String(body["user"]));
        if (!user) return { ok: false, error: "user_not_found" };
        return { ok: true, user: { id: body["user"], team_id: FAKE_TEAM, name: "someone", is_admin: false, is_owner: false, is_primary_owner: false, ...user } };
      }
      default:
        this.unknownRoutes.push(`api ${method}`);
        return { ok: false, error: "unknown_method" };
    }
  }
}

/** Headers Slack would send with `body`, signed with `secret` at `timestamp` (seconds). */
export function slackSignature(secret: string, timestamp: number, body: string): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  };
}
