import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads hours, minutes, days and weeks, alone and combined', () => {
    expect(parseDuration('6h')).toEqual({ ok: true, ms: 6 * 3_600_000 });
    expect(parseDuration('30m')).toEqual({ ok: true, ms: 30 * 60_000 });
    expect(parseDuration('2d')).toEqual({ ok: true, ms: 2 * 86_400_000 });
    expect(parseDuration('1w')).toEqual({ ok: true, ms: 7 * 86_400_000 });
    expect(parseDuration('1h30m')).toEqual({ ok: true, ms: 90 * 60_000 });
    expect(parseDuration('1H 30M')).toEqual({ ok: true, ms: 90 * 60_000 });
  });
  it('reads "never" as no limit', () => {
    expect(parseDuration('never')).toEqual({ ok: true, ms: null });
  });
  it('refuses what it cannot read, saying what it expected', () => {
    for (const bad of ['6', 'six hours', '6 hours', '', '-1h', 6, null, '0h']) {
      const result = parseDuration(bad);
      expect(result.ok, String(bad)).toBe(false);
    }
    const r = parseDuration('6 hours');
    expect(!r.ok && r.message).toContain('expected a duration such as 30m, 6h');
  });
  it('formats durations for people', () => {
    expect(formatDuration(4 * 86_400_000)).toBe('4d');
    expect(formatDuration(90 * 60_000)).toBe('1h30m');
    expect(formatDuration(6 * 3_600_000)).toBe('6h');
    expect(formatDuration(5 * 60_000)).toBe('5m');
  });
});
