// What every adapter does around an answer: answer in the platform's window or acknowledge first, and say "restarting" while stopping.
import { InFlight } from "./in-flight.js";
import { settledWithin } from "./within.js";

/** What a command gets between SIGTERM and the disconnect: a clear word instead of silence. */
export const RESTARTING_NOTICE = "The news bot is restarting. Please ask again in a minute.";

/**
 * Discord drops an interaction not acknowledged within 3 s and Slack wants its acknowledgement within 3 s: past this
 * the adapter acknowledges first and answers after.
 */
export const DEFAULT_ANSWER_WINDOW_MS = 2000;

export interface WindowSteps<T> {
  /** The answer came within the window: send it as the acknowledgement itself. */
  inTime(answer: T): Promise<void>;
  /** It did not: acknowledge now (Discord defers, Slack acks empty). */
  acknowledge(): Promise<void>;
  /** Then send it once it comes. */
  late(answer: T): Promise<void>;
}

/** Sends `pending` in time when it is quick, else acknowledges first and sends it later; rejects as `pending` does. */
export async function answerInWindow<T>(pending: Promise<T>, windowMs: number, steps: WindowSteps<T>): Promise<void> {
  // Awaited below either way; this only keeps a failure meanwhile from counting as unhandled.
  pending.catch(() => undefined);
  const quick = await settledWithin(pending, windowMs);
  if (quick !== undefined) {
    await steps.inTime(quick);
    return;
  }
  await steps.acknowledge();
  await steps.late(await pending);
}

/**
 * Admits answers while the adapter runs and keeps count of them, so stopping lets them finish; once closed, each new
 * request is refused with the restarting notice instead.
 */
export class AnswerGate {
  private readonly inFlight = new InFlight();
  private open = true;

  get closed(): boolean {
    return !this.open;
  }

  /** Runs `answer` (tracked) while open; once closed, `refuse` tells the asker to come back. Returns what ran. */
  admit(answer: () => Promise<void>, refuse: (notice: string) => Promise<void>): Promise<void> {
    return this.inFlight.track(this.open ? answer() : refuse(RESTARTING_NOTICE));
  }

  /** Work that is not an answer (an uninstall event) but must still finish before the connection closes. */
  track<T>(work: Promise<T>): Promise<T> {
    return this.inFlight.track(work);
  }

  /** Stops admitting, then resolves once everything admitted so far has settled. */
  async close(): Promise<void> {
    this.open = false;
    await this.inFlight.settled();
  }
}
