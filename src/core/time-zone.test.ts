import { describe, expect, it } from 'vitest';
import {
  formatLocal,
  formatOffset,
  formatUtc,
  isTimeZone,
  offsetAt,
  resolveLocal,
  wallTimeAt,
  wallToUtc,
} from './time-zone.ts';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('isTimeZone', () => {
  it('accepts IANA names and refuses offsets and inventions', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC', 'America/Argentina/Buenos_Aires'])
      expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['+01:00', 'Mars/Olympus', '', 'Europe/', '../etc', 'Europe Berlin'])
      expect(isTimeZone(zone), zone).toBe(false);
  });
});

describe('offsetAt and wallTimeAt', () => {
  it('gives minutes east of UTC, following daylight saving', () => {
    expect(offsetAt('Europe/Berlin', Date.UTC(2026, 0, 15, 12))).toBe(60);
    expect(offsetAt('Europe/Berlin', Date.UTC(2026, 6, 15, 12))).toBe(120);
    expect(offsetAt('America/New_York', Date.UTC(2026, 0, 15, 12))).toBe(-300);
    expect(offsetAt('Asia/Kolkata', Date.UTC(2026, 0, 15, 12))).toBe(330);
    expect(offsetAt('UTC', Date.UTC(2026, 6, 15, 12, 0, 0, 999))).toBe(0);
  });
  it('switches at the exact instant of the change', () => {
    const change = Date.UTC(2026, 2, 29, 1, 0);
    expect(offsetAt('Europe/Berlin', change - 1000)).toBe(60);
    expect(offsetAt('Europe/Berlin', change)).toBe(120);
  });
  it('reads the wall clock in the zone, midnight as hour 0', () => {
    expect(wallTimeAt('Europe/Berlin', Date.UTC(2026, 11, 31, 23, 15, 7))).toEqual(wall(2027, 1, 1, 0, 15, 7));
    expect(wallTimeAt('America/New_York', Date.UTC(2026, 11, 1, 4, 0))).toEqual(wall(2026, 11, 30, 23, 0));
  });
});

describe('wallToUtc', () => {
  it('matches Date.UTC for modern years and keeps years below 100 as written', () => {
    expect(wallToUtc(wall(2026, 12, 1, 9, 30), 5)).toBe(Date.UTC(2026, 11, 1, 9, 30, 0, 5));
    expect(wallToUtc(wall(2026, 13, 1))).toBe(Date.UTC(2027, 0, 1));
    expect(new Date(wallToUtc(wall(26, 12, 1))).getUTCFullYear()).toBe(26);
    expect(new Date(wallToUtc(wall(4, 2, 29))).getUTCDate()).toBe(29);
  });
});

describe('resolveLocal', () => {
  it('maps an ordinary local time to one instant', () => {
    expect(resolveLocal('Europe/Berlin', wall(2026, 12, 1, 9, 30))).toEqual({
      kind: 'unique',
      epochMs: Date.UTC(2026, 11, 1, 8, 30),
      offset: 60,
    });
  });
  it('finds no instant in the spring-forward gap', () => {
    expect(resolveLocal('Europe/Berlin', wall(2026, 3, 29, 2, 30))).toEqual({ kind: 'gap', before: 60, after: 120 });
    expect(resolveLocal('America/New_York', wall(2026, 3, 8, 2, 0))).toMatchObject({ kind: 'gap' });
  });
  it('finds two instants in the autumn overlap, earlier first', () => {
    expect(resolveLocal('Europe/Berlin', wall(2026, 10, 25, 2, 30))).toEqual({
      kind: 'overlap',
      earlier: { epochMs: Date.UTC(2026, 9, 25, 0, 30), offset: 120 },
      later: { epochMs: Date.UTC(2026, 9, 25, 1, 30), offset: 60 },
    });
  });
  it('handles zones that change by half an hour', () => {
    // Lord Howe Island moves its clocks by 30 minutes, on 2026-10-04 at 02:00.
    expect(resolveLocal('Australia/Lord_Howe', wall(2026, 10, 4, 2, 15))).toMatchObject({
      kind: 'gap',
      before: 630,
      after: 660,
    });
  });
});

describe('formatting', () => {
  it('formats offsets with sign, hours and minutes', () => {
    expect(formatOffset(60)).toBe('+01:00');
    expect(formatOffset(-300)).toBe('-05:00');
    expect(formatOffset(330)).toBe('+05:30');
    expect(formatOffset(-150)).toBe('-02:30');
    expect(formatOffset(0)).toBe('+00:00');
  });
  it('shows local and UTC forms of an instant', () => {
    const at = Date.UTC(2026, 11, 1, 8, 30);
    expect(formatLocal(at, 'Europe/Berlin')).toBe('2026-12-01 09:30 +01:00');
    expect(formatLocal(Date.UTC(2026, 6, 1, 7, 5), 'Europe/Berlin')).toBe('2026-07-01 09:05 +02:00');
    expect(formatUtc(at)).toBe('2026-12-01T08:30:00Z');
    expect(formatUtc(at + 250)).toBe('2026-12-01T08:30:00.250Z');
  });
});
