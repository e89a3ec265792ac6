import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { reportPeriod } from './report-period.ts';

const NOW = Date.parse('2026-12-02T10:00:00+01:00'); // a Wednesday in Berlin
const ZONE = 'Europe/Berlin';

describe('reportPeriod', () => {
  it('defaults to the last complete ISO week before the clock', () => {
    expect(reportPeriod({}, NOW, ZONE)).toEqual({ since: '2026-11-23', until: '2026-11-29' });
  });

  it('takes --since up to yesterday, --until with the six days before it, or both', () => {
    expect(reportPeriod({ since: '2026-11-01' }, NOW, ZONE)).toEqual({ since: '2026-11-01', until: '2026-12-01' });
    expect(reportPeriod({ until: '2026-11-30' }, NOW, ZONE)).toEqual({ since: '2026-11-24', until: '2026-11-30' });
    expect(reportPeriod({ since: '2026-11-01', until: '2026-11-30' }, NOW, ZONE)).toEqual({
      since: '2026-11-01',
      until: '2026-11-30',
    });
  });

  it('refuses what is not a day, and a period that ends before it starts, naming the flag', () => {
    expect(() => reportPeriod({ since: '2026-02-30' }, NOW, ZONE)).toThrow(
      /--since expects a day written YYYY-MM-DD.*"2026-02-30"/,
    );
    expect(() => reportPeriod({ until: 'last week' }, NOW, ZONE)).toThrow(UsageError);
    expect(() => reportPeriod({ since: '2026-12-05' }, NOW, ZONE)).toThrow(
      /starts \(2026-12-05\) after it ends \(2026-12-01\), yesterday/,
    );
  });
});
