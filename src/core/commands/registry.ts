// The command registry: story commands generated from content, plus /who, /digest and /help.
import { closest } from "fastest-levenshtein";
import type { ContentIndex } from "../content/model.js";
import { digestCommand } from "./digest.js";
import { helpCommand } from "./help.js";
import { storyCommand } from "./story.js";
import type { CommandSpec } from "./types.js";
import { whoCommand } from "./who.js";

export class CommandRegistry {
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

const registries = new WeakMap<ContentIndex, CommandRegistry>();

/** Commands for this content: adding a story file adds its command everywhere, with no code change. */
export function commandsFor(content: ContentIndex): CommandRegistry {
  let registry = registries.get(content);
  if (!registry) {
    // /help describes the registry it belongs to, which exists by the time anyone asks for help.
    const built: CommandRegistry = new CommandRegistry([...content.stories.map(storyCommand), whoCommand(content), digestCommand(), helpCommand(() => built)]);
    registries.set(content, built);
    registry = built;
  }
  return registry;
}
