// A set of command specs looked up by name, with the nearest name for a typo; registry.ts builds one per content.
import { closest } from "fastest-levenshtein";
import type { CommandSpec } from "./types.js";

export class CommandCatalogue {
  private readonly byName: ReadonlyMap<string, CommandSpec>;

  constructor(readonly commands: readonly CommandSpec[]) {
    this.byName = new Map(commands.map((c) => [c.name, c]));
  }

  get(name: string): CommandSpec | undefined {
    return this.byName.get(name);
  }

  /** The nearest command name to a mistyped one, when it is plausibly a typo. */
  nearest(name: string): string | undefined {
    const names = [...this.byName.keys()];
    if (names.length === 0 || name === "") return undefined;
    const guess = closest(name, names);
    return Math.abs(guess.length - name.length) <= 2 && guess[0] === name[0] ? guess : undefined;
  }
}
