import { dayAt } from './iso-week.ts';
import { tallyKey, tallyRows } from './report-outcome.ts';
import type { AgeTotal, AnalyticsOutcome, PostOutcome } from './report-types.ts';

/**
 * Visitors per post against time since it went out, in weeks: week 0 is the ISO week a post was
 * sent in, week 1 the next, and so on. It answers "how long does a post keep bringing readers?".
 * Only posts sent in the period count (an earlier one is listed only when it still brought
 * readers, which would flatter the later weeks), and each week only for the posts it covers and
 * the tool answered for: a post sent in the last week has a week 0 and nothing after it.
 */
export function visitorsByAge(
  analytics: AnalyticsOutcome,
  posts: readonly PostOutcome[],
  timeZone: string,
): AgeTotal[] {
  if (!analytics.configured) return [];
  const weeks = analytics.weeks;
  const tallies = weeks.map((w) => ('rows' in w ? tallyRows(w.rows) : null));
  const byAge: { posts: number; visitors: number }[] = [];
  for (const post of posts) {
    if (post.earlier) continue;
    const day = dayAt(post.sentAt, timeZone);
    const sentIn = weeks.findIndex((w) => w.since <= day && day <= w.until);
    if (sentIn < 0) continue;
    for (let i = sentIn; i < weeks.length; i++) {
      const tally = tallies[i];
      if (!tally) continue;
      const age = (byAge[i - sentIn] ??= { posts: 0, visitors: 0 });
      age.posts++;
      age.visitors += tally.get(tallyKey(post.item, post.channel))?.visitors ?? 0;
    }
  }
  return byAge.flatMap((a, weeksOut) =>
    a ? [{ weeksOut, posts: a.posts, visitors: a.visitors, perPost: a.visitors / a.posts }] : [],
  );
}
