// docker-compose.scale.yml stays coherent without Docker: one Postgres, replicas on it, shards split between them, known settings.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { readPlatformSettings } from "../src/adapters/platform-settings.js";
import { projectRoot } from "./helpers.js";

const service = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  environment: z.record(z.string(), z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  ports: z.array(z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
});
const composeFile = z.object({ services: z.record(z.string(), service) });

// Compose's YAML merge keys (<<: *bot) are part of the file's meaning.
const compose = composeFile.parse(
  parse(readFileSync(path.join(projectRoot, "docker-compose.scale.yml"), "utf8"), { merge: true }),
);
const bots = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
const documented = readFileSync(path.join(projectRoot, ".env.example"), "utf8");

describe("docker-compose.scale.yml", () => {
  it("runs at least two bot replicas on the one Postgres service, each waiting for it to be healthy", () => {
    expect(bots.length).toBeGreaterThanOrEqual(2);
    const postgres = compose.services["postgres"];
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(postgres?.healthcheck?.test.join(" ")).toContain("pg_isready");
    for (const [, bot] of bots) {
      expect(bot.environment?.["DATABASE_URL"]).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(bot.depends_on?.["postgres"]?.condition).toBe("service_healthy");
    }
  });

  it("splits the Discord shards between the replicas, each shard exactly once, with settings the bot accepts", () => {
    const shardIds = bots.flatMap(([, bot]) => {
      const env = bot.environment ?? {};
      const result = readPlatformSettings({ DISCORD_TOKEN: "a-token", ...env });
      expect(result.ok).toBe(true);
      return (env["DISCORD_SHARD_IDS"] ?? "").split(",").map(Number);
    });
    const count = Number(bots[0]?.[1].environment?.["DISCORD_SHARD_COUNT"]);
    expect(shardIds.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i));
  });

  it("sets only variables .env.example documents, and publishes no host port twice", () => {
    for (const [, bot] of bots) {
      for (const name of Object.keys(bot.environment ?? {})) expect(documented).toMatch(new RegExp(`^# ${name}=`, "m"));
    }
    const hostPorts = bots.flatMap(([, bot]) => (bot.ports ?? []).map((p) => p.split(":").slice(0, -1).join(":")));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });
});
