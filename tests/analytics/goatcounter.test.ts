import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GoatCounter, type GoatCounterOptions } from '../../src/analytics/goatcounter.ts';
import { UsageError } from '../../src/core/errors.ts';
import type { SeededVisit } from '../fakes/fake-analytics.ts';
import { FakeGoatCounter } from '../fakes/fake-goatcounter.ts';
import { faultSuite, QUERY } from './faults.ts';

/** GoatCounter's stats API against the fake: campaigns, then each campaign's sources. */
let fake: FakeGoatCounter;
const waits: number[] = [];

const adapter = (options: Partial<GoatCounterOptions> = {}) =>
  new GoatCounter({
    baseUrl: fake.url,
    token: fake.key,
    timeZone: 'America/New_York',
    minIntervalMs: 0,
    timeoutMs: 300,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });

const visit = (at: string, visitor: string, campaign: string, source: string): SeededVisit => ({
  at,
  visitor,
  campaign,
  source,
  medium: 'social',
});

beforeEach(async () => {
  waits.length = 0;
  fake = new FakeGoatCounter();
  fake.timeZone = 'America/New_York';
  fake.perSecond = null;
  await fake.start();
  fake.seed(
    visit('2026-11-02T09:00:00-05:00', 'ann', 'social/launch', 'x'),
    visit('2026-11-02T10:00:00-05:00', 'bob', 'social/launch', 'x'),
    visit('2026-11-02T11:00:00-05:00', 'cat', 'social/launch', 'mastodon'),
    // Evening in New York, already 3 November in UTC: GoatCounter counts it on the 2nd.
    visit('2026-11-02T21:00:00-05:00', 'dan', 'social/recipe', 'bluesky'),
    // Ann again the same day: not a first visit, not counted again.
    visit('2026-11-02T15:00:00-05:00', 'ann', 'social/recipe', 'x'),
    // The day before the period.
    visit('2026-11-01T12:00:00-05:00', 'eve', 'social/launch', 'x'),
    // A campaign visit without utm_source: GoatCounter puts the referrer there; the fake leaves it empty.
    { at: '2026-11-03T12:00:00-05:00', visitor: 'fay', campaign: 'social/launch' },
  );
});
afterEach(async () => {
  await fake.stop();
});

describe('GoatCounter adapter', () => {
  it('reads visitors by campaign and source, day by day in the site zone', async () => {
    const rows = await adapter().visitsByCampaign({ since: '2026-11-02', until: '2026-11-02' });
    expect(rows).toEqual([
      { campaign: 'social/launch', source: 'x', visitors: 2 },
      { campaign: 'social/launch', source: 'mastodon', visitors: 1 },
      { campaign: 'social/recipe', source: 'bluesky', visitors: 1 },
    ]);
    const [list, detail] = fake.server.requests;
    expect(list!.path).toBe('/api/v0/stats/campaigns');
    expect(list!.headers.authorization).toBe(`Bearer ${fake.key}`);
    expect(Object.fromEntries(list!.query)).toEqual({
      start: '2026-11-02T12:00:00-05:00',
      end: '2026-11-02T12:00:00-05:00',
      limit: '100',
      offset: '0',
    });
    expect(detail!.path).toBe('/api/v0/stats/campaigns/1');
  });

  it('a bare date would be read as midnight UTC, the day before in New York: the fake shows it', async () => {
    const response = await fetch(`${fake.url}/api/v0/stats/campaigns?start=2026-11-03&end=2026-11-03`, {
      headers: { authorization: `Bearer ${fake.key}` },
    });
    // 3 November asked, 2 November's visitors answered.
    expect(await response.json()).toEqual({
      stats: [
        { id: '1', name: 'social/launch', count: 3 },
        { id: '2', name: 'social/recipe', count: 1 },
      ],
      more: false,
    });
  });

  it('pages through more than 100 campaigns and more than 100 sources', async () => {
    for (let i = 0; i < 130; i++) fake.seed(visit('2026-11-04T10:00:00-05:00', `v${i}`, `c${i}`, 'x'));
    for (let i = 0; i < 120; i++) fake.seed(visit('2026-11-05T10:00:00-05:00', `w${i}`, 'social/launch', `s${i}`));
    const rows = await adapter().visitsByCampaign(QUERY);
    expect(rows.filter((r) => r.campaign.startsWith('c'))).toHaveLength(130);
    expect(rows.filter((r) => r.campaign === 'social/launch')).toHaveLength(122);
    const lists = fake.server.requests.filter((r) => r.path === '/api/v0/stats/campaigns');
    expect(lists.map((r) => r.query.get('offset'))).toEqual(['0', '100']);
  });

  it('keeps within 4 requests a second by itself, as the real limit is enforced', async () => {
    const limited = new FakeGoatCounter();
    await limited.start();
    try {
      for (let i = 0; i < 6; i++) limited.seed(visit('2026-11-04T10:00:00-05:00', `v${i}`, `c${i}`, 'x'));
      const real = new GoatCounter({ baseUrl: limited.url, token: limited.key, timeZone: 'UTC' });
      const rows = await real.visitsByCampaign(QUERY);
      expect(rows).toHaveLength(6);
      expect(limited.server.requests).toHaveLength(7);
    } finally {
      await limited.stop();
    }
  });

  it('without its own pacing, it waits out the 429s of the real limit (Retry-After: 1) and still reads everything', async () => {
    const limited = new FakeGoatCounter();
    await limited.start();
    try {
      for (let i = 0; i < 6; i++) limited.seed(visit('2026-11-04T10:00:00-05:00', `v${i}`, `c${i}`, 'x'));
      const hasty = new GoatCounter({ baseUrl: limited.url, token: limited.key, timeZone: 'UTC', minIntervalMs: 0 });
      expect(await hasty.visitsByCampaign(QUERY)).toHaveLength(6);
      expect(limited.server.requests.length).toBeGreaterThan(7);
    } finally {
      await limited.stop();
    }
  });

  it('refuses a key without the statistics permission (403) as an auth failure', async () => {
    fake.keys.set(fake.key, false);
    await expect(adapter().visitsByCampaign(QUERY)).rejects.toMatchObject({
      kind: 'auth',
      message: 'GoatCounter refused the credentials (403: requires read statistics permissions)',
    });
  });

  it('does not follow a redirect with the key, and says where it led', async () => {
    fake.server.inject({
      respond: { status: 301, headers: { location: 'https://ex.goatcounter.com/api/v0/stats/campaigns?x=1' } },
    });
    await expect(adapter().visitsByCampaign(QUERY)).rejects.toMatchObject({
      kind: 'rejected',
      message:
        'GoatCounter answered 301, a redirect to https://ex.goatcounter.com/api/v0/stats/campaigns: give it the address it leads to',
    });
    expect(fake.server.requests).toHaveLength(1);
  });

  it('refuses plain http to another machine before any request', () => {
    expect(() => adapter({ baseUrl: 'http://stats.example.org' })).toThrow(UsageError);
    expect(() => adapter({ baseUrl: 'http://stats.example.org' })).toThrow(
      /http:\/\/ would send its key in clear text/,
    );
  });

  faultSuite('GoatCounter', () => ({
    server: fake.server,
    adapter: adapter(),
    revoke: () => fake.keys.clear(),
  }));
});
