// The real Bolt app against a fake Slack on 127.0.0.1: signed slash commands, buttons, 429s, Socket Mode and log hygiene.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESTARTING_NOTICE } from "../../../src/adapters/adapter.js";
import { SlackAdapter } from "../../../src/adapters/slack/slack-adapter.js";
import type { AnswerSettings } from "../../../src/core/commands/types.js";
import type { ContentIndex } from "../../../src/core/content/model.js";
import type { SlackSettings } from "../../../src/adapters/platform-settings.js";
import { REDACTED_PATHS } from "../../../src/ops/logger.js";
import { blocksOf, type Block } from "./blocks.js";
import { FAKE_TEAM, FakeSlack, SOCKET_TICKET, buttonClickBody, slackSignature } from "../../fakes/slack.js";
import { adapterDeps, buildValidContent, loadRealContent, withEditedFile } from "../../helpers.js";

const BOT_TOKEN = "xoxb-1111-2222-fakebottoken";
const APP_TOKEN = "xapp-1-A0FAKE-3333-fakeapptoken";
const SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543";
const content = loadRealContent();
const story = content.stories[0];
if (!story) throw new Error("the real content has no story");

/** Every log line any test wrote, to check at the end that no secret reached one. */
const allLogs: string[] = [];

function capturingLogger(lines: string[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString("utf8");
      lines.push(text);
      allLogs.push(text);
      done();
    },
  });
  return pino({ level: "debug", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, stream);
}

interface Harness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  logs: string[];
}

async function startHttp(
  fake: FakeSlack,
  settings: Partial<AnswerSettings> = {},
  answerInAckWithinMs?: number,
  answersFrom: ContentIndex | (() => ContentIndex) = content,
): Promise<Harness> {
  const logs: string[] = [];
  const slack: SlackSettings = {
    mode: "http",
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    port: 0,
  };
  const adapter = new SlackAdapter(
    slack,
    adapterDeps({
      content: typeof answersFrom === "function" ? answersFrom : () => answersFrom,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200, ...settings },
      logger: capturingLogger(logs).child({ adapter: "slack" }),
    }),
    {
      host: "127.0.0.1",
      logLevel: "debug",
      retryConfig: { retries: 3, factor: 1, minTimeout: 5, maxTimeout: 10 },
      ...(answerInAckWithinMs !== undefined && { answerInAckWithinMs }),
    },
  );
  await adapter.start();
  return { fake, adapter, logs };
}

function commandBody(fake: FakeSlack, command: string, text: string, responseName = "cmd"): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: FAKE_TEAM,
    team_domain: "fake",
    channel_id: "C0NEWSROOM1",
    channel_name: "newsroom",
    user_id: "U0DANA0001",
    user_name: "dana",
    command,
    text,
    api_app_id: "A0FAKEAPP1",
    response_url: fake.responseUrl(responseName),
    trigger_id: "1234.5678.abcd",
  }).toString();
}

function buttonBody(fake: FakeSlack, actionId: string, value: string, responseName = "button"): string {
  return buttonClickBody({
    teamId: FAKE_TEAM,
    channelId: "C0NEWSROOM1",
    responseUrl: fake.responseUrl(responseName),
    actionId,
    value,
  });
}

async function post(
  h: Harness,
  body: string,
  options: { secret?: string; timestamp?: number } = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`http://127.0.0.1:${h.adapter.port}/slack/events`, {
    method: "POST",
    headers: slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
    body,
  });
}

function textOf(blocks: Block[]): string {
  return blocks
    .flatMap((b) => [
      b.text?.text ?? "",
      ...(b.elements ?? []).map((e) => (typeof e.text === "string" ? e.text : (e.text?.text ?? ""))),
    ])
    .join("\n");
}

function answeredCount(logs: string[]): number {
  return logs.filter((line) => line.includes('"msg":"command answered"')).length;
}

describe("Slack over HTTP", () => {
  let fake: FakeSlack;
  let h: Harness;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    h = await startHttp(fake);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await fake.close();
  });

  it("checks the token with auth.test when it starts", () => {
    const call = fake.callsTo("auth.test")[0];
    expect(call?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it("answers a signed /hostages summary in the acknowledgement, privately, with sources, updated time and a share button", async () => {
    const response = await post(h, commandBody(fake, "/hostages", "summary"));
    expect(response.status).toBe(200);
    const message = (await response.json()) as Record<string, unknown>;
    expect(message["response_type"]).toBe("ephemeral");
    const blocks = blocksOf(message);
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: story.headline } });
    const text = textOf(blocks);
    expect(text).toContain(story.summary.split(" ").slice(0, 6).join(" "));
    expect(text).toMatch(/Sources: .*Reuters/);
    expect(text).toMatch(/Updated \d{1,2} \w{3} \d{4}/);
    const share = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith("share"));
    expect(share?.value).toBe("/hostages summary");
    // The fingerprint of the answer as shown rides in the action id, for the click to compare.
    expect(share?.action_id).toMatch(/^share:[0-9a-f]{10}$/);
    expect(typeof message["text"]).toBe("string");
  });

  it("answers /whois, Slack's name for /who, and shows /whois in its hints", async () => {
    const message = (await (await post(h, commandBody(fake, "/whois", "boehler"))).json()) as Record<string, unknown>;
    const blocks = blocksOf(message);
    expect(blocks[0]?.text?.text).toBe("Adam Boehler");
    const help = (await (await post(h, commandBody(fake, "/help", ""))).json()) as Record<string, unknown>;
    const helpText = textOf(blocksOf(help));
    expect(helpText).toContain("/whois");
    expect(helpText).not.toMatch(/(^|[^\w/])\/who(?![\w-])/);
  });

  it("explains /whois on /help whois, and offers /help whois for a mistyped name, which answers when clicked", async () => {
    const explained = (await (await post(h, commandBody(fake, "/help", "whois"))).json()) as Record<string, unknown>;
    expect(blocksOf(explained)[0]?.text?.text).toBe("How to use /whois");
    expect(textOf(blocksOf(explained))).toContain("for example `/whois boehler`");
    const every = (await (await post(h, commandBody(fake, "/help", "help"))).json()) as Record<string, unknown>;
    expect(textOf(blocksOf(every))).toContain("for example `/help whois`");

    const typo = (await (await post(h, commandBody(fake, "/help", "whoo"))).json()) as Record<string, unknown>;
    const run = blocksOf(typo)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "run:0");
    expect(run).toMatchObject({ text: { text: "/help whois" }, value: "/help whois" });
    await post(h, buttonBody(fake, "run:0", run?.value ?? "", "help-typo"));
    await fake.waitFor(() => fake.responses.some((r) => r.path === "help-typo"));
    const clicked = fake.responses.find((r) => r.path === "help-typo");
    expect(blocksOf(clicked?.body ?? {})[0]?.text?.text).toBe("How to use /whois");
  });

  it("offers /whois boehler for a mistyped /whoo boehler, and clicking it answers the card", async () => {
    const typo = (await (await post(h, commandBody(fake, "/whoo", "boehler"))).json()) as Record<string, unknown>;
    expect(blocksOf(typo)[0]?.text?.text).toBe("⚠️ I don't know the command “/whoo”.");
    const run = blocksOf(typo)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "run:0");
    expect(run).toMatchObject({ text: { text: "/whois boehler" }, value: "/whois boehler" });
    await post(h, buttonBody(fake, "run:0", run?.value ?? "", "whoo-click"));
    await fake.waitFor(() => fake.responses.some((r) => r.path === "whoo-click"));
    const clicked = fake.responses.find((r) => r.path === "whoo-click");
    expect(clicked?.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(blocksOf(clicked?.body ?? {})[0]?.text?.text).toBe("Adam Boehler");
    const bare = (await (await post(h, commandBody(fake, "/whoo", ""))).json()) as Record<string, unknown>;
    const bareRun = blocksOf(bare)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "run:0");
    expect(bareRun?.value).toBe("/whois");
  });

  it("answers a mistyped subcommand privately with a one-click suggestion", async () => {
    const message = (await (await post(h, commandBody(fake, "/hostages", "sumary"))).json()) as Record<string, unknown>;
    expect(message["response_type"]).toBe("ephemeral");
    const blocks = blocksOf(message);
    expect(blocks[0]?.text?.text).toMatch(/^⚠️ /);
    const run = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === "run:0");
    expect(run?.value).toBe("/hostages summary");
  });

  it("answers /hostages tim as /hostages timeline, saying so in one line; /hostages s stays a question", async () => {
    const message = (await (await post(h, commandBody(fake, "/hostages", "tim"))).json()) as Record<string, unknown>;
    const blocks = blocksOf(message);
    const fullBlocks = blocksOf((await (await post(h, commandBody(fake, "/hostages", "timeline"))).json()) as never);
    expect(blocks[0]).toEqual(fullBlocks[0]);
    expect(blocks[0]?.text?.text).toMatch(/^Timeline: /);
    const text = textOf(blocks);
    expect(text).toContain("Showing /hostages timeline");
    const full = textOf(fullBlocks);
    const words = (t: string) => t.replace(/\s+/g, " ").trim();
    expect(words(text.replace("Showing /hostages timeline", ""))).toBe(words(full));
    const share = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id?.startsWith("share"));
    expect(share?.value).toBe("/hostages timeline");
    const ambiguous = (await (await post(h, commandBody(fake, "/hostages", "s"))).json()) as Record<string, unknown>;
    expect(blocksOf(ambiguous)[0]?.text?.text).toMatch(/^⚠️ .*has no “s”/);
  });

  it("answers in the channel when answers are configured to be shared", async () => {
    const fakeShared = await FakeSlack.start();
    const shared = await startHttp(fakeShared, { defaultVisibility: "shared" });
    try {
      const message = (await (await post(shared, commandBody(fakeShared, "/hostages", "latest"))).json()) as Record<
        string,
        unknown
      >;
      expect(message["response_type"]).toBe("in_channel");
      expect(
        blocksOf(message)
          .flatMap((b) => b.elements ?? [])
          .some((e) => e.action_id?.startsWith("share")),
      ).toBe(false);
    } finally {
      await shared.adapter.stop();
      await fakeShared.close();
    }
  });

  it("acknowledges at once and answers through the response URL when the answer is not ready in time", async () => {
    const fakeSlow = await FakeSlack.start();
    const slow = await startHttp(fakeSlow, {}, 0);
    try {
      const response = await post(slow, commandBody(fakeSlow, "/hostages", "timeline", "deferred"));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
      await fakeSlow.waitFor(() => fakeSlow.responses.some((r) => r.path === "deferred"));
      const answer = fakeSlow.responses.find((r) => r.path === "deferred");
      expect(answer?.body["response_type"]).toBe("ephemeral");
      expect(blocksOf(answer?.body ?? {})[0]?.type).toBe("header");
    } finally {
      await slow.adapter.stop();
      await fakeSlow.close();
    }
  });

  it.each([
    ["a bad signature", { secret: undefined, tamper: true }],
    ["a wrong secret", { secret: "not-the-signing-secret", tamper: false }],
  ])("refuses %s with 401 and runs no handler", async (_name, { secret, tamper }) => {
    const before = answeredCount(h.logs);
    const body = commandBody(fake, "/hostages", "summary");
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = slackSignature(secret ?? SIGNING_SECRET, timestamp, body);
    if (tamper)
      headers["x-slack-signature"] = headers["x-slack-signature"]!.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    const response = await fetch(`http://127.0.0.1:${h.adapter.port}/slack/events`, { method: "POST", headers, body });
    expect(response.status).toBe(401);
    expect(answeredCount(h.logs)).toBe(before);
  });

  it("refuses a timestamp older than five minutes (a replay) with 401", async () => {
    const before = answeredCount(h.logs);
    const response = await post(h, commandBody(fake, "/hostages", "summary"), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(response.status).toBe(401);
    expect(answeredCount(h.logs)).toBe(before);
  });

  it("accepts a timestamp a little in the future: forging one needs the secret, and refusing would break a lagging clock", async () => {
    const response = await post(h, commandBody(fake, "/hostages", "summary"), {
      timestamp: Math.floor(Date.now() / 1000) + 60,
    });
    expect(response.status).toBe(200);
  });

  it("shares a private answer in the channel, naming the sharer without a mention, then removes the private copy", async () => {
    const posts = fake.callsTo("chat.postMessage").length;
    const response = await post(h, buttonBody(fake, "share", "/who Adam Boehler", "share-ok"));
    expect(response.status).toBe(200);
    await fake.waitFor(() => fake.responses.some((r) => r.path === "share-ok" && r.body["delete_original"] === true));
    const call = fake.callsTo("chat.postMessage")[posts];
    expect(call?.body["channel"]).toBe("C0NEWSROOM1");
    expect(call?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    const blocks = blocksOf(call?.body ?? {});
    expect(blocks[0]?.text?.text).toBe("Adam Boehler");
    const text = textOf(blocks);
    expect(text).toContain("Shared by dana");
    expect(text).not.toContain("<@");
    expect(blocks.flatMap((b) => b.elements ?? []).some((e) => e.action_id?.startsWith("share"))).toBe(false);
  });

  it("shares what the reader saw, or the current answer marked as changed if the content moved on since", async () => {
    let current = content;
    const own = await FakeSlack.start();
    const bot = await startHttp(own, {}, undefined, () => current);
    try {
      const asked = (await (await post(bot, commandBody(own, "/whois", "Adam Boehler"))).json()) as Record<
        string,
        unknown
      >;
      const button = blocksOf(asked)
        .flatMap((b) => b.elements ?? [])
        .find((e) => e.action_id?.startsWith("share"));
      const sharedText = async (name: string): Promise<string> => {
        const posts = own.callsTo("chat.postMessage").length;
        await post(
          bot,
          buttonClickBody({
            teamId: FAKE_TEAM,
            channelId: "C0NEWSROOM1",
            responseUrl: own.responseUrl(name),
            actionId: button?.action_id ?? "",
            value: button?.value ?? "",
          }),
        );
        await own.waitFor(() => own.callsTo("chat.postMessage").length > posts);
        return textOf(blocksOf(own.callsTo("chat.postMessage")[posts]?.body ?? {}));
      };
      const same = await sharedText("share-same");
      expect(same).toContain("held several meetings with Hamas officials in Doha");
      expect(same).not.toContain("Updated since");

      current = buildValidContent(
        withEditedFile("people/adam-boehler.md", (text) =>
          text.replace("held several meetings with Hamas officials in Doha", "held talks with Hamas officials in Doha"),
        ),
      );
      const changed = await sharedText("share-changed");
      expect(changed).toContain("Updated since dana looked: this is the current answer.");
      expect(changed).toContain("held talks with Hamas officials in Doha");
    } finally {
      await bot.adapter.stop();
      await own.close();
    }
  });

  it("waits out a 429 on chat.postMessage and posts the share once", async () => {
    const posts = fake.callsTo("chat.postMessage").length;
    fake.script("chat.postMessage", [
      { status: 429, headers: { "retry-after": "0" }, body: { ok: false, error: "ratelimited" } },
    ]);
    await post(h, buttonBody(fake, "share", "/hostages latest", "share-429"));
    await fake.waitFor(() => fake.responses.some((r) => r.path === "share-429" && r.body["delete_original"] === true));
    const calls = fake.callsTo("chat.postMessage").slice(posts);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.body).toEqual(calls[1]?.body);
  });

  it("shares through the response URL where the bot is not in the channel, and logs Slack's error code", async () => {
    fake.script("chat.postMessage", [{ status: 200, body: { ok: false, error: "not_in_channel" } }]);
    await post(h, buttonBody(fake, "share", "/hostages summary", "share-fallback"));
    await fake.waitFor(() => fake.responses.filter((r) => r.path === "share-fallback").length === 2);
    const [shared, cleanup] = fake.responses.filter((r) => r.path === "share-fallback");
    expect(shared?.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(textOf(blocksOf(shared?.body ?? {}))).toContain("Shared by dana");
    expect(cleanup?.body).toEqual({ delete_original: true });
    expect(h.logs.some((line) => line.includes('"code":"not_in_channel"'))).toBe(true);
  });

  it("answers a clicked suggestion by replacing the private pick-list", async () => {
    await post(h, buttonBody(fake, "run:0", "/who qatar", "run"));
    await fake.waitFor(() => fake.responses.some((r) => r.path === "run"));
    const answer = fake.responses.find((r) => r.path === "run");
    expect(answer?.body).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(blocksOf(answer?.body ?? {})[0]?.text?.text).toBe("Qatar");
  });
});

describe("Slack with a headline at the header limit that defusing lengthens", () => {
  // Valid content: 150 characters, the most a headline may have, each broadcast gaining a word joiner when defused.
  const headline = "Envoy tells @here and @everyone in Doha: talks go on " + "x".repeat(97);
  const edited = buildValidContent(
    withEditedFile("stories/hostages/story.md", (text) => text.replace(/^headline: .*$/m, `headline: "${headline}"`)),
  );
  let fake: FakeSlack;
  let h: Harness;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    h = await startHttp(fake, {}, undefined, edited);
  });
  afterAll(async () => {
    await h.adapter.stop();
    await fake.close();
  });

  function expectHeaderWithinLimit(blocks: Block[]): void {
    const header = blocks[0]?.text?.text ?? "";
    expect(blocks[0]?.type).toBe("header");
    expect([...header].length).toBeLessThanOrEqual(150);
    expect(header).toMatch(/^Envoy tells @\u2060here and @\u2060everyone in Doha/);
  }

  it("keeps the header of the answer, a clicked suggestion and the shared copy within 150 characters", async () => {
    expect([...headline]).toHaveLength(150);
    const answer = (await (await post(h, commandBody(fake, "/hostages", "summary"))).json()) as Record<string, unknown>;
    expectHeaderWithinLimit(blocksOf(answer));

    const typo = (await (await post(h, commandBody(fake, "/hostages", "sumary"))).json()) as Record<string, unknown>;
    const run = blocksOf(typo)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === "run:0");
    expect(run?.value).toBe("/hostages summary");
    await post(h, buttonBody(fake, "run:0", run?.value ?? "", "long-click"));
    await fake.waitFor(() => fake.responses.some((r) => r.path === "long-click"));
    expectHeaderWithinLimit(blocksOf(fake.responses.find((r) => r.path === "long-click")?.body ?? {}));

    const posts = fake.callsTo("chat.postMessage").length;
    await post(h, buttonBody(fake, "share", "/hostages summary", "long-share"));
    await fake.waitFor(() => fake.responses.some((r) => r.path === "long-share" && r.body["delete_original"] === true));
    expectHeaderWithinLimit(blocksOf(fake.callsTo("chat.postMessage")[posts]?.body ?? {}));
  });
});

describe("Slack over Socket Mode", () => {
  let fake: FakeSlack;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    const logs: string[] = [];
    adapter = new SlackAdapter(
      { mode: "socket", botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl, port: 0 },
      adapterDeps({
        content: () => content,
        settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
        logger: capturingLogger(logs),
      }),
      { logLevel: "debug" },
    );
    await adapter.start();
  });
  afterAll(async () => {
    await adapter.stop();
    // Bolt closes the socket asynchronously; closing the fake first would leave node waiting.
    await fake.waitFor(() => fake.openSockets === 0);
    await fake.close();
  });

  it("opens the connection with the app-level token", () => {
    expect(fake.callsTo("apps.connections.open")[0]?.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(fake.openSockets).toBe(1);
  });

  it("acknowledges a slash_commands envelope with the answer", async () => {
    const payload = Object.fromEntries(new URLSearchParams(commandBody(fake, "/whois", "boehler")));
    fake.sendEnvelope({ envelope_id: "env-1", type: "slash_commands", payload, accepts_response_payload: true });
    await fake.waitFor(() => fake.socketAcks.some((a) => a.envelope_id === "env-1"));
    const ack = fake.socketAcks.find((a) => a.envelope_id === "env-1");
    const message = ack?.payload as Record<string, unknown>;
    expect(message["response_type"]).toBe("ephemeral");
    expect(blocksOf(message)[0]?.text?.text).toBe("Adam Boehler");
  });
});

describe("Slack stopping", () => {
  it("finishes an answer under way, tells later askers the bot is restarting, then closes", async () => {
    const fake = await FakeSlack.start();
    const h = await startHttp(fake, {}, 0);
    fake.respondDelayMs = 300;
    expect((await post(h, commandBody(fake, "/hostages", "summary", "under-way"))).status).toBe(200);
    const stopped = h.adapter.stop();
    expect(h.adapter.readinessProblem()).toBe("stopping");
    const late = (await (await post(h, commandBody(fake, "/hostages", "summary", "late"))).json()) as Record<
      string,
      unknown
    >;
    expect(late).toEqual({ response_type: "ephemeral", text: RESTARTING_NOTICE });
    await stopped;
    expect(fake.responses.find((r) => r.path === "under-way")?.body["response_type"]).toBe("ephemeral");
    await expect(post(h, commandBody(fake, "/hostages", "summary"))).rejects.toThrow();
    await fake.close();
  });
});

describe("Slack start-up", () => {
  it("says clearly when Slack refuses the token", async () => {
    const fake = await FakeSlack.start();
    fake.script("auth.test", [{ status: 200, body: { ok: false, error: "invalid_auth" } }]);
    const adapter = new SlackAdapter(
      { mode: "http", botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.apiUrl, port: 0 },
      adapterDeps({
        content: () => content,
        settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
        logger: capturingLogger([]),
      }),
      { host: "127.0.0.1", retryConfig: { retries: 0 } },
    );
    await expect(adapter.start()).rejects.toThrow(/Slack refused the bot token \(invalid_auth\)/);
    await fake.close();
  });
});

describe("Slack logs", () => {
  it("never contain a token or the signing secret, even at debug level", async () => {
    // Traffic of its own over HTTP and Socket Mode, so the check has lines to read whichever tests ran before it.
    const fake = await FakeSlack.start();
    const http = await startHttp(fake);
    const socketLogs: string[] = [];
    const socket = new SlackAdapter(
      { mode: "socket", botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: fake.apiUrl, port: 0 },
      adapterDeps({
        content: () => content,
        settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
        logger: capturingLogger(socketLogs),
      }),
      { logLevel: "debug" },
    );
    try {
      await socket.start();
      expect((await post(http, commandBody(fake, "/hostages", "summary"))).status).toBe(200);
      expect((await post(http, commandBody(fake, "/hostages", "summary"), { secret: "not-the-secret" })).status).toBe(
        401,
      );
      fake.script("chat.postMessage", [
        { status: 429, headers: { "retry-after": "0" }, body: { ok: false, error: "ratelimited" } },
      ]);
      await post(http, buttonBody(fake, "share", "/hostages latest", "logs-share"));
      await fake.waitFor(() =>
        fake.responses.some((r) => r.path === "logs-share" && r.body["delete_original"] === true),
      );
      const payload = Object.fromEntries(new URLSearchParams(commandBody(fake, "/whois", "boehler")));
      fake.sendEnvelope({ envelope_id: "env-logs", type: "slash_commands", payload, accepts_response_payload: true });
      await fake.waitFor(() => fake.socketAcks.some((a) => a.envelope_id === "env-logs"));
    } finally {
      await socket.stop();
      await http.adapter.stop();
      await fake.waitFor(() => fake.openSockets === 0);
      await fake.close();
    }
    // Bolt's debug lines are among them: the level that would print a token if anything did.
    for (const lines of [http.logs, socketLogs])
      expect(lines.filter((line) => line.includes('"level":20')).length).toBeGreaterThan(5);
    const everything = allLogs.join("");
    for (const secret of [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/xox[bp]-\d/);
    expect(everything).not.toContain(SOCKET_TICKET);
  });
});
