import type { AnalyticsConfig } from '../core/analytics-config.ts';
import type { DayRange } from '../core/iso-week.ts';
import type { AnalyticsOutcome } from '../core/report-types.ts';
import { collectVisits } from './collect.ts';
import { analyticsFromEnv } from './from-env.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The report's visitors: from the tool `analytics:` names, its key from the environment. A tool
 * not chosen, or chosen without its key, is not an error: the report still comes out and says
 * what is missing and how to set it up.
 */
export async function siteVisits(
  analytics: AnalyticsConfig,
  env: Env,
  site: { url: string; timeZone: string },
  period: DayRange & { signal?: AbortSignal },
  timeoutMs?: number,
  /** The config lists accounts: ask for visits by utm_content too. */
  byContent = false,
): Promise<AnalyticsOutcome> {
  if (analytics.tool === 'none')
    return {
      configured: false,
      reason:
        'no analytics tool is set up: choose GoatCounter, Plausible or Umami in postgate.config.yaml (analytics.tool; README: Outcomes)',
    };
  const found = analyticsFromEnv(analytics.tool, env, {
    timeZone: site.timeZone,
    siteDomain: new URL(site.url).hostname,
    settings: { url: analytics.url, siteId: analytics.siteId },
    ...(timeoutMs ? { timeoutMs } : {}),
  });
  if (!found.ok) return { configured: false, reason: found.problem };
  return collectVisits(found.adapter, period, byContent);
}
