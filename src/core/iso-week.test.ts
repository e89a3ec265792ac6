import { describe, expect, it } from 'vitest';
import { addDays, dayAt, dayBounds, isDay, isoWeekOf, lastCompleteWeek, localInstant, weeksOf } from './iso-week.ts';

describe('ISO weeks and local days', () => {
  it('names the ISO week of a day, across year ends', () => {
    expect(isoWeekOf('2026-11-01')).toBe('2026-W44'); // a Sunday
    expect(isoWeekOf('2026-11-02')).toBe('2026-W45'); // the Monday after
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01'); // a Thursday
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53'); // 2026 has 53 weeks
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
  });

  it('cuts a period into the weeks it touches', () => {
    expect(weeksOf({ since: '2026-11-01', until: '2026-11-16' })).toEqual([
      { week: '2026-W44', since: '2026-11-01', until: '2026-11-01' },
      { week: '2026-W45', since: '2026-11-02', until: '2026-11-08' },
      { week: '2026-W46', since: '2026-11-09', until: '2026-11-15' },
      { week: '2026-W47', since: '2026-11-16', until: '2026-11-16' },
    ]);
    expect(weeksOf({ since: '2026-11-04', until: '2026-11-04' })).toEqual([
      { week: '2026-W45', since: '2026-11-04', until: '2026-11-04' },
    ]);
  });

  it('accepts only real days', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('2026-1-01')).toBe(false);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it("bounds a day in the site's zone, a 23-hour day included", () => {
    expect(dayBounds('2026-11-03', 'Europe/Berlin')).toEqual({
      start: Date.parse('2026-11-02T23:00:00Z'),
      end: Date.parse('2026-11-03T23:00:00Z'),
    });
    const spring = dayBounds('2026-03-29', 'Europe/Berlin');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    expect(dayAt(Date.parse('2026-11-02T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-03');
    // Noon, the instant that names the same day in any zone within 12 hours of the site's.
    expect(new Date(localInstant('2026-11-03', 'America/New_York', 12)).toISOString()).toBe('2026-11-03T17:00:00.000Z');
  });
});

describe('lastCompleteWeek', () => {
  it('is the week before the one the run is in, in the site zone', () => {
    // Tuesday 2026-12-01, 08:00 in Berlin: the week that ended on Sunday 29 November.
    expect(lastCompleteWeek(Date.parse('2026-12-01T07:00:00Z'), 'Europe/Berlin')).toEqual({
      week: '2026-W48',
      since: '2026-11-23',
      until: '2026-11-29',
    });
    // Monday 00:30 in Berlin is still Sunday in UTC: the zone decides which week just ended.
    const mondayNight = Date.parse('2026-11-29T23:30:00Z');
    expect(lastCompleteWeek(mondayNight, 'Europe/Berlin').week).toBe('2026-W48');
    expect(lastCompleteWeek(mondayNight, 'UTC').week).toBe('2026-W47');
    // Across a year end: Monday 2027-01-04 follows 2026-W53.
    expect(lastCompleteWeek(Date.parse('2027-01-04T12:00:00Z'), 'UTC')).toEqual({
      week: '2026-W53',
      since: '2026-12-28',
      until: '2027-01-03',
    });
  });
});
