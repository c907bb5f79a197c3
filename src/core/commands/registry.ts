// The command registry: story commands generated from content, plus /who, /digest and /help, one catalogue per content.
import type { ContentIndex } from "../content/model.js";
import { CommandCatalogue } from "./catalogue.js";
import { digestCommand } from "./digest.js";
import { helpCommand } from "./help.js";
import { storyCommand } from "./story.js";
import { whoCommand } from "./who.js";

const registries = new WeakMap<ContentIndex, CommandCatalogue>();

/** Commands for this content: adding a story file adds its command everywhere, with no code change. */
export function commandsFor(content: ContentIndex): CommandCatalogue {
  let registry = registries.get(content);
  if (!registry) {
    // /help describes the catalogue it belongs to, which exists by the time anyone asks for help.
    const built: CommandCatalogue = new CommandCatalogue([
      ...content.stories.map(storyCommand),
      whoCommand(content),
      digestCommand(),
      helpCommand(() => built),
    ]);
    registries.set(content, built);
    registry = built;
  }
  return registry;
}
