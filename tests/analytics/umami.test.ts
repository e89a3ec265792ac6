import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Umami, type UmamiOptions } from '../../src/analytics/umami.ts';
import type { SeededVisit } from '../fakes/fake-analytics.ts';
import { FakeUmami } from '../fakes/fake-umami.ts';
import { ACCOUNT_VISITORS, ACCOUNT_VISITS, faultSuite, QUERY } from './faults.ts';

/** Umami's API against the fake: the sources of social visits, then each source's campaigns. */
let fake: FakeUmami;
let token: string;

const adapter = (options: Partial<UmamiOptions> = {}) =>
  new Umami({
    baseUrl: fake.apiRoot,
    websiteId: fake.websiteId,
    auth: { token },
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

const seed = (f: FakeUmami) =>
  f.seed(
    visit('2026-11-03T09:40:00+01:00', 'ann', 'social/launch', 'x'),
    visit('2026-11-04T12:00:00+01:00', 'ann', 'social/launch', 'x'),
    visit('2026-11-03T10:00:00+01:00', 'bob', 'social/launch', 'x'),
    visit('2026-11-03T11:00:00+01:00', 'cat', 'social/launch', 'mastodon'),
    visit('2026-11-05T11:00:00+01:00', 'dan', 'social/recipe', 'mastodon'),
    visit('2026-11-05T11:00:00+01:00', 'eve', 'november', 'newsletter', { medium: 'email' }),
    visit('2026-11-05T11:00:00+01:00', 'gus', 'social/launch', 'x,mastodon'),
    // 8 November ends at 23:00 UTC in Berlin: this one is the 9th.
    visit('2026-11-08T23:30:00Z', 'fay', 'social/launch', 'x'),
  );

beforeEach(async () => {
  fake = new FakeUmami();
  await fake.start();
  seed(fake);
  token = 'umami-api-token-self-hosted-1';
  fake.tokens.add(token);
});
afterEach(async () => {
  await fake.stop();
});

describe('Umami adapter', () => {
  it('reads visitors and visits per source, then per campaign, for social visits in the period', async () => {
    const rows = await adapter().visitsByCampaign(QUERY);
    expect(rows).toEqual([
      { campaign: 'social/launch', source: 'x', visitors: 2, visits: 3 },
      { campaign: 'social/launch', source: 'mastodon', visitors: 1, visits: 1 },
      { campaign: 'social/recipe', source: 'mastodon', visitors: 1, visits: 1 },
    ]);
    const [sources, campaigns] = fake.server.requests;
    expect(sources!.path).toBe(`/api/websites/${fake.websiteId}/metrics/expanded`);
    expect(sources!.headers.authorization).toBe(`Bearer ${token}`);
    expect(Object.fromEntries(sources!.query)).toEqual({
      startAt: String(Date.parse('2026-11-01T23:00:00Z')),
      endAt: String(Date.parse('2026-11-08T23:00:00Z') - 1),
      utmMedium: 'eq.social',
      type: 'utmSource',
      limit: '500',
      offset: '0',
    });
    expect(Object.fromEntries(campaigns!.query)).toMatchObject({ type: 'utmCampaign', utmSource: 'eq.x' });
    // A source with a comma would be read as a list of sources: it is not asked about.
    expect(fake.server.requests.some((r) => r.query.get('utmSource')?.includes(','))).toBe(false);
  });

  it('reads visitors per source, then per utm_content (type=utmContent), for social visits in the period', async () => {
    fake.seed(...ACCOUNT_VISITS);
    const rows = await adapter().visitsByContent(QUERY);
    expect(rows).toEqual(ACCOUNT_VISITORS);
    const contents = fake.server.requests.filter((r) => r.query.get('type') === 'utmContent');
    expect(contents.map((r) => r.query.get('utmSource'))).toEqual(['eq.mastodon', 'eq.x', 'eq.bluesky']);
    expect(Object.fromEntries(contents[0]!.query)).toMatchObject({ utmMedium: 'eq.social', limit: '500', offset: '0' });
  });

  it('logs in with a username and password, once, and never shows the password', async () => {
    const rows = await adapter({ auth: { username: 'admin', password: fake.users.get('admin')! } }).visitsByCampaign(
      QUERY,
    );
    expect(rows).toHaveLength(3);
    const logins = fake.server.requests.filter((r) => r.path === '/api/auth/login');
    expect(logins).toHaveLength(1);
    expect(JSON.parse(logins[0]!.body.toString())).toEqual({ username: 'admin', password: 'umami-fake-password-9x' });
    const wrong = adapter({ auth: { username: 'admin', password: 'guessed-wrong' } });
    await expect(wrong.visitsByCampaign(QUERY)).rejects.toMatchObject({
      kind: 'auth',
      message: 'Umami refused the credentials (401: Unauthorized)',
    });
  });

  it('reads Umami Cloud with its API key header, under /v1', async () => {
    const cloud = new FakeUmami('cloud');
    await cloud.start();
    try {
      seed(cloud);
      const key = [...cloud.apiKeys][0]!;
      const rows = await adapter({ baseUrl: cloud.apiRoot, auth: { apiKey: key } }).visitsByCampaign(QUERY);
      expect(rows).toHaveLength(3);
      expect(cloud.server.requests[0]!.path).toBe(`/v1/websites/${cloud.websiteId}/metrics/expanded`);
      expect(cloud.server.requests[0]!.headers['x-umami-api-key']).toBe(key);
      expect(cloud.server.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await cloud.stop();
    }
  });

  it('puts /api after a self-hosted address given without a path', () => {
    const bare = adapter({ baseUrl: fake.url });
    expect((bare as unknown as { root: URL }).root.href).toBe(`${fake.url}/api`);
  });

  it('says when the server is older than 3.1, which has no UTM metrics', async () => {
    fake.version = '3.0';
    await expect(adapter().visitsByCampaign(QUERY)).rejects.toMatchObject({
      kind: 'rejected',
      message: 'Umami refused the request (400: Bad request); UTM numbers need Umami 3.1 or later (type=utmSource)',
    });
  });

  it('a website the user cannot view is a 401, as Umami answers it', async () => {
    await expect(
      adapter({ websiteId: '00000000-0000-4000-8000-000000000000' }).visitsByCampaign(QUERY),
    ).rejects.toMatchObject({
      kind: 'auth',
    });
  });

  it('pages through more than 500 campaigns', async () => {
    for (let i = 0; i < 501; i++) fake.seed(visit('2026-11-06T10:00:00+01:00', `v${i}`, `c${i}`, 'x'));
    const rows = await adapter({ timeoutMs: 5_000 }).visitsByCampaign(QUERY);
    expect(rows.filter((r) => r.source === 'x')).toHaveLength(502);
    const offsets = fake.server.requests
      .filter((r) => r.query.get('utmSource') === 'eq.x')
      .map((r) => r.query.get('offset'));
    expect(offsets).toEqual(['0', '500']);
  });

  faultSuite('Umami', () => ({
    server: fake.server,
    adapter: adapter(),
    revoke: () => fake.tokens.clear(),
  }));
});
