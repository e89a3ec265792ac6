import { describe, expect, it } from 'vitest';
import { parsePublishTime } from './publish-time.ts';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function epoch(raw: unknown, zone = BERLIN): number {
  const r = parsePublishTime(raw, zone);
  if (!r.ok) throw new Error(`expected ${String(raw)} to parse, got: ${r.message}`);
  return r.epochMs;
}

function failure(raw: unknown, zone = BERLIN): string {
  const r = parsePublishTime(raw, zone);
  if (r.ok) throw new Error(`expected ${String(raw)} to be refused, got ${new Date(r.epochMs).toISOString()}`);
  return r.message;
}

describe('parsePublishTime: explicit offsets', () => {
  it('reads an offset and Z as the instant they name, whatever the site zone', () => {
    const at = Date.UTC(2026, 11, 1, 8, 30);
    expect(parsePublishTime('2026-12-01T09:30:00+01:00', NEW_YORK)).toEqual({ ok: true, epochMs: at, hasOffset: true });
    expect(epoch('2026-12-01T08:30Z')).toBe(at);
    expect(epoch('2026-12-01T08:30:00z')).toBe(at);
    expect(epoch('2026-12-01T09:30+0100')).toBe(at);
    expect(epoch('2026-12-01T03:30-05:00')).toBe(at);
    expect(epoch('2026-12-01T08:30:00.25Z')).toBe(at + 250);
  });
  it('accepts a space instead of T and surrounding whitespace', () => {
    expect(epoch(' 2026-12-01 08:30Z ')).toBe(Date.UTC(2026, 11, 1, 8, 30));
  });
  it('refuses offsets no place on earth uses', () => {
    expect(failure('2030-01-01T10:00+25:00')).toContain('offset +25:00 is out of range');
    expect(failure('2030-01-01T10:00-13:00')).toContain('-12:00 to +14:00');
    expect(failure('2030-01-01T10:00+01:75')).toContain('out of range');
    expect(epoch('2030-01-01T10:00+14:00')).toBe(Date.UTC(2029, 11, 31, 20, 0));
  });
});

describe('parsePublishTime: local times in the site zone', () => {
  it('reads Berlin winter (+01:00) and summer (+02:00)', () => {
    expect(parsePublishTime('2026-12-01T09:30', BERLIN)).toEqual({
      ok: true,
      epochMs: Date.UTC(2026, 11, 1, 8, 30),
      hasOffset: false,
    });
    expect(epoch('2026-07-01T09:30')).toBe(Date.UTC(2026, 6, 1, 7, 30));
    expect(epoch('2026-07-01T09:30:15')).toBe(Date.UTC(2026, 6, 1, 7, 30, 15));
  });
  it('reads New York winter (-05:00) and summer (-04:00)', () => {
    expect(epoch('2026-01-15T09:30', NEW_YORK)).toBe(Date.UTC(2026, 0, 15, 14, 30));
    expect(epoch('2026-07-15T09:30', NEW_YORK)).toBe(Date.UTC(2026, 6, 15, 13, 30));
  });
  it('reads a date alone as local midnight', () => {
    expect(epoch('2026-12-01')).toBe(Date.UTC(2026, 10, 30, 23, 0));
    expect(epoch('2026-12-01', NEW_YORK)).toBe(Date.UTC(2026, 11, 1, 5, 0));
    expect(epoch('2026-12-01', 'UTC')).toBe(Date.UTC(2026, 11, 1));
  });
  it('keeps years below 100 as written rather than moving them to the 1900s', () => {
    expect(new Date(epoch('0026-12-01T09:30Z')).getUTCFullYear()).toBe(26);
    expect(new Date(epoch('0026-12-01T09:30')).getUTCFullYear()).toBe(26);
  });
  it('refuses a local time when the site zone is not a real zone', () => {
    expect(failure('2026-12-01T09:30', 'Mars/Olympus')).toContain('"Mars/Olympus" is not an IANA zone');
    expect(epoch('2026-12-01T09:30Z', 'Mars/Olympus')).toBe(Date.UTC(2026, 11, 1, 9, 30));
  });
});

describe('parsePublishTime: daylight-saving changes are reported, not guessed', () => {
  it('reports a time in the spring-forward gap', () => {
    const message = failure('2026-03-29T02:30');
    expect(message).toContain('2026-03-29T02:30 does not exist in Europe/Berlin');
    expect(message).toContain('from +01:00 to +02:00');
    expect(failure('2026-03-08T02:30', NEW_YORK)).toContain('does not exist in America/New_York');
  });
  it('reports a time in the autumn overlap, naming both offsets', () => {
    const message = failure('2026-10-25T02:30');
    expect(message).toContain('happens twice in Europe/Berlin');
    expect(message).toContain('at +02:00 and again at +01:00');
    expect(message).toContain('2026-10-25T02:30+02:00');
    expect(failure('2026-11-01T01:30', NEW_YORK)).toContain('(at -04:00 and again at -05:00)');
  });
  it('accepts the edges of the change and the same time with an offset', () => {
    expect(epoch('2026-03-29T01:59')).toBe(Date.UTC(2026, 2, 29, 0, 59));
    expect(epoch('2026-03-29T03:00')).toBe(Date.UTC(2026, 2, 29, 1, 0));
    expect(epoch('2026-10-25T02:30+01:00')).toBe(Date.UTC(2026, 9, 25, 1, 30));
    expect(epoch('2026-10-25T03:00')).toBe(Date.UTC(2026, 9, 25, 2, 0));
  });
});

describe('parsePublishTime: impossible dates are refused with the reason', () => {
  it('names the day count of the month', () => {
    expect(failure('2030-02-30')).toBe('2030-02-30 is not a date: February 2030 has 28 days');
    expect(failure('2026-04-31T09:00')).toContain('April 2026 has 30 days');
    expect(failure('2100-02-29')).toContain('February 2100 has 28 days');
    expect(failure('2030-01-00')).toContain('is not a date');
    expect(epoch('2028-02-29T12:00Z')).toBe(Date.UTC(2028, 1, 29, 12));
  });
  it('names the month, hour, minute or second that is out of range', () => {
    expect(failure('2030-13-01')).toContain('month 13 does not exist');
    expect(failure('2030-00-10')).toContain('month 00 does not exist');
    expect(failure('2030-01-01T25:00')).toContain('hours run 00 to 23');
    expect(failure('2030-01-01T24:00')).toContain('hours run 00 to 23');
    expect(failure('2030-01-01T10:60')).toContain('minutes run 00 to 59');
    expect(failure('2030-01-01T10:00:60')).toContain('seconds run 00 to 59');
  });
  it('refuses text that is not a date-time at all, showing an example', () => {
    for (const bad of ['tomorrow', '2026-12-1', '01.12.2026', '2026-12-01T9:30', '2026-12-01T09:30 CET', '']) {
      expect(failure(bad), bad).toContain('expected a date-time such as 2026-12-01T09:30');
    }
  });
});

describe('parsePublishTime: values that are not text', () => {
  it('refuses numbers and empty values, saying what it received', () => {
    expect(failure(20261201)).toContain('received number 20261201');
    expect(failure(null)).toContain('received an empty value');
    expect(failure(undefined)).toContain('expected a date-time');
    expect(failure({ at: 1 })).toContain('received object');
  });
  it('takes a Date object as the instant it holds', () => {
    const at = Date.UTC(2026, 11, 1, 8, 30);
    expect(parsePublishTime(new Date(at), BERLIN)).toEqual({ ok: true, epochMs: at, hasOffset: true });
  });
});
