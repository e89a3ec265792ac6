import { describe, expect, it } from 'vitest';
import { crisisPeriods, missedInCrisis } from './crisis-window.ts';

const T = (h: number) => Date.UTC(2026, 11, 1, h);

describe('crisisPeriods', () => {
  it('opens a period when CRISIS appears and closes it when it goes, in time order', () => {
    const periods = crisisPeriods([
      { at: T(12), change: 'removed' },
      { at: T(8), change: 'added', reason: 'Storm' },
      { at: T(9), change: 'modified' },
      { at: T(14), change: 'added', reason: 'Again' },
    ]);
    expect(periods).toEqual([
      { start: T(8), end: T(12), reason: 'Storm' },
      { start: T(14), end: null, reason: 'Again' },
    ]);
  });
});

describe('missedInCrisis', () => {
  const periods = crisisPeriods([
    { at: T(8), change: 'added', reason: 'Storm' },
    { at: T(12), change: 'removed' },
  ]);
  it('holds an item due during a past crisis that nobody approved again', () => {
    expect(missedInCrisis(T(10), T(6), periods)?.reason).toBe('Storm');
  });
  it('lets it go once its file changed after the crisis (rescheduled or re-approved)', () => {
    expect(missedInCrisis(T(10), T(13), periods)).toBeNull();
  });
  it('ignores items due before or after the crisis, and the boundary at its end', () => {
    expect(missedInCrisis(T(7), T(6), periods)).toBeNull();
    expect(missedInCrisis(T(12), T(6), periods)).toBeNull();
    expect(missedInCrisis(T(8), T(6), periods)).not.toBeNull();
  });
  it('leaves an ongoing crisis to the live check', () => {
    expect(missedInCrisis(T(15), T(6), crisisPeriods([{ at: T(14), change: 'added' }]))).toBeNull();
  });
});
