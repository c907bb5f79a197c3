// A fake Slack on 127.0.0.1: Web API methods, OAuth installs in many workspaces, response_url sinks and a Socket Mode WebSocket.
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface ApiCall {
  method: string;
  authorization: string | undefined;
  /** With workspaces registered: the workspace whose token the call carried, if any. */
  team?: string;
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
  /** Handle the request as usual (post the message), then never answer: "it posted, and the answer was lost". */
  hang?: boolean;
}

/** What users.info says about a user (admin, owner), for the digest permission check. */
export interface FakeUser {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
}

/** A workspace that installs the app through the fake's OAuth flow (see addWorkspace). */
export interface FakeWorkspace {
  id: string;
  name: string;
  botUserId: string;
  botId: string;
  /** The person who clicks "Allow". */
  installerId: string;
  /** Set: installs hand out expiring bot tokens with a refresh token (token rotation), valid this many seconds. */
  tokenExpiresIn?: number;
}

interface IssuedToken {
  team: string;
  kind: "bot" | "refresh";
  revoked: boolean;
  /** ms since the epoch; bot tokens under rotation only. */
  expiresAt?: number;
}

type Waiter = { check: () => boolean; resolve: () => void };

export const FAKE_TEAM = "T0FAKE0001";
export const FAKE_BOT_USER = "U0FAKEBOT1";
export const FAKE_APP_ID = "A0FAKEAPP1";
/** What a refreshed rotating token lasts, as Slack's: 12 hours. */
export const REFRESHED_TOKEN_SECONDS = 43_200;
const DEFAULT_SCOPES = "commands,chat:write,users:read,channels:history,groups:history";
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
  /** Microseconds of the last message ts handed out: each ts, like Slack's, is its posting time and unique. */
  private lastTsMicros = 0;
  /** Holds each response_url answer this long, to keep a command "under way" in tests. */
  respondDelayMs = 0;
  /** Holds each chat.postMessage answer this long after posting: a fan-out killed midway leaves posts unrecorded. */
  postAnswerDelayMs = 0;
  /** chat.postMessage per channel per rolling window (Slack: 1 per second); off unless set. */
  perChannelLimit: { limit: number; windowMs: number } | undefined;
  /** chat.postMessage calls refused with 429 by perChannelLimit. */
  rateLimitedPosts = 0;
  private readonly channelWindows = new Map<string, number[]>();
  /**
   * Workspaces that can install the app. Once one is added, every Web API call must carry a token the fake issued:
   * unknown → invalid_auth, revoked → token_revoked, expired → token_expired. Without any, any token is accepted.
   */
  readonly workspaces = new Map<string, FakeWorkspace>();
  /** Every access and refresh token handed out, so a test can look for them where they must not be. */
  readonly issuedTokens: string[] = [];
  /** Visits to the authorize page, with their query (client_id, scope, state, redirect_uri). */
  readonly authorizeVisits: URL[] = [];
  /** Where the authorize page sends the browser back when the request names no redirect_uri (the app's configured URL). */
  redirectUrl: string | undefined;
  private oauthApp: { clientId: string; clientSecret: string } | undefined;
  private readonly tokens = new Map<string, IssuedToken>();
  /** One-time OAuth codes: code → workspace id and the scopes asked for. */
  private readonly codes = new Map<string, { team: string; scope: string }>();
  private approving: string | undefined;

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: "/socket" });
    this.wss.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("message", (data: Buffer) => {
        const message = JSON.parse(data.toString("utf8")) as { envelope_id?: string; payload?: unknown };
        if (typeof message.envelope_id === "string")
          this.socketAcks.push({ envelope_id: message.envelope_id, payload: message.payload });
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

  /** Slack's authorize page on this fake (the adapter's authorizationUrl). */
  get authorizeUrl(): string {
    return `http://127.0.0.1:${this.port}/oauth/v2/authorize`;
  }

  /** The app's credentials, which oauth.v2.access checks. */
  registerApp(clientId: string, clientSecret: string): void {
    this.oauthApp = { clientId, clientSecret };
  }

  /** A workspace that may install the app; turns on token checking for every Web API call (see `workspaces`). */
  addWorkspace(workspace: { id: string; name?: string; tokenExpiresIn?: number }): FakeWorkspace {
    const suffix = workspace.id.slice(-4);
    const added: FakeWorkspace = {
      id: workspace.id,
      name: workspace.name ?? `Workspace ${suffix}`,
      botUserId: `U0BOT${suffix}`,
      botId: `B0BOT${suffix}`,
      installerId: `U0ADM${suffix}`,
      ...(workspace.tokenExpiresIn !== undefined && { tokenExpiresIn: workspace.tokenExpiresIn }),
    };
    this.workspaces.set(added.id, added);
    return added;
  }

  /** The next visit to the authorize page installs in this workspace, as if its admin clicked "Allow". */
  approveAs(teamId: string): void {
    this.approving = teamId;
  }

  /** A one-time code for the workspace, as the authorize page would put in the redirect. */
  issueCode(teamId: string, scope = DEFAULT_SCOPES): string {
    const code = `code-${teamId}-${randomBytes(6).toString("hex")}`;
    this.codes.set(code, { team: teamId, scope });
    return code;
  }

  /** The workspace's newest bot token that still works, if any. */
  botTokenOf(teamId: string): string | undefined {
    return [...this.tokens.entries()]
      .reverse()
      .find(([, t]) => t.team === teamId && t.kind === "bot" && !t.revoked)?.[0];
  }

  /** What Slack does on an uninstall or a revocation: every token of the workspace stops working. */
  revokeTokens(teamId: string): void {
    for (const token of this.tokens.values()) if (token.team === teamId) token.revoked = true;
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
          reject(
            new Error(
              `fake Slack: condition not met within ${ms} ms (calls: ${this.calls.map((c) => c.method).join(", ")})`,
            ),
          );
        }
      }, ms).unref();
    });
  }

  /** Sends a Socket Mode envelope to every connected client. */
  sendEnvelope(envelope: {
    envelope_id: string;
    type: string;
    payload: unknown;
    accepts_response_payload?: boolean;
  }): void {
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
    } else if (url.pathname === "/oauth/v2/authorize" && req.method === "GET") {
      this.authorizePage(url, res);
    } else if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      const auth = this.checkToken(method, req.headers.authorization, body);
      this.calls.push({
        method,
        authorization: req.headers.authorization,
        body,
        ...(auth.team !== undefined && { team: auth.team.id }),
      });
      if (auth.error !== undefined) {
        send(200, { ok: false, error: auth.error });
        this.notify();
        return;
      }
      const scripted = this.scripts.get(method)?.shift();
      if (scripted?.hang === true) {
        this.defaultAnswer(method, body, auth.team, req.headers.authorization);
        this.notify();
        return;
      }
      if (scripted?.reset === true) {
        req.socket.destroy();
        this.notify();
        return;
      }
      const retryAfter = scripted ? undefined : this.channelRetryAfter(method, body);
      if (scripted) send(scripted.status, scripted.body, scripted.headers);
      else if (retryAfter !== undefined)
        send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(retryAfter) });
      else {
        const answer = this.defaultAnswer(method, body, auth.team, req.headers.authorization);
        if (method === "chat.postMessage" && this.postAnswerDelayMs > 0) {
          this.notify();
          await new Promise((resolve) => setTimeout(resolve, this.postAnswerDelayMs));
        }
        send(200, answer);
      }
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

  /**
   * conversations.history as Slack answers it: the channel's messages newest first, those after `oldest` (a ts), `limit`
   * a page (default 100), then a cursor to the next page while there are more.
   */
  private history(body: Record<string, unknown>): unknown {
    const oldest = Number(body["oldest"] ?? "0");
    const limit = Number(body["limit"] ?? "100");
    const offset = Number(body["cursor"] ?? "0");
    const newestFirst = this.messagesIn(String(body["channel"]))
      .filter((m) => Number(m.ts) > oldest)
      .reverse();
    const page = newestFirst.slice(offset, offset + limit).map((m) => ({
      type: "message",
      ts: m.ts,
      text: m.text,
      blocks: typeof m.blocks === "string" ? (JSON.parse(m.blocks) as unknown) : m.blocks,
      bot_id: "B0FAKEBOT1",
      app_id: FAKE_APP_ID,
    }));
    const more = offset + limit < newestFirst.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(offset + limit) : "" },
    };
  }

  /** Slack's consent page, already agreed to: straight back to the app with a code for the approving workspace. */
  private authorizePage(url: URL, res: ServerResponse): void {
    this.authorizeVisits.push(url);
    const page = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(`<html><body>${text}</body></html>`);
    };
    if (this.oauthApp === undefined || url.searchParams.get("client_id") !== this.oauthApp.clientId)
      return page(400, "invalid_client_id");
    const team = this.approving;
    const back = url.searchParams.get("redirect_uri") ?? this.redirectUrl;
    if (team === undefined || back === undefined) return page(200, "Choose a workspace");
    this.approving = undefined;
    const target = new URL(back);
    target.searchParams.set("code", this.issueCode(team, url.searchParams.get("scope") ?? DEFAULT_SCOPES));
    const state = url.searchParams.get("state");
    if (state !== null) target.searchParams.set("state", state);
    res.writeHead(302, { location: target.href });
    res.end();
  }

  /** With workspaces registered, the workspace a call's token belongs to, or Slack's error for a token that does not work. */
  private checkToken(
    method: string,
    authorization: string | undefined,
    body: Record<string, unknown>,
  ): { team?: FakeWorkspace; error?: string } {
    if (this.workspaces.size === 0 || method === "oauth.v2.access" || method === "apps.connections.open") return {};
    const token = authorization?.startsWith("Bearer ")
      ? authorization.slice("Bearer ".length)
      : typeof body["token"] === "string"
        ? body["token"]
        : undefined;
    if (token === undefined) return { error: "not_authed" };
    const issued = this.tokens.get(token);
    if (issued === undefined || issued.kind !== "bot") return { error: "invalid_auth" };
    if (issued.revoked) return { error: "token_revoked" };
    if (issued.expiresAt !== undefined && issued.expiresAt <= Date.now()) return { error: "token_expired" };
    const team = this.workspaces.get(issued.team);
    return team === undefined ? { error: "invalid_auth" } : { team };
  }

  private mint(team: string, kind: IssuedToken["kind"], expiresIn?: number): string {
    const random = randomBytes(12).toString("hex");
    // Shapes of Slack's own: rotating tokens carry the xoxe. prefix, refresh tokens are xoxe-.
    const token =
      kind === "refresh"
        ? `xoxe-1-${random}`
        : expiresIn !== undefined
          ? `xoxe.xoxb-1-${random}`
          : `xoxb-${team}-${random}`;
    this.tokens.set(token, {
      team,
      kind,
      revoked: false,
      ...(expiresIn !== undefined && { expiresAt: Date.now() + expiresIn * 1000 }),
    });
    this.issuedTokens.push(token);
    return token;
  }

  /** oauth.v2.access: a code for an installation, or (grant_type=refresh_token) a refresh token for a new bot token. */
  private oauthAccess(body: Record<string, unknown>, authorization: string | undefined): unknown {
    // Slack takes the client's credentials in the form or as HTTP Basic auth.
    let clientId = body["client_id"];
    let clientSecret = body["client_secret"];
    if (authorization?.startsWith("Basic ")) {
      [clientId, clientSecret] = Buffer.from(authorization.slice("Basic ".length), "base64")
        .toString("utf8")
        .split(":");
    }
    if (this.oauthApp === undefined || clientId !== this.oauthApp.clientId)
      return { ok: false, error: "invalid_client_id" };
    if (clientSecret !== this.oauthApp.clientSecret) return { ok: false, error: "bad_client_secret" };
    if (body["grant_type"] === "refresh_token") {
      const refreshToken = String(body["refresh_token"]);
      const refresh = this.tokens.get(refreshToken);
      const team = refresh && this.workspaces.get(refresh.team);
      if (refresh?.kind !== "refresh" || refresh.revoked || team === undefined)
        return { ok: false, error: "invalid_refresh_token" };
      // Stricter than needed: the old refresh token stops working, so an app that kept it fails its next refresh.
      refresh.revoked = true;
      return this.grant(team, DEFAULT_SCOPES, REFRESHED_TOKEN_SECONDS, false);
    }
    const code = String(body["code"]);
    const granted = this.codes.get(code);
    this.codes.delete(code);
    const team = granted && this.workspaces.get(granted.team);
    if (granted === undefined || team === undefined) return { ok: false, error: "invalid_code" };
    return this.grant(team, granted.scope, team.tokenExpiresIn, true);
  }

  private grant(team: FakeWorkspace, scope: string, expiresIn: number | undefined, install: boolean): unknown {
    const accessToken = this.mint(team.id, "bot", expiresIn);
    return {
      ok: true,
      app_id: FAKE_APP_ID,
      ...(install && { authed_user: { id: team.installerId } }),
      scope,
      token_type: "bot",
      access_token: accessToken,
      bot_user_id: team.botUserId,
      team: { id: team.id, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
      ...(expiresIn !== undefined && { refresh_token: this.mint(team.id, "refresh"), expires_in: expiresIn }),
    };
  }

  private defaultAnswer(
    method: string,
    body: Record<string, unknown>,
    team: FakeWorkspace | undefined,
    authorization: string | undefined,
  ): unknown {
    switch (method) {
      case "oauth.v2.access":
        return this.oauthAccess(body, authorization);
      case "auth.test":
        if (team !== undefined) {
          return {
            ok: true,
            url: `https://${team.id.toLowerCase()}.slack.test/`,
            team: team.name,
            user: "newsbot",
            team_id: team.id,
            user_id: team.botUserId,
            bot_id: team.botId,
          };
        }
        return {
          ok: true,
          url: "https://fake.slack.test/",
          team: "Fake",
          user: "newsbot",
          team_id: FAKE_TEAM,
          user_id: FAKE_BOT_USER,
          bot_id: "B0FAKEBOT1",
        };
      case "apps.connections.open":
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket?ticket=${SOCKET_TICKET}&app_id=A0FAKEAPP1` };
      case "conversations.history":
        return this.history(body);
      case "chat.postMessage": {
        this.lastTsMicros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
        const ts = `${Math.floor(this.lastTsMicros / 1e6)}.${String(this.lastTsMicros % 1e6).padStart(6, "0")}`;
        const channel = String(body["channel"]);
        this.posted.set(channel, [
          ...this.messagesIn(channel),
          { ts, text: body["text"], blocks: body["blocks"], at: Date.now() },
        ]);
        return { ok: true, channel, ts, message: {} };
      }
      case "users.info": {
        const user = this.users.get(String(body["user"]));
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: {
            id: body["user"],
            team_id: team?.id ?? FAKE_TEAM,
            name: "someone",
            is_admin: false,
            is_owner: false,
            is_primary_owner: false,
            ...user,
          },
        };
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

/** The Events API envelope Slack posts to /slack/events, signed with `secret` (JSON, unlike commands). */
export function signedEvent(
  secret: string,
  teamId: string,
  event: Record<string, unknown>,
  timestamp = Math.floor(Date.now() / 1000),
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    token: "legacy-verification-token",
    team_id: teamId,
    api_app_id: FAKE_APP_ID,
    event: { ...event, event_ts: `${timestamp}.000100` },
    type: "event_callback",
    event_id: `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
    event_time: timestamp,
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: "U0BOTUSER1", is_bot: true, is_enterprise_install: false },
    ],
  });
  return { body, headers: { ...slackSignature(secret, timestamp, body), "content-type": "application/json" } };
}

/** app_uninstalled, as Slack sends it when a workspace removes the app. */
export function appUninstalledEvent(secret: string, teamId: string): { body: string; headers: Record<string, string> } {
  return signedEvent(secret, teamId, { type: "app_uninstalled" });
}

/** tokens_revoked: `bot` lists bot user ids, `oauth` user ids, whose tokens were revoked. */
export function tokensRevokedEvent(
  secret: string,
  teamId: string,
  tokens: { oauth?: string[]; bot?: string[] },
): { body: string; headers: Record<string, string> } {
  return signedEvent(secret, teamId, { type: "tokens_revoked", tokens });
}

/** The form body Slack posts when a user clicks a button on one of the bot's messages (a block_actions payload). */
export function buttonClickBody(click: {
  teamId: string;
  channelId: string;
  responseUrl: string;
  actionId: string;
  value: string;
}): string {
  const payload = {
    type: "block_actions",
    team: { id: click.teamId, domain: "fake" },
    user: { id: "U0DANA0001", username: "dana", name: "dana", team_id: click.teamId },
    api_app_id: "A0FAKEAPP1",
    token: "legacy-verification-token",
    container: { type: "message", message_ts: "1700000000.000001", channel_id: click.channelId, is_ephemeral: true },
    trigger_id: "1234.5678.abcd",
    channel: { id: click.channelId, name: "newsroom" },
    response_url: click.responseUrl,
    actions: [
      {
        type: "button",
        action_id: click.actionId,
        block_id: "b1",
        value: click.value,
        text: { type: "plain_text", text: "x" },
        action_ts: "1700000001.000002",
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
