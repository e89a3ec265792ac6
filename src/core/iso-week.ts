import { resolveLocal, wallTimeAt, wallToUtc } from './time-zone.ts';

/**
 * Whole days and ISO weeks in the site's time zone, as a report counts them: a day is written
 * `2026-11-02`, a week `2026-W45` (ISO 8601: weeks start on Monday and week 1 holds the year's first
 * Thursday, so the last days of December can be in the next year's week 1, and the first days of
 * January in the year before's week 52 or 53).
 */
export type Day = string;

export interface DayRange {
  since: Day;
  until: Day;
}

export interface WeekRange extends DayRange {
  /** `2026-W45` */
  week: string;
}

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The day's number since 1970-01-01 (UTC arithmetic: no zone is involved in naming days). */
function dayNumber(day: Day): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Math.floor(wallToUtc({ year: y, month: m, day: d, hour: 0, minute: 0, second: 0 }) / DAY_MS);
}

function dayFromNumber(n: number): Day {
  const date = new Date(n * DAY_MS);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** True for a real calendar day written `YYYY-MM-DD` (no 2026-02-30, no month 13). */
export function isDay(raw: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return false;
  return dayFromNumber(dayNumber(raw)) === raw;
}

export function addDays(day: Day, days: number): Day {
  return dayFromNumber(dayNumber(day) + days);
}

/** The local day an instant falls on in `zone`. */
export function dayAt(epochMs: number, zone: string): Day {
  const w = wallTimeAt(zone, epochMs);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * The instant a wall-clock time on `day` is at in `zone`; in an autumn overlap the earlier one,
 * in a spring gap the moment the clocks jump (a day whose midnight was skipped starts then).
 */
export function localInstant(day: Day, zone: string, hour = 0): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const wall = { year, month, day: date, hour, minute: 0, second: 0 };
  const found = resolveLocal(zone, wall);
  if (found.kind === 'unique') return found.epochMs;
  if (found.kind === 'overlap') return found.earlier.epochMs;
  return wallToUtc(wall) - found.before * 60_000;
}

/** The first instant of `day` in `zone`, and the first instant after it. */
export function dayBounds(day: Day, zone: string): { start: number; end: number } {
  return { start: localInstant(day, zone), end: localInstant(addDays(day, 1), zone) };
}

/** Monday is 1, Sunday 7. */
function isoWeekday(day: Day): number {
  return ((((dayNumber(day) + 3) % 7) + 7) % 7) + 1;
}

/** `2026-W45`: the ISO week a day belongs to. */
export function isoWeekOf(day: Day): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${pad(year, 4)}-01-01`)) / 7) + 1;
  return `${pad(year, 4)}-W${pad(week)}`;
}

/** The ISO weeks that `range` touches, each cut to the range: a report's weekly rows. */
export function weeksOf(range: DayRange): WeekRange[] {
  const weeks: WeekRange[] = [];
  let since = range.since;
  while (since <= range.until) {
    // Days compare as strings (YYYY-MM-DD); Math.min would read them as NaN.
    let until = addDays(since, 7 - isoWeekday(since));
    if (range.until < until) until = range.until;
    weeks.push({ week: isoWeekOf(since), since, until });
    since = addDays(until, 1);
  }
  return weeks;
}

/** The last ISO week that ended before `now` in `zone`: a weekly report's default period. */
export function lastCompleteWeek(now: number, zone: string): WeekRange {
  const today = dayAt(now, zone);
  const monday = addDays(today, 1 - isoWeekday(today));
  const since = addDays(monday, -7);
  return { week: isoWeekOf(since), since, until: addDays(monday, -1) };
}
