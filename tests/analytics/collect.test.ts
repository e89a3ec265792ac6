import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectVisits } from '../../src/analytics/collect.ts';
import { type AnalyticsFromEnv, analyticsFromEnv } from '../../src/analytics/from-env.ts';
import { GoatCounter } from '../../src/analytics/goatcounter.ts';
import { Plausible } from '../../src/analytics/plausible.ts';
import { buildReport } from '../../src/core/report.ts';
import { FakePlausible } from '../fakes/fake-plausible.ts';
import { LAUNCH, NOW, RECORDS, RECIPE, ZONE } from '../helpers/report-month.ts';

/** A month asked week by week from a fake tool, then turned into the report. */
const MONTH = { since: '2026-11-01', until: '2026-11-30' };
let plausible: FakePlausible;

const adapter = () =>
  new Plausible({
    baseUrl: plausible.url,
    apiKey: plausible.key,
    siteId: 'example.org',
    timeZone: ZONE,
    timeoutMs: 300,
  });

beforeEach(async () => {
  plausible = new FakePlausible();
  plausible.timeZone = ZONE;
  await plausible.start();
  const social = { medium: 'social' };
  plausible.seed(
    { at: '2026-11-03T10:00:00+01:00', visitor: 'ann', campaign: LAUNCH, source: 'x', goals: ['Signup'], ...social },
    { at: '2026-11-10T10:00:00+01:00', visitor: 'ann', campaign: LAUNCH, source: 'x', ...social },
    { at: '2026-11-03T10:05:00+01:00', visitor: 'bob', campaign: LAUNCH, source: 'mastodon', ...social },
    { at: '2026-11-11T10:00:00+01:00', visitor: 'cat', campaign: RECIPE, source: 'mastodon', ...social },
    { at: '2026-11-30T23:30:00+01:00', visitor: 'dan', campaign: RECIPE, source: 'x', ...social },
  );
});
afterEach(async () => {
  await plausible.stop();
});

describe('collecting a period week by week', () => {
  it('asks each ISO week of the period, and the report adds them up', async () => {
    const analytics = await collectVisits(adapter(), MONTH);
    expect(analytics.weeks.map((w) => [w.week, w.since, w.until])).toEqual([
      ['2026-W44', '2026-11-01', '2026-11-01'],
      ['2026-W45', '2026-11-02', '2026-11-08'],
      ['2026-W46', '2026-11-09', '2026-11-15'],
      ['2026-W47', '2026-11-16', '2026-11-22'],
      ['2026-W48', '2026-11-23', '2026-11-29'],
      ['2026-W49', '2026-11-30', '2026-11-30'],
    ]);
    const dateRanges = plausible.server.requests.map((r) => JSON.parse(r.body.toString()).date_range);
    expect(dateRanges.filter((_, i) => i % 2 === 0)).toEqual(analytics.weeks.map((w) => [w.since, w.until]));
    const report = buildReport({ now: NOW, timeZone: ZONE, ...MONTH, records: RECORDS, analytics });
    const visitors = Object.fromEntries(report.networks.map((n) => [n.channel, n.outcome.visitors]));
    // Ann came in two weeks: Plausible counts her in each, and the report says the weeks are added up.
    expect(visitors).toMatchObject({ x: 2 + 1, mastodon: 2 });
    expect(report.networks.find((n) => n.channel === 'x')!.outcome.conversions).toEqual({ Signup: 1 });
    expect(report.notes.at(-1)).toMatch(/adds the weeks up/);
  });

  it('stops asking after the tool goes down, and the report names the weeks it is missing', async () => {
    plausible.server.inject({ skip: 4, times: 100, respond: { status: 503, body: 'Service Unavailable' } });
    const analytics = await collectVisits(adapter(), MONTH);
    expect(analytics.weeks.map((w) => ('error' in w ? w.error : 'ok'))).toEqual([
      'ok',
      'ok',
      'Plausible answered 503 (Service Unavailable)',
      'Plausible answered 503 (Service Unavailable)',
      'Plausible answered 503 (Service Unavailable)',
      'Plausible answered 503 (Service Unavailable)',
    ]);
    expect(plausible.server.requests).toHaveLength(5);
    const report = buildReport({ now: NOW, timeZone: ZONE, ...MONTH, records: RECORDS, analytics });
    expect(report.missing).toEqual([
      {
        part: 'analytics',
        what: 'Plausible, weeks 2026-W46 to 2026-W49',
        reason: 'Plausible answered 503 (Service Unavailable)',
      },
    ]);
  });

  it('goes on after a week refused for its own sake', async () => {
    plausible.server.inject({ skip: 2, respond: { status: 400, body: { error: 'Invalid date_range' } } });
    const analytics = await collectVisits(adapter(), MONTH);
    expect(analytics.weeks.map((w) => 'rows' in w)).toEqual([true, false, true, true, true, true]);
  });
});

describe('visits by utm_content (accounts)', () => {
  it('asks for them week by week only when wanted, and a tool without them is asked nothing more', async () => {
    plausible.seed({
      at: '2026-11-03T10:00:00+01:00',
      visitor: 'eve',
      campaign: LAUNCH,
      source: 'mastodon',
      medium: 'social',
      content: 'alice-mastodon',
    });
    const without = await collectVisits(adapter(), MONTH);
    expect(without.byContent).toBeUndefined();
    expect(plausible.server.requests).toHaveLength(12);
    const wanted = await collectVisits(adapter(), MONTH, true);
    expect(wanted.byContent).toBe(true);
    expect(wanted.weeks[1]).toMatchObject({
      byContent: [{ source: 'mastodon', content: 'alice-mastodon', visitors: 1 }],
    });
    expect(plausible.server.requests).toHaveLength(12 + 18);
    const goat = { ...adapter(), name: 'GoatCounter', visitsByCampaign: async () => [] };
    expect((await collectVisits(goat as never, MONTH, true)).byContent).toBeUndefined();
  });
});

describe('the adapter from the environment', () => {
  const site = { timeZone: ZONE, siteDomain: 'example.org' };

  it('builds each tool from its variables, with the defaults a hosted tool has', () => {
    const goat = analyticsFromEnv(
      'goatcounter',
      { GOATCOUNTER_URL: 'https://ex.goatcounter.com', GOATCOUNTER_TOKEN: 'k' },
      site,
    );
    expect(goat.ok && goat.adapter).toBeInstanceOf(GoatCounter);
    const cloud = analyticsFromEnv('plausible', { PLAUSIBLE_API_KEY: 'k' }, site);
    expect(cloud.ok && (cloud.adapter as unknown as { options: { siteId: string } }).options.siteId).toBe(
      'example.org',
    );
    const umami = analyticsFromEnv('umami', { UMAMI_API_KEY: 'k', UMAMI_WEBSITE_ID: 'w' }, site);
    expect(umami.ok && (umami.adapter as unknown as { root: URL }).root.href).toBe('https://api.umami.is/v1');
    const selfHosted = analyticsFromEnv(
      'umami',
      { UMAMI_URL: 'https://stats.example.org', UMAMI_USERNAME: 'a', UMAMI_PASSWORD: 'p', UMAMI_WEBSITE_ID: 'w' },
      site,
    );
    expect(selfHosted.ok && (selfHosted.adapter as unknown as { root: URL }).root.href).toBe(
      'https://stats.example.org/api',
    );
  });

  it("takes the address and site from the config's analytics: when their variables are not set, and the variables first", () => {
    const settings = { url: 'https://stats.example.org', siteId: 'blog.example.org' };
    const options = (a: AnalyticsFromEnv) =>
      a.ok ? (a.adapter as unknown as { options: Record<string, unknown> }).options : null;
    expect(options(analyticsFromEnv('plausible', { PLAUSIBLE_API_KEY: 'k' }, { ...site, settings }))).toMatchObject({
      baseUrl: 'https://stats.example.org',
      siteId: 'blog.example.org',
    });
    expect(
      options(
        analyticsFromEnv(
          'plausible',
          { PLAUSIBLE_API_KEY: 'k', PLAUSIBLE_SITE_ID: 'env.example.org' },
          { ...site, settings },
        ),
      ),
    ).toMatchObject({ siteId: 'env.example.org' });
    const umami = analyticsFromEnv(
      'umami',
      { UMAMI_TOKEN: 't' },
      { ...site, settings: { url: settings.url, siteId: 'w-1' } },
    );
    expect(options(umami)).toMatchObject({ websiteId: 'w-1' });
    expect(umami.ok && (umami.adapter as unknown as { root: URL }).root.href).toBe('https://stats.example.org/api');
  });

  it('says which variables are missing, and refuses plain http to another machine', () => {
    expect(analyticsFromEnv('goatcounter', {}, site)).toEqual({
      ok: false,
      problem:
        "GOATCOUNTER_URL and GOATCOUNTER_TOKEN are not set: GoatCounter's address (https://CODE.goatcounter.com) and an API key that can read statistics",
    });
    expect(analyticsFromEnv('plausible', {}, { timeZone: ZONE })).toMatchObject({
      problem: expect.stringMatching(/^PLAUSIBLE_API_KEY and PLAUSIBLE_SITE_ID are not set/),
    });
    expect(analyticsFromEnv('umami', { UMAMI_TOKEN: 't' }, site)).toMatchObject({
      problem: expect.stringMatching(/^UMAMI_WEBSITE_ID and UMAMI_URL are not set/),
    });
    expect(
      analyticsFromEnv('plausible', { PLAUSIBLE_API_KEY: 'k', PLAUSIBLE_URL: 'http://plausible.example.org' }, site),
    ).toMatchObject({
      ok: false,
      problem: expect.stringMatching(
        /^PLAUSIBLE_URL is http:\/\/plausible\.example\.org: http:\/\/ would send credentials in clear text/,
      ),
    });
  });
});
