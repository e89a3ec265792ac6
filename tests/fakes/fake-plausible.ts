import { distinct, json, localDay, RateLimit, type SeededVisit, visitId } from './fake-analytics.ts';
import { FakeService, type FakeResponse, type RecordedRequest } from './fake-server.ts';
import { dimensionOf, type PlausibleQuery, validatePlausibleQuery } from './fake-plausible-query.ts';

/**
 * A fake Plausible (cloud or Community Edition) with the Stats API v2, `POST /api/v2/query`, as
 * PlausibleWeb.Plugs.AuthorizePublicAPI and the query parser answer it:
 *
 * - `Authorization: Bearer <key>`: none → 401 "Missing API key…"; an unknown key, a site it
 *   cannot read or a site that does not exist → 401 "Invalid API key or site ID…"; no `site_id` →
 *   400; a plan without the Stats API → 402; past the key's hourly limit (600) → 429;
 * - the query is checked as the API does (fake-plausible-query.ts): unknown keys, metrics,
 *   dimensions, filters, date ranges and pagination, session metrics with event dimensions → 400
 *   `{error}`;
 * - results: `{results: [{dimensions, metrics}], meta: {}, query}`, ordered by the first metric
 *   (descending), paginated; dates are the site's days in its time zone (`timeZone`); visit
 *   dimensions are the visit's own, and `event:goal` groups the visits that reached each goal.
 */
export class FakePlausible extends FakeService {
  /** Key → the sites (domains) it may read. */
  readonly keys = new Map<string, string[]>([['fake-plausible-key-Hq3kZ0', ['example.org']]]);
  readonly sites = new Set(['example.org']);
  /** Goals configured for the site (display names). */
  readonly goals = new Set<string>(['Signup']);
  timeZone = 'UTC';
  statsApi = true;
  readonly visits: SeededVisit[] = [];
  hourly = new Map<string, RateLimit>();
  hourlyLimit = 600;

  constructor() {
    super('plausible');
  }

  get key(): string {
    return [...this.keys.keys()][0]!;
  }

  seed(...visits: SeededVisit[]): void {
    this.visits.push(...visits);
  }

  protected route(request: RecordedRequest): FakeResponse {
    if (request.path !== '/api/v2/query' || request.method !== 'POST') return json(404, { error: 'Not found' });
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Bearer '))
      return json(401, { error: 'Missing API key. Please use a valid Plausible API key as a Bearer Token.' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return json(400, { error: 'Invalid JSON in request body' });
    }
    const key = header.slice('Bearer '.length).trim();
    const readable = this.keys.get(key);
    const invalid = () =>
      json(401, {
        error:
          "Invalid API key or site ID. Please make sure you're using a valid API key with access to the site you've requested.",
      });
    if (!readable) return invalid();
    let limit = this.hourly.get(key);
    if (!limit) this.hourly.set(key, (limit = new RateLimit(this.hourlyLimit, 3_600_000)));
    if (limit.take())
      return json(429, {
        error: `Too many API requests. Your API key is limited to ${this.hourlyLimit} requests per hour. Please contact us to request more capacity.`,
      });
    const site = body.site_id;
    if (site === undefined || site === null)
      return json(400, { error: 'Missing site ID. Please provide the required site_id parameter with your request.' });
    if (typeof site !== 'string' || !this.sites.has(site) || !readable.includes(site)) return invalid();
    if (!this.statsApi)
      return json(402, {
        error:
          "The account that owns this API key does not have access to Stats API. Please make sure you're using the API key of a subscriber account and that the subscription plan includes Stats API",
      });
    const checked = validatePlausibleQuery(body, this.goals);
    if ('error' in checked) return json(400, { error: checked.error });
    return json(200, { results: this.results(checked), meta: {}, query: body });
  }

  private results(q: PlausibleQuery): { dimensions: string[]; metrics: number[] }[] {
    const inRange = this.visits.filter((v) => {
      const day = localDay(Date.parse(v.at), this.timeZone);
      return day >= q.since && day <= q.until && q.filters.every((f) => f(v));
    });
    const groups = new Map<string, { dimensions: string[]; visits: SeededVisit[] }>();
    for (const v of inRange) {
      const goalValues = q.dimensions.includes('event:goal') ? (v.goals ?? []).filter((g) => this.goals.has(g)) : [''];
      for (const goal of goalValues) {
        const dimensions = q.dimensions.map((d) => (d === 'event:goal' ? goal : dimensionOf(v, d)));
        // Plausible leaves out a visit without a value for a visit:utm_* dimension it groups by.
        if (dimensions.some((value) => value === '')) continue;
        const key = JSON.stringify(dimensions);
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { dimensions, visits: [] }));
        group.visits.push(v);
      }
    }
    const rows = [...groups.values()].map((g) => ({
      dimensions: g.dimensions,
      metrics: q.metrics.map((m) => metricOf(g.visits, m)),
    }));
    rows.sort((a, b) => b.metrics[0]! - a.metrics[0]! || (a.dimensions.join() < b.dimensions.join() ? -1 : 1));
    return rows.slice(q.offset, q.offset + q.limit);
  }
}

function metricOf(visits: readonly SeededVisit[], metric: string): number {
  if (metric === 'visitors') return distinct(visits.map((v) => v.visitor));
  if (metric === 'visits') return distinct(visits.map(visitId));
  if (metric === 'pageviews' || metric === 'events') return visits.reduce((n, v) => n + (v.pageviews ?? 1), 0);
  return 0;
}
