import { describe, expect, it } from 'vitest';
import { cronField, longestCronGapMs } from './cron-gap.ts';

const MIN = 60_000;

describe('longestCronGapMs', () => {
  it('reads the template cron as every 15 minutes', () => {
    expect(longestCronGapMs(['7,22,37,52 * * * *'])).toBe(15 * MIN);
    expect(longestCronGapMs(['*/15 * * * *'])).toBe(15 * MIN);
  });

  it('an uneven or sparser cron: the longest gap, across midnight and the week too', () => {
    expect(longestCronGapMs(['0 * * * *'])).toBe(60 * MIN);
    expect(longestCronGapMs(['5,20 * * * *'])).toBe(45 * MIN);
    expect(longestCronGapMs(['0 8-18 * * *'])).toBe(14 * 60 * MIN);
    expect(longestCronGapMs(['30 9 * * 1-5'])).toBe(3 * 24 * 60 * MIN);
    // Two crons together: their runs interleave.
    expect(longestCronGapMs(['0 * * * *', '30 * * * *'])).toBe(30 * MIN);
    expect(longestCronGapMs(['5/20 * * * *'])).toBe(20 * MIN);
    expect(longestCronGapMs(['50/20 * * * *'])).toBe(60 * MIN);
  });

  it('does not guess: a day of month or month, a name, or a malformed field is not known', () => {
    for (const cron of ['0 9 1 * *', '0 9 * 1 *', '0 9 * * MON', '61 * * * *', '*/0 * * * *', '0 9 * *', 'x'])
      expect(longestCronGapMs([cron]), cron).toBeNull();
    expect(longestCronGapMs([])).toBeNull();
  });

  it('cronField: lists, ranges, steps, and Sunday as 7', () => {
    expect(cronField('1,3-5,10-20/5', 0, 59)).toEqual([1, 3, 4, 5, 10, 15, 20]);
    expect(cronField('*/20', 0, 59)).toEqual([0, 20, 40]);
    expect(cronField('5-1', 0, 59)).toBeNull();
  });
});
