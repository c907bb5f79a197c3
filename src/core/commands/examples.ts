// Example questions taken from the content itself, so hints stay right whatever stories are loaded.
import type { ContentIndex } from "../content/model.js";

/** A name worth trying with /who: the surname of the first person in the first story, e.g. "boehler". */
export function exampleWhoQuery(content: ContentIndex): string {
  const story = content.stories[0];
  const first = story?.people[0] ? content.entityById.get(story.people[0].ref) : content.entities[0];
  if (!first) return "<name>";
  return (first.kind === "person" ? (first.name.split(" ").at(-1) ?? first.name) : first.name).toLowerCase();
}
