// /digest through the real Bolt app in HTTP mode: users.info decides who may subscribe, config can add people, answers stay private.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackManagers } from "../../../src/adapters/slack/permissions.js";
import { SlackAdapter } from "../../../src/adapters/slack/slack-adapter.js";
import type { DigestSettings } from "../../../src/core/digest/types.js";
import { StoreDigestBook } from "../../../src/scheduler/digest-book.js";
import { openSqliteStore, type SqliteStore } from "../../../src/store/sqlite-store.js";
import { FAKE_TEAM, FakeSlack, slackSignature } from "../../fakes/slack.js";
import { adapterDeps, loadRealContent } from "../../helpers.js";
import { RecordingLogger } from "../../recording-logger.js";

const SETTINGS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};
const BOT_TOKEN = "xoxb-1111-2222-digestcommandtoken";
const SIGNING_SECRET = "0cc175b9c0f1b6a831c399e269772661";
const CHANNEL = `slack:${FAKE_TEAM}:C0NEWSROOM1`;

let fake: FakeSlack;
let store: SqliteStore;
let adapter: SlackAdapter;
let logger: RecordingLogger;
let asked = 0;

async function command(user: string, text: string): Promise<string> {
  asked += 1;
  const name = `digest-${asked}`;
  const body = new URLSearchParams({
    team_id: FAKE_TEAM,
    channel_id: "C0NEWSROOM1",
    user_id: user,
    user_name: user.toLowerCase(),
    command: "/digest",
    text,
    api_app_id: "A0FAKEAPP1",
    response_url: fake.responseUrl(name),
    trigger_id: "1.2.3",
  }).toString();
  const response = await fetch(`http://127.0.0.1:${adapter.port}/slack/events`, {
    method: "POST",
    headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    body,
  });
  const ack = (await response.text()) || "{}";
  // The answer arrives in the acknowledgement when quick, else through the response_url.
  if (ack !== "{}" && ack !== "") return ack;
  await fake.waitFor(() => fake.responses.some((r) => r.path === name));
  return JSON.stringify(fake.responses.find((r) => r.path === name)?.body);
}

beforeAll(async () => {
  fake = await FakeSlack.start();
  fake.users.set("U0ADMIN001", { is_admin: true });
  fake.users.set("U0OWNER001", { is_owner: true });
  fake.users.set("U0MEMBER01", {});
  logger = new RecordingLogger();
  store = await openSqliteStore(path.join(mkdtempSync(path.join(tmpdir(), "newsbot-slack-digest-")), "ledger.sqlite"));
  const content = loadRealContent();
  adapter = new SlackAdapter(
    { mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 },
    adapterDeps({
      content: () => content,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
      logger,
      digests: { book: new StoreDigestBook(store), settings: SETTINGS },
    }),
    { host: "127.0.0.1", digestManagers: ["U0LISTED01"] },
  );
  await adapter.start();
});

afterAll(async () => {
  await adapter.stop();
  await store.close();
  await fake.close();
});

beforeEach(async () => {
  await store.deleteSubscription(CHANNEL);
});

afterEach(() => {
  expect(fake.unknownRoutes).toEqual([]);
  expect(JSON.stringify(logger.entries)).not.toContain(BOT_TOKEN);
});

describe("/digest on Slack", () => {
  it("refuses a plain member, privately, naming who may, and saves nothing", async () => {
    const answer = await command("U0MEMBER01", "subscribe 07:30 Europe/London");
    expect(answer).toContain('"response_type":"ephemeral"');
    expect(answer).toContain("Only workspace admins and owners");
    expect(await store.getSubscription(CHANNEL)).toBeUndefined();
  });

  it.each([
    ["an admin", "U0ADMIN001"],
    ["an owner", "U0OWNER001"],
    ["a user listed in config", "U0LISTED01"],
  ])("lets %s subscribe", async (_who, user) => {
    const answer = await command(user, "subscribe 07:30 Europe/London hostages");
    expect(answer).toContain("Every day at 07:30 (Europe/London)");
    expect(await store.getSubscription(CHANNEL)).toMatchObject({
      platform: "slack",
      time: "07:30",
      timeZone: "Europe/London",
      stories: ["hostages"],
    });
  });

  it("checks the role only for changes: status and preview need no users.info call", async () => {
    const before = fake.callsTo("users.info").length;
    const status = await command("U0NOBODY01", "status");
    expect(status).toContain("This channel has no digest");
    await command("U0NOBODY01", "preview");
    expect(fake.callsTo("users.info")).toHaveLength(before);
  });
});

describe("SlackManagers", () => {
  it("caches a user's role for a few minutes, and answers no (logged) when Slack cannot say", async () => {
    let clock = 0;
    const managers = new SlackManagers(
      {
        users: {
          info: async (args) => {
            const r = await fetch(`${fake.apiUrl}users.info`, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams(args).toString(),
            });
            return (await r.json()) as { user?: { is_admin?: boolean } };
          },
        },
      },
      [],
      logger,
      () => clock,
    );
    const calls = () => fake.callsTo("users.info").length;
    const start = calls();
    expect(await managers.mayManage("U0ADMIN001")).toBe(true);
    expect(await managers.mayManage("U0ADMIN001")).toBe(true);
    expect(calls()).toBe(start + 1);
    clock += 6 * 60_000;
    expect(await managers.mayManage("U0ADMIN001")).toBe(true);
    expect(calls()).toBe(start + 2);

    const failing = new SlackManagers(
      { users: { info: () => Promise.reject(new Error("an_error_occurred")) } },
      [],
      logger,
    );
    expect(await failing.mayManage("U0ADMIN001")).toBe(false);
    expect(
      logger.entries.some((e) => e.level === "warn" && e.msg?.includes("could not check a Slack user's role")),
    ).toBe(true);
  });
});
