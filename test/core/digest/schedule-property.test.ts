// Property tests of the digest schedule over many IANA zones and 2026–2030: one slot per local date, DST gaps and overlaps.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fireInstant,
  localDateOf,
  nextSlot,
  slotsBetween,
  type ClockTime,
  type ScheduleOf,
} from "../../../src/core/digest/schedule.js";

/*
 * The schedule's two questions, as the planner and /digest ask them:
 *   fireInstant(localDate, time, zone)  the instant the digest of local date D at HH:MM in zone Z is due;
 *   slotsBetween(schedule, from, to)    the slots due in (from, to], which the planner asks every tick;
 *   nextSlot(schedule, now)             the first slot strictly after an instant.
 * What the code promises for DST, and what is tested here against an oracle built on Intl alone (not luxon, not the
 * code's own search): a wall time that happens once fires then; one that happens twice (a fall-back overlap) fires at
 * its first occurrence; one that never happens (a spring-forward gap) fires at the first instant after the gap, whose
 * local time is the gap's end, the next valid minute (02:30 in New York on 2026-03-08 fires at 03:00 EDT).
 *
 * Runs are seeded so a failure reproduces; FC_SEED=<n> explores other inputs, and a failure prints its seed and path.
 */
const SEED = Number(process.env["FC_SEED"] ?? 20_260_308);
const run = (numRuns: number) => ({ seed: SEED, numRuns });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEARS_FROM = Date.UTC(2026, 0, 1);
const YEARS_TO = Date.UTC(2031, 0, 1);

/** Zones that must always be covered: 30-minute DST, the southern hemisphere, +5:45, no DST, and the usual two. */
const FIXED_ZONES = [
  "Australia/Lord_Howe",
  "Australia/Sydney",
  "America/Santiago",
  "Asia/Kathmandu",
  "Asia/Tokyo",
  "America/New_York",
  "Europe/London",
];
const ALL_ZONES = [...new Set(["UTC", ...FIXED_ZONES, ...Intl.supportedValuesOf("timeZone")])];

// ---- The Intl oracle --------------------------------------------------------------------------------------------

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset at `ms`, in minutes, as Intl reports it ("GMT+05:45"). */
function offsetMinutes(ms: number, zone: string): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  // format() and a regex: formatToParts was four times slower, and this runs a hundred times per check.
  const name = format.format(ms);
  const match = /GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new Error(`unexpected offset "${name}" in ${zone}`);
  const minutes = match[1] === undefined ? 0 : (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  // The oracle below tries every quarter-hour offset; a zone off that grid would make it miss an occurrence.
  if (minutes % 15 !== 0) throw new Error(`${zone} has an offset of ${minutes} minutes, off the quarter-hour grid`);
  return minutes;
}

/** The local wall clock at `ms`, as a UTC timestamp holding the same digits (so walls compare as numbers). */
const wallOf = (ms: number, zone: string) => ms + offsetMinutes(ms, zone) * MINUTE;

/** The instant the oracle expects for wall time `wall` (digits as UTC): its first occurrence, else the gap's end. */
function expectedFire(wall: number, zone: string): number {
  const occurrences: number[] = [];
  // Every offset in use lies in -12:00..+14:00 on the quarter hour, so these are all the instants that can read `wall`.
  for (let offset = -12 * 60; offset <= 14 * 60; offset += 15) {
    const instant = wall - offset * MINUTE;
    if (offsetMinutes(instant, zone) === offset) occurrences.push(instant);
  }
  if (occurrences.length > 0) return Math.min(...occurrences);
  // In a gap: the first minute whose wall clock is past `wall`. 15 h before, the clock read at most wall - 1 h; 13 h
  // after, at least wall + 1 h; the clock only moves forward in between (no zone has two changes within a day).
  let lo = wall - 15 * HOUR;
  let hi = wall + 13 * HOUR;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallOf(mid, zone) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

interface Transition {
  /** The first instant of the new offset. */
  at: number;
  before: number;
  after: number;
}

const transitionCache = new Map<string, Transition[]>();

/** Every offset change of `zone` in 2026–2030, found by Intl alone: sampled every 3 days, then bisected to the minute. */
function transitionsOf(zone: string): Transition[] {
  const cached = transitionCache.get(zone);
  if (cached) return cached;
  const found: Transition[] = [];
  let previous = YEARS_FROM - DAY;
  let previousOffset = offsetMinutes(previous, zone);
  for (let t = previous + 3 * DAY; t <= YEARS_TO + DAY; t += 3 * DAY) {
    const offset = offsetMinutes(t, zone);
    if (offset !== previousOffset) {
      let lo = previous;
      let hi = t;
      while (hi - lo > MINUTE) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetMinutes(mid, zone) === previousOffset) lo = mid;
        else hi = mid;
      }
      found.push({ at: hi, before: previousOffset, after: offsetMinutes(hi, zone) });
    }
    previous = t;
    previousOffset = offset;
  }
  transitionCache.set(zone, found);
  return found;
}

// ---- Helpers and arbitraries ------------------------------------------------------------------------------------

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const clockOf = (wall: number): ClockTime => ({
  hour: new Date(wall).getUTCHours(),
  minute: new Date(wall).getUTCMinutes(),
});
const hhmm = (time: ClockTime) => `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
const wallFor = (localDate: string, time: ClockTime) => Date.parse(`${localDate}T${hhmm(time)}:00Z`);
const scheduleOf = (time: ClockTime, timeZone: string): ScheduleOf => ({
  time: hhmm(time),
  timeZone,
  createdAt: "2020-01-01T00:00:00Z",
});
const shiftDate = (localDate: string, days: number) => isoDate(Date.parse(`${localDate}T00:00:00Z`) + days * DAY);

/** The fixed zones half the time, any zone Intl knows the other half. */
const zoneArb = fc.oneof(fc.constantFrom(...FIXED_ZONES), fc.constantFrom(...ALL_ZONES));
const dateArb = fc
  .integer({ min: 0, max: (YEARS_TO - YEARS_FROM) / DAY - 1 })
  .map((d) => isoDate(YEARS_FROM + d * DAY));
/** Any minute of the day, with the hours clocks change at (midnight to 03:00) and the ends of the hour weighted up. */
const timeArb: fc.Arbitrary<ClockTime> = fc.oneof(
  fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) }),
  fc.record({ hour: fc.integer({ min: 0, max: 3 }), minute: fc.constantFrom(0, 1, 15, 29, 30, 31, 45, 59) }),
  fc.record({ hour: fc.constantFrom(22, 23), minute: fc.constantFrom(0, 30, 59) }),
);

/** Zones that change offset at least once in 2026–2030 (computed once, lazily: most zones are never asked). */
const DST_ZONES = ALL_ZONES.filter((zone) =>
  // A cheap first cut: offsets in January and July differ for every zone with seasonal DST.
  [2026, 2027, 2028, 2029, 2030].some(
    (year) => offsetMinutes(Date.UTC(year, 0, 15), zone) !== offsetMinutes(Date.UTC(year, 6, 15), zone),
  ),
);

/** A wall time within three hours of a DST change (gap, overlap or either side), in a zone that has one. */
const nearTransitionArb = fc
  .record({
    zone: fc.oneof(fc.constantFrom(...FIXED_ZONES.filter((z) => DST_ZONES.includes(z))), fc.constantFrom(...DST_ZONES)),
    pick: fc.nat(),
    minutes: fc.integer({ min: -180, max: 180 }),
  })
  .map(({ zone, pick, minutes }) => {
    const transitions = transitionsOf(zone);
    const transition = transitions[pick % transitions.length];
    if (!transition) throw new Error(`${zone} has no transition in 2026–2030`);
    return { zone, transition, wall: transition.at + transition.before * MINUTE + minutes * MINUTE };
  });

/** What the schedule promises for `wall` around `transition`, in words a failure prints. */
function checkAroundTransition(zone: string, transition: Transition, wall: number): void {
  const localDate = isoDate(wall);
  const time = clockOf(wall);
  const fired = fireInstant(localDate, time, zone).getTime();
  const label = `${localDate} ${hhmm(time)} in ${zone}`;
  const gapStart = transition.at + transition.before * MINUTE;
  const gapEnd = transition.at + transition.after * MINUTE;
  if (transition.after > transition.before && wall >= gapStart && wall < gapEnd) {
    // A gap: fires as the clock jumps, and the clock then reads the gap's end.
    expect(fired, `${label} (in a gap)`).toBe(transition.at);
    expect(wallOf(fired, zone), `${label} (local time after the gap)`).toBe(gapEnd);
  } else if (transition.after < transition.before && wall >= gapEnd && wall < gapStart) {
    // An overlap: the first of the two occurrences, under the offset before the change.
    expect(fired, `${label} (in an overlap)`).toBe(wall - transition.before * MINUTE);
    expect(fired, `${label} (first occurrence is before the change)`).toBeLessThan(transition.at);
  }
  expect(fired, label).toBe(expectedFire(wall, zone));
}

// ---- Properties --------------------------------------------------------------------------------------------------

describe("fireInstant: the fire instant of local date D at HH:MM in zone Z", () => {
  it("matches the Intl oracle for any zone, any date 2026–2030 and any minute", () => {
    fc.assert(
      fc.property(zoneArb, dateArb, timeArb, (zone, localDate, time) => {
        const fired = fireInstant(localDate, time, zone).getTime();
        expect(fired).toBe(expectedFire(wallFor(localDate, time), zone));
        // A fire instant is a whole minute, and falls on its own local date (no gap in these years crosses midnight).
        expect(fired % MINUTE).toBe(0);
        expect(localDateOf(new Date(fired), zone)).toBe(localDate);
      }),
      run(400),
    );
  });

  it("within three hours of any zone's DST change: gaps fire at the gap's end, overlaps at the first occurrence", () => {
    fc.assert(
      fc.property(nearTransitionArb, ({ zone, transition, wall }) => checkAroundTransition(zone, transition, wall)),
      run(400),
    );
  });

  it("around every DST change of the fixed zones in 2026–2030, every quarter hour from 2 h before to 2 h after", () => {
    let gaps = 0;
    let overlaps = 0;
    for (const zone of FIXED_ZONES) {
      for (const transition of transitionsOf(zone)) {
        if (transition.after > transition.before) gaps += 1;
        else overlaps += 1;
        const start = transition.at + transition.before * MINUTE;
        for (let minutes = -120; minutes <= 120; minutes += 15) {
          checkAroundTransition(zone, transition, start + minutes * MINUTE);
        }
      }
    }
    // Lord Howe, Sydney, Santiago, New York and London each change twice a year (Tokyo and Kathmandu never).
    expect(gaps).toBeGreaterThanOrEqual(25);
    expect(overlaps).toBeGreaterThanOrEqual(25);
    expect(transitionsOf("Asia/Tokyo")).toEqual([]);
    expect(transitionsOf("Asia/Kathmandu")).toEqual([]);
  });

  it.each([
    // [zone, local date, time, expected instant, what happens]
    ["America/New_York", "2026-03-08", "02:30", "2026-03-08T07:00:00.000Z", "gap 02:00→03:00: fires at 03:00 EDT"],
    ["America/New_York", "2026-11-01", "01:30", "2026-11-01T05:30:00.000Z", "overlap: the first 01:30, EDT"],
    ["Europe/London", "2026-03-29", "01:30", "2026-03-29T01:00:00.000Z", "gap 01:00→02:00: fires at 02:00 BST"],
    ["Europe/London", "2026-10-25", "01:30", "2026-10-25T00:30:00.000Z", "overlap: the first 01:30, BST"],
    [
      "Australia/Lord_Howe",
      "2026-10-04",
      "02:15",
      "2026-10-03T15:30:00.000Z",
      "30-min gap 02:00→02:30: fires at 02:30",
    ],
    ["Australia/Lord_Howe", "2026-04-05", "01:45", "2026-04-04T14:45:00.000Z", "30-min overlap: the first 01:45, +11"],
    ["Australia/Sydney", "2026-10-04", "02:30", "2026-10-03T16:00:00.000Z", "gap 02:00→03:00: fires at 03:00 AEDT"],
    ["Australia/Sydney", "2026-04-05", "02:30", "2026-04-04T15:30:00.000Z", "overlap: the first 02:30, AEDT"],
    [
      "America/Santiago",
      "2026-09-06",
      "00:30",
      "2026-09-06T04:00:00.000Z",
      "gap at midnight 00:00→01:00: fires at 01:00",
    ],
    [
      "America/Santiago",
      "2026-04-04",
      "23:30",
      "2026-04-05T02:30:00.000Z",
      "overlap 23:00–24:00: the first 23:30, -03",
    ],
    ["Asia/Kathmandu", "2026-06-01", "08:00", "2026-06-01T02:15:00.000Z", "+5:45, no DST"],
    ["Asia/Tokyo", "2026-03-08", "02:30", "2026-03-07T17:30:00.000Z", "+9, no DST"],
  ])("%s %s %s fires at %s (%s)", (zone, localDate, time, expected) => {
    const [hour = 0, minute = 0] = time.split(":").map(Number);
    expect(fireInstant(localDate, { hour, minute }, zone).toISOString()).toBe(expected);
  });
});

describe("slotsBetween: the planner's window (from, to]", () => {
  const runArb = fc.record({ zone: zoneArb, start: dateArb, days: fc.integer({ min: 1, max: 45 }), time: timeArb });

  it("gives every local date exactly one slot, at its fire instant, and the instants strictly increase", () => {
    fc.assert(
      fc.property(runArb, ({ zone, start, days, time }) => {
        const dates = Array.from({ length: days + 1 }, (_, i) => shiftDate(start, i));
        const instants = dates.map((d) => fireInstant(d, time, zone).getTime());
        for (let i = 1; i < instants.length; i += 1) {
          expect(instants[i], `${dates[i]} after ${dates[i - 1]} in ${zone}`).toBeGreaterThan(instants[i - 1] ?? 0);
        }
        const first = instants[0] ?? 0;
        const last = instants[instants.length - 1] ?? 0;
        const slots = slotsBetween(scheduleOf(time, zone), new Date(first - 1), new Date(last));
        expect(slots.map((s) => s.localDate)).toEqual(dates);
        expect(slots.map((s) => s.editionKey)).toEqual(dates.map((d) => `daily:${d}`));
        expect(slots.map((s) => s.dueAt.getTime())).toEqual(instants);
      }),
      run(120),
    );
  });

  it("cut into ticks anywhere, fire instants included, a window yields the same slots, each exactly once", () => {
    // Cut points as fractions of the window, or at a slot's due instant (-1, 0 or +1 ms): (from, to] has two edges.
    const cutArb = fc.oneof(
      fc.record({ fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({ slot: fc.nat(), nudge: fc.constantFrom(-1, 0, 1) }),
    );
    fc.assert(
      fc.property(runArb, fc.array(cutArb, { maxLength: 40 }), ({ zone, start, days, time }, cuts) => {
        const schedule = scheduleOf(time, zone);
        const from = fireInstant(start, time, zone).getTime() - 7 * HOUR;
        const to = fireInstant(shiftDate(start, days), time, zone).getTime() + 7 * HOUR;
        const whole = slotsBetween(schedule, new Date(from), new Date(to));
        const points = cuts.map((cut) =>
          "fraction" in cut
            ? from + Math.floor(cut.fraction * (to - from))
            : (whole[cut.slot % whole.length]?.dueAt.getTime() ?? from) + cut.nudge,
        );
        const edges = [from, ...points.filter((p) => p > from && p < to).sort((a, b) => a - b), to];
        const pieces: string[] = [];
        for (let i = 1; i < edges.length; i += 1) {
          const window = slotsBetween(schedule, new Date(edges[i - 1] ?? from), new Date(edges[i] ?? to));
          pieces.push(...window.map((s) => s.editionKey));
        }
        expect(pieces).toEqual(whole.map((s) => s.editionKey));
        expect(new Set(pieces).size).toBe(pieces.length);
      }),
      run(150),
    );
  });
});

describe("nextSlot: the next fire after instant T", () => {
  it("is the first slot strictly after T: due after T, at its date's fire instant, with none due in between", () => {
    const instantArb = fc.integer({ min: YEARS_FROM, max: YEARS_TO - 1 });
    fc.assert(
      fc.property(zoneArb, instantArb, timeArb, (zone, now, time) => {
        const schedule = scheduleOf(time, zone);
        const slot = nextSlot(schedule, new Date(now));
        const due = slot.dueAt.getTime();
        expect(due).toBeGreaterThan(now);
        expect(due).toBe(fireInstant(slot.localDate, time, zone).getTime());
        expect(slotsBetween(schedule, new Date(now), slot.dueAt).map((s) => s.editionKey)).toEqual([slot.editionKey]);
        // At most a day and the longest gap away: the next one is never skipped.
        expect(due - now).toBeLessThanOrEqual(DAY + 2 * HOUR);
      }),
      run(300),
    );
  });
});
