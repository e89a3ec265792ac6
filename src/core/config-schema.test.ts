import { describe, expect, it } from 'vitest';
import { configSchema, DEFAULT_LIVE_WITHIN, DEFAULT_WAIT_UP_TO } from './config-schema.ts';
import { DEFAULT_LIVE_WITHIN_MS } from './item-state.ts';

const site = { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin' };
const waitUpTo = (value?: unknown) =>
  configSchema.safeParse({ site, policies: value === undefined ? {} : { waitUpTo: value } });

describe('the config: policies.waitUpTo', () => {
  it('defaults to a wait that suits a public repository, in milliseconds', () => {
    expect(DEFAULT_WAIT_UP_TO).toBe('30m');
    expect(waitUpTo().data?.policies.waitUpTo).toBe(30 * 60_000);
    expect(configSchema.parse({ site }).policies.waitUpTo).toBe(30 * 60_000);
  });

  it('reads durations as the other duration fields do', () => {
    expect(waitUpTo('20m').data?.policies.waitUpTo).toBe(20 * 60_000);
    expect(waitUpTo('1h30m').data?.policies.waitUpTo).toBe(90 * 60_000);
  });

  it('turns waiting off with 0m (or 0h)', () => {
    expect(waitUpTo('0m').data?.policies.waitUpTo).toBe(0);
    expect(waitUpTo('0h').data?.policies.waitUpTo).toBe(0);
  });

  it('refuses what is not a duration, "never", and waits longer than a job may run', () => {
    for (const bad of ['soon', 'never', '6h', '20', 20]) {
      const result = waitUpTo(bad);
      expect(result.success, String(bad)).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['policies', 'waitUpTo']);
    }
    expect(waitUpTo('soon').error?.issues[0]?.message).toMatch(/expected how long a run may wait, such as 20m/);
  });
});

describe('the config: policies.liveWithin', () => {
  const liveWithin = (value?: unknown) =>
    configSchema.safeParse({ site, policies: value === undefined ? {} : { liveWithin: value } });

  it('defaults to a day, the planner’s default, in milliseconds', () => {
    expect(DEFAULT_LIVE_WITHIN).toBe('24h');
    expect(liveWithin().data?.policies.liveWithin).toBe(DEFAULT_LIVE_WITHIN_MS);
    expect(DEFAULT_LIVE_WITHIN_MS).toBe(24 * 3_600_000);
  });

  it('reads durations as the other duration fields do', () => {
    expect(liveWithin('2h').data?.policies.liveWithin).toBe(2 * 3_600_000);
    expect(liveWithin('1d12h').data?.policies.liveWithin).toBe(36 * 3_600_000);
  });

  it('refuses what is not a duration, zero and "never": announcements must not wait for ever', () => {
    for (const bad of ['soon', 'never', '0m', '24', 24]) {
      const result = liveWithin(bad);
      expect(result.success, String(bad)).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['policies', 'liveWithin']);
    }
    expect(liveWithin('never').error?.issues[0]?.message).toMatch(/keep checking the post's address, such as 2h/);
  });
});
