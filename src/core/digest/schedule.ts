// When digests are due: a channel's local fire time per day, with explicit rules for DST gaps and overlaps.
import { DateTime } from "luxon";
import { Memo } from "../memo.js";

export interface ClockTime {
  hour: number;
  minute: number;
}

/** One day's digest for one channel: the ledger's edition key and the instant it is due. */
export interface Slot {
  /** The channel's local date, YYYY-MM-DD. */
  localDate: string;
  editionKey: string;
  dueAt: Date;
}

/** What the schedule needs to know about a subscription. */
export interface ScheduleOf {
  time: string;
  timeZone: string;
  /** ISO instant: slots before it belong to no one. */
  createdAt: string;
}

const CLOCK = /^([01]?\d|2[0-3])(?::|\.|h)?([0-5]\d)?\s*(am|pm)?$/i;

/**
 * "08:00", "8:00", "8", "0800", "7.30pm", "7pm" → a 24-hour clock time; undefined when it is not one.
 * 12-hour forms need am/pm; "13pm" is not a time.
 */
export function parseClockTime(text: string): ClockTime | undefined {
  const compact = text
    .trim()
    .replace(/\s+/g, "")
    .replace(/^(\d{2})(\d{2})$/, "$1:$2");
  const match = CLOCK.exec(compact);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? "0");
  const meridiem = match[3]?.toLowerCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  return { hour, minute };
}

/** "08:05" */
export function formatClockTime(time: ClockTime): string {
  return `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
}

export function editionKeyFor(localDate: string): string {
  return `daily:${localDate}`;
}

/** The local calendar date of `instant` in `timeZone`, YYYY-MM-DD. */
export function localDateOf(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() ?? "";
}

function sameWallTime(instantMs: number, timeZone: string, wall: DateTime): boolean {
  const local = DateTime.fromMillis(instantMs, { zone: timeZone });
  return (
    local.year === wall.year &&
    local.month === wall.month &&
    local.day === wall.day &&
    local.hour === wall.hour &&
    local.minute === wall.minute
  );
}

/** The earliest instant whose local wall time in `timeZone` is exactly `wall` (a UTC DateTime used as a wall clock). */
function earliestInstantAt(wall: DateTime, timeZone: string): number | undefined {
  const wallMs = wall.toMillis();
  // Offsets in force around the wall time; at most one transition sits between them on any real zone.
  const offsets = new Set(
    [-26, -6, 0, 6, 26].map((hours) => DateTime.fromMillis(wallMs + hours * 3_600_000, { zone: timeZone }).offset),
  );
  const instants = [...offsets]
    .map((offset) => wallMs - offset * 60_000)
    .filter((ms) => sameWallTime(ms, timeZone, wall));
  return instants.length === 0 ? undefined : Math.min(...instants);
}

/**
 * The instant a digest set for `time` fires on `localDate` in `timeZone`. DST rules, chosen so every day has exactly
 * one slot: a time inside a spring-forward gap (02:30 on a day clocks jump 02:00 → 03:00) fires at the next valid
 * minute (03:00); a time inside a fall-back overlap (01:30 happening twice) fires at its first occurrence.
 */
export function fireInstant(localDate: string, time: ClockTime, timeZone: string): Date {
  const key = `${localDate} ${time.hour}:${time.minute} ${timeZone}`;
  return new Date(fireInstants.get(key, () => computeFireInstant(localDate, time, timeZone)));
}

/** The planner asks for the same few (date, time, zone) triples for thousands of channels every minute. */
const fireInstants = new Memo<number>(20_000);

function computeFireInstant(localDate: string, time: ClockTime, timeZone: string): number {
  const day = DateTime.fromISO(localDate, { zone: "UTC" });
  let wall = day.set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
  // A gap is at most a day long (Samoa skipped 30 Dec 2011), so this ends within 1,440 steps.
  for (let step = 0; step <= 1440; step += 1) {
    const instant = earliestInstantAt(wall, timeZone);
    if (instant !== undefined) return instant;
    wall = wall.plus({ minutes: 1 });
  }
  throw new Error(`no valid local time after ${localDate} ${formatClockTime(time)} in ${timeZone}`);
}

function clockOf(schedule: ScheduleOf): ClockTime {
  const time = parseClockTime(schedule.time);
  if (!time) throw new Error(`not a clock time: ${schedule.time}`);
  return time;
}

function slotOn(localDate: string, schedule: ScheduleOf): Slot {
  return {
    localDate,
    editionKey: editionKeyFor(localDate),
    dueAt: fireInstant(localDate, clockOf(schedule), schedule.timeZone),
  };
}

function shiftDate(localDate: string, days: number): string {
  return DateTime.fromISO(localDate, { zone: "UTC" }).plus({ days }).toISODate() ?? localDate;
}

/**
 * Slots due in (from, to]: every local date whose fire instant falls in the window and not before the
 * subscription was made, oldest first. Keyed by local date, so a clock that jumps back cannot make a second slot
 * for a day, and one that jumps forward leaves every skipped day in the window.
 */
export function slotsBetween(schedule: ScheduleOf, from: Date, to: Date): Slot[] {
  if (to.getTime() <= from.getTime()) return [];
  const created = Date.parse(schedule.createdAt);
  const slots: Slot[] = [];
  // One day of margin each side: a local date's fire time can sit on either side of a UTC date line.
  let date = shiftDate(localDateOf(from, schedule.timeZone), -1);
  const last = shiftDate(localDateOf(to, schedule.timeZone), 1);
  while (date <= last) {
    const slot = slotOn(date, schedule);
    const due = slot.dueAt.getTime();
    if (due > from.getTime() && due <= to.getTime() && due >= created) slots.push(slot);
    date = shiftDate(date, 1);
  }
  return slots;
}

/** The first slot strictly after `now` (and not before the subscription was made). */
export function nextSlot(schedule: ScheduleOf, now: Date): Slot {
  const after = Math.max(now.getTime(), Date.parse(schedule.createdAt) - 1);
  let date = shiftDate(localDateOf(new Date(after), schedule.timeZone), -1);
  for (;;) {
    const slot = slotOn(date, schedule);
    if (slot.dueAt.getTime() > after) return slot;
    date = shiftDate(date, 1);
  }
}
