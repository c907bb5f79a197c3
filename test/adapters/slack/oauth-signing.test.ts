// OAuth mode's own HTTPReceiver refuses what Slack did not sign: forged uninstalls, revocations, commands and clicks change nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REVOKED_REASON, UNINSTALLED_REASON } from "../../../src/adapters/slack/installations.js";
import type { SlackAdapter } from "../../../src/adapters/slack/slack-adapter.js";
import { openSqliteStore, type SqliteStore } from "../../../src/store/sqlite-store.js";
import {
  FakeSlack,
  appUninstalledEvent,
  buttonClickBody,
  slackSignature,
  tokensRevokedEvent,
  type FakeWorkspace,
} from "../../fakes/slack.js";
import { loadRealContent } from "../../helpers.js";
import { RecordingLogger } from "../../recording-logger.js";
import { SIGNING_SECRET, installThroughOAuth, startOAuthAdapter } from "./oauth-harness.js";

const OTHER_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const ADMIN = "U0ADMIN001";
const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
/** Bolt refuses a timestamp more than five minutes old; ten seconds past that, so no clock skew in the test matters. */
const STALE_SECONDS = 5 * 60 + 10;

let fake: FakeSlack;
let store: SqliteStore;
let adapter: SlackAdapter;
const logger = new RecordingLogger();

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function post(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`http://127.0.0.1:${adapter.port ?? 0}/slack/events`, { method: "POST", headers, body });
}

/** Installs the app in a new workspace through the real OAuth flow (install link, consent, redirect with the cookie). */
async function installed(id: string, tokenExpiresIn?: number): Promise<FakeWorkspace> {
  const team = fake.addWorkspace({ id, ...(tokenExpiresIn !== undefined && { tokenExpiresIn }) });
  const { response: back } = await installThroughOAuth(fake, adapter, team.id);
  expect(back.status).toBe(200);
  expect(await store.getInstallation(`slack:${team.id}`)).toBeDefined();
  return team;
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

/**
 * The ways to send `body` without Slack's signature. `decoy` is another request that was signed for real: its
 * signature, moved onto `body`, is what an attacker who captured one request could try.
 */
function forgeries(
  body: string,
  decoy: string,
  contentType: string,
): { name: string; headers: Record<string, string> }[] {
  const now = nowSeconds();
  return [
    { name: "unsigned", headers: { "content-type": contentType } },
    {
      name: "signed with another secret",
      headers: { ...slackSignature(OTHER_SECRET, now, body), "content-type": contentType },
    },
    {
      name: "carrying another request's signature",
      headers: { ...slackSignature(SIGNING_SECRET, now, decoy), "content-type": contentType },
    },
    // Rightly signed, but long ago: a captured request replayed.
    {
      name: "stale",
      headers: { ...slackSignature(SIGNING_SECRET, now - STALE_SECONDS, body), "content-type": contentType },
    },
  ];
}

/** Sends every forgery of `body`; each must be refused with 401 and no body, before any listener could see it. */
async function expectRefused(body: string, decoy: string, contentType: string): Promise<void> {
  for (const forged of forgeries(body, decoy, contentType)) {
    const response = await post(body, forged.headers);
    expect([forged.name, response.status, await response.text()]).toEqual([forged.name, 401, ""]);
  }
}

function signed(body: string, contentType: string): Record<string, string> {
  return { ...slackSignature(SIGNING_SECRET, nowSeconds(), body), "content-type": contentType };
}

/** Resolves once `check` holds; the store changes after Bolt has already acknowledged the event. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function commandBody(teamId: string, channel: string, responseName: string, text: string): string {
  return new URLSearchParams({
    team_id: teamId,
    team_domain: "fake",
    channel_id: channel,
    channel_name: "newsroom",
    user_id: ADMIN,
    user_name: "dana",
    command: "/digest",
    text,
    api_app_id: "A0FAKEAPP1",
    response_url: fake.responseUrl(responseName),
    trigger_id: "1.2.3",
  }).toString();
}

function clickBody(teamId: string, channel: string, responseName: string): string {
  return buttonClickBody({
    teamId,
    channelId: channel,
    responseUrl: fake.responseUrl(responseName),
    actionId: "share",
    value: "/hostages latest",
  });
}

/** A form body Slack's ssl_check would send, with a request smuggled beside it (Bolt strips it and skips the signature). */
function smuggledInSslCheck(body: string): string {
  return `ssl_check=1&${body}`;
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.users.set(ADMIN, { is_admin: true });
  store = await openSqliteStore(":memory:");
  // Every answer goes through the response_url, so a handler that ran leaves a trace at the fake, never only in the ack.
  adapter = await startOAuthAdapter({ fake, store, logger, content: loadRealContent(), answerInAckWithinMs: 0 });
});

afterEach(() => {
  expect(fake.unknownRoutes).toEqual([]);
});

afterAll(async () => {
  await adapter.stop();
  await store.close();
  await fake.close();
});

describe("OAuth mode refuses requests Slack did not sign", () => {
  it("app_uninstalled: 401 for each forgery; the installation stays and no digest pauses, while a signed one uninstalls", async () => {
    const victim = await installed("T0SIGUNIN1");
    const witness = await installed("T0SIGUNIN2");
    await subscribe(`slack:${victim.id}:C0VICTIM01`);
    await subscribe(`slack:${victim.id}:C0VICTIM02`);
    await subscribe(`slack:${witness.id}:C0WITNESS1`);
    const before = await store.getInstallation(`slack:${victim.id}`);
    const from = fake.calls.length;

    await expectRefused(
      appUninstalledEvent(SIGNING_SECRET, victim.id).body,
      appUninstalledEvent(SIGNING_SECRET, "T0NOBODY01").body,
      JSON_TYPE,
    );

    // A signed uninstall of another workspace sent after them: once its work is done, theirs would have been too.
    const control = appUninstalledEvent(SIGNING_SECRET, witness.id);
    expect((await post(control.body, control.headers)).status).toBe(200);
    await eventually(async () => (await store.getSubscription(`slack:${witness.id}:C0WITNESS1`))?.paused !== undefined);
    expect((await store.getSubscription(`slack:${witness.id}:C0WITNESS1`))?.paused?.reason).toBe(UNINSTALLED_REASON);
    expect(await store.getInstallation(`slack:${witness.id}`)).toBeUndefined();

    expect(await store.getInstallation(`slack:${victim.id}`)).toEqual(before);
    for (const channel of ["C0VICTIM01", "C0VICTIM02"])
      expect((await store.getSubscription(`slack:${victim.id}:${channel}`))?.paused).toBeUndefined();
    // An uninstall calls Slack for nothing, so nothing at all reached the fake since.
    expect(fake.calls.slice(from)).toEqual([]);

    // The same event about the victim, signed: the very body the forgeries carried is one the bot acts on.
    const real = appUninstalledEvent(SIGNING_SECRET, victim.id);
    expect((await post(real.body, real.headers)).status).toBe(200);
    await eventually(async () => (await store.getInstallation(`slack:${victim.id}`)) === undefined);
  });

  it("tokens_revoked: 401 for each forgery; the installation stays and no digest pauses, while a signed one revokes", async () => {
    const victim = await installed("T0SIGREVK1");
    const witness = await installed("T0SIGREVK2");
    await subscribe(`slack:${victim.id}:C0VICTIM01`);
    await subscribe(`slack:${witness.id}:C0WITNESS1`);
    const before = await store.getInstallation(`slack:${victim.id}`);
    const from = fake.calls.length;

    await expectRefused(
      tokensRevokedEvent(SIGNING_SECRET, victim.id, { bot: [victim.botUserId] }).body,
      tokensRevokedEvent(SIGNING_SECRET, victim.id, { oauth: ["U0SOMEONE1"] }).body,
      JSON_TYPE,
    );

    const control = tokensRevokedEvent(SIGNING_SECRET, witness.id, { bot: [witness.botUserId] });
    expect((await post(control.body, control.headers)).status).toBe(200);
    await eventually(async () => (await store.getSubscription(`slack:${witness.id}:C0WITNESS1`))?.paused !== undefined);
    expect((await store.getSubscription(`slack:${witness.id}:C0WITNESS1`))?.paused?.reason).toBe(REVOKED_REASON);

    expect(await store.getInstallation(`slack:${victim.id}`)).toEqual(before);
    expect((await store.getSubscription(`slack:${victim.id}:C0VICTIM01`))?.paused).toBeUndefined();
    expect(fake.calls.slice(from)).toEqual([]);

    const real = tokensRevokedEvent(SIGNING_SECRET, victim.id, { bot: [victim.botUserId] });
    expect((await post(real.body, real.headers)).status).toBe(200);
    await eventually(async () => (await store.getSubscription(`slack:${victim.id}:C0VICTIM01`))?.paused !== undefined);
    expect(await store.getInstallation(`slack:${victim.id}`)).toBeUndefined();
  });

  it("a slash command: 401 for each forgery, no token refresh, users.info or answer; a signed one subscribes", async () => {
    // A token about to expire: the first request Bolt authorizes refreshes it (oauth.v2.access), so authorizing shows.
    const team = await installed("T0SIGCMD01", 3600);
    const from = fake.calls.length;
    const respondedBefore = fake.responses.length;

    const forged = commandBody(team.id, "C0FORGED01", "forged-command", "subscribe 07:30 UTC");
    await expectRefused(forged, commandBody(team.id, "C0FORGED01", "forged-command", "status"), FORM);
    // Bolt answers an ssl_check without a signature; what rode along must not run either.
    expect((await post(smuggledInSslCheck(forged), { "content-type": FORM })).status).toBe(200);

    const response = await post(
      commandBody(team.id, "C0SIGNED01", "signed-command", "subscribe 07:30 UTC"),
      signed(commandBody(team.id, "C0SIGNED01", "signed-command", "subscribe 07:30 UTC"), FORM),
    );
    expect([response.status, await response.text()]).toEqual([200, ""]);
    await fake.waitFor(() => fake.responses.some((r) => r.path === "signed-command"));

    // Everything Slack saw since the forgeries began is the signed command's: one refresh, one users.info, one answer.
    expect(fake.calls.slice(from).map((c) => [c.method, c.body["grant_type"]])).toEqual([
      ["oauth.v2.access", "refresh_token"],
      ["users.info", undefined],
    ]);
    expect(fake.responses.slice(respondedBefore).map((r) => r.path)).toEqual(["signed-command"]);
    expect(JSON.stringify(fake.responses.at(-1)?.body)).toContain("Every day at 07:30 (UTC)");
    expect(await store.getSubscription(`slack:${team.id}:C0SIGNED01`)).toMatchObject({ time: "07:30" });
    expect(await store.getSubscription(`slack:${team.id}:C0FORGED01`)).toBeUndefined();
  });

  it("a button click: 401 for each forgery, no token refresh, post or response; a signed one shares", async () => {
    const team = await installed("T0SIGBTN01", 3600);
    const from = fake.calls.length;
    const respondedBefore = fake.responses.length;

    const forged = clickBody(team.id, "C0FORGED02", "forged-click");
    await expectRefused(forged, clickBody(team.id, "C0ELSEWHR1", "forged-click"), FORM);
    expect((await post(smuggledInSslCheck(forged), { "content-type": FORM })).status).toBe(200);

    const real = clickBody(team.id, "C0SIGNED02", "signed-click");
    expect((await post(real, signed(real, FORM))).status).toBe(200);
    await fake.waitFor(() =>
      fake.responses.some((r) => r.path === "signed-click" && r.body["delete_original"] === true),
    );

    expect(fake.calls.slice(from).map((c) => [c.method, c.body["grant_type"] ?? c.body["channel"]])).toEqual([
      ["oauth.v2.access", "refresh_token"],
      ["chat.postMessage", "C0SIGNED02"],
    ]);
    expect(fake.responses.slice(respondedBefore).map((r) => r.path)).toEqual(["signed-click"]);
    expect(fake.messagesIn("C0FORGED02")).toEqual([]);
  });
});
