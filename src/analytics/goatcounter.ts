import { localInstant } from '../core/iso-week.ts';
import type { CampaignVisits } from '../core/report-types.ts';
import { formatOffset, offsetAt, wallTimeAt } from '../core/time-zone.ts';
import { type AdapterOptions, type AnalyticsAdapter, AnalyticsError, type VisitsQuery } from './analytics.ts';
import { allPages, defaultSleep, joinUrl, requestJson, type ToolClient, toolBaseUrl } from './http.ts';

/**
 * GoatCounter (https://www.goatcounter.com/help/api, handlers/api.go in arp242/goatcounter):
 *
 * - `GET /api/v0/stats/campaigns?start&end&limit&offset` lists campaigns (`{stats: [{id, name,
 *   count}], more}`), a campaign being the `utm_campaign` (or `campaign`) of a pageview's URL;
 * - `GET /api/v0/stats/campaigns/{id}?start&end&limit&offset` lists one campaign's sources
 *   (`{stats: [{name, count}], more}`), a source being its `utm_source` (or `ref`, `src`, `source`;
 *   without one, the referring site).
 *
 * `count` is visitors: a visitor's first pageview of a day (a "first visit"), summed per day.
 * `Authorization: Bearer <key>` (a key with the "read statistics" permission); 401 for a missing or
 * unknown key, 403 without the permission. `limit` is at most 100 (more is cut to 100), `more` says
 * another page follows. The API allows 4 requests a second and 500 an hour per address, and answers
 * 429 with `Retry-After` (seconds) beyond: the adapter keeps 260 ms between requests.
 *
 * `start` and `end` are read as times and turned into days in the GoatCounter user's time zone
 * (`asUTCDate`): a bare date is midnight UTC, which is the day before in any zone west of UTC. So
 * each day is sent as noon in the site's time zone, with its offset (`2026-11-02T12:00:00-05:00`),
 * which names the same day in any zone within 12 hours of the site's.
 */
export interface GoatCounterOptions extends AdapterOptions {
  /** The site's GoatCounter address: `https://CODE.goatcounter.com`, or a self-hosted one. */
  baseUrl: string;
  /** An API key with the "read statistics" permission. */
  token: string;
  /** Pause between two requests (default 260 ms, within the 4 a second GoatCounter allows). */
  minIntervalMs?: number;
}

export const GOATCOUNTER_PAGE = 100;
const MIN_INTERVAL_MS = 260;

export class GoatCounter implements AnalyticsAdapter {
  readonly tool = 'goatcounter';
  readonly name = 'GoatCounter';
  readonly measures = { visits: false, conversions: false };
  readonly cannot = [
    'GoatCounter counts visitors (the first pageview of a visitor in a day), not visits, and has no goals, so no conversions.',
    'GoatCounter cannot filter on utm_medium: every link with the item as utm_campaign counts.',
  ];
  private readonly base: URL;
  private readonly client: ToolClient;
  private readonly options: GoatCounterOptions;
  private lastRequestAt = 0;

  constructor(options: GoatCounterOptions) {
    this.options = options;
    this.base = toolBaseUrl(this.name, options.baseUrl);
    this.client = { name: this.name, secrets: [options.token], options };
  }

  async visitsByCampaign(query: VisitsQuery): Promise<CampaignVisits[]> {
    const range = { start: this.day(query.since), end: this.day(query.until) };
    const campaigns = await this.pages('/api/v0/stats/campaigns', range, query.signal, true);
    const rows: CampaignVisits[] = [];
    for (const campaign of campaigns) {
      if (campaign.count <= 0) continue;
      const sources = await this.pages(
        `/api/v0/stats/campaigns/${encodeURIComponent(campaign.id!)}`,
        range,
        query.signal,
        false,
      );
      for (const source of sources)
        if (source.name.trim() && source.count > 0)
          rows.push({ campaign: campaign.name, source: source.name, visitors: source.count });
    }
    return rows;
  }

  /** Noon of `day` in the site's zone, as RFC 3339 with the offset (see above). */
  private day(day: string): string {
    const zone = this.options.timeZone;
    const noon = localInstant(day, zone, 12);
    const w = wallTimeAt(zone, noon);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:00${formatOffset(offsetAt(zone, noon))}`;
  }

  private async pages(
    path: string,
    range: { start: string; end: string },
    signal: AbortSignal | undefined,
    withId: boolean,
  ): Promise<{ id?: string; name: string; count: number }[]> {
    return allPages(GOATCOUNTER_PAGE, async (offset) => {
      await this.pace(signal);
      const url = joinUrl(this.base, path, { ...range, limit: GOATCOUNTER_PAGE, offset });
      const body = await requestJson(this.client, url, {
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        ...(signal ? { signal } : {}),
      });
      const page = this.parse(body, withId);
      return { rows: page.stats, more: page.more && page.stats.length > 0 };
    });
  }

  private parse(
    body: unknown,
    withId: boolean,
  ): { stats: { id?: string; name: string; count: number }[]; more: boolean } {
    const b = body as { stats?: unknown; more?: unknown } | null;
    const ok =
      b !== null &&
      typeof b === 'object' &&
      Array.isArray(b.stats) &&
      b.stats.every(
        (s: { id?: unknown; name?: unknown; count?: unknown }) =>
          s !== null &&
          typeof s === 'object' &&
          typeof s.name === 'string' &&
          typeof s.count === 'number' &&
          Number.isFinite(s.count) &&
          (!withId || typeof s.id === 'string' || typeof s.id === 'number'),
      );
    if (!ok)
      throw new AnalyticsError(
        this.name,
        'malformed',
        `${this.name} answered without the list of stats its API promises`,
      );
    const stats = (b.stats as { id?: string | number; name: string; count: number }[]).map((s) => ({
      ...(s.id === undefined ? {} : { id: String(s.id) }),
      name: s.name,
      count: s.count,
    }));
    return { stats, more: b.more === true };
  }

  private async pace(signal: AbortSignal | undefined): Promise<void> {
    const gap = this.options.minIntervalMs ?? MIN_INTERVAL_MS;
    const wait = this.lastRequestAt + gap - Date.now();
    if (wait > 0) {
      const sleep = this.options.sleep ?? defaultSleep;
      try {
        await sleep(wait, signal);
      } catch {
        throw new AnalyticsError(this.name, 'aborted', `stopped while asking ${this.name}`);
      }
    }
    this.lastRequestAt = Date.now();
  }
}
