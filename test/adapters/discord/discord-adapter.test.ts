// The Discord adapter end to end: the real discord.js client against a loopback Discord, asserting on what Discord receives.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RESTARTING_NOTICE } from "../../../src/adapters/adapter.js";
import { DiscordAdapter, type DiscordAdapterOptions } from "../../../src/adapters/discord/discord-adapter.js";
import type { AnswerSettings } from "../../../src/core/commands/types.js";
import { storyUpdatedAt } from "../../../src/core/commands/story.js";
import { formatInstant } from "../../../src/core/format.js";
import {
  FakeDiscord,
  IDS,
  autocompleteInteraction,
  buttonInteraction,
  commandInteraction,
  type RecordedCall,
} from "../../fakes/discord.js";
import {
  adapterDeps,
  buildValidContent,
  loadRealContent,
  realContentFiles,
  withEditedFile,
  madeUpOrganisation,
} from "../../helpers.js";
import { RecordingLogger, type LogEntry } from "../../recording-logger.js";

const content = loadRealContent();
/** What the harness's bot answers from: a test may publish an edit between a reader's look and their click. */
let current = content;
const TOKEN = "fake-bot-token.for-tests-only";
const EPHEMERAL = 64;

interface Harness {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  logs: LogEntry[];
}

async function startHarness(
  settings: Partial<AnswerSettings> = {},
  options: DiscordAdapterOptions = {},
): Promise<Harness> {
  const fake = await FakeDiscord.start();
  const logs: LogEntry[] = [];
  const adapter = new DiscordAdapter(
    { token: TOKEN, apiUrl: fake.apiUrl, applicationId: IDS.application },
    adapterDeps({
      content: () => current,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200, ...settings },
      logger: new RecordingLogger(logs),
    }),
    options,
  );
  await adapter.start();
  return { fake, adapter, logs };
}

async function stopHarness(harness: Harness | undefined): Promise<void> {
  await harness?.adapter.stop();
  await harness?.fake.close();
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The message data of an interaction callback, or the body of a webhook call. */
function messageOf(call: RecordedCall): Json {
  const body = obj(call.body);
  return "type" in body && "data" in body ? obj(body["data"]) : body;
}

function embedsOf(call: RecordedCall): Json[] {
  return arr(messageOf(call)["embeds"]).map(obj);
}

function embedText(call: RecordedCall): string {
  return embedsOf(call)
    .map((e) =>
      [e["title"], e["description"], obj(e["footer"])["text"]].filter((t) => typeof t === "string").join("\n"),
    )
    .join("\n");
}

function customIdsOf(call: RecordedCall): string[] {
  return arr(messageOf(call)["components"]).flatMap((row) =>
    arr(obj(row)["components"]).map((c) => String(obj(c)["custom_id"])),
  );
}

/** Each button as [custom id, label]. */
function buttonsOf(call: RecordedCall): [string, string][] {
  return arr(messageOf(call)["components"]).flatMap((row) =>
    arr(obj(row)["components"]).map((c): [string, string] => [String(obj(c)["custom_id"]), String(obj(c)["label"])]),
  );
}

function flagsOf(call: RecordedCall): number {
  const flags = messageOf(call)["flags"];
  return typeof flags === "number" ? flags : 0;
}

function callbackPath(interaction: Json): RegExp {
  return new RegExp(`^/api/v10/interactions/${String(interaction["id"])}/${String(interaction["token"])}/callback$`);
}

function webhookPath(interaction: Json, suffix = ""): RegExp {
  return new RegExp(`^/api/v10/webhooks/${IDS.application}/${String(interaction["token"])}${suffix}$`);
}

/** Sends an interaction over the gateway and returns Discord's view of the first answer. */
async function ask(fake: FakeDiscord, interaction: Json): Promise<RecordedCall> {
  fake.interact(interaction);
  return fake.waitForCall("POST", callbackPath(interaction));
}

describe("the Discord adapter against a loopback Discord", () => {
  let h: Harness | undefined;
  const harness = (): Harness => {
    if (!h) throw new Error("the harness did not start");
    return h;
  };

  beforeAll(async () => {
    h = await startHarness();
  });

  afterAll(async () => {
    await stopHarness(h);
  });

  afterEach(() => {
    expect(harness().fake.unknownRoutes).toEqual([]);
  });

  it("logs in with only the Guilds intent, is ready, and keeps the gateway alive with heartbeats", async () => {
    const { fake } = harness();
    expect(fake.callsTo("GET", /^\/api\/v10\/gateway\/bot$/)).toHaveLength(1);
    const [identify] = fake.framesWithOp(2);
    expect(obj(identify?.d)["intents"]).toBe(1);
    expect(obj(identify?.d)["token"]).toBe(TOKEN);
    await fake.waitFor("a heartbeat", () => fake.framesWithOp(1)[0]);
  });

  it("answers /hostages summary with an embed carrying the summary, the sources and the update time, privately and unable to ping", async () => {
    const { fake } = harness();
    const story = content.storyByCommand.get("hostages");
    if (!story) throw new Error("no hostages story");
    const call = await ask(fake, commandInteraction("hostages", { subcommand: "summary" }));
    const body = obj(call.body);
    expect(body["type"]).toBe(4);
    expect(call.contentType).toContain("application/json");
    const data = messageOf(call);
    expect(data["allowed_mentions"]).toEqual({ parse: [] });
    expect(flagsOf(call) & EPHEMERAL).toBe(EPHEMERAL);
    const [embed] = embedsOf(call);
    expect(embed?.["title"]).toBe(story.headline);
    expect(String(embed?.["description"])).toContain(story.summary.slice(0, 60));
    const footer = String(obj(embed?.["footer"])["text"]);
    expect(footer).toContain("Sources: Source article");
    expect(footer).toContain("Reuters, 5 Mar 2025");
    expect(footer).toContain(`Updated ${formatInstant(storyUpdatedAt(story), "UTC")}`);
    expect(customIdsOf(call)).toEqual([expect.stringMatching(/^share@[0-9a-f]{10}:\/hostages summary$/)]);
  });

  it("completes /who names as they are typed: boeh offers Adam Boehler", async () => {
    const { fake } = harness();
    const call = await ask(fake, autocompleteInteraction("who", "name", "boeh"));
    const body = obj(call.body);
    expect(body["type"]).toBe(8);
    const choices = arr(obj(body["data"])["choices"]).map(obj);
    expect(choices[0]).toEqual({ name: "Adam Boehler", value: "adam-boehler" });
  });

  it("offers the first names for an empty /who and nothing for an option without completion", async () => {
    const { fake } = harness();
    const empty = await ask(fake, autocompleteInteraction("who", "name", ""));
    const choices = arr(obj(obj(empty.body)["data"])["choices"]).map(obj);
    expect(choices.length).toBe(Math.min(25, content.entities.length));
    for (const c of choices) {
      expect(String(c["name"]).length).toBeGreaterThan(0);
      expect(String(c["name"]).length).toBeLessThanOrEqual(100);
      expect(String(c["value"]).length).toBeLessThanOrEqual(100);
    }
    const help = await ask(fake, autocompleteInteraction("help", "command", "wh"));
    expect(obj(help.body)).toEqual({ type: 8, data: { choices: [] } });
  });

  it("answers /who for an unknown name privately, with what to try instead", async () => {
    const { fake } = harness();
    const call = await ask(fake, commandInteraction("who", { options: { name: "Zebedee Quux" } }));
    expect(flagsOf(call) & EPHEMERAL).toBe(EPHEMERAL);
    expect(messageOf(call)["allowed_mentions"]).toEqual({ parse: [] });
    const text = embedText(call);
    expect(text).toContain("I don't know anyone called “Zebedee Quux”");
    expect(text).toContain("/hostages people");
    expect(customIdsOf(call)).toEqual([]);
  });

  it("answers a misspelt /who privately with did-you-mean buttons in the words a reader types, and a click asks again privately", async () => {
    const { fake } = harness();
    const call = await ask(fake, commandInteraction("who", { options: { name: "netanyahoo" } }));
    expect(flagsOf(call) & EPHEMERAL).toBe(EPHEMERAL);
    expect(buttonsOf(call).filter(([id]) => id.startsWith("run:"))).toEqual([
      ["run:/who Benjamin Netanyahu", "Benjamin Netanyahu"],
      ["run:/who Office of the Israeli Prime Minister", "Office of the Israeli Prime Minister"],
    ]);
    expect(embedText(call)).toContain("Try: `/who Benjamin Netanyahu`  ·  `/who Office of the Israeli Prime Minister`");

    const click = await ask(fake, buttonInteraction("run:/who Benjamin Netanyahu"));
    expect(obj(click.body)["type"]).toBe(4);
    expect(flagsOf(click) & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedsOf(click)[0]?.["title"]).toBe("Benjamin Netanyahu");
    expect(messageOf(click)["allowed_mentions"]).toEqual({ parse: [] });
  });

  it("offers names with quotes and apostrophes as buttons that answer that card when clicked", async () => {
    const { fake } = harness();
    const names = ["Cairo’s Back Room", "Hamas's Political Bureau", 'The "Doha" Channel'];
    current = buildValidContent([
      ...realContentFiles(),
      ...names.map((name, i) => madeUpOrganisation(`made-up-office-${i}`, name, ["go-between"])),
    ]);
    try {
      const call = await ask(fake, commandInteraction("who", { options: { name: "go-between" } }));
      const runs = buttonsOf(call).filter(([id]) => id.startsWith("run:"));
      expect(runs).toEqual(names.map((name) => [`run:/who ${name}`, name]));
      for (const [id, name] of runs) {
        const click = await ask(fake, buttonInteraction(id));
        expect(embedsOf(click)[0]?.["title"], id).toBe(name);
      }
    } finally {
      current = content;
    }
  });

  it("posts a shared answer publicly, saying who shared it, without pinging", async () => {
    const { fake } = harness();
    const asked = await ask(fake, commandInteraction("who", { options: { name: "Adam Boehler" } }));
    const [shareId] = customIdsOf(asked).filter((id) => id.startsWith("share"));
    expect(shareId).toMatch(/^share@[0-9a-f]{10}:\/who Adam Boehler$/);

    const shared = await ask(fake, buttonInteraction(shareId ?? ""));
    expect(obj(shared.body)["type"]).toBe(4);
    expect(flagsOf(shared) & EPHEMERAL).toBe(0);
    expect(messageOf(shared)["allowed_mentions"]).toEqual({ parse: [] });
    expect(embedsOf(shared)[0]?.["title"]).toBe("Adam Boehler");
    expect(embedText(shared)).toContain("Shared by Dana");
    expect(embedText(shared)).not.toContain("Updated since");
    // What was shared is what the reader saw: the same embed, but for the sharer's line.
    const shown = (call: RecordedCall) => embedsOf(call).map((e) => [e["title"], e["description"], e["fields"]]);
    expect(shown(shared)).toEqual(shown(asked));
    expect(customIdsOf(shared)).toEqual([]);
  });

  it("shares the current answer, marked as changed, when the content moved on between the look and the click", async () => {
    const { fake } = harness();
    const asked = await ask(fake, commandInteraction("who", { options: { name: "Adam Boehler" } }));
    const [shareId] = customIdsOf(asked).filter((id) => id.startsWith("share"));
    current = buildValidContent(
      withEditedFile("people/adam-boehler.md", (text) =>
        text.replace("held several meetings with Hamas officials in Doha", "held talks with Hamas officials in Doha"),
      ),
    );
    try {
      const shared = await ask(fake, buttonInteraction(shareId ?? ""));
      expect(flagsOf(shared) & EPHEMERAL).toBe(0);
      expect(embedText(shared)).toContain("Updated since Dana looked: this is the current answer.");
      expect(embedText(shared)).toContain("held talks with Hamas officials in Doha");
      // An old button without the fingerprint still shares, without a claim either way.
      const old = await ask(fake, buttonInteraction("share:/who Adam Boehler"));
      expect(embedText(old)).not.toContain("Updated since");
    } finally {
      current = content;
    }
  });

  it("keeps a share whose question no longer has an answer private", async () => {
    const { fake } = harness();
    const call = await ask(fake, buttonInteraction("share:/who someone-removed-since"));
    expect(flagsOf(call) & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedText(call)).not.toContain("Shared by");
  });

  it("answers a button it does not know with a polite private notice", async () => {
    const { fake } = harness();
    const call = await ask(fake, buttonInteraction("poll:vote:3"));
    expect(flagsOf(call) & EPHEMERAL).toBe(EPHEMERAL);
    expect(String(messageOf(call)["content"])).toContain("don't recognise that button");
    expect(messageOf(call)["allowed_mentions"]).toEqual({ parse: [] });
  });

  it("names the channel discord:<guild>:<channel>, or discord:dm:<channel> for an interaction from a direct message", async () => {
    const { fake, logs } = harness();
    const inGuild = commandInteraction("help");
    const inDm = commandInteraction("help", { where: "dm" });
    await ask(fake, inGuild);
    const call = await ask(fake, inDm);
    expect(embedsOf(call)[0]?.["title"]).toBe("What I can tell you");
    const channelOf = (interaction: Json) =>
      logs.find((l) => l.msg === "discord interaction" && l.fields["interaction"] === interaction["id"])?.fields[
        "channel"
      ];
    expect(channelOf(inGuild)).toBe(`discord:${IDS.guild}:${IDS.channel}`);
    expect(channelOf(inDm)).toBe(`discord:dm:${IDS.dmChannel}`);
  });

  it("logs a reply Discord refuses and apologises instead, with an error id and no stack trace", async () => {
    const { fake, logs } = harness();
    const interaction = commandInteraction("hostages", { subcommand: "timeline" });
    fake.script({
      method: "POST",
      path: callbackPath(interaction),
      status: 400,
      body: { code: 50035, message: "Invalid Form Body", errors: {} },
    });
    fake.interact(interaction);
    const apology = await fake.waitForCall("POST", callbackPath(interaction), 1);
    expect(flagsOf(apology) & EPHEMERAL).toBe(EPHEMERAL);
    const text = embedText(apology);
    expect(text).toContain("Sorry, something went wrong on our side.");
    expect(text).toMatch(/error id [0-9a-f]{8}/);
    expect(text).not.toMatch(/\bat .*\(|Invalid Form Body|DiscordAPIError/);
    const logged = logs.find((l) => l.level === "error" && l.msg === "discord interaction failed");
    expect(obj(logged?.fields["err"])).toMatchObject({ status: 400, code: 50035, method: "POST" });
    // The interaction token in the failed request's URL would let anyone post as the bot for 15 minutes.
    expect(JSON.stringify(logged)).not.toContain(String(interaction["token"]));
    expect(String(obj(logged?.fields["err"])["url"])).toContain("/callback");
  });

  it("resumes the session when Discord asks it to reconnect (op 7), and answers the next command", async () => {
    const { fake } = harness();
    const identifies = fake.framesWithOp(2).length;
    fake.requestReconnect();
    const resume = await fake.waitFor("a RESUME", () => fake.framesWithOp(6)[0]);
    expect(resume.path).toBe("/resume");
    expect(obj(resume.d)["session_id"]).toBe("fake-session-1");
    expect(obj(resume.d)["token"]).toBe(TOKEN);
    expect(typeof obj(resume.d)["seq"]).toBe("number");
    expect(fake.connections).toEqual(["/gateway", "/resume"]);

    const call = await ask(fake, commandInteraction("hostages", { subcommand: "latest" }));
    expect(obj(call.body)["type"]).toBe(4);
    expect(fake.framesWithOp(2)).toHaveLength(identifies);
  });

  it("never writes the bot token to the log", () => {
    expect(JSON.stringify(harness().logs)).not.toContain(TOKEN);
  });
});

describe("slow answers and rate limits", () => {
  let h: Harness | undefined;
  const harness = (): Harness => {
    if (!h) throw new Error("the harness did not start");
    return h;
  };

  // deferAfterMs 0 takes the path a slow answer takes, without a slow answer or a timed assertion.
  beforeAll(async () => {
    h = await startHarness({ defaultVisibility: "shared" }, { deferAfterMs: 0 });
  });

  afterAll(async () => {
    await stopHarness(h);
  });

  afterEach(() => {
    expect(harness().fake.unknownRoutes).toEqual([]);
  });

  it("defers a slow answer publicly, then edits the answer into the original response", async () => {
    const { fake } = harness();
    const interaction = commandInteraction("hostages", { subcommand: "summary" });
    const deferral = await ask(fake, interaction);
    expect(obj(deferral.body)).toEqual({ type: 5, data: { flags: 0 } });
    const edit = await fake.waitForCall("PATCH", webhookPath(interaction, "/messages/@original"));
    expect(edit.rawPath).toContain("/messages/%40original");
    expect(obj(edit.body)["allowed_mentions"]).toEqual({ parse: [] });
    expect(embedsOf(edit)[0]?.["title"]).toBe(content.storyByCommand.get("hostages")?.headline);
  });

  it("waits out a 429 on a follow-up and still delivers the private answer", async () => {
    const { fake } = harness();
    const interaction = commandInteraction("who", { options: { name: "Zebedee Quux" } });
    fake.script({
      method: "POST",
      path: webhookPath(interaction),
      status: 429,
      headers: {
        "retry-after": "0.05",
        "x-ratelimit-limit": "5",
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset-after": "0.05",
        "x-ratelimit-bucket": "fake-webhook-bucket",
        "x-ratelimit-scope": "user",
      },
      body: { message: "You are being rate limited.", retry_after: 0.05, global: false },
    });
    const deferral = await ask(fake, interaction);
    expect(obj(deferral.body)["type"]).toBe(5);
    // The answer is an error, for the asker only: the public placeholder is closed, the answer follows privately.
    const placeholder = await fake.waitForCall("PATCH", webhookPath(interaction, "/messages/@original"));
    expect(obj(placeholder.body)["allowed_mentions"]).toEqual({ parse: [] });
    const delivered = await fake.waitForCall("POST", webhookPath(interaction), 1);
    const attempts = fake.callsTo("POST", webhookPath(interaction));
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(flagsOf(delivered) & EPHEMERAL).toBe(EPHEMERAL);
    expect(obj(delivered.body)["allowed_mentions"]).toEqual({ parse: [] });
    expect(embedText(delivered)).toContain("I don't know anyone called “Zebedee Quux”");
    await fake.waitForCall("DELETE", webhookPath(interaction, "/messages/@original"));
    expect(harness().logs.some((l) => l.msg === "discord rate limit; waiting")).toBe(true);
  });
});

describe("stopping", () => {
  it("finishes an answer under way, tells later askers the bot is restarting, then disconnects", async () => {
    const h = await startHarness({}, { deferAfterMs: 0 });
    const { fake, adapter } = h;
    const underWay = commandInteraction("hostages", { subcommand: "summary" });
    // A rate limit on the edit keeps this answer under way while the adapter is asked to stop.
    fake.script({
      method: "PATCH",
      path: webhookPath(underWay, "/messages/@original"),
      status: 429,
      headers: { "retry-after": "0.3", "x-ratelimit-scope": "user" },
      body: { message: "You are being rate limited.", retry_after: 0.3, global: false },
    });
    await ask(fake, underWay);
    await fake.waitForCall("PATCH", webhookPath(underWay, "/messages/@original"));
    const stopped = adapter.stop();
    expect(adapter.readinessProblem()).toBe("gateway stopped");

    const late = commandInteraction("who", { options: { name: "boehler" } });
    const notice = await ask(fake, late);
    expect(messageOf(notice)["content"]).toBe(RESTARTING_NOTICE);
    expect(flagsOf(notice) & EPHEMERAL).toBe(EPHEMERAL);
    expect(obj(messageOf(notice)["allowed_mentions"])).toEqual({ parse: [] });

    await stopped;
    const edits = fake.callsTo("PATCH", webhookPath(underWay, "/messages/@original"));
    expect(edits.map((c) => c.status)).toEqual([429, 200]);
    await fake.close();
  });
});

describe("starting", () => {
  const deps = () =>
    adapterDeps({
      content: () => content,
      settings: { timeZone: "UTC", defaultVisibility: "private" as const, maxInputLength: 200 },
      logger: new RecordingLogger(),
    });

  it("rejects with an operator's message when Discord refuses the token", async () => {
    const fake = await FakeDiscord.start();
    fake.script({
      method: "GET",
      path: /^\/api\/v10\/gateway\/bot$/,
      status: 401,
      body: { message: "401: Unauthorized", code: 0 },
    });
    const adapter = new DiscordAdapter({ token: TOKEN, apiUrl: fake.apiUrl }, deps());
    try {
      const started = adapter.start();
      await expect(started).rejects.toThrow(/^Could not connect to Discord: /);
      await started.catch((error: unknown) => expect(String(error)).not.toContain(TOKEN));
    } finally {
      await adapter.stop();
      await adapter.stop();
      await fake.close();
    }
  });
});
