// Shortening text at a clean boundary (a word), with an ellipsis, so nothing is cut mid-word.

/** `text` if it fits in `max` characters, else its longest word-bounded prefix plus "…". */
export function truncateAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const room = chars.slice(0, max - 1).join("");
  const lastSpace = room.lastIndexOf(" ");
  const cut = lastSpace > max / 2 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.–—-]+$/u, "")}…`;
}
