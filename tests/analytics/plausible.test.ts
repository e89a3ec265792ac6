import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Plausible, type PlausibleOptions } from '../../src/analytics/plausible.ts';
import type { SeededVisit } from '../fakes/fake-analytics.ts';
import { FakePlausible } from '../fakes/fake-plausible.ts';
import { ACCOUNT_VISITORS, ACCOUNT_VISITS, faultSuite, QUERY } from './faults.ts';

/** Plausible's Stats API v2 against the fake: one query for visitors and visits, one for goals. */
let fake: FakePlausible;

const adapter = (options: Partial<PlausibleOptions> = {}) =>
  new Plausible({
    baseUrl: fake.url,
    apiKey: fake.key,
    siteId: 'example.org',
    timeZone: 'Europe/Berlin',
    timeoutMs: 300,
    sleep: async () => {},
    ...options,
  });

const visit = (at: string, visitor: string, campaign: string, source: string, more: Partial<SeededVisit> = {}) => ({
  at,
  visitor,
  campaign,
  source,
  medium: 'social',
  ...more,
});

beforeEach(async () => {
  fake = new FakePlausible();
  fake.timeZone = 'Europe/Berlin';
  await fake.start();
  fake.seed(
    visit('2026-11-03T09:40:00+01:00', 'ann', 'social/launch', 'x', { goals: ['Signup'] }),
    visit('2026-11-04T12:00:00+01:00', 'ann', 'social/launch', 'x'),
    visit('2026-11-03T10:00:00+01:00', 'bob', 'social/launch', 'x'),
    visit('2026-11-03T11:00:00+01:00', 'cat', 'social/launch', 'mastodon', { goals: ['Signup', 'Donate'] }),
    visit('2026-11-05T11:00:00+01:00', 'dan', 'social/recipe', 'bluesky'),
    // Not Postgate's: another medium.
    visit('2026-11-05T11:00:00+01:00', 'eve', 'november', 'newsletter', { medium: 'email' }),
    // Just after the period in Berlin (still 8 November in UTC).
    visit('2026-11-09T00:30:00+01:00', 'fay', 'social/launch', 'x'),
  );
  fake.goals.add('Donate');
});
afterEach(async () => {
  await fake.stop();
});

describe('Plausible adapter', () => {
  it('reads visitors, visits and goal conversions by campaign and source, filtered to utm_medium=social', async () => {
    const rows = await adapter().visitsByCampaign(QUERY);
    expect(rows).toEqual([
      { campaign: 'social/launch', source: 'x', visitors: 2, visits: 3, conversions: { Signup: 1 } },
      { campaign: 'social/launch', source: 'mastodon', visitors: 1, visits: 1, conversions: { Signup: 1, Donate: 1 } },
      { campaign: 'social/recipe', source: 'bluesky', visitors: 1, visits: 1, conversions: {} },
    ]);
    const [visits, goals] = fake.server.requests;
    expect(visits!.method).toBe('POST');
    expect(visits!.path).toBe('/api/v2/query');
    expect(visits!.headers.authorization).toBe(`Bearer ${fake.key}`);
    expect(visits!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(visits!.body.toString())).toEqual({
      site_id: 'example.org',
      date_range: ['2026-11-02', '2026-11-08'],
      metrics: ['visitors', 'visits'],
      dimensions: ['visit:utm_campaign', 'visit:utm_source'],
      filters: [['is', 'visit:utm_medium', ['social']]],
      pagination: { limit: 10000, offset: 0 },
    });
    expect(JSON.parse(goals!.body.toString())).toMatchObject({
      metrics: ['visitors'],
      dimensions: ['visit:utm_campaign', 'visit:utm_source', 'event:goal'],
    });
  });

  it("reads visitors by utm_source and utm_content (each account's links), in one query of the same shape", async () => {
    fake.seed(...ACCOUNT_VISITS);
    const rows = await adapter().visitsByContent(QUERY);
    // Visits without utm_content are left out, as Plausible leaves a visit without a value for a dimension it groups by.
    expect(rows).toEqual(ACCOUNT_VISITORS);
    expect(JSON.parse(fake.server.requests[0]!.body.toString())).toEqual({
      site_id: 'example.org',
      date_range: ['2026-11-02', '2026-11-08'],
      metrics: ['visitors'],
      dimensions: ['visit:utm_source', 'visit:utm_content'],
      filters: [['is', 'visit:utm_medium', ['social']]],
      pagination: { limit: 10000, offset: 0 },
    });
  });

  it('the fake refuses what the API refuses: unknown keys and metrics, session metrics with event:goal, a reversed range', async () => {
    const ask = async (query: Record<string, unknown>) => {
      const answer = await fetch(`${fake.url}/api/v2/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          site_id: 'example.org',
          date_range: ['2026-11-02', '2026-11-08'],
          metrics: ['visitors'],
          ...query,
        }),
      });
      return [answer.status, ((await answer.json()) as { error?: string }).error];
    };
    expect(await ask({ period: '7d' })).toEqual([400, '#/period: Schema does not allow additional properties.']);
    expect(await ask({ metrics: ['uniques'] })).toEqual([400, '#/metrics/0: Invalid metric "uniques"']);
    expect(await ask({ metrics: ['bounce_rate'], dimensions: ['event:goal'] })).toEqual([
      400,
      'Session metric(s) `bounce_rate` cannot be queried along with event dimension(s) `event:goal`',
    ]);
    expect(await ask({ date_range: ['2026-11-08', '2026-11-02'] })).toEqual([
      400,
      'Invalid date_range ["2026-11-08","2026-11-02"]',
    ]);
    expect(await ask({ site_id: 'other.org' })).toEqual([
      401,
      "Invalid API key or site ID. Please make sure you're using a valid API key with access to the site you've requested.",
    ]);
  });

  it('pages through results of 10,000 rows', async () => {
    for (let i = 0; i < 10_001; i++) fake.seed(visit('2026-11-06T10:00:00+01:00', `v${i}`, `c${i}`, 'x'));
    const rows = await adapter({ timeoutMs: 20_000 }).visitsByCampaign(QUERY);
    expect(rows).toHaveLength(10_004);
    const offsets = fake.server.requests.map((r) => JSON.parse(r.body.toString()).pagination.offset);
    expect(offsets).toEqual([0, 10_000, 0]);
  });

  it('names a plan without the Stats API (402) as refused, in its own words', async () => {
    fake.statsApi = false;
    await expect(adapter().visitsByCampaign(QUERY)).rejects.toMatchObject({
      kind: 'rejected',
      status: 402,
      message: expect.stringMatching(
        /^Plausible refused the request \(402: The account that owns this API key does not have access to Stats API/,
      ),
    });
  });

  it('gives up at the hourly limit (429 without Retry-After)', async () => {
    fake.hourlyLimit = 1;
    await expect(adapter().visitsByCampaign(QUERY)).rejects.toMatchObject({
      kind: 'rate-limited',
      message: 'Plausible is rate-limiting the API key (429)',
    });
  });

  it('talks to plausible.io unless told otherwise', () => {
    const cloud = new Plausible({ apiKey: 'k', siteId: 'example.org', timeZone: 'UTC' });
    expect((cloud as unknown as { base: URL }).base.href).toBe('https://plausible.io/');
  });

  faultSuite('Plausible', () => ({
    server: fake.server,
    adapter: adapter(),
    revoke: () => fake.keys.clear(),
  }));
});
