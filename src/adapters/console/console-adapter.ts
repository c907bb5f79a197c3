// The console adapter: a readline shell over injectable streams, answering typed commands through the core like any platform.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Asker } from "../../core/commands/types.js";
import { exampleWhoQuery } from "../../core/commands/examples.js";
import type { Reply } from "../../core/reply.js";
import type { AdapterDependencies, PlatformAdapter } from "../adapter.js";
import { completeLine, type CompleterResult } from "./complete.js";
import { renderConsole } from "./render.js";
import { wrapText } from "./wrap.js";

export interface ConsoleAdapterOptions {
  input: Readable;
  /** Where answers go; when it is a terminal (a tty.WriteStream), lines are wrapped at its width. */
  output: Writable;
  /** Interactive: show a prompt and a greeting, and complete on Tab. Off when stdin is piped. */
  interactive: boolean;
  /** ANSI colour in answers. On when stdout is a terminal. */
  colour: boolean;
}

const EXIT_WORDS = new Set(["exit", "quit", "/exit", "/quit", ".exit"]);
/** The console's one channel; whoever sits at the terminal manages it. */
export const CONSOLE_CHANNEL = "console:local";
const CONSOLE_ASKER: Asker = {
  user: { id: "console", name: "console user" },
  channel: CONSOLE_CHANNEL,
  platform: "console",
  authority: { has: () => true },
};

/** What a terminal's output stream adds to a Writable; a pipe has neither. */
type MaybeTerminal = Writable & { isTTY?: boolean; columns?: number };

export class ConsoleAdapter implements PlatformAdapter {
  readonly name = "console";
  private closing = false;
  private readline: ReturnType<typeof createInterface> | undefined;
  private running: Promise<void> | undefined;
  /** The terminal's width, read again on every resize; undefined when the output is not a terminal. */
  private columns: number | undefined;
  private readonly measure = (): void => {
    const output = this.options.output as MaybeTerminal;
    const columns = output.isTTY === true ? output.columns : undefined;
    this.columns = columns !== undefined && columns > 0 ? columns : undefined;
  };

  constructor(
    private readonly deps: AdapterDependencies,
    private readonly options: ConsoleAdapterOptions,
  ) {
    this.measure();
  }

  /** Opens the shell; it answers until end of input, "exit" or stop(), and `closed` resolves then. */
  start(): Promise<void> {
    this.running ??= this.run();
    return Promise.resolve();
  }

  /** Resolves once the shell has closed (end of input, "exit", Ctrl+C or stop()). */
  get closed(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Answers line by line, in order, until end of input or "exit"; resolves when the shell closes. */
  async run(): Promise<void> {
    const { input, output, interactive } = this.options;
    const rl = createInterface({
      input,
      output: interactive ? output : undefined,
      terminal: interactive,
      prompt: "news> ",
      ...(interactive && { completer: (line: string) => this.complete(line) }),
    });
    this.readline = rl;
    output.on("resize", this.measure);
    // On a terminal readline catches Ctrl+C itself and would only pause; treat it as leaving.
    rl.on("SIGINT", () => void this.stop());
    if (interactive) {
      this.write(this.greeting());
      rl.prompt();
    }
    for await (const line of rl) {
      const trimmed = line.trim();
      if (EXIT_WORDS.has(trimmed.toLowerCase())) break;
      if (trimmed !== "") this.write(await this.answer(line));
      if (this.closing) break;
      if (interactive) rl.prompt();
    }
    rl.close();
    output.off("resize", this.measure);
  }

  stop(): Promise<void> {
    this.closing = true;
    this.readline?.close();
    return Promise.resolve();
  }

  readinessProblem(): string | undefined {
    return this.closing ? "console closed" : undefined;
  }

  /** One typed line to rendered text; never throws. */
  async answer(line: string): Promise<string> {
    return this.render(await this.deps.answerer.answerLine(line, CONSOLE_ASKER));
  }

  /** Tab at the prompt; a failure completes nothing rather than printing readline's error into the prompt. */
  complete(line: string): CompleterResult {
    try {
      return completeLine(this.deps.answerer, line);
    } catch (error) {
      this.deps.logger.error({ err: error }, "completion failed");
      return [[], ""];
    }
  }

  private render(reply: Reply): string {
    const { colour } = this.options;
    return renderConsole(reply, { colour, timeZone: this.deps.answerer.settings.timeZone, width: this.columns })
      .message;
  }

  private greeting(): string {
    const content = this.deps.answerer.content();
    const first = content.stories[0]?.command ?? "help";
    // At a terminal the log's "serving content release" line is hidden; an editor must know edits need a publish.
    const release =
      content.release === undefined
        ? ""
        : ` Answering from content release ${content.release} in the database: edits to the content folder show after npm run content:publish.`;
    const text = `News bot (console). Ask /${first} summary, /who ${exampleWhoQuery(content)} or /help. Press Tab to complete a command or a name. Type exit or press Ctrl+D to leave.${release}`;
    return `${this.columns === undefined ? text : wrapText(text, this.columns)}\n`;
  }

  /** A digest due in the console's channel: printed between answers, like a message arriving in a channel. */
  postDigest(reply: Reply): void {
    this.write(this.render(reply));
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n\n`);
  }
}
