// Example questions taken from the content itself, so hints stay right whatever stories are loaded.
import type { ContentIndex, Story } from "../content/model.js";

/** A name worth trying with /who: the surname of the story's first person (the first story by default), e.g. "boehler". */
export function exampleWhoQuery(content: ContentIndex, story: Story | undefined = content.stories[0]): string {
  const first = story?.people[0] ? content.entityById.get(story.people[0].ref) : content.entities[0];
  if (!first) return "<name>";
  return (first.kind === "person" ? (first.name.split(" ").at(-1) ?? first.name) : first.name).toLowerCase();
}
