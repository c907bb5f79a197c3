// The Discord digest poster with the real discord.js REST client against the fake Discord: nonce, limits, errors, pacing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DiscordDigestPoster,
  digestRest,
  type DiscordDigestMessage,
} from "../../../src/adapters/discord/digest-poster.js";
import { DISCORD_LIMITS } from "../../../src/adapters/discord/limits.js";
import type { Reply } from "../../../src/core/reply.js";
import { digestMessages } from "../../../src/scheduler/sender.js";
import { SharedRateBudget } from "../../../src/scheduler/shared-rate-budget.js";
import { openSqliteStore } from "../../../src/store/sqlite-store.js";
import { FakeDiscord } from "../../fakes/discord.js";
import { RecordingLogger } from "../../recording-logger.js";

const TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.digest-poster-token";
const CHANNEL = "1112223334445556601";
const REF = `discord:1098765432109876543:${CHANNEL}`;
/** A distinct realistic channel id per index (numbers this long lose precision in JavaScript). */
const channelId = (i: number) => `11122233344455567${String(i).padStart(2, "0")}`;
const MESSAGES = /^\/api\/v10\/channels\/\d+\/messages$/;

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

const SHORTENED = "shortened to fit in Discord";

function expectWithinLimits(part: DiscordDigestMessage): void {
  expect(part.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  const total = part.embeds.reduce(
    (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0),
    0,
  );
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
  for (const embed of part.embeds) {
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
  }
  expect(part.allowed_mentions).toEqual({ parse: [] });
  expect(part).not.toHaveProperty("components");
}

let fake: FakeDiscord;
let logger: RecordingLogger;
let rateLimits: number;

async function poster(perSecond = 50): Promise<DiscordDigestPoster> {
  return new DiscordDigestPoster({
    rest: digestRest(TOKEN, fake.apiUrl),
    // The budget the bot runs with, kept in a store of its own.
    budget: new SharedRateBudget(await openSqliteStore(":memory:"), { name: "discord", perSecond }),
    logger,
    timeZone: "UTC",
    rateLimited: () => (rateLimits += 1),
  });
}

beforeEach(async () => {
  fake = await FakeDiscord.start();
  logger = new RecordingLogger();
  rateLimits = 0;
});

afterEach(async () => {
  expect(fake.unknownRoutes).toEqual([]);
  await fake.close();
});

describe("DiscordDigestPoster", () => {
  it("posts embeds with a nonce, enforce_nonce and no mentions, and returns the message id", async () => {
    const discord = await poster();
    const [message] = digestMessages(
      discord,
      digest([{ heading: "New: talks @everyone <@123>", body: "Body text" }]),
      "UTC",
    );
    const result = await discord.post(REF, message, "abc123");
    const created = fake.messagesIn(CHANNEL);
    expect(created).toHaveLength(1);
    expect(result).toEqual({ ok: true, remoteId: created[0]?.["id"] });
    const body = fake.calls.find((c) => MESSAGES.test(c.path))?.body as Record<string, unknown>;
    expect(body).toMatchObject({ nonce: "abc123", enforce_nonce: true, allowed_mentions: { parse: [] } });
    const text = JSON.stringify(body["embeds"]);
    expect(text).not.toMatch(/@everyone|<@123>/);
    expect(text).toContain("talks");
  });

  it("splits a long digest into messages that each stay within Discord's limits, losing nothing", async () => {
    const sections = Array.from({ length: 40 }, (_, i) => ({
      heading: `New: development ${i}`,
      body: `Item ${i}: ${"word ".repeat(180)}`,
    }));
    const parts = digestMessages(await poster(), digest(sections), "UTC") as DiscordDigestMessage[];
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expectWithinLimits(part);
    const all = JSON.stringify(parts);
    for (let i = 0; i < 40; i += 1) expect(all).toContain(`Item ${i}:`);
    expect(all).not.toContain(SHORTENED);
    expect(parts.map((p) => p.embeds[0]?.title)).toEqual(
      parts.map(
        (_, i) => (i === 0 ? "Daily digest: hostages (1/" : `Daily digest: hostages (${i + 1}/`) + `${parts.length})`,
      ),
    );
  });

  it("a part filled to the last character still fits once its number is added to the title", async () => {
    const discord = await poster();
    // Sweeps the first section's length across the 6,000-character budget, so some part lands within a few characters of it.
    for (let length = 3050; length < 3300; length += 1) {
      const sections = [
        { body: `${"a ".repeat(length / 2)}END-A` },
        { body: `${"b ".repeat(1400)}END-B` },
        { body: `${"c ".repeat(1400)}END-C` },
      ];
      const parts = digestMessages(discord, digest(sections), "UTC") as DiscordDigestMessage[];
      const all = JSON.stringify(parts);
      expect(all, `first section ${length} characters`).not.toContain(SHORTENED);
      for (const end of ["END-A", "END-B", "END-C"]) expect(all, `first section ${length} characters`).toContain(end);
      for (const part of parts) expectWithinLimits(part);
    }
  });

  it("one section too long for any message is shortened with a note a reader understands, and cannot ping", async () => {
    const discord = await poster();
    const body = `@everyone <@123> ${"Negotiators met again in Doha. ".repeat(340)}`;
    expect(body.length).toBeGreaterThan(10_000);
    const parts = digestMessages(
      discord,
      digest([
        { heading: "Talks", body },
        { heading: "Next", body: "Short item." },
      ]),
      "UTC",
    ) as DiscordDigestMessage[];
    for (const part of parts) expectWithinLimits(part);
    const all = JSON.stringify(parts);
    expect(all.match(new RegExp(SHORTENED, "g"))).toHaveLength(1);
    expect(all).toContain("Short item.");
    expect(all).not.toMatch(/@everyone|<@123>|OVERFLOW/);
  });

  it("rides out a 429 on every third post and one global 429: every post lands once", async () => {
    const discord = await poster();
    const [message] = digestMessages(discord, digest([{ body: "Quiet day." }]), "UTC");
    fake.script({
      method: "POST",
      path: MESSAGES,
      status: 429,
      headers: { "retry-after": "0", "x-ratelimit-global": "true", "x-ratelimit-scope": "global" },
      body: { message: "You are being rate limited.", retry_after: 0.05, global: true },
    });
    const results = [];
    for (let i = 0; i < 9; i += 1) {
      if (i % 3 === 2)
        fake.script({
          method: "POST",
          path: MESSAGES,
          status: 429,
          headers: { "retry-after": "0", "x-ratelimit-scope": "user" },
          body: { message: "You are being rate limited.", retry_after: 0.05, global: false },
        });
      results.push(await discord.post(`discord:g:${channelId(i)}`, message, `key-${i}`));
    }
    expect(results.every((r) => r.ok)).toBe(true);
    for (let i = 0; i < 9; i += 1) expect(fake.messagesIn(channelId(i))).toHaveLength(1);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(4);
    expect(rateLimits).toBeGreaterThan(0);
  });

  it("a 500 after Discord created the message: the retry carries the same nonce and the channel shows one message", async () => {
    const discord = await poster();
    const [message] = digestMessages(discord, digest([{ body: "One development." }]), "UTC");
    fake.script({
      method: "POST",
      path: MESSAGES,
      status: 500,
      afterHandling: true,
      body: { message: "Internal Server Error", code: 0 },
    });
    const result = await discord.post(REF, message, "same-nonce");
    expect(result.ok).toBe(true);
    const posts = fake.calls.filter((c) => MESSAGES.test(c.path));
    expect(posts.map((c) => c.status)).toEqual([500, 200]);
    expect(posts.map((c) => (c.body as { nonce?: string }).nonce)).toEqual(["same-nonce", "same-nonce"]);
    expect(fake.messagesIn(CHANNEL)).toHaveLength(1);
  });

  it.each([
    [403, 50001, "Missing Access", /may not post in this channel/],
    [404, 10003, "Unknown Channel", /no longer exists/],
  ])("%i %s is permanent, with a reason a person can act on", async (status, code, text, reason) => {
    fake.script({ method: "POST", path: MESSAGES, status, body: { message: text, code } });
    const discord = await poster();
    const result = await discord.post(REF, digestMessages(discord, digest([{ body: "x" }]), "UTC")[0], "k");
    expect(result).toMatchObject({ ok: false, kind: "permanent" });
    expect(result.ok === false && result.reason).toMatch(reason);
    expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  });

  it("keeps to its request budget: no one-second window at the server holds more than the budget", async () => {
    const discord = await poster(10);
    const [message] = digestMessages(discord, digest([{ body: "x" }]), "UTC");
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => discord.post(`discord:g:${channelId(i)}`, message, `k${i}`)),
    );
    const times = fake.calls.filter((c) => MESSAGES.test(c.path)).map((c) => c.at);
    expect(times).toHaveLength(25);
    // Allow two for network jitter between the budget's clock and the server's; a burst would show about twice the budget.
    for (const start of times)
      expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(12);
  });
});
