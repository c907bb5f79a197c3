// /digest through the real discord.js client: Manage Channels decides who may subscribe, zones autocomplete, answers stay private.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../../src/adapters/discord/discord-adapter.js";
import type { DigestSettings } from "../../../src/core/digest/types.js";
import { StoreDigestBook } from "../../../src/scheduler/digest-book.js";
import { openSqliteStore, type SqliteStore } from "../../../src/store/sqlite-store.js";
import {
  FakeDiscord,
  IDS,
  MANAGER_PERMISSIONS,
  autocompleteInteraction,
  commandInteraction,
  type RecordedCall,
} from "../../fakes/discord.js";
import { adapterDeps, loadRealContent } from "../../helpers.js";
import { RecordingLogger } from "../../recording-logger.js";

const SETTINGS: DigestSettings = {
  defaultTime: "08:00",
  defaultTimeZone: "UTC",
  catchUpMinutes: 180,
  quietDays: "post",
  catchUpItems: 3,
};
const CHANNEL = `discord:${IDS.guild}:${IDS.channel}`;
const EPHEMERAL = 64;

let fake: FakeDiscord;
let store: SqliteStore;
let adapter: DiscordAdapter;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};

async function ask(interaction: Json): Promise<RecordedCall> {
  fake.interact(interaction);
  return fake.waitForCall(
    "POST",
    new RegExp(`^/api/v10/interactions/${String(interaction["id"])}/${String(interaction["token"])}/callback$`),
  );
}

const dataOf = (call: RecordedCall) => obj(obj(call.body)["data"]);
const textOf = (call: RecordedCall) => JSON.stringify(dataOf(call)["embeds"]);

beforeAll(async () => {
  fake = await FakeDiscord.start();
  store = await openSqliteStore(
    path.join(mkdtempSync(path.join(tmpdir(), "newsbot-discord-digest-")), "ledger.sqlite"),
  );
  const content = loadRealContent();
  adapter = new DiscordAdapter(
    { token: "fake-bot-token.for-digest-tests", apiUrl: fake.apiUrl, applicationId: IDS.application },
    adapterDeps({
      content: () => content,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
      logger: new RecordingLogger(),
      digests: { book: new StoreDigestBook(store), settings: SETTINGS },
    }),
  );
  await adapter.start();
});

afterAll(async () => {
  await adapter.stop();
  await store.close();
  await fake.close();
});

// The client and the store are shared (starting discord.js per test is slow); the channel starts unsubscribed in each.
beforeEach(async () => {
  await store.deleteSubscription(CHANNEL);
});

afterEach(() => {
  expect(fake.unknownRoutes).toEqual([]);
});

describe("/digest on Discord", () => {
  it("refuses a member without Manage Channels, privately, and saves nothing", async () => {
    const call = await ask(commandInteraction("digest", { subcommand: "subscribe", options: { time: "07:30" } }));
    expect(dataOf(call)["flags"]).toBe(EPHEMERAL);
    expect(textOf(call)).toContain("Only members with the Manage Channels permission can set up this channel");
    expect(await store.getSubscription(CHANNEL)).toBeUndefined();
  });

  it("subscribes for a member with Manage Channels, with the options as Discord sends them", async () => {
    const call = await ask(
      commandInteraction("digest", {
        subcommand: "subscribe",
        options: { time: "07:30", timezone: "Europe/London", stories: "hostages" },
        permissions: MANAGER_PERMISSIONS,
      }),
    );
    expect(dataOf(call)["flags"]).toBe(EPHEMERAL);
    expect(textOf(call)).toContain("Every day at 07:30 (Europe/London)");
    expect(await store.getSubscription(CHANNEL)).toMatchObject({
      platform: "discord",
      time: "07:30",
      timeZone: "Europe/London",
      stories: ["hostages"],
    });
  });

  it("shows the status to anyone, and a bad zone gets a clear error with choices", async () => {
    await store.putSubscription({
      channel: CHANNEL,
      platform: "discord",
      time: "07:30",
      timeZone: "Europe/London",
      stories: ["hostages"],
      createdAt: "2026-11-24T00:00:00Z",
      createdBy: "Dana",
    });
    const status = await ask(commandInteraction("digest", { subcommand: "status" }));
    expect(textOf(status)).toContain("every day at 07:30 (Europe/London)");
    const bad = await ask(
      commandInteraction("digest", {
        subcommand: "subscribe",
        options: { timezone: "Europe/Londn" },
        permissions: MANAGER_PERMISSIONS,
      }),
    );
    expect(textOf(bad)).toContain("is not a time zone I know");
    expect(JSON.stringify(dataOf(bad)["components"])).toContain("Europe/London");
  });

  it("autocompletes time zones in /digest subscribe", async () => {
    const call = await ask(autocompleteInteraction("digest", "timezone", "new y", "subscribe"));
    const choices = (obj(obj(call.body)["data"])["choices"] as Json[] | undefined) ?? [];
    expect(choices[0]).toEqual({ name: "America/New_York", value: "America/New_York" });
  });
});
