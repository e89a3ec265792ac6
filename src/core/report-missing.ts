import { networkName } from './report-posts.ts';
import type { ReportAccount } from './report-posts.ts';
import type { AccountOutcome, AnalyticsOutcome, EngagementOutcome, MissingPart } from './report-types.ts';

/**
 * What the report could not get, named so that nobody reads an unknown as a zero: the analytics
 * tool not set up, the weeks it did not answer (consecutive weeks with the same reason as one
 * line), and the accounts whose engagement did not come back.
 */
export function missingParts(
  analytics: AnalyticsOutcome,
  engagement: readonly EngagementOutcome[],
  channels: readonly string[],
): MissingPart[] {
  const missing: MissingPart[] = [];
  if (!analytics.configured) {
    missing.push({ part: 'analytics', what: 'visitors from the site', reason: analytics.reason });
  } else {
    const runs: { first: string; last: string; reason: string }[] = [];
    let previousFailed = false;
    for (const week of analytics.weeks) {
      const last = runs.at(-1);
      if (!('error' in week)) previousFailed = false;
      else if (previousFailed && last?.reason === week.error) last.last = week.week;
      else {
        runs.push({ first: week.week, last: week.week, reason: week.error });
        previousFailed = true;
      }
    }
    for (const run of runs) {
      const weeks = run.first === run.last ? `week ${run.first}` : `weeks ${run.first} to ${run.last}`;
      missing.push({ part: 'analytics', what: `${analytics.tool}, ${weeks}`, reason: run.reason });
    }
  }
  // Per account: the network's other accounts still count, so the account is named, not the network.
  for (const e of engagement) {
    if (e.ok || !channels.includes(e.channel)) continue;
    const whose = e.account === e.channel ? '' : ` of ${e.account}`;
    missing.push({ part: 'engagement', what: `${networkName(e.channel)} engagement${whose}`, reason: e.error });
  }
  return missing;
}

export function reportNotes(analytics: AnalyticsOutcome): string[] {
  const notes = [
    "A post's visitors are those who arrived through one of its links: utm_campaign is the item's id, utm_source the network.",
  ];
  if (!analytics.configured) return notes;
  notes.push(...analytics.cannot);
  if (analytics.weeks.length > 1)
    notes.push(
      `${analytics.tool} counts visitors week by week, and the report adds the weeks up: someone who came back in a later week counts again.`,
    );
  return notes;
}

/** Why an account's visitors are unknown, said once: the tool cannot tell, or its links carry no utm_content. */
export function accountNotes(
  analytics: AnalyticsOutcome,
  shown: readonly AccountOutcome[],
  accounts: readonly ReportAccount[],
): string[] {
  if (!shown.length) return [];
  const notes = [
    "An account's visitors are those who arrived through its links: utm_source is its network, utm_content its id (accounts listed in accounts: only).",
  ];
  if (analytics.configured && !analytics.byContent)
    notes.push(
      `${analytics.tool}'s API cannot break visits down by utm_content, so visitors per account are not known (Plausible and Umami can).`,
    );
  const untagged = shown.filter((a) => !accounts.some((c) => c.id === a.account && c.declared)).map((a) => a.account);
  if (untagged.length)
    notes.push(
      `Not listed in accounts: (or no longer), so no utm_content on their links, and visitors counted for the network only: ${untagged.join(', ')}.`,
    );
  return notes;
}
