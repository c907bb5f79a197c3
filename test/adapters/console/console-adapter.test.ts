// The console adapter in process, over in-memory streams (as hubot tests its shell adapter), and over streams that
// claim to be a terminal, so readline runs as at a real prompt: keystrokes in, screen updates out.
import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../../src/adapters/console/console-adapter.js";
import { silentLogger } from "../../../src/core/logger.js";
import { adapterDeps, loadRealContent } from "../../helpers.js";

const content = loadRealContent();

/** An output stream as a terminal's looks to Node: isTTY, a width, and 'resize' when the width changes. */
type TerminalOutput = PassThrough & { isTTY?: true; columns?: number };

function shell(interactive = false, terminal: { columns?: number; colour?: boolean } = {}, served = content) {
  // A terminal's input: readline switches it to raw mode and reads keystrokes from it one by one.
  const input = terminal.columns === undefined ? new PassThrough() : Object.assign(new PassThrough(), { isTTY: true });
  const output: TerminalOutput = new PassThrough();
  if (terminal.columns !== undefined) Object.assign(output, { isTTY: true, columns: terminal.columns });
  let written = "";
  output.on("data", (chunk: Buffer) => (written += chunk.toString("utf8")));
  const adapter = new ConsoleAdapter(
    adapterDeps({
      content: () => served,
      settings: { timeZone: "UTC", defaultVisibility: "private", maxInputLength: 200 },
      logger: silentLogger,
    }),
    { input, output, interactive, colour: terminal.colour ?? false },
  );
  return { adapter, input, output: () => written, terminal: output };
}

/** Waits, without a fixed sleep, for what a person would wait to see; fails naming it and showing the screen. */
async function until(what: string, seen: () => boolean, screen: () => string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!seen()) {
    if (Date.now() > deadline) throw new Error(`never saw ${what}; the screen ends:\n${screen().slice(-600)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The prompt line as the terminal shows it now: readline redraws it after the last "news> " (moving the cursor with
 * escape codes) and appends typed letters to it.
 */
function promptLine(written: string): string {
  const last = written.lastIndexOf("news> ");
  return stripVTControlCharacters(written.slice(last)).split(/[\r\n]/)[0] ?? "";
}

/** An interactive shell at an 80-column terminal, typed into key by key as a person does. */
function prompt() {
  const { adapter, input, output } = shell(true, { columns: 80 });
  const done = adapter.run();
  const screen = () => promptLine(output());
  /** Types `keys` and waits until the prompt line reads `expected`. */
  const type = async (keys: string, expected: string) => {
    input.write(keys);
    await until(`the prompt line “${expected}”`, () => screen() === expected, output);
  };
  /** Presses Enter and waits for the answer and the next prompt. */
  const enter = async () => {
    const before = output().length;
    input.write("\r");
    await until("the next prompt", () => output().indexOf("news> ", before) >= 0, output);
    return output().slice(before);
  };
  return { done, input, output, type, enter };
}

/**
 * The words of a text, whatever its line breaks: wrapping must keep them all, none cut in two. The rule under a plain
 * title is not a word: it is drawn as wide as the title shows.
 */
const words = (text: string) =>
  stripVTControlCharacters(text)
    .split(/\s+/)
    .filter((word) => word !== "" && !/^=+$/.test(word));

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
    expect(output()).not.toContain("content release");
  });

  it("says in its greeting when it answers from a content release, so an editor knows edits need a publish", async () => {
    const { adapter, input, output } = shell(true, {}, { ...content, release: 7 });
    const done = adapter.run();
    input.end("exit\n");
    await done;
    expect(output()).toContain(
      "Answering from content release 7 in the database: edits to the content folder show after npm run content:publish.",
    );
  });

  it("completes on Tab at a terminal: a command and its subcommand, each followed by a space", async () => {
    const { done, input, type, enter } = prompt();
    await type("/hos", "news> /hos");
    await type("\t", "news> /hostages ");
    await type("tim", "news> /hostages tim");
    await type("\t", "news> /hostages timeline ");
    const answer = await enter();
    expect(answer).toContain("Timeline");
    expect(answer).not.toContain("has no");
    input.end();
    await done;
  });

  it("completes a /who name with spaces as the reader types it, correcting case and a typo", async () => {
    const { done, input, type, enter } = prompt();
    await type("/who adam bohler", "news> /who adam bohler");
    await type("\t", "news> /who Adam Boehler ");
    // The completed name is asked exactly: no “closest name” note, as the typo would have had.
    const answer = await enter();
    expect(answer).toContain("Adam Boehler\n====");
    expect(answer).not.toContain("No exact match");
    input.end();
    await done;
  });

  it("lists the candidates on a second Tab, as readline does, and leaves the line as typed", async () => {
    const { done, input, output, type } = prompt();
    const listings = (pattern: RegExp) => output().match(pattern)?.length ?? 0;
    const subcommands = /\r\nsubscribe {2}status\r\n/g;
    await type("/digest s", "news> /digest s");
    input.write("\t");
    input.write("\t");
    await until("the list of subcommands", () => listings(subcommands) > 0, output);
    // Listed once, by the second Tab: the first completed nothing, as "s" is all the two share.
    expect(listings(subcommands)).toBe(1);
    expect(promptLine(output())).toBe("news> /digest s");
    // Names that share no prefix with what was typed are listed, and the typed word stays.
    const names = /\r\nOffice of the Israeli Prime Minister {2}Jonathan Panikoff\r\n/g;
    await type("\u0015/who off", "news> /who off");
    input.write("\t");
    input.write("\t");
    await until("the list of names", () => listings(names) > 0, output);
    expect(listings(names)).toBe(1);
    expect(promptLine(output())).toBe("news> /who off");
    input.end();
    await done;
  });

  it("completes digest zones typed as words and story commands, keeping the words before", async () => {
    const { done, input, type } = prompt();
    await type("/digest subscribe 08:00 new yo", "news> /digest subscribe 08:00 new yo");
    await type("\t", "news> /digest subscribe 08:00 America/New_York ");
    await type("hos", "news> /digest subscribe 08:00 America/New_York hos");
    await type("\t", "news> /digest subscribe 08:00 America/New_York hostages ");
    input.end();
    await done;
  });

  it("wraps answers at the terminal's width on word boundaries, bullets hanging, and reads the width again on resize", async () => {
    const piped = shell();
    const pipedDone = piped.adapter.run();
    piped.input.end("/hostages summary\n");
    await pipedDone;
    const whole = piped.output();
    // Piped output is left whole for whatever reads it.
    expect(whole.split("\n").some((line) => line.length > 80)).toBe(true);

    const { adapter, input, output, terminal } = shell(false, { columns: 40 });
    const done = adapter.run();
    input.write("/hostages summary\n");
    await until("the answer", () => output().includes("Updated"), output);
    const narrow = output();
    expect(narrow.split("\n").every((line) => line.length <= 40)).toBe(true);
    expect(words(narrow)).toEqual(words(whole));
    const keyPoints = narrow.slice(
      narrow.indexOf("Key points\n"),
      narrow.indexOf("\n\n", narrow.indexOf("Key points")),
    );
    const itemLines = keyPoints.split("\n").slice(1);
    expect(itemLines.length).toBeGreaterThan(6);
    for (const line of itemLines) expect(line).toMatch(/^ {2}• \S|^ {4}\S/);

    terminal.columns = 60;
    terminal.emit("resize");
    input.end("/hostages summary\n");
    await done;
    const wider = output().slice(narrow.length);
    expect(wider.split("\n").every((line) => line.length <= 60)).toBe(true);
    expect(wider.split("\n").some((line) => line.length > 40)).toBe(true);
    expect(words(wider)).toEqual(words(whole));
  });

  it("wraps coloured answers by what shows, not counting the colour codes", async () => {
    const { adapter, input, output } = shell(false, { columns: 40, colour: true });
    const done = adapter.run();
    input.end("/who boehler\n");
    await done;
    const lines = output().split("\n");
    expect(lines.some((line) => line.includes("\u001b["))).toBe(true);
    expect(lines.every((line) => stripVTControlCharacters(line).length <= 40)).toBe(true);
    expect(lines.some((line) => stripVTControlCharacters(line).length > 35)).toBe(true);
  });
});
