import type { AnalyticsMeasures, AnalyticsOutcome, CampaignVisits, Outcome } from './report-types.ts';

/**
 * Adding up analytics rows: per (campaign, source) over the weeks the tool answered, and the
 * Outcome a post, item, network or week shows. Numbers the tool does not have stay null, never 0.
 */
export interface Tally {
  visitors: number;
  visits: number;
  conversions: Record<string, number>;
}

export const tallyKey = (campaign: string, source: string) => `${campaign}\u0000${source}`;

export const emptyTally = (): Tally => ({ visitors: 0, visits: 0, conversions: {} });

export function addRow(tally: Tally, row: Pick<CampaignVisits, 'visitors' | 'visits' | 'conversions'>): void {
  tally.visitors += row.visitors;
  tally.visits += row.visits ?? 0;
  for (const [goal, n] of Object.entries(row.conversions ?? {}))
    tally.conversions[goal] = (tally.conversions[goal] ?? 0) + n;
}

/** (campaign, source) → the sum of its rows. Values are trimmed as the tools store them (GoatCounter trims). */
export function tallyRows(rows: readonly CampaignVisits[], into = new Map<string, Tally>()): Map<string, Tally> {
  for (const row of rows) {
    const key = tallyKey(row.campaign.trim(), row.source.trim());
    let tally = into.get(key);
    if (!tally) into.set(key, (tally = emptyTally()));
    addRow(tally, row);
  }
  return into;
}

/** The measures the numbers have: none when there are no numbers. */
export function measuresOf(analytics: AnalyticsOutcome): AnalyticsMeasures | null {
  if (!analytics.configured || !analytics.weeks.some((w) => 'rows' in w)) return null;
  return analytics.measures;
}

export function outcomeOf(tally: Tally | undefined, measures: AnalyticsMeasures | null, partial: boolean): Outcome {
  if (!measures) return { visitors: null, visits: null, conversions: null, partial: false };
  const t = tally ?? emptyTally();
  return {
    visitors: t.visitors,
    visits: measures.visits ? t.visits : null,
    conversions: measures.conversions ? { ...t.conversions } : null,
    partial,
  };
}

export function sumOutcomes(
  outcomes: readonly Outcome[],
  measures: AnalyticsMeasures | null,
  partial: boolean,
): Outcome {
  const tally = emptyTally();
  for (const o of outcomes)
    addRow(tally, { visitors: o.visitors ?? 0, visits: o.visits ?? 0, conversions: o.conversions ?? {} });
  return outcomeOf(tally, measures, partial || outcomes.some((o) => o.partial));
}

export function perPost(outcome: Outcome, posts: number): number | null {
  return outcome.visitors === null || posts === 0 ? null : outcome.visitors / posts;
}
