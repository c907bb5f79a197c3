// Slack in many workspaces: the real Bolt OAuth install flow, per-workspace tokens, uninstalls and token rotation, on a fake Slack.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackDigestPoster } from "../../../src/adapters/slack/digest-poster.js";
import {
  NOT_INSTALLED_REASON,
  REVOKED_REASON,
  SlackInstallations,
  UNINSTALLED_REASON,
} from "../../../src/adapters/slack/installations.js";
import { SLACK_BOT_SCOPES, type SlackAdapter } from "../../../src/adapters/slack/slack-adapter.js";
import type { Installation } from "@slack/oauth";
import { digestMessages } from "../../../src/scheduler/sender.js";
import { SecretBox } from "../../../src/adapters/slack/secret-box.js";
import { openPostgresStore } from "../../../src/store/postgres-store.js";
import { openSqliteStore, type SqliteStore } from "../../../src/store/sqlite-store.js";
import { LogReader, spawnBot } from "../../bot-process.js";
import {
  FakeSlack,
  REFRESHED_TOKEN_SECONDS,
  appUninstalledEvent,
  buttonClickBody,
  slackSignature,
  tokensRevokedEvent,
} from "../../fakes/slack.js";
import { loadRealContent, projectRoot } from "../../helpers.js";
import { postgresSuite, testSchema, withClient, type TestSchema } from "../../postgres.js";
import { RecordingLogger } from "../../recording-logger.js";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  INSTALLATION_KEY,
  SIGNING_SECRET,
  STATE_SECRET,
  installThroughOAuth,
  startOAuthAdapter,
} from "./oauth-harness.js";

const STATE_COOKIE = "slack-app-oauth-state";

const content = loadRealContent();
let fake: FakeSlack;
let store: SqliteStore;
let databaseFile: string;
let adapter: SlackAdapter;
let poster: SlackDigestPoster;
/** The Web API methods called while the adapter started, before any test ran. */
let methodsAtStart: string[];
const logger = new RecordingLogger();
const box = SecretBox.fromKeyText(INSTALLATION_KEY);

function base(): string {
  return `http://127.0.0.1:${adapter.port ?? 0}`;
}

function stateCookieOf(response: Response): string {
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(cookie.startsWith(`${STATE_COOKIE}=`)).toBe(true);
  return cookie;
}

/** A browser installing the app: our install link, Slack's consent page (approved), then back to our redirect with the cookie. */
async function install(teamId: string): Promise<{ response: Response; authorizeUrl: URL; cookie: string }> {
  const { response, start, approved, authorizeUrl, cookie } = await installThroughOAuth(fake, adapter, teamId);
  expect(start.status).toBe(302);
  expect(cookie).toBe(stateCookieOf(start));
  expect(approved.status).toBe(302);
  return { response, authorizeUrl, cookie };
}

async function storedInstallation(teamId: string): Promise<Installation | undefined> {
  const key = `slack:${teamId}`;
  const stored = await store.getInstallation(key);
  return stored && (JSON.parse(box.open(stored.sealed, key)) as Installation);
}

/** A signed slash command from `user` in `teamId`, as Slack posts it to /slack/events. */
function postCommand(teamId: string, user: string, line: string, responseName: string): Promise<Response> {
  const [name = "", ...words] = line.split(" ");
  const body = new URLSearchParams({
    team_id: teamId,
    team_domain: "fake",
    channel_id: "C0NEWSROOM1",
    channel_name: "newsroom",
    user_id: user,
    user_name: "dana",
    command: name,
    text: words.join(" "),
    api_app_id: "A0FAKEAPP1",
    response_url: fake.responseUrl(responseName),
    trigger_id: "1.2.3",
  }).toString();
  return fetch(`${base()}/slack/events`, {
    method: "POST",
    headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    body,
  });
}

/** The answer to a slash command, from the acknowledgement or the response_url. */
async function command(teamId: string, user: string, line: string, responseName: string): Promise<string> {
  const response = await postCommand(teamId, user, line, responseName);
  expect(response.status).toBe(200);
  const ack = await response.text();
  if (ack !== "") return ack;
  await fake.waitFor(() => fake.responses.some((r) => r.path === responseName));
  return JSON.stringify(fake.responses.find((r) => r.path === responseName)?.body);
}

async function shareButton(teamId: string, responseName: string): Promise<void> {
  const body = buttonClickBody({
    teamId,
    channelId: "C0SHARE001",
    responseUrl: fake.responseUrl(responseName),
    actionId: "share",
    value: "/hostages latest",
  });
  const response = await fetch(`${base()}/slack/events`, {
    method: "POST",
    headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    body,
  });
  expect(response.status).toBe(200);
  await fake.waitFor(() => fake.responses.some((r) => r.path === responseName && r.body["delete_original"] === true));
}

async function sendEvent(event: { body: string; headers: Record<string, string> }): Promise<void> {
  const response = await fetch(`${base()}/slack/events`, { method: "POST", headers: event.headers, body: event.body });
  expect(response.status).toBe(200);
}

/** Resolves once `check` holds; the events' work runs after Bolt has already answered Slack. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function subscribe(channel: string): Promise<void> {
  await store.putSubscription({
    channel,
    platform: "slack",
    time: "08:00",
    timeZone: "UTC",
    stories: [],
    createdAt: new Date().toISOString(),
    createdBy: "test",
  });
}

function digestMessage(): unknown {
  return digestMessages(
    poster,
    {
      tone: "answer",
      title: "Daily digest",
      sections: [{ body: "Nothing new." }],
      sources: [],
      visibility: "shared",
      actions: [],
    },
    "UTC",
  )[0];
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  databaseFile = path.join(mkdtempSync(path.join(tmpdir(), "newsbot-slack-oauth-")), "bot.sqlite");
  store = await openSqliteStore(databaseFile);
  adapter = await startOAuthAdapter({ fake, store, logger, content });
  methodsAtStart = fake.calls.map((c) => c.method);
  poster = new SlackDigestPoster({
    ...adapter.postingAuth(),
    apiUrl: fake.apiUrl,
    logger: logger.child({ component: "digest" }),
    logLevel: "debug",
    timeZone: "UTC",
    perChannelIntervalMs: 0,
  });
});

afterEach(() => {
  expect(fake.unknownRoutes).toEqual([]);
});

afterAll(async () => {
  await adapter.stop();
  await store.close();
  await fake.close();
});

describe("installing the app through Slack's OAuth flow", () => {
  it("starts at /slack/install, asks for the manifest's scopes, and stores the workspace's installation sealed", async () => {
    const team = fake.addWorkspace({ id: "T0INSTALL1" });
    expect(adapter.readinessProblem()).toBeUndefined();
    // No single bot token to check in this mode.
    expect(methodsAtStart).toEqual([]);
    const from = fake.calls.length;
    const { response, authorizeUrl, cookie } = await install(team.id);
    const callsTo = (method: string) => fake.calls.slice(from).filter((c) => c.method === method);

    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(fake.authorizeUrl);
    expect(authorizeUrl.searchParams.get("client_id")).toBe(CLIENT_ID);
    const manifest = parse(readFileSync(path.join(projectRoot, "config/slack-app-manifest.yaml"), "utf8")) as {
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(authorizeUrl.searchParams.get("scope")?.split(",").sort()).toEqual(
      [...manifest.oauth_config.scopes.bot].sort(),
    );
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    // The state Slack hands back is the one this browser was given in its cookie.
    expect(`${STATE_COOKIE}=${authorizeUrl.searchParams.get("state") ?? ""}`).toBe(cookie);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Thank you!");
    const exchange = callsTo("oauth.v2.access");
    expect(exchange).toHaveLength(1);
    expect(exchange[0]?.body).toMatchObject({ client_id: CLIENT_ID });

    const stored = await store.getInstallation(`slack:${team.id}`);
    const token = fake.botTokenOf(team.id) ?? "no token";
    expect(stored?.sealed).toMatch(/^v1:/);
    expect(stored?.sealed).not.toContain(token);
    const installation = await storedInstallation(team.id);
    expect(installation).toMatchObject({
      team: { id: team.id },
      bot: { token, userId: team.botUserId, id: team.botId },
      isEnterpriseInstall: false,
    });
    // Bolt checks the new token with auth.test, carrying that token.
    expect(callsTo("auth.test").map((c) => c.authorization)).toEqual([`Bearer ${token}`]);
    expect(
      logger.entries.some((e) => e.msg === "slack app installed" && e.fields["installation"] === `slack:${team.id}`),
    ).toBe(true);
  });

  it("refuses a forged, missing or other browser's state with 400, and stores nothing", async () => {
    const team = fake.addWorkspace({ id: "T0FORGED01" });
    const exchanges = fake.callsTo("oauth.v2.access").length;
    const redirect = (query: Record<string, string>, cookie?: string) =>
      fetch(`${base()}/slack/oauth_redirect?${new URLSearchParams(query).toString()}`, {
        redirect: "manual",
        ...(cookie !== undefined && { headers: { cookie } }),
      });

    const forged = await redirect(
      { code: fake.issueCode(team.id), state: "forged-state" },
      `${STATE_COOKIE}=forged-state`,
    );
    expect(forged.status).toBe(400);
    const missing = await redirect({ code: fake.issueCode(team.id) });
    expect(missing.status).toBe(400);
    // A real state, but this browser never visited /slack/install: the cookie is what ties the two.
    const start = await fetch(`${base()}/slack/install`, { redirect: "manual" });
    const realState = new URL(start.headers.get("location") ?? "").searchParams.get("state") ?? "";
    const otherBrowser = await redirect({ code: fake.issueCode(team.id), state: realState });
    expect(otherBrowser.status).toBe(400);

    expect(fake.callsTo("oauth.v2.access")).toHaveLength(exchanges);
    expect(await store.getInstallation(`slack:${team.id}`)).toBeUndefined();
  });
});

describe("commands in many workspaces", () => {
  it("answers each workspace with its own token, for users.info and the shared answer alike", async () => {
    const first = fake.addWorkspace({ id: "T0FIRST001" });
    const second = fake.addWorkspace({ id: "T0SECOND01" });
    await install(first.id);
    await install(second.id);
    fake.users.set("U0ADMIN001", { is_admin: true });

    for (const team of [second, first]) {
      const token = fake.botTokenOf(team.id);
      const from = fake.calls.length;
      const answer = await command(
        team.id,
        "U0ADMIN001",
        "/digest subscribe 07:30 Europe/London",
        `subscribe-${team.id}`,
      );
      expect(answer).toContain("Every day at 07:30 (Europe/London)");
      expect(await store.getSubscription(`slack:${team.id}:C0NEWSROOM1`)).toMatchObject({ time: "07:30" });
      await shareButton(team.id, `share-${team.id}`);
      const calls = fake.calls.slice(from);
      expect(calls.map((c) => c.method).sort()).toEqual(["chat.postMessage", "users.info"]);
      for (const call of calls) {
        expect(call.authorization).toBe(`Bearer ${token}`);
        expect(call.team).toBe(team.id);
      }
    }
  });

  it("does not answer a workspace that never installed the app, and calls Slack for nothing", async () => {
    const from = fake.calls.length;
    const logged = logger.entries.length;
    const response = await postCommand("T0STRANGER", "U0ADMIN001", "/hostages summary", "stranger");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    // Bolt reports the failed authorization to app.error, and only then acknowledges: with the ack in hand, this
    // request's handling is over, so what has not happened by now never will.
    const failed = logger.entries.slice(logged).filter((e) => e.level === "error" && e.msg === "slack listener failed");
    expect(failed.map((e) => e.fields["code"])).toEqual(["slack_bolt_authorization_error"]);
    expect(fake.responses.filter((r) => r.path === "stranger")).toEqual([]);
    expect(fake.calls.slice(from)).toEqual([]);
  });
});

describe("uninstalls and revoked tokens", () => {
  it("app_uninstalled removes the installation and pauses that workspace's digests only; a reinstall resumes them", async () => {
    const leaving = fake.addWorkspace({ id: "T0LEAVING1" });
    const staying = fake.addWorkspace({ id: "T0STAYING1" });
    await install(leaving.id);
    await install(staying.id);
    await subscribe(`slack:${leaving.id}:C0LEAVE001`);
    await subscribe(`slack:${leaving.id}:C0LEAVE002`);
    await subscribe(`slack:${staying.id}:C0STAY0001`);

    fake.revokeTokens(leaving.id);
    await sendEvent(appUninstalledEvent(SIGNING_SECRET, leaving.id));
    await eventually(async () => (await store.getInstallation(`slack:${leaving.id}`)) === undefined);
    await eventually(async () => (await store.getSubscription(`slack:${leaving.id}:C0LEAVE002`))?.paused !== undefined);
    for (const channel of ["C0LEAVE001", "C0LEAVE002"]) {
      expect((await store.getSubscription(`slack:${leaving.id}:${channel}`))?.paused?.reason).toBe(UNINSTALLED_REASON);
    }
    expect((await store.getSubscription(`slack:${staying.id}:C0STAY0001`))?.paused).toBeUndefined();
    expect(await store.getInstallation(`slack:${staying.id}`)).toBeDefined();

    const posts = fake.callsTo("chat.postMessage").length;
    expect(await poster.post(`slack:${leaving.id}:C0LEAVE001`, digestMessage())).toEqual({
      ok: false,
      kind: "permanent",
      reason: NOT_INSTALLED_REASON,
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(posts);
    expect(await poster.post(`slack:${staying.id}:C0STAY0001`, digestMessage())).toMatchObject({ ok: true });
    expect(fake.callsTo("chat.postMessage").at(-1)?.authorization).toBe(`Bearer ${fake.botTokenOf(staying.id)}`);

    await install(leaving.id);
    expect((await store.getSubscription(`slack:${leaving.id}:C0LEAVE001`))?.paused).toBeUndefined();
    expect((await store.getSubscription(`slack:${leaving.id}:C0LEAVE002`))?.paused).toBeUndefined();
    expect(await poster.post(`slack:${leaving.id}:C0LEAVE001`, digestMessage())).toMatchObject({ ok: true });
    expect(fake.callsTo("chat.postMessage").at(-1)?.authorization).toBe(`Bearer ${fake.botTokenOf(leaving.id)}`);
  });

  it("tokens_revoked for the bot does the same; a revoked user token alone leaves the installation and digests be", async () => {
    const revoked = fake.addWorkspace({ id: "T0REVOKED1" });
    const userOnly = fake.addWorkspace({ id: "T0USERONLY" });
    await install(revoked.id);
    await install(userOnly.id);
    await subscribe(`slack:${revoked.id}:C0REVOKE01`);
    await subscribe(`slack:${userOnly.id}:C0USER0001`);

    await sendEvent(tokensRevokedEvent(SIGNING_SECRET, userOnly.id, { oauth: [userOnly.installerId] }));
    fake.revokeTokens(revoked.id);
    await sendEvent(tokensRevokedEvent(SIGNING_SECRET, revoked.id, { bot: [revoked.botUserId] }));
    await eventually(async () => (await store.getSubscription(`slack:${revoked.id}:C0REVOKE01`))?.paused !== undefined);
    expect((await store.getSubscription(`slack:${revoked.id}:C0REVOKE01`))?.paused?.reason).toBe(REVOKED_REASON);
    expect(await store.getInstallation(`slack:${revoked.id}`)).toBeUndefined();
    expect((await store.getSubscription(`slack:${userOnly.id}:C0USER0001`))?.paused).toBeUndefined();
    expect((await storedInstallation(userOnly.id))?.bot?.token).toBe(fake.botTokenOf(userOnly.id));

    await install(revoked.id);
    expect((await store.getSubscription(`slack:${revoked.id}:C0REVOKE01`))?.paused).toBeUndefined();
  });
});

describe("token rotation", () => {
  it("refreshes a token that expires within two hours before a digest post, posts with the new one, and stores it", async () => {
    const team = fake.addWorkspace({ id: "T0ROTATE01", tokenExpiresIn: 3600 });
    await install(team.id);
    const before = await storedInstallation(team.id);
    const firstToken = before?.bot?.token ?? "";
    expect(firstToken).toMatch(/^xoxe\.xoxb-/);
    expect(before?.bot?.refreshToken).toMatch(/^xoxe-/);
    expect((before?.bot?.expiresAt ?? 0) - Date.now() / 1000).toBeLessThanOrEqual(3600);

    const from = fake.calls.length;
    // Two posts at once share one refresh.
    const results = await Promise.all([
      poster.post(`slack:${team.id}:C0ROTATE01`, digestMessage()),
      poster.post(`slack:${team.id}:C0ROTATE02`, digestMessage()),
    ]);
    expect(results).toMatchObject([{ ok: true }, { ok: true }]);
    const calls = fake.calls.slice(from);
    expect(calls.map((c) => c.method)).toEqual(["oauth.v2.access", "chat.postMessage", "chat.postMessage"]);
    expect(calls[0]?.body).toMatchObject({
      grant_type: "refresh_token",
      refresh_token: before?.bot?.refreshToken,
      client_id: CLIENT_ID,
    });
    const newToken = fake.botTokenOf(team.id) ?? "";
    expect(newToken).not.toBe(firstToken);
    expect(calls.slice(1).map((c) => c.authorization)).toEqual([`Bearer ${newToken}`, `Bearer ${newToken}`]);

    const after = await storedInstallation(team.id);
    expect(after?.bot?.token).toBe(newToken);
    // Saved as a refresh (the mark on the fetched installation survived InstallProvider's spread), not as a new install.
    const about = (msg: string) =>
      logger.entries.filter((e) => e.msg === msg && e.fields["installation"] === `slack:${team.id}`);
    expect([about("slack token refreshed").length, about("slack app installed").length]).toEqual([1, 1]);
    expect(after?.bot?.refreshToken).not.toBe(before?.bot?.refreshToken);
    expect((after?.bot?.expiresAt ?? 0) - Date.now() / 1000).toBeGreaterThan(REFRESHED_TOKEN_SECONDS - 60);

    // Fresh for twelve hours now: the next post and a command use it without another refresh.
    const next = fake.calls.length;
    expect(await poster.post(`slack:${team.id}:C0ROTATE01`, digestMessage())).toMatchObject({ ok: true });
    await shareButton(team.id, "share-rotated");
    expect(fake.calls.slice(next).map((c) => [c.method, c.authorization])).toEqual([
      ["chat.postMessage", `Bearer ${newToken}`],
      ["chat.postMessage", `Bearer ${newToken}`],
    ]);
  });
});

describe("the installation store on its own", () => {
  function installationOf(team: string, botToken: string, userToken?: string): Installation {
    return {
      team: { id: team, name: "Elsewhere" },
      enterprise: undefined,
      user: { id: "U0PERSON01", scopes: userToken === undefined ? undefined : ["search:read"], token: userToken },
      bot: {
        token: botToken,
        scopes: [...SLACK_BOT_SCOPES],
        id: "B0ELSE0001",
        userId: "U0ELSEBOT1",
        refreshToken: "xoxe-1-refresh",
        expiresAt: 1,
      },
      isEnterpriseInstall: false,
      authVersion: "v2",
    };
  }

  /** What InstallProvider#authorize saves after a refresh: the fetched installation spread, with the new bot token. */
  function refreshedTo(fetched: Installation, token: string): Installation {
    if (fetched.bot === undefined) throw new Error("no bot in the installation");
    return { ...fetched, bot: { ...fetched.bot, token } };
  }

  async function withInstallations(
    run: (installations: SlackInstallations, own: SqliteStore) => Promise<void>,
  ): Promise<void> {
    const own = await openSqliteStore(":memory:");
    // A clock that moves a second per reading: a reinstall is always later than the install before it, however fast.
    let time = Date.parse("2026-03-01T08:00:00Z");
    const clock = () => new Date((time += 1000));
    try {
      await run(new SlackInstallations(own, box, new RecordingLogger(), clock), own);
    } finally {
      await own.close();
    }
  }

  const query = { teamId: "T0ELSEWHRE", enterpriseId: undefined, isEnterpriseInstall: false as const };

  it("a token refresh saved after a reinstall or an uninstall keeps what is stored", async () => {
    await withInstallations(async (installations, own) => {
      await installations.storeInstallation(installationOf("T0ELSEWHRE", "xoxe.xoxb-1-first"));
      const fetched = await installations.fetchInstallation(query);
      await installations.storeInstallation(installationOf("T0ELSEWHRE", "xoxe.xoxb-1-reinstalled"));
      await installations.storeInstallation(refreshedTo(fetched, "xoxe.xoxb-1-refreshed-old"));
      expect((await installations.fetchInstallation(query)).bot?.token).toBe("xoxe.xoxb-1-reinstalled");

      await installations.storeInstallation(
        refreshedTo(await installations.fetchInstallation(query), "xoxe.xoxb-1-refreshed"),
      );
      expect((await installations.fetchInstallation(query)).bot?.token).toBe("xoxe.xoxb-1-refreshed");

      const beforeUninstall = await installations.fetchInstallation(query);
      await installations.appUninstalled({ teamId: "T0ELSEWHRE", orgWide: false });
      await installations.storeInstallation(refreshedTo(beforeUninstall, "xoxe.xoxb-1-refreshed-late"));
      expect(await own.getInstallation("slack:T0ELSEWHRE")).toBeUndefined();
    });
  });

  it("a revoked user token is dropped and the bot token kept", async () => {
    await withInstallations(async (installations) => {
      await installations.storeInstallation(installationOf("T0ELSEWHRE", "xoxb-bot-stays", "xoxp-user-goes"));
      await installations.tokensRevoked({ teamId: "T0ELSEWHRE", orgWide: false }, { oauth: ["U0SOMEONE1"] });
      expect((await installations.fetchInstallation(query)).user.token).toBe("xoxp-user-goes");
      await installations.tokensRevoked({ teamId: "T0ELSEWHRE", orgWide: false }, { oauth: ["U0PERSON01"] });
      const after = await installations.fetchInstallation(query);
      expect(after.user.token).toBeUndefined();
      expect(after.bot?.token).toBe("xoxb-bot-stays");
    });
  });
});

describe("secrets", () => {
  it("never reach a log line or the database file in plain text", async () => {
    // Its own install, token refresh and command, so it has secrets to look for whichever tests ran before it.
    const team = fake.addWorkspace({ id: "T0SECRETS1", tokenExpiresIn: 3600 });
    const issued = fake.issuedTokens.length;
    const logged = logger.entries.length;
    await install(team.id);
    expect(await poster.post(`slack:${team.id}:C0SECRET01`, digestMessage())).toMatchObject({ ok: true });
    await shareButton(team.id, "share-secrets");
    // A bot token and a refresh token at install, then their replacements at the refresh.
    expect(fake.issuedTokens.length - issued).toBe(4);
    // Bolt's own debug lines were recorded too (the OAuth exchange and token refresh among them).
    expect(
      logger.entries.slice(logged).filter((e) => e.level === "debug" && e.fields["library"] === "bolt").length,
    ).toBeGreaterThan(5);

    const secrets = [...fake.issuedTokens, CLIENT_SECRET, SIGNING_SECRET, STATE_SECRET, INSTALLATION_KEY];
    const logs = JSON.stringify(logger.entries);
    const database = [databaseFile, `${databaseFile}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString("latin1"))
      .join("");
    expect(database).toContain(`slack:${team.id}`);
    for (const secret of secrets) {
      expect(logs.includes(secret), "a secret in the logs").toBe(false);
      expect(database.includes(secret), "a secret in the database").toBe(false);
    }
  });
});

/** What a compiled bot in OAuth mode did: its log, and the fake Slack it talked to (closed by then). */
interface OAuthProcessRun {
  logs: string;
  fake: FakeSlack;
  teamId: string;
}

/**
 * Starts the compiled bot in OAuth mode with `env` on top, installs a workspace through /slack/install and
 * /slack/oauth_redirect, subscribes a channel with /digest as a workspace admin, runs `more` while it is up, then stops
 * it with SIGTERM.
 */
async function runOAuthProcess(
  env: Record<string, string>,
  more: (bot: string, fake: FakeSlack, teamId: string, log: LogReader) => Promise<void> = () => Promise.resolve(),
): Promise<OAuthProcessRun> {
  const processFake = await FakeSlack.start();
  processFake.registerApp(CLIENT_ID, CLIENT_SECRET);
  const team = processFake.addWorkspace({ id: "T0PROCESS1" });
  const child = spawnBot({
    LOG_LEVEL: "debug",
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    SLACK_INSTALLATION_KEY: INSTALLATION_KEY,
    SLACK_API_URL: processFake.apiUrl,
    PORT: "0",
    ...env,
  });
  const log = new LogReader(child);
  try {
    const connected = await log.waitFor((e) => e["msg"] === "slack connected");
    expect(connected["mode"]).toBe("oauth");
    await log.waitFor((e) => e["msg"] === "bot ready");
    const bot = `http://127.0.0.1:${String(connected["port"])}`;

    // Slack's real authorize page is not reachable here: take the state from the redirect and come back with a code.
    const start = await fetch(`${bot}/slack/install`, { redirect: "manual" });
    const authorize = new URL(start.headers.get("location") ?? "");
    expect(`${authorize.origin}${authorize.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    const back = new URLSearchParams({
      code: processFake.issueCode(team.id),
      state: authorize.searchParams.get("state") ?? "",
    });
    const done = await fetch(`${bot}/slack/oauth_redirect?${back.toString()}`, {
      headers: { cookie: stateCookieOf(start) },
      redirect: "manual",
    });
    expect(done.status).toBe(200);
    await log.waitFor((e) => e["msg"] === "slack app installed");

    processFake.users.set("U0ADMIN001", { is_admin: true });
    const body = new URLSearchParams({
      team_id: team.id,
      channel_id: "C0PROCESS1",
      user_id: "U0ADMIN001",
      user_name: "dana",
      command: "/digest",
      text: "subscribe 09:00 UTC",
      response_url: processFake.responseUrl("process"),
      trigger_id: "1.2.3",
    }).toString();
    const response = await fetch(`${bot}/slack/events`, {
      method: "POST",
      headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      body,
    });
    expect(await response.text()).toContain("Every day at 09:00 (UTC)");
    expect(processFake.callsTo("users.info").map((c) => c.authorization)).toEqual([
      `Bearer ${processFake.botTokenOf(team.id) ?? "none"}`,
    ]);
    await more(bot, processFake, team.id, log);
  } finally {
    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    child.kill("SIGTERM");
    await closed;
    await processFake.close();
  }
  const logs = log.lines.join("\n");
  for (const secret of [...processFake.issuedTokens, CLIENT_SECRET, SIGNING_SECRET, STATE_SECRET, INSTALLATION_KEY])
    expect(logs.includes(secret)).toBe(false);
  return { logs, fake: processFake, teamId: team.id };
}

describe("the bot as a process in OAuth mode", () => {
  it("starts without a bot token, installs a workspace, answers it with that workspace's token, and logs no secret", async () => {
    const run = await runOAuthProcess({});
    expect(run.logs).toContain("slack app installed");
  });
});

/** Every row of every table in the schema, as JSON text: what anyone reading the database would see. */
function schemaRows(schema: TestSchema): Promise<string> {
  return withClient(schema.url, async (client) => {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
      [schema.name],
    );
    const rows = await Promise.all(
      tables.rows.map(
        async ({ table_name }) =>
          (await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`)).rows,
      ),
    );
    return rows
      .flat()
      .map((r) => r.row)
      .join("\n");
  });
}

postgresSuite("the bot as a process in OAuth mode on Postgres", () => {
  it("keeps the installation sealed in Postgres, answers with the workspace's token, and pauses the workspace when it uninstalls", async () => {
    const schema = await testSchema("oauth");
    try {
      const run = await runOAuthProcess({ DATABASE_URL: schema.url }, async (bot, processFake, teamId) => {
        // Installed and subscribed: the installation's row is there, and holds no token or secret in plain text.
        const rows = await schemaRows(schema);
        expect(rows).toContain(`"install_key":"slack:${teamId}"`);
        expect(rows).toContain(`slack:${teamId}:C0PROCESS1`);
        for (const secret of [
          ...processFake.issuedTokens,
          CLIENT_SECRET,
          SIGNING_SECRET,
          STATE_SECRET,
          INSTALLATION_KEY,
        ])
          expect(rows.includes(secret)).toBe(false);

        processFake.revokeTokens(teamId);
        const event = appUninstalledEvent(SIGNING_SECRET, teamId);
        const response = await fetch(`${bot}/slack/events`, {
          method: "POST",
          headers: event.headers,
          body: event.body,
        });
        expect(response.status).toBe(200);
        const store = await openPostgresStore(schema.url);
        try {
          await eventually(
            async () => (await store.getSubscription(`slack:${teamId}:C0PROCESS1`))?.paused !== undefined,
          );
          expect((await store.getSubscription(`slack:${teamId}:C0PROCESS1`))?.paused?.reason).toBe(UNINSTALLED_REASON);
          expect(await store.getInstallation(`slack:${teamId}`)).toBeUndefined();
        } finally {
          await store.close();
        }
      });
      expect(run.logs).toContain('"store":"postgres"');
    } finally {
      await schema.drop();
    }
  });
});
