import type { AnalyticsConfig } from '../core/analytics-config.ts';

/**
 * The tracking script of the analytics tool `analytics:` names, as each tool documents it, or null
 * when analytics is off: then the site loads no script at all. All three count without cookies; the
 * tag carries public ids only (GoatCounter's address, the site's domain, Umami's website id), never
 * a key. Each reads the UTM tags Postgate puts on its links from the page's address.
 *
 * - GoatCounter: `<script data-goatcounter="https://CODE.goatcounter.com/count" async src="//gc.zgo.at/count.js">`
 * - Plausible: `<script defer data-domain="example.org" src="https://plausible.io/js/script.js">`
 * - Umami: `<script defer src="https://cloud.umami.is/script.js" data-website-id="…">`
 */
export interface TrackingScript {
  src: string;
  /** `async` for GoatCounter, `defer` for the others, as their snippets have it. */
  loading: 'async' | 'defer';
  /** The data-* attributes that tell the script which site it counts. */
  data: Record<string, string>;
}

export function trackingScript(analytics: AnalyticsConfig, siteUrl: string): TrackingScript | null {
  const { tool, url, siteId, script } = analytics;
  if (tool === 'goatcounter' && url)
    return {
      src: script ?? 'https://gc.zgo.at/count.js',
      loading: 'async',
      data: { 'data-goatcounter': `${url}/count` },
    };
  if (tool === 'plausible')
    return {
      src: script ?? `${url ?? 'https://plausible.io'}/js/script.js`,
      loading: 'defer',
      data: { 'data-domain': siteId ?? new URL(siteUrl).hostname },
    };
  if (tool === 'umami' && siteId)
    return {
      src: script ?? (url ? `${url}/script.js` : 'https://cloud.umami.is/script.js'),
      loading: 'defer',
      data: { 'data-website-id': siteId },
    };
  return null;
}
