import { ANALYTICS_URL_VARIABLES, insecureBaseUrlProblem } from '../core/base-url.ts';
import type { AnalyticsAdapter, AnalyticsToolId } from './analytics.ts';
import { GoatCounter } from './goatcounter.ts';
import { Plausible, PLAUSIBLE_CLOUD } from './plausible.ts';
import { Umami, UMAMI_CLOUD, type UmamiAuth } from './umami.ts';

/**
 * The analytics adapter for the tool the config names, from the environment (secrets never on the
 * command line). Every address follows the base-URL rule: https://, or http:// to this machine only.
 *
 * - GoatCounter: `GOATCOUNTER_URL` (`https://CODE.goatcounter.com`), `GOATCOUNTER_TOKEN` (an API key
 *   with "read statistics").
 * - Plausible: `PLAUSIBLE_API_KEY` (a Stats API key), `PLAUSIBLE_SITE_ID` (default: the site's
 *   domain), `PLAUSIBLE_URL` (default `https://plausible.io`; a self-hosted server's address).
 * - Umami: `UMAMI_WEBSITE_ID`, and `UMAMI_API_KEY` (Umami Cloud; `UMAMI_URL` defaults to
 *   `https://api.umami.is/v1`), or `UMAMI_URL` with `UMAMI_TOKEN` or `UMAMI_USERNAME` and
 *   `UMAMI_PASSWORD` (self-hosted).
 *
 * The config's `analytics.url` and `analytics.siteId` (not secrets) stand in for the address and
 * site variables when those are not set.
 */

export type AnalyticsFromEnv = { ok: true; adapter: AnalyticsAdapter } | { ok: false; problem: string };

export interface AnalyticsEnvOptions {
  timeZone: string;
  /** The site's domain (from site.url): Plausible's site id unless PLAUSIBLE_SITE_ID says otherwise. */
  siteDomain?: string;
  /** `analytics:` in the config: its url and siteId stand in for the variables that are not set. */
  settings?: { url?: string | undefined; siteId?: string | undefined };
  timeoutMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function analyticsFromEnv(tool: AnalyticsToolId, env: Env, options: AnalyticsEnvOptions): AnalyticsFromEnv {
  const fromConfig: Record<string, string | undefined> = {
    GOATCOUNTER_URL: options.settings?.url,
    PLAUSIBLE_URL: options.settings?.url,
    PLAUSIBLE_SITE_ID: options.settings?.siteId,
    UMAMI_URL: options.settings?.url,
    UMAMI_WEBSITE_ID: options.settings?.siteId,
  };
  const get = (name: string) => env[name]?.trim() || fromConfig[name] || undefined;
  const missing = (names: string[], how: string): AnalyticsFromEnv => ({
    ok: false,
    problem: `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} not set: ${how}`,
  });
  const insecure = ANALYTICS_URL_VARIABLES.map((name) => insecureBaseUrlProblem(name, env[name])).find(
    (p) => p !== null,
  );
  if (insecure) return { ok: false, problem: insecure };
  const common = { timeZone: options.timeZone, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  try {
    if (tool === 'goatcounter') {
      const need = ['GOATCOUNTER_URL', 'GOATCOUNTER_TOKEN'].filter((n) => !get(n));
      if (need.length)
        return missing(
          need,
          "GoatCounter's address (https://CODE.goatcounter.com) and an API key that can read statistics",
        );
      return {
        ok: true,
        adapter: new GoatCounter({ ...common, baseUrl: get('GOATCOUNTER_URL')!, token: get('GOATCOUNTER_TOKEN')! }),
      };
    }
    if (tool === 'plausible') {
      const siteId = get('PLAUSIBLE_SITE_ID') ?? options.siteDomain;
      const need = [
        ...(get('PLAUSIBLE_API_KEY') ? [] : ['PLAUSIBLE_API_KEY']),
        ...(siteId ? [] : ['PLAUSIBLE_SITE_ID']),
      ];
      if (need.length) return missing(need, 'a Plausible Stats API key, and the site as it was added to Plausible');
      return {
        ok: true,
        adapter: new Plausible({
          ...common,
          baseUrl: get('PLAUSIBLE_URL') ?? PLAUSIBLE_CLOUD,
          apiKey: get('PLAUSIBLE_API_KEY')!,
          siteId: siteId!,
        }),
      };
    }
    const websiteId = get('UMAMI_WEBSITE_ID');
    const auth: UmamiAuth | null = get('UMAMI_API_KEY')
      ? { apiKey: get('UMAMI_API_KEY')! }
      : get('UMAMI_TOKEN')
        ? { token: get('UMAMI_TOKEN')! }
        : get('UMAMI_USERNAME') && get('UMAMI_PASSWORD')
          ? { username: get('UMAMI_USERNAME')!, password: get('UMAMI_PASSWORD')! }
          : null;
    const baseUrl = get('UMAMI_URL') ?? (auth && 'apiKey' in auth ? UMAMI_CLOUD : undefined);
    const need = [
      ...(websiteId ? [] : ['UMAMI_WEBSITE_ID']),
      ...(auth ? [] : ['UMAMI_API_KEY (Umami Cloud) or UMAMI_TOKEN or UMAMI_USERNAME with UMAMI_PASSWORD']),
      ...(baseUrl ? [] : ['UMAMI_URL']),
    ];
    if (need.length) return missing(need, "the website's id in Umami, and how to sign in to its API");
    return { ok: true, adapter: new Umami({ ...common, baseUrl: baseUrl!, websiteId: websiteId!, auth: auth! }) };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}
