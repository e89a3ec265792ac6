import type { CampaignVisits, ContentVisits } from '../core/report-types.ts';
import {
  type AdapterOptions,
  type AnalyticsAdapter,
  AnalyticsError,
  POSTGATE_MEDIUM,
  type VisitsQuery,
} from './analytics.ts';
import { allPages, joinUrl, requestJson, type ToolClient, toolBaseUrl } from './http.ts';

/**
 * Plausible, cloud or self-hosted (Community Edition), through the Stats API v2
 * (https://plausible.io/docs/stats-api): one endpoint, `POST /api/v2/query`, with
 * `Authorization: Bearer <Stats API key>` and a JSON query:
 *
 *     { "site_id": "example.org", "date_range": ["2026-11-02", "2026-11-08"],
 *       "metrics": ["visitors", "visits"],
 *       "dimensions": ["visit:utm_campaign", "visit:utm_source"],
 *       "filters": [["is", "visit:utm_medium", ["social"]]],
 *       "pagination": { "limit": 10000, "offset": 0 } }
 *
 * answered with `{results: [{dimensions: [...], metrics: [...]}], meta, query}`. Dates are the
 * site's days in its Plausible time zone; `visit:utm_*` are the values on a visit's first page.
 * Conversions: the same query with `event:goal` as a third dimension and `visitors` (a goal's
 * "uniques"); a site without goals gets none. 400 `{error}` for a query the API does not take,
 * 401 for a wrong key or a site the key cannot read, 402 when the plan has no Stats API, 429 past
 * the key's hourly limit (600 by default).
 */
export interface PlausibleOptions extends AdapterOptions {
  /** `https://plausible.io` (the default) or the self-hosted server's address. */
  baseUrl?: string;
  /** A Stats API key. */
  apiKey: string;
  /** The site's domain as it was added to Plausible. */
  siteId: string;
}

export const PLAUSIBLE_CLOUD = 'https://plausible.io';
export const PLAUSIBLE_PAGE = 10_000;

type ResultRow = { dimensions: string[]; metrics: number[] };

export class Plausible implements AnalyticsAdapter {
  readonly tool = 'plausible';
  readonly name = 'Plausible';
  readonly measures = { visits: true, conversions: true };
  readonly cannot = [
    'Plausible credits a goal to the link only when it is reached in the visit that came through it, not on a later return.',
  ];
  private readonly base: URL;
  private readonly client: ToolClient;
  private readonly options: PlausibleOptions;

  constructor(options: PlausibleOptions) {
    this.options = options;
    this.base = toolBaseUrl(this.name, options.baseUrl ?? PLAUSIBLE_CLOUD);
    this.client = { name: this.name, secrets: [options.apiKey], options };
  }

  async visitsByCampaign(query: VisitsQuery): Promise<CampaignVisits[]> {
    const dimensions = ['visit:utm_campaign', 'visit:utm_source'];
    const visits = await this.query(query, ['visitors', 'visits'], dimensions);
    const goals = await this.query(query, ['visitors'], [...dimensions, 'event:goal']);
    const rows = new Map<string, CampaignVisits>();
    for (const r of visits) {
      const [campaign, source] = r.dimensions as [string, string];
      if (!campaign || !source) continue;
      rows.set(`${campaign}\u0000${source}`, {
        campaign,
        source,
        visitors: r.metrics[0]!,
        visits: r.metrics[1]!,
        conversions: {},
      });
    }
    for (const r of goals) {
      const [campaign, source, goal] = r.dimensions as [string, string, string];
      const row = rows.get(`${campaign}\u0000${source}`);
      if (row && goal) row.conversions![goal] = r.metrics[0]!;
    }
    return [...rows.values()];
  }

  /** Visitors by `visit:utm_source` and `visit:utm_content`: a declared account's links carry its id as utm_content. */
  async visitsByContent(query: VisitsQuery): Promise<ContentVisits[]> {
    const rows = await this.query(query, ['visitors'], ['visit:utm_source', 'visit:utm_content']);
    return rows
      .map((r) => ({ source: r.dimensions[0]!, content: r.dimensions[1]!, visitors: r.metrics[0]! }))
      .filter((r) => r.source && r.content);
  }

  private async query(query: VisitsQuery, metrics: string[], dimensions: string[]): Promise<ResultRow[]> {
    return allPages(PLAUSIBLE_PAGE, async (offset) => {
      const body = await requestJson(this.client, joinUrl(this.base, '/api/v2/query'), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.apiKey}` },
        body: {
          site_id: this.options.siteId,
          date_range: [query.since, query.until],
          metrics,
          dimensions,
          filters: [['is', 'visit:utm_medium', [POSTGATE_MEDIUM]]],
          pagination: { limit: PLAUSIBLE_PAGE, offset },
        },
        ...(query.signal ? { signal: query.signal } : {}),
      });
      const results = this.results(body, metrics.length, dimensions.length);
      return { rows: results, more: results.length === PLAUSIBLE_PAGE };
    });
  }

  private results(body: unknown, metrics: number, dimensions: number): ResultRow[] {
    const results = (body as { results?: unknown } | null)?.results;
    const ok =
      Array.isArray(results) &&
      results.every(
        (r: { dimensions?: unknown; metrics?: unknown }) =>
          Array.isArray(r?.dimensions) &&
          r.dimensions.length === dimensions &&
          r.dimensions.every((d) => typeof d === 'string') &&
          Array.isArray(r.metrics) &&
          r.metrics.length === metrics &&
          r.metrics.every((m) => typeof m === 'number' && Number.isFinite(m)),
      );
    if (!ok)
      throw new AnalyticsError(
        this.name,
        'malformed',
        `${this.name} answered without the results its Stats API promises`,
      );
    return results as ResultRow[];
  }
}
