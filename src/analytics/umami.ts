import { dayBounds } from '../core/iso-week.ts';
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
 * Umami, Cloud or self-hosted, through its API (https://umami.is/docs/api; src/app/api in
 * umami-software/umami): `GET /websites/{id}/metrics/expanded?startAt&endAt&type&limit&offset`,
 * with filters as query parameters, answers `[{name, pageviews, visitors, visits, bounces,
 * totaltime}]` (limit 500 by default). `type=utmSource` and `type=utmCampaign`, and the filters
 * `utmSource`/`utmMedium`, exist since Umami 3.1; an older server answers 400. A filter value is
 * `eq.<value>` (a comma would make it a list, so a source with one is skipped: it is not Postgate's).
 * So: the sources of visits with utm_medium=social, then each source's campaigns.
 *
 * The API root is `https://api.umami.is/v1` for Umami Cloud, with the API key in `x-umami-api-key`
 * (50 requests per 15 s); `https://<server>/api` for a self-hosted Umami, with `Authorization:
 * Bearer <token>`: a token from `POST /api/auth/login` (`{username, password}` → `{token}`), which
 * the adapter gets itself when given a username and password. An address with no path gets `/api`.
 * 401 for a wrong token and for a website the user cannot view alike.
 *
 * `@umami/api-client` is not used. Its 0.81 (2026-09) is generated from Umami's OpenAPI contract
 * and has no dependencies, but it is 2.7 MB for the two calls needed here, a timeout surfaces from
 * it as a bare AbortError rather than a typed error, and it does not read Retry-After; its 0.80
 * signed self-hosted tokens with the server's APP_SECRET, which must never leave that server. The
 * three tools share one small fetch wrapper (http.ts) with the same errors instead.
 */
export type UmamiAuth = { apiKey: string } | { token: string } | { username: string; password: string };

export interface UmamiOptions extends AdapterOptions {
  /** The API root: `https://api.umami.is/v1` (Cloud) or `https://stats.example.org/api` (self-hosted). */
  baseUrl: string;
  websiteId: string;
  auth: UmamiAuth;
}

export const UMAMI_CLOUD = 'https://api.umami.is/v1';
export const UMAMI_PAGE = 500;

interface MetricRow {
  name: string;
  visitors: number;
  visits: number;
}

export class Umami implements AnalyticsAdapter {
  readonly tool = 'umami';
  readonly name = 'Umami';
  readonly measures = { visits: true, conversions: false };
  readonly cannot = [
    "Umami's API cannot split goals by utm_campaign and utm_source, so there are no conversions.",
    'Umami gives UTM numbers from version 3.1 on.',
  ];
  private readonly root: URL;
  private readonly client: ToolClient;
  private readonly options: UmamiOptions;
  private loginToken: string | undefined;

  constructor(options: UmamiOptions) {
    this.options = options;
    const base = toolBaseUrl(this.name, options.baseUrl);
    this.root = base.pathname === '/' ? new URL('/api', base) : base;
    const a = options.auth;
    this.client = {
      name: this.name,
      secrets: 'apiKey' in a ? [a.apiKey] : 'token' in a ? [a.token] : [a.password],
      options,
    };
  }

  async visitsByCampaign(query: VisitsQuery): Promise<CampaignVisits[]> {
    const rows: CampaignVisits[] = [];
    for (const [source, c] of await this.bySource(query, 'utmCampaign'))
      rows.push({ campaign: c.name, source, visitors: c.visitors, visits: c.visits });
    return rows;
  }

  /** `type=utmContent` per source (the filter `utmContent` and the type are Umami's, beside utmCampaign). */
  async visitsByContent(query: VisitsQuery): Promise<ContentVisits[]> {
    return (await this.bySource(query, 'utmContent')).map(([source, c]) => ({
      source,
      content: c.name,
      visitors: c.visitors,
    }));
  }

  /** The sources of visits with utm_medium=social, then each source's rows of `type`. */
  private async bySource(query: VisitsQuery, type: 'utmCampaign' | 'utmContent'): Promise<[string, MetricRow][]> {
    const { start } = dayBounds(query.since, this.options.timeZone);
    const { end } = dayBounds(query.until, this.options.timeZone);
    const range = { startAt: start, endAt: end - 1, utmMedium: `eq.${POSTGATE_MEDIUM}` };
    let sources: MetricRow[];
    try {
      sources = await this.metrics({ ...range, type: 'utmSource' }, query.signal);
    } catch (error) {
      if (error instanceof AnalyticsError && error.status === 400)
        throw new AnalyticsError(
          this.name,
          'rejected',
          `${error.message}; UTM numbers need Umami 3.1 or later (type=utmSource)`,
          { status: 400 },
        );
      throw error;
    }
    const rows: [string, MetricRow][] = [];
    for (const source of sources) {
      if (!source.name || source.name.includes(',')) continue;
      const found = await this.metrics({ ...range, type, utmSource: `eq.${source.name}` }, query.signal);
      for (const row of found) if (row.name) rows.push([source.name, row]);
    }
    return rows;
  }

  private async metrics(params: Record<string, string | number>, signal?: AbortSignal): Promise<MetricRow[]> {
    const path = `/websites/${encodeURIComponent(this.options.websiteId)}/metrics/expanded`;
    return allPages(UMAMI_PAGE, async (offset) => {
      const headers = await this.authHeaders(signal);
      const url = joinUrl(this.root, path, { ...params, limit: UMAMI_PAGE, offset });
      const page = this.parse(await requestJson(this.client, url, { headers, ...(signal ? { signal } : {}) }));
      return { rows: page, more: page.length === UMAMI_PAGE };
    });
  }

  private async authHeaders(signal?: AbortSignal): Promise<Record<string, string>> {
    const a = this.options.auth;
    if ('apiKey' in a) return { 'x-umami-api-key': a.apiKey };
    if ('token' in a) return { authorization: `Bearer ${a.token}` };
    if (!this.loginToken) {
      const body = await requestJson(this.client, joinUrl(this.root, '/auth/login'), {
        method: 'POST',
        body: { username: a.username, password: a.password },
        ...(signal ? { signal } : {}),
      });
      const token = (body as { token?: unknown } | null)?.token;
      if (typeof token !== 'string' || !token)
        throw new AnalyticsError(this.name, 'malformed', `${this.name} answered the login without a token`);
      this.loginToken = token;
      this.client.secrets.push(token);
    }
    return { authorization: `Bearer ${this.loginToken}` };
  }

  private parse(body: unknown): MetricRow[] {
    const ok =
      Array.isArray(body) &&
      body.every(
        (r: { name?: unknown; visitors?: unknown; visits?: unknown }) =>
          r !== null &&
          typeof r === 'object' &&
          (typeof r.name === 'string' || r.name === null) &&
          Number.isFinite(Number(r.visitors)) &&
          Number.isFinite(Number(r.visits)),
      );
    if (!ok)
      throw new AnalyticsError(this.name, 'malformed', `${this.name} answered without the metrics its API promises`);
    // Counts may come as strings (64-bit integers, as some databases give them).
    return (body as { name: string | null; visitors: unknown; visits: unknown }[]).map((r) => ({
      name: r.name ?? '',
      visitors: Number(r.visitors),
      visits: Number(r.visits),
    }));
  }
}
