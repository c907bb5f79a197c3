// Text normalisation shared by lookups, validation and input handling.

// Apostrophes and dots vanish ("Netanyahu's" -> "netanyahus", "U.S." -> "us"); other punctuation separates words.
const JOINING_PUNCTUATION = /['’‘`´.]/gu;
const SEPARATING = /[\p{P}\p{S}\s]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;

/** The form names and queries are compared in: NFKC, case-folded, accents and punctuation stripped. */
export function normalizeKey(value: string): string {
  return value
    .normalize("NFKC")
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(JOINING_PUNCTUATION, "")
    .replace(SEPARATING, " ")
    .trim();
}

// Control characters, format characters (zero-width space/joiners, BOM, bidi overrides) and lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;

/** User input as we accept it: invisible characters dropped, whitespace collapsed, trimmed. */
export function cleanInput(value: string): string {
  // Every kind of space (tab, newline, no-break, thin, ideographic) separates words; only then drop the invisible ones.
  return value.replace(/\s+/gu, " ").replace(INVISIBLE, "").replace(/ {2,}/g, " ").trim();
}
