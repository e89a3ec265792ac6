import { UsageError } from './errors.ts';
import { dayBounds, isDay, type Day } from './iso-week.ts';
import type { LedgerRecord } from './ledger.ts';
import { addEngagement, engagementByChannel, engagementStatus } from './engagement.ts';
import {
  accountOutcomes,
  byNetworkOrder,
  lateness,
  ledgerPosts,
  type LedgerPost,
  type ReportAccount,
} from './report-posts.ts';
import { measuresOf, outcomeOf, perPost, sumOutcomes, tallyKey, tallyRows, type Tally } from './report-outcome.ts';
import { accountNotes, missingParts, reportNotes } from './report-missing.ts';
import { visitorsByAge } from './report-age.ts';
import type {
  AnalyticsOutcome,
  EngagementOutcome,
  ItemOutcome,
  NetworkTotal,
  PostOutcome,
  Report,
  WeekTotal,
} from './report-types.ts';

/**
 * What each post brought in (issue 17): from the ledger, every social post with when it went out
 * and how late; from the site's analytics, the visitors that arrived with its `utm_campaign` (the
 * item's id) and `utm_source` (the network); from the networks, engagement, second. Totals per
 * network and per ISO week, and the items that brought the most and the fewest readers per post.
 *
 * Pure: the clock (`now`) and every number come in. A part that is missing (a tool not set up, a
 * week it did not answer, a network that did not answer) is named in `missing` and shown as
 * unknown, never as zero.
 */
export interface ReportInput {
  now: number;
  /** The site's IANA zone: days and weeks are the site's. */
  timeZone: string;
  since: Day;
  until: Day;
  records: readonly LedgerRecord[];
  analytics: AnalyticsOutcome;
  engagement?: readonly EngagementOutcome[];
  /** The config's accounts (src/core/accounts.ts): with any listed in `accounts:`, the report has a table per account. */
  accounts?: readonly ReportAccount[];
}

/** How many items the best and worst lists show. */
export const RANKED = 3;
/** A post younger than this has not had its chance yet: it is never called one of the worst. */
export const TOO_NEW_MS = 2 * 86_400_000;

export function buildReport(input: ReportInput): Report {
  const { since, until, timeZone } = input;
  if (!isDay(since) || !isDay(until))
    throw new UsageError(`expected days written YYYY-MM-DD, found ${since} and ${until}`);
  if (since > until) throw new UsageError(`the period starts (${since}) after it ends (${until})`);
  const start = dayBounds(since, timeZone).start;
  const end = dayBounds(until, timeZone).end;

  const analytics = input.analytics;
  const measures = measuresOf(analytics);
  const weeks = analytics.configured ? analytics.weeks : [];
  const totals = new Map<string, Tally>();
  for (const week of weeks) if ('rows' in week) tallyRows(week.rows, totals);
  // A week the tool did not answer counts for the posts that were out before it ended.
  const failedEnds = weeks.filter((w) => 'error' in w).map((w) => dayBounds(w.until, timeZone).end);
  const partialFor = (sentAt: number) => failedEnds.some((weekEnd) => weekEnd > sentAt);

  const { byChannel: engagement, unread } = engagementByChannel(input.engagement ?? []);

  const ledger = ledgerPosts(input.records, end);
  const posts: PostOutcome[] = [];
  for (const post of ledger) {
    const outcome = outcomeOf(totals.get(tallyKey(post.item, post.channel)), measures, partialFor(post.sentAt));
    const earlier = post.sentAt < start;
    if (earlier && !(outcome.visitors ?? 0)) continue;
    const known = engagement.get(post.channel)?.get(post.item) ?? null;
    const partial = known !== null && (unread.get(post.channel)?.has(post.item) ?? false);
    posts.push({ ...post, lateMs: lateness(post), earlier, outcome, engagement: known, engagementPartial: partial });
  }
  posts.sort((a, b) => a.sentAt - b.sentAt || cmp(a.item, b.item) || byNetworkOrder(a.channel, b.channel));

  const anyFailed = failedEnds.length > 0;
  const channels = [...new Set(posts.map((p) => p.channel))].sort(byNetworkOrder);
  const items = itemOutcomes(posts, ledger, totals, measures, anyFailed);
  const networks: NetworkTotal[] = channels.map((channel) => {
    const mine = posts.filter((p) => p.channel === channel);
    const outcome = sumOutcomes(
      mine.map((p) => p.outcome),
      measures,
      anyFailed,
    );
    const known = mine.map((p) => p.engagement).filter((e) => e !== null);
    return {
      channel,
      posts: mine.length,
      outcome,
      perPost: perPost(outcome, mine.length),
      engagement: known.length ? known.reduce(addEngagement) : null,
      engagementPartial:
        known.length > 0 && mine.some((p) => p.engagementPartial || (p.engagement === null && !p.retracted)),
    };
  });

  const ranked = items.filter(
    (i) => i.perPost !== null && !i.outcome.partial && posts.every((p) => p.item !== i.item || !p.earlier),
  );
  const best = [...ranked].sort((a, b) => b.perPost! - a.perPost! || cmp(a.item, b.item)).slice(0, RANKED);
  const worst = ranked
    .filter((i) => !best.includes(i) && lastSent(posts, i.item) <= input.now - TOO_NEW_MS)
    .sort((a, b) => a.perPost! - b.perPost! || cmp(a.item, b.item))
    .slice(0, RANKED);

  // Only when a listed account sent some of the posts: otherwise the networks' table says it all.
  const declared = (input.accounts ?? []).filter((a) => a.declared).map((a) => a.id);
  const perAccount = declared.length
    ? accountOutcomes(input.records, posts, input.accounts ?? [], analytics, input.engagement ?? [], end)
    : [];
  const accounts = perAccount.some((a) => declared.includes(a.account)) ? perAccount : [];

  const goals = new Set<string>();
  for (const t of totals.values()) for (const goal of Object.keys(t.conversions)) goals.add(goal);

  return {
    since,
    until,
    timeZone,
    generatedAt: input.now,
    analytics: analytics.configured
      ? { tool: analytics.tool, measures: analytics.measures, cannot: analytics.cannot }
      : null,
    channels,
    engagement: Object.fromEntries(channels.map((c) => [c, engagementStatus(input.engagement ?? [], c)])),
    goals: [...goals].sort(cmp),
    posts,
    items,
    networks,
    accounts,
    weeks: weekTotals(analytics, posts),
    byAge: visitorsByAge(analytics, posts, timeZone),
    best,
    worst,
    missing: missingParts(analytics, input.engagement ?? [], channels),
    notes: [...reportNotes(analytics), ...accountNotes(analytics, accounts, input.accounts ?? [])],
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function lastSent(posts: readonly PostOutcome[], item: string): number {
  return Math.max(...posts.filter((p) => p.item === item).map((p) => p.sentAt));
}

function itemOutcomes(
  posts: readonly PostOutcome[],
  ledger: readonly LedgerPost[],
  totals: ReadonlyMap<string, Tally>,
  measures: ReturnType<typeof measuresOf>,
  anyFailed: boolean,
): ItemOutcome[] {
  const ids = [...new Set(posts.map((p) => p.item))];
  return ids.map((item) => {
    const mine = posts.filter((p) => p.item === item);
    const outcome = sumOutcomes(
      mine.map((p) => p.outcome),
      measures,
      anyFailed,
    );
    const postedTo = new Set(ledger.filter((p) => p.item === item).map((p) => p.channel));
    const otherSources = [...totals]
      .map(([key, tally]) => {
        const [campaign, source] = key.split('\u0000') as [string, string];
        return { campaign, source, visitors: tally.visitors };
      })
      .filter((r) => r.campaign === item && !postedTo.has(r.source) && r.source !== '' && r.visitors > 0)
      .map(({ source, visitors }) => ({ source, visitors }))
      .sort((a, b) => b.visitors - a.visitors || cmp(a.source, b.source));
    return {
      item,
      posts: mine.length,
      firstSentAt: Math.min(...mine.map((p) => p.sentAt)),
      outcome,
      perPost: perPost(outcome, mine.length),
      otherSources,
    };
  });
}

/** Visitors per network per week, from the same posts the report lists (so the weeks add up to the totals). */
function weekTotals(analytics: AnalyticsOutcome, posts: readonly PostOutcome[]): WeekTotal[] {
  if (!analytics.configured) return [];
  const listed = new Set(posts.map((p) => tallyKey(p.item, p.channel)));
  return analytics.weeks.map((week) => {
    const range = { week: week.week, since: week.since, until: week.until };
    if ('error' in week) return { ...range, byChannel: null, total: null };
    const byChannel: Record<string, number> = {};
    for (const [key, tally] of tallyRows(week.rows)) {
      if (!listed.has(key)) continue;
      const channel = key.split('\u0000')[1]!;
      byChannel[channel] = (byChannel[channel] ?? 0) + tally.visitors;
    }
    return { ...range, byChannel, total: Object.values(byChannel).reduce((a, b) => a + b, 0) };
  });
}
