// The Slack digest poster with the real Web API client against the fake Slack: escaping, limits, errors, per-channel pacing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackDigestPoster } from "../../../src/adapters/slack/digest-poster.js";
import { SLACK_LIMITS } from "../../../src/adapters/slack/limits.js";
import { blockChars, type SlackMessage } from "../../../src/adapters/slack/render.js";
import type { Reply } from "../../../src/core/reply.js";
import type { DigestPoster } from "../../../src/scheduler/poster.js";
import { digestMessages } from "../../../src/scheduler/sender.js";
import { FakeSlack } from "../../fakes/slack.js";
import { RecordingLogger } from "../../recording-logger.js";

const TOKEN = "xoxb-1111-2222-digestpostertoken";
const REF = "slack:T0FAKE0001:C0DIGEST01";

function digest(sections: Reply["sections"]): Reply {
  return {
    tone: "answer",
    title: "Daily digest: hostages",
    sections,
    sources: [{ id: "s", label: "Reuters, 5 Mar 2025" }],
    updated: "2026-11-23T09:00:00Z",
    visibility: "shared",
    actions: [],
  };
}

let fake: FakeSlack;
let logger: RecordingLogger;

function poster(options: { perChannelIntervalMs?: number } = {}): DigestPoster {
  return new SlackDigestPoster({ token: TOKEN, apiUrl: fake.apiUrl, logger, timeZone: "UTC", ...options });
}

beforeEach(async () => {
  fake = await FakeSlack.start();
  logger = new RecordingLogger();
});

afterEach(async () => {
  expect(fake.unknownRoutes).toEqual([]);
  expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  await fake.close();
});

describe("SlackDigestPoster", () => {
  it("posts escaped blocks, so content cannot ping anyone, and returns the message ts", async () => {
    const slack = poster();
    const [message] = digestMessages(
      slack,
      digest([{ heading: "New: @everyone <!channel> talks", body: "<@U123> said & more" }]),
      "UTC",
    );
    const result = await slack.post(REF, message, "ignored");
    const [posted] = fake.messagesIn("C0DIGEST01");
    expect(result).toEqual({ ok: true, remoteId: posted?.ts });
    const text = `${String(posted?.blocks)}${String(posted?.text)}`;
    expect(text).not.toMatch(/<!channel>|<@U123>|(?<!\u2060)@everyone/);
    expect(fake.callsTo("chat.postMessage")[0]?.body).toMatchObject({ unfurl_links: "false", unfurl_media: "false" });
  });

  it("splits a long digest into messages within Slack's limits, losing nothing", () => {
    const sections = Array.from({ length: 60 }, (_, i) => ({
      heading: `New: development ${i}`,
      body: `Item ${i}: ${"word ".repeat(150)}`,
    }));
    const parts = digestMessages(poster(), digest(sections), "UTC") as SlackMessage[];
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      expect(part.blocks.reduce((n, b) => n + blockChars(b), 0)).toBeLessThanOrEqual(SLACK_LIMITS.messageBlockChars);
    }
    const all = JSON.stringify(parts);
    for (let i = 0; i < 60; i += 1) expect(all).toContain(`Item ${i}:`);
    expect(all).not.toContain("shortened");
  });

  it("a 429 is transient, with Slack's Retry-After, and the client does not retry on its own", async () => {
    fake.script("chat.postMessage", [
      { status: 429, headers: { "retry-after": "7" }, body: { ok: false, error: "ratelimited" } },
    ]);
    const slack = poster();
    const result = await slack.post(REF, digestMessages(slack, digest([{ body: "x" }]), "UTC")[0], "k");
    expect(result).toEqual({ ok: false, kind: "transient", reason: "Slack rate limit (429)", retryAfterMs: 7000 });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it.each(["is_archived", "token_revoked", "channel_not_found", "not_in_channel"])(
    "%s is permanent and names the error",
    async (error) => {
      fake.script("chat.postMessage", [{ status: 200, body: { ok: false, error } }]);
      const slack = poster();
      const result = await slack.post(REF, digestMessages(slack, digest([{ body: "x" }]), "UTC")[0], "k");
      expect(result).toMatchObject({ ok: false, kind: "permanent" });
      expect(result.ok === false && result.reason).toContain(`Slack: ${error}`);
    },
  );

  it("a 500 is transient", async () => {
    fake.script("chat.postMessage", [{ status: 500, body: { ok: false, error: "internal_error" } }]);
    const slack = poster();
    expect(await slack.post(REF, digestMessages(slack, digest([{ body: "x" }]), "UTC")[0], "k")).toMatchObject({
      ok: false,
      kind: "transient",
    });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("a connection dropped after the request was sent is unknown, and is not sent again", async () => {
    fake.script("chat.postMessage", [{ status: 200, body: {}, reset: true }]);
    const slack = poster();
    const result = await slack.post(REF, digestMessages(slack, digest([{ body: "x" }]), "UTC")[0], "k");
    expect(result).toMatchObject({ ok: false, kind: "unknown" });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("posts at most once per interval in one channel without holding back other channels", async () => {
    const slack = poster({ perChannelIntervalMs: 400 });
    const [message] = digestMessages(slack, digest([{ body: "x" }]), "UTC");
    await Promise.all([
      slack.post("slack:T:C0AAAAAAA1", message, "a"),
      slack.post("slack:T:C0AAAAAAA1", message, "b"),
      slack.post("slack:T:C0AAAAAAA1", message, "c"),
      slack.post("slack:T:C0BBBBBBB1", message, "d"),
    ]);
    const same = fake.messagesIn("C0AAAAAAA1").map((m) => m.at);
    expect(same).toHaveLength(3);
    // Server-side arrival times, with an allowance for timer and network jitter on a busy machine.
    expect((same[1] ?? 0) - (same[0] ?? 0)).toBeGreaterThanOrEqual(300);
    expect((same[2] ?? 0) - (same[1] ?? 0)).toBeGreaterThanOrEqual(300);
    const other = fake.messagesIn("C0BBBBBBB1")[0]?.at ?? Infinity;
    expect(other).toBeLessThan(same[1] ?? 0);
  });
});
