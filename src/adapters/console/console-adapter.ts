// The console adapter: a readline shell over injectable streams, answering typed commands from the core.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { answerCommandLine, type Asker } from "../../core/commands/answer-line.js";
import { exampleWhoQuery } from "../../core/commands/examples.js";
import type { AnswerSettings } from "../../core/commands/types.js";
import type { ContentIndex } from "../../core/content/model.js";
import type { DigestBook, DigestSettings } from "../../core/digest/types.js";
import type { Logger } from "../../core/logger.js";
import type { Reply } from "../../core/reply.js";
import { renderForConsole } from "./render.js";

export interface ConsoleAdapterOptions {
  input: Readable;
  output: Writable;
  /** Interactive: show a prompt and a greeting. Off when stdin is piped. */
  interactive: boolean;
  /** ANSI colour in answers. On when stdout is a terminal. */
  colour: boolean;
  /** The current content; read on every line, so a reload is picked up. */
  content: () => ContentIndex;
  settings: AnswerSettings;
  logger: Logger;
  /** Subscriptions for /digest in the console's one channel, console:local. */
  digests?: { book: DigestBook; settings: DigestSettings };
}

const EXIT_WORDS = new Set(["exit", "quit", "/exit", "/quit", ".exit"]);
/** The console's one channel; whoever sits at the terminal manages it. */
export const CONSOLE_CHANNEL = "console:local";
const CONSOLE_ASKER: Asker = { user: { id: "console", name: "console user" }, channel: CONSOLE_CHANNEL, platform: "console", mayManageChannel: true };

export class ConsoleAdapter {
  readonly name = "console";
  private closing = false;
  private readline: ReturnType<typeof createInterface> | undefined;

  constructor(private readonly options: ConsoleAdapterOptions) {}

  /** Answers line by line, in order, until end of input or "exit"; resolves when the shell closes. */
  async run(): Promise<void> {
    const { input, output, interactive } = this.options;
    const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive, prompt: "news> " });
    this.readline = rl;
    // On a terminal readline catches Ctrl+C itself and would only pause; treat it as leaving.
    rl.on("SIGINT", () => this.stop());
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
  }

  stop(): void {
    this.closing = true;
    this.readline?.close();
  }

  /** One typed line to rendered text; never throws. */
  async answer(line: string): Promise<string> {
    return renderForConsole(await this.reply(line), { colour: this.options.colour, timeZone: this.options.settings.timeZone });
  }

  private reply(line: string): Promise<Reply> {
    const { settings, logger, digests } = this.options;
    return answerCommandLine(line, CONSOLE_ASKER, { content: this.options.content(), settings, logger, ...(digests && { digests }) });
  }

  private greeting(): string {
    const content = this.options.content();
    const first = content.stories[0]?.command ?? "help";
    return `News bot (console). Ask /${first} summary, /who ${exampleWhoQuery(content)} or /help. Type exit or press Ctrl+D to leave.\n`;
  }

  /** A digest due in the console's channel: printed between answers, like a message arriving in a channel. */
  postDigest(reply: Reply): void {
    this.write(renderForConsole(reply, { colour: this.options.colour, timeZone: this.options.settings.timeZone }));
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n\n`);
  }
}
