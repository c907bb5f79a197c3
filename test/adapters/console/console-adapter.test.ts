// The console adapter in process, over in-memory streams (as hubot tests its shell adapter).
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/console-adapter.js";
import { silentLogger } from "../../../src/core/logger.js";
import { adapterDeps, loadRealContent } from "../../helpers.js";

const content = loadRealContent();

function shell(interactive = false) {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = "";
  output.on("data", (chunk: Buffer) => (written += chunk.toString("utf8")));
  const adapter = new ConsoleAdapter(
    adapterDeps({
      content: () => content,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
      logger: silentLogger,
    }),
    { input, output, interactive, colour: false },
  );
  return { adapter, input, output: () => written };
}

describe("ConsoleAdapter", () => {
  it("answers each line in order and finishes at end of input", async () => {
    const { adapter, input, output } = shell();
    const done = adapter.run();
    input.end("/who boehler\n\n/hostages latest\n");
    await done;
    const text = output();
    const boehler = text.indexOf("Adam Boehler\n====");
    const latest = text.indexOf(content.stories[0]?.updates.at(-1)?.headline ?? "missing");
    expect(boehler).toBeGreaterThanOrEqual(0);
    expect(latest).toBeGreaterThan(boehler);
  });

  it("accepts commands without the leading slash", async () => {
    const { adapter, input, output } = shell();
    const done = adapter.run();
    input.end("help\n");
    await done;
    expect(output()).toContain("What I can tell you");
  });

  it("stops at exit without answering the lines after it", async () => {
    const { adapter, input, output } = shell();
    const done = adapter.run();
    input.end("/who trump\nexit\n/who boehler\n");
    await done;
    expect(output()).toContain("Donald Trump");
    expect(output()).not.toContain("Adam Boehler\n");
  });

  it("answers bad input with a helpful message and keeps going", async () => {
    const { adapter, input, output } = shell();
    const done = adapter.run();
    input.end("/hostages sumary\n/who\n/who boehler\n");
    await done;
    const text = output();
    expect(text).toContain("✗ /hostages has no “sumary”.");
    expect(text).toContain("Try: /hostages summary");
    expect(text).toContain("✗ /who needs a name.");
    expect(text).toContain("Adam Boehler\n====");
    expect(text).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it("greets and prompts when interactive", async () => {
    const { adapter, input, output } = shell(true);
    const done = adapter.run();
    input.end("/who boehler\n");
    await done;
    expect(output()).toContain("Ask /hostages summary, /who boehler or /help");
    expect(output()).toContain("news> ");
  });
});
