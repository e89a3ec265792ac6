import { describe, expect, it } from 'vitest';
import { crisisPeriodsOfStates, missedInCrisis } from './crisis-window.ts';

const T = (h: number) => Date.UTC(2026, 11, 1, h);
const state = (h: number, crisis: boolean, reason = '') => ({ at: T(h), crisis, reason });

describe('crisisPeriodsOfStates', () => {
  it('opens a period when a CRISIS appears and closes it when none is left, in the order main went', () => {
    const periods = crisisPeriodsOfStates([
      state(7, false, 'content'),
      state(8, true, 'Storm'),
      state(9, true, 'reworded'),
      state(12, false, 'all clear'),
      state(14, true, 'Again'),
    ]);
    expect(periods).toEqual([
      { start: T(8), end: T(12), reason: 'Storm' },
      { start: T(14), end: null, reason: 'Again' },
    ]);
  });

  it("keeps the order of the states, not of their dates (a date is the committer's claim)", () => {
    expect(crisisPeriodsOfStates([state(10, true, 'Storm'), state(9, false)])).toEqual([
      { start: T(10), end: T(9), reason: 'Storm' },
    ]);
    expect(crisisPeriodsOfStates([state(8, true)])).toEqual([{ start: T(8), end: null, reason: 'no reason given' }]);
  });
});

describe('missedInCrisis', () => {
  const periods = crisisPeriodsOfStates([state(8, true, 'Storm'), state(12, false)]);
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
    expect(missedInCrisis(T(15), T(6), crisisPeriodsOfStates([state(14, true)]))).toBeNull();
  });
});
