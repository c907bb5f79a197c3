// The ops endpoint in process: /healthz, /readyz with its reasons, /metrics fed by real command outcomes.
import { afterEach, describe, expect, it } from "vitest";
import { answerCommandLine } from "../../src/core/commands/answer-line.js";
import { silentLogger } from "../../src/core/logger.js";
import { BotMetrics } from "../../src/ops/metrics.js";
import { OpsServer, type ReadinessCheck } from "../../src/ops/ops-server.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { loadRealContent } from "../helpers.js";

const content = loadRealContent();
let server: OpsServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(metrics: BotMetrics, checks: () => ReadinessCheck[]): Promise<string> {
  server = new OpsServer({ port: 0, host: "127.0.0.1", metrics, checks, logger: silentLogger });
  await server.start();
  return `http://127.0.0.1:${server.port}`;
}

describe("OpsServer", () => {
  it("answers /healthz while the process runs, whatever the platforms do", async () => {
    const base = await start(new BotMetrics({ processMetrics: false }), () => [
      { name: "discord", problem: () => "gateway reconnecting" },
    ]);
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz 200 when every check passes and 503 naming the failing check otherwise", async () => {
    let discordProblem: string | undefined = undefined;
    const base = await start(new BotMetrics({ processMetrics: false }), () => [
      { name: "content", problem: () => undefined },
      { name: "discord", problem: () => discordProblem },
    ]);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { content: "ok", discord: "ok" } });

    discordProblem = "gateway reconnecting";
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      status: "not ready",
      checks: { content: "ok", discord: "gateway reconnecting" },
    });
  });

  it("serves Prometheus text with commands by name, platform and outcome, latency, rate-limit waits and the content version", async () => {
    const metrics = new BotMetrics();
    metrics.contentLoaded(content, 0.042);
    const context = {
      content,
      settings: { timeZone: "UTC", defaultVisibility: "private" as const, maxInputLength: 200 },
      logger: silentLogger,
      observe: metrics.commandFinished.bind(metrics),
    };
    const asker = { user: { id: "u", name: "u" }, channel: "console:local", platform: "slack" };
    await answerCommandLine("/who boehler", asker, context);
    await answerCommandLine("/who boehler", asker, context);
    await answerCommandLine("/hostages sumary", asker, context);
    await answerCommandLine("/no-such-command-xyz", asker, context);
    metrics.rateLimited("discord");
    metrics.lateGrant("discord");
    metrics.contentReloaded("rejected");

    const base = await start(metrics, () => []);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('newsbot_commands_total{command="who",platform="slack",outcome="answered"} 2');
    expect(text).toContain('newsbot_commands_total{command="hostages",platform="slack",outcome="user-error"} 1');
    // Whatever was typed, an unknown command is counted under one label.
    expect(text).toContain('newsbot_commands_total{command="unknown",platform="slack",outcome="user-error"} 1');
    expect(text).not.toContain("no-such-command-xyz");
    expect(text).toMatch(/newsbot_answer_duration_seconds_count\{platform="slack"\} 4/);
    expect(text).toContain('newsbot_rate_limit_waits_total{platform="discord"} 1');
    expect(text).toContain('newsbot_budget_grants_given_up_total{budget="discord"} 1');
    expect(text).toContain(`newsbot_content_info{fingerprint="${content.fingerprint}"} 1`);
    expect(text).toContain("newsbot_content_load_duration_seconds 0.042");
    expect(text).toContain('newsbot_content_reloads_total{outcome="rejected"} 1');
    expect(text).toContain("newsbot_process_resident_memory_bytes");
  });

  it("answers unknown paths with 404 listing the endpoints, and other methods with 405", async () => {
    const base = await start(new BotMetrics({ processMetrics: false }), () => []);
    const missing = await fetch(`${base}/status`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ endpoints: ["/healthz", "/readyz", "/metrics"] });
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("asks the store on /readyz: a closed or unreachable store makes the bot not ready", async () => {
    const store = await openSqliteStore(":memory:");
    const storeCheck: ReadinessCheck = {
      name: "store",
      problem: () =>
        store.ping().then(
          () => undefined,
          (e: unknown) => `store unreachable: ${String(e)}`,
        ),
    };
    const base = await start(new BotMetrics({ processMetrics: false }), () => [storeCheck]);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await store.close();
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(JSON.stringify(await down.json())).toContain("store unreachable");
  });

  it("counts digests delivered, skipped, failed and paused by platform, and the ledger's rows by state", async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const store = await openSqliteStore(":memory:");
    await store.planEdition({
      editionKey: "daily:2026-11-24",
      channel: "slack:T:C1",
      platform: "slack",
      dueAt: "2026-11-24T08:00:00Z",
      state: "pending",
    });
    await store.planEdition({
      editionKey: "daily:2026-11-23",
      channel: "slack:T:C1",
      platform: "slack",
      dueAt: "2026-11-23T08:00:00Z",
      state: "skipped_stale",
      error: "missed",
    });
    metrics.watchLedger(() => store.countDeliveries());
    for (const outcome of ["delivered", "delivered", "skipped_stale", "failed", "paused"])
      metrics.digestOutcome(outcome, "discord");
    const base = await start(metrics, () => []);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('newsbot_digests_total{platform="discord",outcome="delivered"} 2');
    for (const outcome of ["skipped_stale", "failed", "paused"])
      expect(text).toContain(`newsbot_digests_total{platform="discord",outcome="${outcome}"} 1`);
    expect(text).toContain('newsbot_digest_ledger_rows{state="pending"} 1');
    expect(text).toContain('newsbot_digest_ledger_rows{state="skipped_stale"} 1');
    expect(text).toContain('newsbot_digest_ledger_rows{state="delivered"} 0');
    await store.close();
  });
});
