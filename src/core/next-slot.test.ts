import { describe, expect, it } from 'vitest';
import { nextFreeSlot, type SlotRules } from './next-slot.ts';

const HOUR = 3_600_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const rules: SlotRules = { timeZone: 'Europe/Berlin', slots: ['13:00', '09:30'], days: WEEKDAYS, leadMs: HOUR };
// Friday 2026-12-04, Berlin is at +01:00: 09:30 local is 08:30Z, 13:00 local is 12:00Z.
const FRIDAY_0800_LOCAL = Date.UTC(2026, 11, 4, 7, 0);

describe('nextFreeSlot', () => {
  it('gives the first slot of the day that leaves the lead time', () => {
    expect(nextFreeSlot(FRIDAY_0800_LOCAL, new Set(), rules)).toBe(Date.UTC(2026, 11, 4, 8, 30));
  });
  it('honours the lead time: a slot too soon is skipped', () => {
    expect(nextFreeSlot(FRIDAY_0800_LOCAL, new Set(), { ...rules, leadMs: 2 * HOUR })).toBe(
      Date.UTC(2026, 11, 4, 12, 0),
    );
    expect(nextFreeSlot(Date.UTC(2026, 11, 4, 8, 0), new Set(), { ...rules, leadMs: 0 })).toBe(
      Date.UTC(2026, 11, 4, 8, 30),
    );
  });
  it('skips days that are not configured: Friday afternoon leads to Monday', () => {
    expect(nextFreeSlot(Date.UTC(2026, 11, 4, 12, 0), new Set(), rules)).toBe(Date.UTC(2026, 11, 7, 8, 30));
    const weekends = { ...rules, days: ['sat', 'sun'] as const };
    expect(nextFreeSlot(Date.UTC(2026, 11, 1, 12, 0), new Set(), weekends)).toBe(Date.UTC(2026, 11, 5, 8, 30));
  });
  it('skips slots already taken', () => {
    const taken = new Set([Date.UTC(2026, 11, 4, 8, 30), Date.UTC(2026, 11, 4, 12, 0)]);
    expect(nextFreeSlot(FRIDAY_0800_LOCAL, taken, rules)).toBe(Date.UTC(2026, 11, 7, 8, 30));
  });
  it('walks calendar days in the site zone, not in UTC', () => {
    // 03:00Z on Saturday is still Friday 22:00 in New York.
    const ny: SlotRules = { timeZone: 'America/New_York', slots: ['23:00'], days: ['fri'], leadMs: 0 };
    expect(nextFreeSlot(Date.UTC(2026, 11, 5, 3, 0), new Set(), ny)).toBe(Date.UTC(2026, 11, 5, 4, 0));
  });
  it('follows the offset of the slot day across a daylight-saving change', () => {
    // Friday 2026-03-27 is at +01:00, Monday 2026-03-30 at +02:00.
    expect(nextFreeSlot(Date.UTC(2026, 2, 27, 12, 0), new Set(), rules)).toBe(Date.UTC(2026, 2, 30, 7, 30));
  });
  it('skips a slot that falls in a daylight-saving gap', () => {
    const night: SlotRules = { timeZone: 'Europe/Berlin', slots: ['02:30'], days: ['sun', 'mon'], leadMs: 0 };
    // Sunday 2026-03-29 has no 02:30; Monday's 02:30 is at +02:00.
    expect(nextFreeSlot(Date.UTC(2026, 2, 28, 12, 0), new Set(), night)).toBe(Date.UTC(2026, 2, 30, 0, 30));
  });
  it('takes the first occurrence of a slot that happens twice', () => {
    const night: SlotRules = { timeZone: 'Europe/Berlin', slots: ['02:30'], days: ['sun'], leadMs: 0 };
    expect(nextFreeSlot(Date.UTC(2026, 9, 24, 12, 0), new Set(), night)).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });
  it('returns null when nothing fits within the search', () => {
    const saturdayNoon = Date.UTC(2026, 11, 5, 11, 0);
    expect(nextFreeSlot(saturdayNoon, new Set(), rules, 1)).toBeNull();
    expect(nextFreeSlot(saturdayNoon, new Set(), rules, 2)).toBe(Date.UTC(2026, 11, 7, 8, 30));
    expect(nextFreeSlot(saturdayNoon, new Set(), { ...rules, leadMs: 400 * 24 * HOUR })).toBeNull();
  });
});
