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
