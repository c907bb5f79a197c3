// Human-readable dates for answers: content timestamps in a chosen zone, event dates at their known precision.
import { Memo } from "./memo.js";

const instantFormats = new Map<string, Intl.DateTimeFormat>();

function instantFormat(timeZone: string): Intl.DateTimeFormat {
  let format = instantFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
      timeZoneName: "short",
    });
    instantFormats.set(timeZone, format);
  }
  return format;
}

/** Formatted instants: answers show the same few content timestamps over and over, and Intl formatting is slow. */
const formattedInstants = new Memo<string>(10_000);

/** "23 Nov 2026, 09:00 UTC" */
export function formatInstant(iso: string, timeZone: string): string {
  return formattedInstants.get(`${timeZone} ${iso}`, () => instantFormat(timeZone).format(new Date(iso)));
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "January 2025", "5 March 2025", or a full timestamp in the zone; the precision the editor gave is kept. */
export function formatEventTime(eventTime: string, timeZone: string): string {
  if (eventTime.includes("T")) return formatInstant(eventTime, timeZone);
  const [year, month, day] = eventTime.split("-").map(Number);
  const monthName = MONTHS[(month ?? 1) - 1] ?? "";
  return day === undefined ? `${monthName} ${year}` : `${day} ${monthName} ${year}`;
}

/** "5 Mar 2025" for a source's publication date. */
export function formatShortDate(dateOrInstant: string): string {
  const [year, month, day] = dateOrInstant.slice(0, 10).split("-").map(Number);
  return `${day} ${(MONTHS[(month ?? 1) - 1] ?? "").slice(0, 3)} ${year}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "1 story", "4 stories": a count with the word that goes with it. */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
