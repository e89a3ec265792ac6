import { describe, expect, it } from 'vitest';
import { dashboardInput } from '../../tests/helpers/dashboard-input.ts';
import { dashboardMarkdown, sameDashboard } from './dashboard.ts';
import { crisisOffSince } from './dashboard-crisis.ts';

const T = (hhmm: string) => Date.parse(`2026-12-01T${hhmm}:00Z`);
const on = { reason: 'Flooding', author: 'amira', at: '2026-12-01T07:40:00Z' };
const body = (now: number, over: Parameters<typeof dashboardInput>[1] = {}) =>
  dashboardMarkdown(dashboardInput(now, over));

describe('CRISIS off since when', () => {
  it('the first run that finds it gone says so, and later runs keep that moment', () => {
    const whileOn = body(T('08:00'), { crisis: on });
    expect(crisisOffSince(whileOn, T('08:15'), false)).toBe(T('08:15'));
    const first = body(T('08:15'), { crisisOffSince: T('08:15') });
    expect(first).toContain(
      '**CRISIS:** off since 2026-12-01 09:15 +01:00 (the first run that found it removed). Due items go out as their time comes.',
    );
    expect(crisisOffSince(first, T('08:30'), false)).toBe(T('08:15'));
    // Nothing changed but the time: no edit.
    expect(sameDashboard(first, body(T('08:30'), { crisisOffSince: T('08:15') }))).toBe(true);
  });

  it('says nothing of when while it is on, when it was never seen on, or when it could only not be read', () => {
    const whileOn = body(T('08:00'), { crisis: on });
    expect(crisisOffSince(whileOn, T('08:15'), true)).toBeNull();
    expect(crisisOffSince(null, T('08:15'), false)).toBeNull();
    expect(crisisOffSince(body(T('08:00')), T('08:15'), false)).toBeNull();
    expect(body(T('08:00'), { crisisOffSince: null })).toContain('**CRISIS:** off. Due items');
    const unknown = body(T('08:00'), { crisis: { reason: 'GitHub did not answer', unknown: true } });
    expect(crisisOffSince(unknown, T('08:15'), false)).toBeNull();
  });

  it('a mark from the future, or one inside other text, is not taken', () => {
    const later = body(T('08:15'), { crisisOffSince: T('09:00') });
    expect(crisisOffSince(later, T('08:30'), false)).toBeNull();
    expect(crisisOffSince('x <!-- postgate:crisis-off 2026-12-01T08:00:00.000Z --> y', T('08:30'), false)).toBeNull();
  });
});
