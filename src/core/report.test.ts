import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  APPEAL,
  ENGAGEMENT,
  LAUNCH,
  OLD,
  RECIPE,
  RECORDS,
  VOLUNTEERS,
  monthReport,
  plausibleMonth,
} from '../../tests/helpers/report-month.ts';
import { UsageError } from './errors.ts';
import { niceTop, weeklyCharts } from './report-chart.ts';
import { reportJson } from './report-json.ts';
import { renderReportMarkdown } from './report-markdown.ts';
import { renderReportText } from './report-text.ts';
import type { AnalyticsOutcome, ConfiguredAnalytics, EngagementOutcome } from './report-types.ts';
import { accountsOf } from './accounts.ts';

const month = monthReport;

const visitorsOf = (report: ReturnType<typeof month>) =>
  Object.fromEntries(report.posts.map((p) => [`${p.item} ${p.channel}`, p.outcome.visitors]));

describe('report over a seeded month', () => {
  it('lists every post of the month, and an earlier one that still brought readers, with how late each went out', () => {
    const report = month();
    expect(report.posts.map((p) => [p.item, p.channel, p.lateMs, p.earlier, p.retracted])).toEqual([
      [OLD, 'x', null, true, false],
      [LAUNCH, 'mastodon', 20_000, false, false],
      [LAUNCH, 'bluesky', 60_000, false, false],
      [LAUNCH, 'x', 240_000, false, false],
      [RECIPE, 'x', 0, false, false],
      [RECIPE, 'mastodon', 60_000, false, false],
      [VOLUNTEERS, 'mastodon', null, false, true],
      [VOLUNTEERS, 'bluesky', null, false, false],
      [APPEAL, 'x', 7_200_000, false, false],
    ]);
    // The blog release, an October post nobody came from in November, and a December post are not in it.
    expect(report.posts.some((p) => p.channel === 'blog' || p.item.endsWith('quiet') || p.item.endsWith('next'))).toBe(
      false,
    );
  });

  it('adds up visitors, visits and conversions per post, network, week and item; the weeks add up to the networks', () => {
    const report = month();
    expect(visitorsOf(report)).toEqual({
      [`${OLD} x`]: 8,
      [`${LAUNCH} mastodon`]: 28,
      [`${LAUNCH} bluesky`]: 12,
      [`${LAUNCH} x`]: 46,
      [`${RECIPE} x`]: 12,
      [`${RECIPE} mastodon`]: 14,
      [`${VOLUNTEERS} mastodon`]: 7,
      [`${VOLUNTEERS} bluesky`]: 10,
      [`${APPEAL} x`]: 14,
    });
    expect(report.networks.map((n) => [n.channel, n.posts, n.outcome.visitors, n.outcome.visits, n.perPost])).toEqual([
      ['x', 4, 80, 86, 20],
      ['mastodon', 3, 49, 52, 49 / 3],
      ['bluesky', 2, 22, 23, 11],
    ]);
    expect(report.networks[0]!.outcome.conversions).toEqual({ Signup: 3 });
    expect(report.goals).toEqual(['Signup']);
    expect(report.weeks.map((w) => [w.week, w.total, w.byChannel])).toEqual([
      ['2026-W44', 3, { x: 3 }],
      ['2026-W45', 82, { x: 45, mastodon: 25, bluesky: 12 }],
      ['2026-W46', 33, { x: 16, mastodon: 17 }],
      ['2026-W47', 18, { x: 2, bluesky: 9, mastodon: 7 }],
      ['2026-W48', 4, { bluesky: 1, x: 3 }],
      ['2026-W49', 11, { x: 11 }],
    ]);
    const weeks = report.weeks.reduce((sum, w) => sum + w.total!, 0);
    expect(weeks).toBe(report.networks.reduce((sum, n) => sum + n.outcome.visitors!, 0));
    // Another campaign (a newsletter) is not the publisher's; the launch shared on LinkedIn by staff is shown apart.
    expect(report.items.find((i) => i.item === LAUNCH)!.otherSources).toEqual([{ source: 'linkedin', visitors: 4 }]);
  });

  it('ranks items by visitors per post; an item younger than two days is never among the worst', () => {
    const report = month();
    expect(report.best.map((i) => [i.item, i.perPost])).toEqual([
      [LAUNCH, 86 / 3],
      [APPEAL, 14],
      [RECIPE, 13],
    ]);
    expect(report.worst.map((i) => [i.item, i.perPost])).toEqual([[VOLUNTEERS, 8.5]]);
    const fewer = month(plausibleMonth(), { records: RECORDS.filter((r) => r.item !== LAUNCH) });
    expect(fewer.best.map((i) => i.item)).toEqual([APPEAL, RECIPE, VOLUNTEERS]);
    expect(fewer.worst).toEqual([]); // the appeal went out 38 hours before the report
  });

  it('shows engagement second: summed over a thread and a network, unknown where the network did not answer, – where not asked', () => {
    const report = month();
    const mastodon = report.networks.find((n) => n.channel === 'mastodon')!;
    expect(mastodon.engagement).toEqual({ replies: 2, reposts: 6, likes: 14 });
    expect(report.engagement).toEqual({ x: 'not asked', mastodon: 'ok', bluesky: 'missing' });
    expect(report.missing).toEqual([
      { part: 'engagement', what: 'Bluesky engagement', reason: 'Bluesky did not answer (timed out after 15 s)' },
    ]);
  });

  it("shows visitors per post by weeks since it went out: the period's posts only, each week where it covers them", () => {
    // Week 0: the launch's 77, the recipe's 24, the volunteers' 16, the appeal's 3, over 8 posts. The
    // October post that still brought readers is left out; the appeal (29 November) has weeks 0 and 1 only.
    expect(month().byAge).toEqual([
      { weeksOut: 0, posts: 8, visitors: 120, perPost: 15 },
      { weeksOut: 1, posts: 8, visitors: 23, perPost: 2.875 },
      { weeksOut: 2, posts: 7, visitors: 0, perPost: 0 },
      { weeksOut: 3, posts: 5, visitors: 0, perPost: 0 },
      { weeksOut: 4, posts: 3, visitors: 0, perPost: 0 },
    ]);
    // A week the tool did not answer counts for no post.
    const gap = month(plausibleMonth({ '2026-W46': 'Plausible did not answer' })).byAge;
    expect(gap[0]).toEqual({ weeksOut: 0, posts: 6, visitors: 96, perPost: 16 });
    expect(month({ configured: false, reason: 'none' }).byAge).toEqual([]);
  });

  it('renders the month as pinned: tables, the weekly charts and the notes', () => {
    const expected = readFileSync(new URL('../../tests/fixtures/report/2026-11.md', import.meta.url), 'utf8');
    expect(renderReportMarkdown(month())).toBe(expected);
  });

  it('pins the chart source: one xychart per network on one scale', () => {
    expect(weeklyCharts(month())[1]).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '    title "Mastodon: visitors per week"',
        '    x-axis ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"]',
        '    y-axis "Visitors" 0 --> 50',
        '    bar [0, 25, 17, 7, 0, 0]',
        '```',
      ].join('\n'),
    );
    expect([niceTop(1), niceTop(45), niceTop(50), niceTop(51), niceTop(180), niceTop(2001)]).toEqual([
      1, 50, 50, 100, 200, 5000,
    ]);
  });
});

describe('report with parts missing', () => {
  const down = 'Plausible did not answer: 503 Service Unavailable';

  it('names the weeks the analytics tool did not answer, and marks what they touch as at least', () => {
    const report = month(plausibleMonth({ '2026-W47': down, '2026-W48': down }));
    expect(report.missing[0]).toEqual({
      part: 'analytics',
      what: 'Plausible, weeks 2026-W47 to 2026-W48',
      reason: down,
    });
    const launch = report.posts.find((p) => p.item === LAUNCH && p.channel === 'x')!;
    expect(launch.outcome).toEqual({ visitors: 46, visits: 51, conversions: { Signup: 2 }, partial: true });
    expect(report.weeks[3]).toMatchObject({ week: '2026-W47', byChannel: null, total: null });
    // Nothing can be called best or worst on half the numbers.
    expect(report.best).toEqual([]);
    expect(report.worst).toEqual([]);
    const text = renderReportText(report);
    expect(text).toContain('MISSING (shown as ?; numbers marked ≥ are at least these)');
    expect(text).toContain(`  Plausible, weeks 2026-W47 to 2026-W48: ${down}`);
    expect(text).toMatch(/2026-W47 {2}2026-11-16 to 2026-11-22 +\? +\? +\? +\?/);
    expect(text).toMatch(/X +4 +≥ 75 +≥ 18\.8 +≥ 81 +≥ 3 +–/);
    const md = renderReportMarkdown(report);
    expect(md).toContain(
      'x-axis ["2026-W44", "2026-W45", "2026-W46", "2026-W47 (missing)", "2026-W48 (missing)", "2026-W49"]',
    );
  });

  it('a post sent after the last week that failed is complete', () => {
    const report = month(plausibleMonth({ '2026-W45': down }));
    const appeal = report.posts.find((p) => p.item === APPEAL)!;
    expect(appeal.outcome.partial).toBe(false);
    expect(report.posts.find((p) => p.item === LAUNCH)!.outcome.partial).toBe(true);
  });

  it('without an analytics tool, visitors are unknown and the report says why, never zero', () => {
    const report = month({ configured: false, reason: 'no analytics tool is set up (analytics in postgate.config)' });
    expect(report.posts.every((p) => p.outcome.visitors === null && p.outcome.visits === null)).toBe(true);
    // Only posts of the period: whether an earlier one brought readers is not known.
    expect(report.posts.some((p) => p.earlier)).toBe(false);
    expect(report.missing[0]).toEqual({
      part: 'analytics',
      what: 'visitors from the site',
      reason: 'no analytics tool is set up (analytics in postgate.config)',
    });
    expect(report.weeks).toEqual([]);
    expect(report.best).toEqual([]);
    expect(weeklyCharts(report)).toEqual([]);
    expect(renderReportText(report)).toMatch(/X +3 +\? +\? +\? +–/);
    expect(reportJson(report)).toMatchObject({ networks: [{ channel: 'x', visitors: null, perPost: null }, {}, {}] });
  });

  it('a tool without visits or goals shows – for them, which is not unknown', () => {
    const goat: AnalyticsOutcome = {
      ...plausibleMonth(),
      tool: 'GoatCounter',
      measures: { visits: false, conversions: false },
    };
    const report = month(goat);
    expect(report.networks[0]!.outcome).toEqual({ visitors: 80, visits: null, conversions: null, partial: false });
    expect(renderReportText(report)).toMatch(/X +4 +80 +20 +– +–/);
  });

  it('an empty period says so; a period that ends before it starts is a usage error', () => {
    const quiet: AnalyticsOutcome = {
      ...plausibleMonth(),
      weeks: [{ week: '2026-W49', since: '2026-12-02', until: '2026-12-03', rows: [] }],
    };
    const report = month(quiet, { since: '2026-12-02', until: '2026-12-03' });
    expect(report.posts).toEqual([]);
    expect(renderReportMarkdown(report)).toContain('No posts went out in this period.');
    expect(() => month(plausibleMonth(), { since: '2026-12-03', until: '2026-12-02' })).toThrow(UsageError);
    expect(() => month(plausibleMonth(), { since: '2026-11-31', until: '2026-12-02' })).toThrow(UsageError);
  });

  it('keeps writer text as text: an item id cannot break a table, a channel name cannot break a chart', () => {
    const item = 'social/a|b`<img src=x>@here #1';
    const records = [{ ...RECORDS[3]!, item, channel: 'x"\n```' }];
    const analytics = plausibleMonth();
    const report = month(analytics, { records });
    const md = renderReportMarkdown(report);
    expect(md).toContain('| `social/a\\|bˋ<img src=x>@here #1` |');
    expect(weeklyCharts(report)[0]).toContain('title "x: visitors per week"');
    expect(renderReportText(month(analytics, { records: [{ ...RECORDS[3]!, item: 'a\u001b[31mred' }] }))).toContain(
      'a?[31mred',
    );
  });
});

/**
 * A network's engagement is the sum of its accounts': the organisation's Mastodon answered, Alice's
 * did not. The network's numbers stay, marked as at least these, and the missing account is named.
 */
const ORG = ENGAGEMENT[0] as Extract<EngagementOutcome, { ok: true }>;
const ALICE_UNSET: EngagementOutcome = {
  channel: 'mastodon',
  account: 'alice-mastodon',
  ok: false,
  error: 'MASTODON_TOKEN_ALICE is not set',
  items: [LAUNCH],
};
const report = (engagement: EngagementOutcome[]) => month(undefined, { engagement });

describe('engagement of a network with several accounts', () => {
  it("adds up the accounts' numbers for the same item", () => {
    const alice: EngagementOutcome = {
      ...ORG,
      account: 'alice-mastodon',
      byItem: new Map([[LAUNCH, { replies: 1, reposts: 0, likes: 4 }]]),
    };
    const r = report([ORG, alice]);
    expect(r.engagement.mastodon).toBe('ok');
    const launch = r.posts.find((p) => p.item === LAUNCH && p.channel === 'mastodon')!;
    expect(launch.engagement).toEqual({ replies: 3, reposts: 5, likes: 15 });
    expect(launch.engagementPartial).toBe(false);
    expect(r.missing).toEqual([]);
  });

  it('keeps the numbers of the accounts that answered, marks them as at least these, and names the missing account', () => {
    const r = report([ORG, ALICE_UNSET]);
    expect(r.engagement.mastodon).toBe('partial');
    expect(r.missing).toEqual([
      { part: 'engagement', what: 'Mastodon engagement of alice-mastodon', reason: 'MASTODON_TOKEN_ALICE is not set' },
    ]);
    const launch = r.posts.find((p) => p.item === LAUNCH && p.channel === 'mastodon')!;
    const recipe = r.posts.find((p) => p.item === RECIPE && p.channel === 'mastodon')!;
    expect([launch.engagementPartial, recipe.engagementPartial]).toEqual([true, false]);
    expect(r.networks.find((n) => n.channel === 'mastodon')!.engagementPartial).toBe(true);

    const text = renderReportText(r);
    expect(text).toContain('Mastodon engagement of alice-mastodon: MASTODON_TOKEN_ALICE is not set');
    expect(text).toMatch(/social\/2026-11-03-launch +Mastodon .*≥ 2 replies, 5 reposts, 11 likes/);
    expect(text).toMatch(/social\/2026-11-10-recipe +Mastodon .* 0 replies, 1 repost, 3 likes/);
    expect(renderReportMarkdown(r)).toContain(
      '> - Mastodon engagement of alice-mastodon: MASTODON\\_TOKEN\\_ALICE is not set',
    );
    const json = reportJson(r) as {
      engagement: Record<string, string>;
      posts: { item: string; engagementPartial: boolean }[];
    };
    expect(json.engagement.mastodon).toBe('partial');
    expect(json.posts.filter((p) => p.engagementPartial).map((p) => p.item)).toEqual([LAUNCH]);
  });

  it('shows the network as unknown when none of its accounts answered', () => {
    const r = report([
      { ...ALICE_UNSET, account: 'mastodon', error: 'MASTODON_TOKEN is not set', items: [LAUNCH, RECIPE] },
      ALICE_UNSET,
    ]);
    expect(r.engagement.mastodon).toBe('missing');
    expect(r.posts.filter((p) => p.channel === 'mastodon').every((p) => p.engagement === null)).toBe(true);
    expect(r.missing.map((m) => m.what)).toEqual(['Mastodon engagement', 'Mastodon engagement of alice-mastodon']);
  });
});

describe('per account', () => {
  // Alice's own Mastodon account sent the launch too; her links carry utm_content=alice-mastodon.
  const accounts = accountsOf({
    channels: ['blog', 'x', 'mastodon', 'bluesky'],
    accounts: [
      {
        id: 'alice-mastodon',
        network: 'mastodon',
        owner: 'alice',
        credentials: { MASTODON_URL: 'MASTODON_URL_ALICE', MASTODON_TOKEN: 'MASTODON_TOKEN_ALICE' },
      },
    ],
  });
  const orgLaunch = RECORDS.find((r) => r.item === LAUNCH && r.channel === 'mastodon')!;
  const records = [...RECORDS, { ...orgLaunch, account: 'alice-mastodon', remoteId: 'alice-1' }];
  const byContent = (analytics: ConfiguredAnalytics): ConfiguredAnalytics => ({
    ...analytics,
    byContent: true,
    weeks: analytics.weeks.map((w) =>
      'rows' in w
        ? {
            ...w,
            byContent: w.week === '2026-W45' ? [{ source: 'mastodon', content: 'alice-mastodon', visitors: 4 }] : [],
          }
        : w,
    ),
  });
  const aliceEngagement: EngagementOutcome = {
    channel: 'mastodon',
    account: 'alice-mastodon',
    ok: true,
    byItem: new Map([[LAUNCH, { replies: 1, reposts: 0, likes: 6 }]]),
  };

  it('says what each account brought in: its posts, the visitors its utm_content brought, its engagement', () => {
    const r = month(byContent(plausibleMonth()), { records, accounts, engagement: [...ENGAGEMENT, aliceEngagement] });
    const alice = r.accounts.find((a) => a.account === 'alice-mastodon');
    expect(alice).toEqual({
      account: 'alice-mastodon',
      owner: 'alice',
      channel: 'mastodon',
      posts: 1,
      visitors: 4,
      counted: true,
      partial: false,
      engagement: { replies: 1, reposts: 0, likes: 6 },
    });
    // The organisation's implicit account tags no utm_content: its visitors are the network's only.
    expect(r.accounts.find((a) => a.account === 'mastodon')).toMatchObject({ owner: 'org', posts: 3, visitors: null });
    expect(r.accounts.map((a) => a.account)).toEqual(['x', 'mastodon', 'alice-mastodon', 'bluesky']);
    expect(r.notes.join('\n')).toContain('visitors counted for the network only: x, mastodon, bluesky.');
    const text = renderReportText(r);
    expect(text).toMatch(/BY ACCOUNT\n {2}Account +Owner +Network +Posts +Visitors +Engagement\n/);
    expect(text).toMatch(/alice-mastodon +@alice +Mastodon +1 +4 +1 reply, 0 reposts, 6 likes/);
    expect(text).toMatch(/ {2}mastodon +organisation +Mastodon +3 +– /);
    expect(renderReportMarkdown(r)).toContain(
      '| `alice-mastodon` | @alice | Mastodon | 1 | 4 | 1 reply, 0 reposts, 6 likes |',
    );
    expect((reportJson(r) as { accounts: unknown[] }).accounts).toContainEqual({ ...alice });
  });

  it("marks an account's visitors as at least these when a week is missing, and unknown where the tool cannot tell", () => {
    const failed = month(byContent(plausibleMonth({ '2026-W47': 'Plausible did not answer' })), { records, accounts });
    expect(failed.accounts.find((a) => a.account === 'alice-mastodon')).toMatchObject({ visitors: 4, partial: true });
    expect(renderReportText(failed)).toMatch(/alice-mastodon +@alice +Mastodon +1 +≥ 4/);

    const down = Object.fromEntries(plausibleMonth().weeks.map((w) => [w.week, 'Plausible did not answer']));
    const none = month(byContent(plausibleMonth(down)), { records, accounts });
    expect(none.accounts.find((a) => a.account === 'alice-mastodon')).toMatchObject({ visitors: null, counted: true });
    expect(renderReportText(none)).toMatch(/alice-mastodon +@alice +Mastodon +1 +\? /);

    const cannot = month(plausibleMonth(), { records, accounts });
    expect(cannot.accounts.find((a) => a.account === 'alice-mastodon')).toMatchObject({
      visitors: null,
      counted: false,
    });
    expect(renderReportText(cannot)).toMatch(/alice-mastodon +@alice +Mastodon +1 +– /);
    expect(cannot.notes.join('\n')).toContain("Plausible's API cannot break visits down by utm_content");
  });

  it('has no table per account while no listed account sent any of the posts (the networks say it all)', () => {
    expect(
      month(plausibleMonth(), { accounts: accountsOf({ channels: ['x', 'mastodon', 'bluesky'] }) }).accounts,
    ).toEqual([]);
    expect(month(plausibleMonth(), { accounts }).accounts).toEqual([]);
  });
});
