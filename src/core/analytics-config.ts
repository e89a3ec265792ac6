import { z } from 'zod';

/**
 * `analytics:` in postgate.config.yaml: which tool counts the site's visitors, and its settings
 * that are not secrets. They serve twice: the site's layout writes the tool's tracking snippet
 * from them (src/site/analytics-snippet.ts), and `report` asks the tool's API with them, its key
 * coming from the environment only (src/analytics/from-env.ts).
 *
 * - tool: goatcounter, plausible, umami, or none (the default: no snippet, no visitors in reports).
 * - url: the tool's address. GoatCounter: `https://CODE.goatcounter.com` (required); Plausible:
 *   a self-hosted server (default https://plausible.io); Umami: a self-hosted server (default
 *   Umami Cloud). The environment's GOATCOUNTER_URL / PLAUSIBLE_URL / UMAMI_URL win for the API.
 * - siteId: Plausible's site (default: the site's domain); Umami's website id (required).
 * - script: the tracking script's address, when it is not the tool's usual one.
 * - xMetrics: read each X post's public_metrics in `report`. Off by default: X bills every read.
 */
export const ANALYTICS_TOOLS = ['goatcounter', 'plausible', 'umami', 'none'] as const;
export type AnalyticsTool = (typeof ANALYTICS_TOOLS)[number];

const httpsUrl = (what: string) =>
  z
    .string(`expected ${what}`)
    .trim()
    .url(`expected ${what}`)
    .refine((u) => /^https:\/\//.test(u), `expected ${what}, with https:// (the snippet is loaded by every reader)`)
    .transform((u) => u.replace(/\/+$/, ''));

export const analyticsConfigSchema = z
  .strictObject({
    tool: z.enum(ANALYTICS_TOOLS, `expected one of ${ANALYTICS_TOOLS.join(', ')}`).default('none'),
    url: httpsUrl("the analytics tool's address, e.g. https://CODE.goatcounter.com").optional(),
    siteId: z
      .string('expected the site as the tool knows it (Plausible: its domain; Umami: the website id)')
      .trim()
      .min(1, 'expected the site as the tool knows it (Plausible: its domain; Umami: the website id)')
      .regex(/^[^\s"'<>&]+$/, 'expected a site id without spaces, quotes or <, >, &')
      .optional(),
    script: httpsUrl("the tracking script's address").optional(),
    xMetrics: z.boolean('expected true or false').default(false),
  })
  .prefault({})
  .superRefine((a, ctx) => {
    if (a.tool === 'goatcounter' && !a.url)
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'GoatCounter needs its address: url: https://CODE.goatcounter.com (your site code)',
      });
    if (a.tool === 'umami' && !a.siteId)
      ctx.addIssue({
        code: 'custom',
        path: ['siteId'],
        message: "Umami needs the website's id: siteId: <the id in Umami's website settings>",
      });
  });

export type AnalyticsConfig = z.output<typeof analyticsConfigSchema>;
