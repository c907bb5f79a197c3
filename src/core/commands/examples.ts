// Example questions taken from the content itself, so hints stay right whatever stories are loaded.
import type { ContentIndex, Story } from "../content/model.js";
import { entityLookup } from "../content/query.js";

/**
 * A name worth trying with /who: the surname of the story's first person (the first story by default), e.g.
 * "boehler", when it answers that person's card; else the words that do (a shared surname would answer a pick-list).
 */
export function exampleWhoQuery(content: ContentIndex, story: Story | undefined = content.stories[0]): string {
  const first = story?.people[0] ? content.entityById.get(story.people[0].ref) : content.entities[0];
  if (!first) return "<name>";
  const short = (first.kind === "person" ? (first.name.split(" ").at(-1) ?? first.name) : first.name).toLowerCase();
  const lookup = entityLookup(content);
  const found = lookup.find(short);
  return found.kind === "found" && found.entity.id === first.id ? short : lookup.queryFor(first);
}
