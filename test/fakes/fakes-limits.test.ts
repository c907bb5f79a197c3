// The fakes' rate limits, which the fan-out benchmark measures against: Discord's global and per-channel, Slack's per-channel.
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "./discord.js";
import { FakeSlack } from "./slack.js";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function createMessage(fake: FakeDiscord, channel: string): Promise<Response> {
  return fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ content: "hi" }),
  });
}

describe("FakeDiscord limits", () => {
  it("announces a channel's bucket in headers and refuses past it with a route 429", async () => {
    const fake = await FakeDiscord.start({
      limits: { globalPerSecond: 100, channelMessages: { limit: 2, windowMs: 5000 } },
    });
    closers.push(() => fake.close());
    const first = await createMessage(fake, "111");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect((await createMessage(fake, "111")).headers.get("x-ratelimit-remaining")).toBe("0");
    const refused = await createMessage(fake, "111");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("x-ratelimit-global")).toBeNull();
    expect(((await refused.json()) as { global: boolean }).global).toBe(false);
    // Another channel has a bucket of its own.
    expect((await createMessage(fake, "222")).status).toBe(200);
    expect(fake.rateLimited).toEqual({ global: 0, route: 1 });
    expect(fake.messagesIn("111")).toHaveLength(2);
  });

  it("refuses the request past the global limit within a rolling second, without warning headers beforehand", async () => {
    const fake = await FakeDiscord.start({
      limits: { globalPerSecond: 5, channelMessages: { limit: 5, windowMs: 5000 } },
    });
    closers.push(() => fake.close());
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await createMessage(fake, `30${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const refused = fake.calls.at(-1);
    expect(refused?.status).toBe(429);
    expect(fake.rateLimited).toEqual({ global: 1, route: 0 });
  });
});

describe("FakeSlack per-channel limit", () => {
  it("refuses a second post in a channel within the window with Retry-After, and lets other channels post", async () => {
    const fake = await FakeSlack.start();
    closers.push(() => fake.close());
    fake.perChannelLimit = { limit: 1, windowMs: 1000 };
    const post = (channel: string) =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ channel, text: "hi" }),
      });
    expect((await post("C1")).status).toBe(200);
    const refused = await post("C1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await post("C2")).status).toBe(200);
    expect(fake.rateLimitedPosts).toBe(1);
    expect(fake.messagesIn("C1")).toHaveLength(1);
  });
});

describe("FakeDiscord nonces and history, as Discord keeps them", () => {
  const post = (fake: FakeDiscord, channel: string, nonce: string) =>
    fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: nonce, nonce, enforce_nonce: true }),
    });
  const history = async (fake: FakeDiscord, channel: string, query: string) =>
    (await (await fetch(`${fake.apiUrl}/v10/channels/${channel}/messages?${query}`)).json()) as { id: string }[];

  it("drops a repeated nonce within the window and forgets it after, counting both", async () => {
    const fake = await FakeDiscord.start({ nonceWindowMs: 200 });
    closers.push(() => fake.close());
    const first = (await (await post(fake, "111", "n1")).json()) as { id: string };
    const repeat = (await (await post(fake, "111", "n1")).json()) as { id: string };
    expect(repeat.id).toBe(first.id);
    // Nonces are per channel.
    await post(fake, "222", "n1");
    expect(fake.nonceRepeats).toEqual({ dropped: 1, pastWindow: 0 });
    await new Promise((resolve) => setTimeout(resolve, 250));
    const late = (await (await post(fake, "111", "n1")).json()) as { id: string };
    expect(late.id).not.toBe(first.id);
    expect(fake.messagesIn("111")).toHaveLength(2);
    expect(fake.nonceRepeats).toEqual({ dropped: 1, pastWindow: 1 });
    expect(fake.createRequests()).toHaveLength(4);
  });

  it("reads a channel newest first, after or before an id, with ids that carry their time", async () => {
    const fake = await FakeDiscord.start();
    closers.push(() => fake.close());
    const before = BigInt(Date.now() - 1_420_070_400_000) << 22n;
    for (let i = 0; i < 5; i += 1) await post(fake, "111", `n${i}`);
    const ids = fake.messagesIn("111").map((m) => String(m["id"]));
    expect(ids.every((id) => BigInt(id) >= before)).toBe(true);
    expect((await history(fake, "111", "limit=2")).map((m) => m.id)).toEqual([ids[4], ids[3]]);
    expect((await history(fake, "111", `after=${ids[1]}&limit=2`)).map((m) => m.id)).toEqual([ids[3], ids[2]]);
    expect((await history(fake, "111", `before=${ids[2]}`)).map((m) => m.id)).toEqual([ids[1], ids[0]]);
    expect(fake.unknownRoutes).toEqual([]);
  });
});
