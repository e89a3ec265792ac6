import { type Day, weeksOf } from '../core/iso-week.ts';
import type { AnalyticsWeek, ConfiguredAnalytics } from '../core/report-types.ts';
import { type AnalyticsAdapter, AnalyticsError } from './analytics.ts';

/**
 * Asks the analytics tool for the report's period one ISO week at a time (each cut to the period),
 * so the report has its weekly totals and a week that fails costs only that week. After a failure
 * that would repeat (the tool down or slow, the key refused, the rate limit reached, the caller
 * stopping) the remaining weeks are not asked, each would only fail the same way after its own
 * timeout; they are marked with the same reason, which the report shows as one missing stretch.
 * A week refused for its own sake (a 4xx, an odd answer) does not stop the next.
 */
export async function collectVisits(
  adapter: AnalyticsAdapter,
  period: { since: Day; until: Day; signal?: AbortSignal },
  /** Ask for visits by utm_content too (the config lists accounts), where the tool can tell. */
  wantContent = false,
): Promise<ConfiguredAnalytics> {
  const byContent = wantContent && adapter.visitsByContent !== undefined;
  const weeks: AnalyticsWeek[] = [];
  let stoppedBy: string | null = null;
  for (const week of weeksOf(period)) {
    if (stoppedBy !== null) {
      weeks.push({ ...week, error: stoppedBy });
      continue;
    }
    try {
      const query = { since: week.since, until: week.until, ...(period.signal ? { signal: period.signal } : {}) };
      const rows = await adapter.visitsByCampaign(query);
      // A week is answered whole or not at all: its accounts' numbers add up to its networks'.
      const content = byContent ? { byContent: await adapter.visitsByContent!(query) } : {};
      weeks.push({ ...week, rows, ...content });
    } catch (error) {
      if (!(error instanceof AnalyticsError)) throw error;
      weeks.push({ ...week, error: error.message });
      if (error.kind !== 'rejected' && error.kind !== 'malformed') stoppedBy = error.message;
    }
  }
  return {
    configured: true,
    tool: adapter.name,
    measures: adapter.measures,
    cannot: adapter.cannot,
    weeks,
    ...(byContent ? { byContent } : {}),
  };
}
