import type { LedgerRecord } from '../../src/core/ledger.ts';
import { buildReport, type ReportInput } from '../../src/core/report.ts';
import type {
  AnalyticsOutcome,
  ConfiguredAnalytics,
  AnalyticsWeek,
  CampaignVisits,
  EngagementOutcome,
} from '../../src/core/report-types.ts';

/**
 * A seeded month for the report's tests: November 2026 on a site in Europe/Berlin (UTC+1 all
 * month), four items posted in it, one posted in October that still brings readers, one posted in
 * October that does not, one posted after the month, and the analytics tool's answers week by week.
 */
export const NOW = Date.parse('2026-12-01T08:00:00+01:00');
export const ZONE = 'Europe/Berlin';

const record = (item: string, channel: string, at: string, extra: Partial<LedgerRecord> = {}): LedgerRecord => ({
  v: 1,
  type: 'sent',
  item,
  channel,
  part: 0,
  parts: 1,
  remoteId: `${channel}-${item}-${extra.part ?? 0}`,
  url: `https://${channel}.example/${item}`,
  at,
  hash: '',
  sentAt: at,
  ...extra,
});

export const LAUNCH = 'social/2026-11-03-launch';
export const RECIPE = 'social/2026-11-10-recipe';
export const VOLUNTEERS = 'social/2026-11-17-volunteers';
export const APPEAL = 'social/2026-11-29-appeal';
export const OLD = 'social/2026-10-20-old';
const QUIET = 'social/2026-10-25-quiet';
const NEXT = 'social/2026-12-01-next';

export const RECORDS: LedgerRecord[] = [
  record(OLD, 'x', '2026-10-20T10:00:00+02:00'),
  record(QUIET, 'mastodon', '2026-10-25T10:00:00+01:00'),
  record('launch', 'blog', '2026-11-03T09:00:00+01:00'),
  record(LAUNCH, 'x', '2026-11-03T09:34:00+01:00', { parts: 2, due: '2026-11-03T09:30:00+01:00' }),
  record(LAUNCH, 'x', '2026-11-03T09:34:05+01:00', { part: 1, parts: 2, due: '2026-11-03T09:30:00+01:00' }),
  record(LAUNCH, 'mastodon', '2026-11-03T09:30:20+01:00', { due: '2026-11-03T09:30:00+01:00' }),
  record(LAUNCH, 'bluesky', '2026-11-03T09:31:00+01:00', { due: '2026-11-03T09:30:00+01:00' }),
  record(RECIPE, 'x', '2026-11-10T12:00:00+01:00', { due: '2026-11-10T12:00:00+01:00' }),
  record(RECIPE, 'mastodon', '2026-11-10T12:01:00+01:00', { due: '2026-11-10T12:00:00+01:00' }),
  record(VOLUNTEERS, 'mastodon', '2026-11-17T08:00:00+01:00'),
  record(VOLUNTEERS, 'bluesky', '2026-11-17T08:02:00+01:00'),
  { ...record(VOLUNTEERS, 'mastodon', '2026-11-18T09:00:00+01:00'), type: 'retracted' },
  record(APPEAL, 'x', '2026-11-29T18:00:00+01:00', { due: '2026-11-29T16:00:00+01:00' }),
  record(NEXT, 'x', '2026-12-01T07:00:00+01:00'),
];

const row = (campaign: string, source: string, visitors: number, visits = visitors, signup = 0): CampaignVisits => ({
  campaign,
  source,
  visitors,
  visits,
  conversions: signup ? { Signup: signup } : {},
});

export const WEEK_ROWS: Record<string, CampaignVisits[]> = {
  '2026-W44': [row(OLD, 'x', 3)],
  '2026-W45': [
    row(LAUNCH, 'x', 40, 45, 2),
    row(LAUNCH, 'mastodon', 25, 27),
    row(LAUNCH, 'bluesky', 12, 13),
    row(OLD, 'x', 5),
    row('newsletter-nov', 'email', 30),
    row(LAUNCH, 'linkedin', 4),
  ],
  '2026-W46': [
    row(LAUNCH, 'x', 6),
    row(LAUNCH, 'mastodon', 3),
    row(RECIPE, 'x', 10, 11, 1),
    row(RECIPE, 'mastodon', 14, 15),
  ],
  '2026-W47': [row(RECIPE, 'x', 2), row(VOLUNTEERS, 'bluesky', 9), row(VOLUNTEERS, 'mastodon', 7)],
  '2026-W48': [row(VOLUNTEERS, 'bluesky', 1), row(APPEAL, 'x', 3)],
  '2026-W49': [row(APPEAL, 'x', 11)],
};

const RANGES: [string, string, string][] = [
  ['2026-W44', '2026-11-01', '2026-11-01'],
  ['2026-W45', '2026-11-02', '2026-11-08'],
  ['2026-W46', '2026-11-09', '2026-11-15'],
  ['2026-W47', '2026-11-16', '2026-11-22'],
  ['2026-W48', '2026-11-23', '2026-11-29'],
  ['2026-W49', '2026-11-30', '2026-11-30'],
];

/** The month as Plausible answers it (visitors, visits and a Signup goal); `failed` weeks did not answer. */
export function plausibleMonth(failed: Record<string, string> = {}): ConfiguredAnalytics {
  const weeks: AnalyticsWeek[] = RANGES.map(([week, since, until]) =>
    failed[week] ? { week, since, until, error: failed[week] } : { week, since, until, rows: WEEK_ROWS[week]! },
  );
  return {
    configured: true,
    tool: 'Plausible',
    measures: { visits: true, conversions: true },
    cannot: [],
    weeks,
  };
}

export const ENGAGEMENT: EngagementOutcome[] = [
  {
    channel: 'mastodon',
    account: 'mastodon',
    ok: true,
    byItem: new Map([
      [LAUNCH, { replies: 2, reposts: 5, likes: 11 }],
      [RECIPE, { replies: 0, reposts: 1, likes: 3 }],
    ]),
  },
  {
    channel: 'bluesky',
    account: 'bluesky',
    ok: false,
    error: 'Bluesky did not answer (timed out after 15 s)',
    items: [],
  },
];

/** The month's report, with the month's engagement unless `more` says otherwise. */
export const monthReport = (analytics: AnalyticsOutcome = plausibleMonth(), more: Partial<ReportInput> = {}) =>
  buildReport({
    now: NOW,
    timeZone: ZONE,
    since: '2026-11-01',
    until: '2026-11-30',
    records: RECORDS,
    analytics,
    engagement: ENGAGEMENT,
    ...more,
  });
