// The compiled bot with OPS_PORT set and Discord configured: health, readiness while the platform is up and down, metrics, bounded stop.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LogReader, spawnBot } from "../bot-process.js";
import { FakeDiscord, IDS, commandInteraction } from "../fakes/discord.js";

// One process from start to SIGTERM, Discord going away on the way: the steps are its life in order, never shuffled.
describe("the ops endpoint of a running bot", { shuffle: false }, () => {
  let discord: FakeDiscord;
  let child: ChildProcess;
  let log: LogReader;
  let base = "";

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    child = spawnBot({
      DISCORD_TOKEN: "MTMwMDAwMDAwMDAwMDAwMDAwMA.Gx1234.ops-test-token",
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_APPLICATION_ID: IDS.application,
      OPS_PORT: "0",
      OPS_HOST: "127.0.0.1",
      SHUTDOWN_GRACE_SECONDS: "2",
    });
    log = new LogReader(child);
    const listening = await log.waitFor((e) => e["msg"] === "ops endpoint listening");
    base = `http://127.0.0.1:${String(listening["port"])}`;
    await log.waitFor((e) => e["msg"] === "bot ready");
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await discord.close();
  });

  it("is healthy and ready once Discord is connected", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { content: "ok", process: "ok", store: "ok", discord: "ok" },
      // No release in this bot's store: it serves its content folder.
      content: { source: "files", fingerprint: expect.stringMatching(/^[0-9a-f]{12}$/) as string },
    });
  });

  it("counts a Discord command in /metrics", async () => {
    const interaction = commandInteraction("who", { options: { name: "boehler" } });
    discord.interact(interaction);
    await discord.waitForCall("POST", new RegExp(`/interactions/${String(interaction["id"])}/`));
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/newsbot_commands_total\{command="who",platform="discord",outcome="answered"\} 1/);
    expect(text).toMatch(/newsbot_content_info\{fingerprint="[0-9a-f]+"\} 1/);
  });

  it("is not ready while Discord is unreachable, yet still healthy", async () => {
    await discord.close();
    const deadline = Date.now() + 15_000;
    let status = 200;
    let body: unknown;
    while (Date.now() < deadline) {
      const response = await fetch(`${base}/readyz`);
      status = response.status;
      body = await response.json();
      if (status === 503) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: "not ready",
      checks: { discord: expect.stringMatching(/^gateway /) as string },
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("stops on SIGTERM within the grace period, with exit code 0, even while Discord is down", async () => {
    const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
    child.kill("SIGTERM");
    expect(await closed).toBe(0);
    expect(log.entries().some((e) => e["msg"] === "stopped")).toBe(true);
  });
});
