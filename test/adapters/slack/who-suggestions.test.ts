// /whois suggestions through the real Bolt app against a fake Slack: buttons in a reader's words that answer when clicked.
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SlackSettings } from "../../../src/adapters/platform-settings.js";
import { SlackAdapter } from "../../../src/adapters/slack/slack-adapter.js";
import type { ContentIndex } from "../../../src/core/content/model.js";
import { blocksOf } from "./blocks.js";
import { FAKE_TEAM, FakeSlack, buttonClickBody, slackSignature } from "../../fakes/slack.js";
import {
  adapterDeps,
  buildValidContent,
  loadRealContent,
  realContentFiles,
  madeUpOrganisation,
} from "../../helpers.js";

const SIGNING_SECRET = "0cc175b9c0f1b6a831c399e269772661";
const content = loadRealContent();
/** What the bot answers from: a test swaps in content with names worth suggesting. */
let current: ContentIndex = content;

/** The run buttons of an answer as [label, value, action id]. */
function runButtons(message: Record<string, unknown>): [string, string, string][] {
  return blocksOf(message)
    .flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : []))
    .filter((e) => e.action_id?.startsWith("run:"))
    .map((e) => [typeof e.text === "string" ? e.text : (e.text?.text ?? ""), e.value ?? "", e.action_id ?? ""]);
}

describe("/whois suggestions through Bolt", () => {
  let fake: FakeSlack;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    fake = await FakeSlack.start();
    const slack: SlackSettings = {
      mode: "http",
      botToken: "xoxb-1111-2222-fakebottoken",
      signingSecret: SIGNING_SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
    };
    adapter = new SlackAdapter(
      slack,
      adapterDeps({
        content: () => current,
        settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
        logger: pino({ level: "silent" }),
      }),
      { host: "127.0.0.1", retryConfig: { retries: 3, factor: 1, minTimeout: 5, maxTimeout: 10 } },
    );
    await adapter.start();
  });
  afterAll(async () => {
    await adapter.stop();
    await fake.close();
  });

  async function post(body: string): Promise<Response> {
    return fetch(`http://127.0.0.1:${adapter.port}/slack/events`, {
      method: "POST",
      headers: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
      body,
    });
  }

  async function whois(text: string): Promise<Record<string, unknown>> {
    const body = new URLSearchParams({
      team_id: FAKE_TEAM,
      channel_id: "C0NEWSROOM1",
      user_id: "U0DANA0001",
      user_name: "dana",
      command: "/whois",
      text,
      api_app_id: "A0FAKEAPP1",
      response_url: fake.responseUrl(`whois-${text}`),
      trigger_id: "1234.5678.abcd",
    }).toString();
    return (await (await post(body)).json()) as Record<string, unknown>;
  }

  /** Clicks a button and returns the title of the answer Slack was sent at the response URL. */
  async function click(actionId: string, value: string, name: string): Promise<string | undefined> {
    const body = buttonClickBody({
      teamId: FAKE_TEAM,
      channelId: "C0NEWSROOM1",
      responseUrl: fake.responseUrl(name),
      actionId,
      value,
    });
    expect((await post(body)).status).toBe(200);
    await fake.waitFor(() => fake.responses.some((r) => r.path === name));
    const answer = fake.responses.find((r) => r.path === name);
    return blocksOf(answer?.body ?? {})[0]?.text?.text;
  }

  it("offers the names a reader types for /whois netanyahoo, and each button answers that card", async () => {
    const buttons = runButtons(await whois("netanyahoo"));
    expect(buttons.map(([label, value]) => [label, value])).toEqual([
      ["Benjamin Netanyahu", "/who Benjamin Netanyahu"],
      ["Office of the Israeli Prime Minister", "/who Office of the Israeli Prime Minister"],
    ]);
    for (const [label, value, actionId] of buttons) {
      expect(await click(actionId, value, `netanyahoo-${actionId}`), value).toBe(label);
    }
  });

  it("offers names with quotes and apostrophes as buttons that answer that card when clicked", async () => {
    const names = ["Cairo’s Back Room", "Hamas's Political Bureau", 'The "Doha" Channel'];
    current = buildValidContent([
      ...realContentFiles(),
      ...names.map((name, i) => madeUpOrganisation(`made-up-office-${i}`, name, ["go-between"])),
    ]);
    try {
      const buttons = runButtons(await whois("go-between"));
      expect(buttons.map(([label, value]) => [label, value])).toEqual(names.map((name) => [name, `/who ${name}`]));
      for (const [label, value, actionId] of buttons) {
        expect(await click(actionId, value, `go-between-${actionId}`), value).toBe(label);
      }
    } finally {
      current = content;
    }
  });
});
