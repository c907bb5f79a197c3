// Understands a time zone as people type it ("Europe/London", "new york", "utc") and suggests one when it cannot.
import { closest, distance } from "fastest-levenshtein";

let known: string[] | undefined;

/** Every IANA zone this runtime knows, plus UTC (which Intl lists under Etc/ on some versions). */
function knownZones(): string[] {
  known ??= [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])];
  return known;
}

function canonical(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const squash = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, "");

/** The canonical IANA name for what was typed, or undefined. "new york" and "new_york" find America/New_York. */
export function resolveTimeZone(typed: string): string | undefined {
  const text = typed.trim();
  if (text === "" || text.length > 64) return undefined;
  const exact = text.includes("/") || /^[a-z]{2,5}$/i.test(text) ? canonical(text) : undefined;
  if (exact !== undefined) return exact;
  // A city alone: the part after the last slash, spaces or underscores alike.
  const city = squash(text);
  const byCity = knownZones().filter((zone) => squash(zone.slice(zone.lastIndexOf("/") + 1)) === city);
  return byCity.length === 1 ? byCity[0] : undefined;
}

/** Up to three zones close to a mistyped one, best first. */
export function suggestTimeZones(typed: string): string[] {
  const text = squash(typed);
  if (text === "") return [];
  const zones = knownZones();
  const scored = zones.map((zone) => {
    const full = distance(text, squash(zone));
    const city = distance(text, squash(zone.slice(zone.lastIndexOf("/") + 1)));
    return { zone, score: Math.min(full, city) };
  });
  const best = scored
    .filter((s) => s.score <= Math.max(2, Math.floor(text.length / 4)))
    .sort((a, b) => a.score - b.score || a.zone.localeCompare(b.zone));
  const picks = best.slice(0, 3).map((s) => s.zone);
  return picks.length > 0
    ? picks
    : [closest(text, zones)].filter((zone) => distance(squash(zone), text) <= text.length / 2);
}

/** Zones offered before anything is typed: the ones newsrooms most often work in. */
const COMMON_ZONES = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "America/Los_Angeles",
  "Europe/Berlin",
  "Asia/Jerusalem",
  "Asia/Tokyo",
  "Australia/Sydney",
];

/** Completions for a zone being typed: city or full-name prefix matches first, then any that contain it. */
export function completeTimeZones(partial: string, limit: number): { name: string; value: string }[] {
  const text = squash(partial);
  const zones = text === "" ? COMMON_ZONES : knownZones();
  const rank = (zone: string) => {
    const city = squash(zone.slice(zone.lastIndexOf("/") + 1));
    const full = squash(zone);
    if (city.startsWith(text) || full.startsWith(text)) return 0;
    return full.includes(text) ? 1 : 2;
  };
  return zones
    .map((zone) => ({ zone, rank: rank(zone) }))
    .filter((z) => z.rank < 2)
    .sort((a, b) => a.rank - b.rank || a.zone.localeCompare(b.zone))
    .slice(0, limit)
    .map(({ zone }) => ({ name: zone, value: zone }));
}
