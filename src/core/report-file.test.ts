import { describe, expect, it } from 'vitest';
import { reportPath, sameReport } from './report-file.ts';

describe('the weekly report file', () => {
  it('is named by its ISO week, and only a whole week has one', () => {
    expect(reportPath({ since: '2026-11-23', until: '2026-11-29' })).toBe('reports/2026-W48.md');
    expect(reportPath({ since: '2026-12-28', until: '2027-01-03' })).toBe('reports/2026-W53.md');
    for (const period of [
      { since: '2026-11-24', until: '2026-11-30' },
      { since: '2026-11-23', until: '2026-11-28' },
      { since: '2026-11-01', until: '2026-11-30' },
    ])
      expect(() => reportPath(period), JSON.stringify(period)).toThrow(/not one whole week/);
  });

  it('is the same when only the time it was generated differs', () => {
    const at = (time: string, visitors = 12) =>
      `# Outcomes\n\nSite time UTC · visitors from Plausible · generated 2026-12-07 ${time} +00:00\n\n| X | ${visitors} |\n`;
    expect(sameReport(at('08:00'), at('09:15'))).toBe(true);
    expect(sameReport(at('08:00'), at('08:00', 13))).toBe(false);
  });
});
