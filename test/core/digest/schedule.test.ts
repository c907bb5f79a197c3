// Digest schedule rules: clock-time parsing, DST gaps and overlaps, clock jumps, and the first slot after now.
import { describe, expect, it } from "vitest";
import {
  fireInstant,
  nextSlot,
  parseClockTime,
  slotsBetween,
  type ScheduleOf,
} from "../../../src/core/digest/schedule.js";
import { resolveTimeZone, suggestTimeZones } from "../../../src/core/digest/time-zones.js";

const NY = "America/New_York";
const iso = (date: Date) => date.toISOString();

describe("parseClockTime", () => {
  it.each([
    ["08:00", 8, 0],
    ["8:05", 8, 5],
    ["0730", 7, 30],
    ["23:59", 23, 59],
    ["7pm", 19, 0],
    ["7.30pm", 19, 30],
    ["12am", 0, 0],
    ["12pm", 12, 0],
    ["9", 9, 0],
  ])("reads %s", (text, hour, minute) => {
    expect(parseClockTime(text)).toEqual({ hour, minute });
  });

  it.each(["24:00", "8:60", "13pm", "noon", "", "08:00:00", "-1"])("refuses %j", (text) => {
    expect(parseClockTime(text)).toBeUndefined();
  });
});

describe("fireInstant", () => {
  it("uses the zone's offset on an ordinary day", () => {
    expect(iso(fireInstant("2026-06-01", { hour: 8, minute: 0 }, NY))).toBe("2026-06-01T12:00:00.000Z");
    expect(iso(fireInstant("2026-01-15", { hour: 8, minute: 0 }, NY))).toBe("2026-01-15T13:00:00.000Z");
  });

  it("moves a time inside the spring-forward gap to the next valid minute (02:30 → 03:00 EDT)", () => {
    expect(iso(fireInstant("2026-03-08", { hour: 2, minute: 30 }, NY))).toBe("2026-03-08T07:00:00.000Z");
  });

  it("fires at the first occurrence of a time in the fall-back overlap (01:30 EDT, not EST)", () => {
    expect(iso(fireInstant("2026-11-01", { hour: 1, minute: 30 }, NY))).toBe("2026-11-01T05:30:00.000Z");
  });

  it("handles a half-hour zone and the date line", () => {
    expect(iso(fireInstant("2026-11-23", { hour: 9, minute: 0 }, "Asia/Kolkata"))).toBe("2026-11-23T03:30:00.000Z");
    expect(iso(fireInstant("2026-11-23", { hour: 8, minute: 0 }, "Pacific/Kiritimati"))).toBe(
      "2026-11-22T18:00:00.000Z",
    );
  });
});

describe("slotsBetween", () => {
  const at = (time: string, timeZone = NY): ScheduleOf => ({ time, timeZone, createdAt: "2026-01-01T00:00:00Z" });

  /** Walks the clock minute by minute, as the planner's ticks do, collecting every slot it would plan. */
  function walk(schedule: ScheduleOf, fromIso: string, toIso: string, stepMinutes = 1): string[] {
    const keys: string[] = [];
    let previous = new Date(fromIso);
    for (let t = previous.getTime() + stepMinutes * 60_000; t <= Date.parse(toIso); t += stepMinutes * 60_000) {
      const now = new Date(t);
      keys.push(...slotsBetween(schedule, previous, now).map((s) => s.editionKey));
      previous = now;
    }
    return keys;
  }

  it("gives the 02:30 New York digest exactly once on the spring-forward day, at 03:00 EDT", () => {
    const keys = walk(at("02:30"), "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z");
    expect(keys).toEqual(["daily:2026-03-08"]);
    const [slot] = slotsBetween(at("02:30"), new Date("2026-03-08T06:59:00Z"), new Date("2026-03-08T07:00:00Z"));
    expect(slot && iso(slot.dueAt)).toBe("2026-03-08T07:00:00.000Z");
  });

  it("gives the 01:30 New York digest exactly once on the fall-back day, at the first 01:30", () => {
    const keys = walk(at("01:30"), "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");
    expect(keys).toEqual(["daily:2026-11-01"]);
    expect(slotsBetween(at("01:30"), new Date("2026-11-01T06:00:00Z"), new Date("2026-11-01T07:00:00Z"))).toEqual([]);
  });

  it("one slot per day across a whole year, DST days included", () => {
    const keys = walk(at("02:30"), "2026-01-01T05:00:00Z", "2027-01-01T05:00:00Z", 30);
    expect(keys).toHaveLength(365);
    expect(new Set(keys).size).toBe(365);
  });

  it("a clock jump forward over two digest times yields both days; a jump back yields none again", () => {
    const schedule = at("08:00");
    const jumped = slotsBetween(schedule, new Date("2026-06-01T11:00:00Z"), new Date("2026-06-03T09:00:00Z"));
    expect(jumped.map((s) => s.editionKey)).toEqual(["daily:2026-06-01", "daily:2026-06-02"]);
    // Time running backwards is an empty window: the planner's ledger keeps what was already planned.
    expect(slotsBetween(schedule, new Date("2026-06-03T09:00:00Z"), new Date("2026-06-01T11:00:00Z"))).toEqual([]);
  });

  it("never yields a slot from before the subscription was made", () => {
    const schedule = { ...at("08:00"), createdAt: "2026-06-01T12:30:00Z" };
    const slots = slotsBetween(schedule, new Date("2026-05-30T00:00:00Z"), new Date("2026-06-02T13:00:00Z"));
    expect(slots.map((s) => s.editionKey)).toEqual(["daily:2026-06-02"]);
  });
});

describe("nextSlot", () => {
  it("is later today when today's time has not come, tomorrow when it has", () => {
    const schedule = { time: "08:00", timeZone: "Europe/London", createdAt: "2026-01-01T00:00:00Z" };
    expect(iso(nextSlot(schedule, new Date("2026-11-23T07:00:00Z")).dueAt)).toBe("2026-11-23T08:00:00.000Z");
    expect(nextSlot(schedule, new Date("2026-11-23T08:00:00Z")).editionKey).toBe("daily:2026-11-24");
  });
});

describe("time zones", () => {
  it("accepts canonical names in any case, UTC, and a city typed loosely", () => {
    expect(resolveTimeZone("Europe/London")).toBe("Europe/London");
    expect(resolveTimeZone("america/new_york")).toBe(NY);
    expect(resolveTimeZone("UTC")).toBe("UTC");
    expect(resolveTimeZone("new york")).toBe(NY);
    expect(resolveTimeZone("Mars/Olympus")).toBeUndefined();
  });

  it("suggests near misses", () => {
    expect(suggestTimeZones("Europe/Londn")).toContain("Europe/London");
    expect(suggestTimeZones("Amerca/New_Yrok")).toContain(NY);
  });
});
