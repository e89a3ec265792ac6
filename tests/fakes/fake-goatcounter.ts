import { json, localDay, RateLimit, type SeededVisit } from './fake-analytics.ts';
import { FakeService, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * A fake GoatCounter site (https://CODE.goatcounter.com) with the stats API Postgate reads, as
 * handlers/api.go in arp242/goatcounter answers it:
 *
 * - `GET /api/v0/stats/{page}` and `/api/v0/stats/{page}/{id}`: the page is checked first (400
 *   `{errors: {page: [...]}}` for one that does not exist), then the key; campaigns are listed as
 *   `{stats: [{id, name, count}], more}` and a campaign's sources as `{stats: [{name, count}], more}`,
 *   by count (then id or name), `limit` cut to 1..100 (never refused), `offset` for the next page;
 * - the key: `Authorization: Bearer <key>` or Basic with the key as password; 401 `{error}` (with
 *   `WWW-Authenticate`) for none, a bad format or an unknown key, 403 for a key without the
 *   statistics permission;
 * - `start`/`end`: `2006-01-02` (midnight UTC) or RFC 3339, turned into days in the user's time zone
 *   (`timeZone`, as `asUTCDate` does); 400 for anything else;
 * - 4 requests a second and 500 an hour per address: 429 with Retry-After and X-Rate-Limit-*;
 * - a body that is not `application/json`: 415; another method: 405.
 *
 * Counting as GoatCounter does: a visit counts for its campaign and source when it is the visitor's
 * first pageview of the day (a "first visit"); campaigns get ids in the order they were first seen.
 */
const PAGES = ['browsers', 'systems', 'locations', 'languages', 'sizes', 'campaigns', 'toprefs'];
const API_MAX = 100;

export class FakeGoatCounter extends FakeService {
  /** Key → whether it has the "read statistics" permission. */
  readonly keys = new Map<string, boolean>([['fake-goatcounter-key-2q2snk7c', true]]);
  /** The GoatCounter user's time zone setting: days are counted in it. */
  timeZone = 'UTC';
  readonly visits: SeededVisit[] = [];
  perSecond: RateLimit | null = new RateLimit(4, 1000);
  perHour: RateLimit | null = new RateLimit(500, 3_600_000);

  constructor() {
    super('goatcounter');
  }

  get key(): string {
    return [...this.keys.keys()][0]!;
  }

  seed(...visits: SeededVisit[]): void {
    this.visits.push(...visits);
  }

  /** Campaign name → id, in the order campaigns were first seen (GoatCounter inserts them so). */
  campaignIds(): Map<string, number> {
    const ids = new Map<string, number>();
    for (const v of [...this.visits].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)))
      if (v.campaign?.trim() && !ids.has(v.campaign.trim())) ids.set(v.campaign.trim(), ids.size + 1);
    return ids;
  }

  protected route(request: RecordedRequest): FakeResponse {
    const limited = this.rateLimit(request);
    if (limited) return limited;
    const match = /^\/api\/v0\/stats\/([^/]+)(?:\/([^/]+))?$/.exec(request.path);
    if (!match) return json(404, { error: 'not found' });
    if (request.method !== 'GET') return json(405, { error: 'method not allowed' });
    const ct = String(request.headers['content-type'] ?? '');
    if (request.body.length > 0 && !ct.startsWith('application/json'))
      return json(415, { error: 'unsupported media type' });
    const [, page, id] = match as unknown as [string, string, string | undefined];
    if (!PAGES.includes(page) || (id !== undefined && page === 'languages'))
      return json(400, { errors: { page: [`must be one of: ${PAGES.join(', ')}`] } });
    const denied = this.authenticate(request);
    if (denied) return denied;
    const range = this.range(request.query);
    if ('error' in range) return json(400, { error: range.error });
    const limit = Math.min(API_MAX, Math.max(1, Number(request.query.get('limit') ?? 20) || 1));
    const offset = Math.max(0, Number(request.query.get('offset') ?? 0) || 0);
    if (page !== 'campaigns') return json(200, { stats: [], more: false });
    const counts = this.counts(range);
    let stats: { id?: string; name: string; count: number }[];
    if (id === undefined) {
      const byCampaign = new Map<string, number>();
      for (const [key, n] of counts) {
        const campaign = key.split('\u0000')[0]!;
        byCampaign.set(campaign, (byCampaign.get(campaign) ?? 0) + n);
      }
      const ids = this.campaignIds();
      stats = [...byCampaign]
        .map(([name, count]) => ({ id: String(ids.get(name)), name, count }))
        .sort((a, b) => b.count - a.count || Number(a.id) - Number(b.id));
    } else {
      if (!/^\d+$/.test(id)) return json(400, { error: `strconv.ParseInt: parsing "${id}": invalid syntax` });
      const name = [...this.campaignIds()].find(([, n]) => String(n) === id)?.[0];
      stats = [...counts]
        .filter(([key]) => key.split('\u0000')[0] === name)
        .map(([key, count]) => ({ name: key.split('\u0000')[1]!, count }))
        .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
    }
    const slice = stats.slice(offset, offset + limit);
    return json(200, { stats: slice, more: stats.length > offset + limit });
  }

  /** (campaign, source) → first visits in the range of days. */
  private counts(range: { start: string; end: string }): Map<string, number> {
    const firstOfDay = new Map<string, SeededVisit>();
    for (const v of [...this.visits].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      const key = `${v.visitor}\u0000${localDay(Date.parse(v.at), this.timeZone)}`;
      if (!firstOfDay.has(key)) firstOfDay.set(key, v);
    }
    const counts = new Map<string, number>();
    for (const v of firstOfDay.values()) {
      const day = localDay(Date.parse(v.at), this.timeZone);
      if (!v.campaign?.trim() || day < range.start || day > range.end) continue;
      const key = `${v.campaign.trim()}\u0000${(v.source ?? '').trim()}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  private range(query: URLSearchParams): { start: string; end: string } | { error: string } {
    const day = (raw: string | null, fallback: number) => {
      if (raw === null || raw === '') return localDay(fallback, this.timeZone);
      if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return localDay(Date.parse(`${raw}T00:00:00Z`), this.timeZone);
      if (
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) &&
        Number.isFinite(Date.parse(raw))
      )
        return localDay(Date.parse(raw), this.timeZone);
      return null;
    };
    const start = day(query.get('start'), Date.now() - 7 * 86_400_000);
    const end = day(query.get('end'), Date.now());
    if (start === null || end === null) return { error: 'start and end must be a date (2006-01-02) or RFC 3339 time' };
    return { start, end };
  }

  private authenticate(request: RecordedRequest): FakeResponse | null {
    const unauthorized = (error: string) => json(401, { error }, { 'www-authenticate': 'Basic realm=GoatCounter' });
    const header = request.headers.authorization;
    if (!header) return unauthorized('no Authorization header');
    const parts = header.trim().split(/\s+/);
    if (parts.length !== 2) return unauthorized('wrong format for Authorization header');
    let key: string;
    if (parts[0] === 'Bearer') key = parts[1]!;
    else if (parts[0] === 'Basic')
      key = Buffer.from(parts[1]!, 'base64').toString('utf8').split(':').slice(1).join(':');
    else return unauthorized('wrong format for Authorization header');
    const canRead = this.keys.get(key);
    if (canRead === undefined) return unauthorized('unknown token');
    if (!canRead) return json(403, { error: 'requires read statistics permissions' });
    return null;
  }

  private rateLimit(request: RecordedRequest): FakeResponse | null {
    for (const limit of [this.perHour, this.perSecond]) {
      const waitMs = limit?.take() ?? 0;
      if (!waitMs) continue;
      const seconds = String(Math.ceil(waitMs / 1000));
      const headers = {
        'retry-after': seconds,
        'x-rate-limit-limit': String(limit!.limit),
        'x-rate-limit-remaining': '0',
        'x-rate-limit-reset': seconds,
      };
      const message = `rate limited exceeded; try again in ${seconds}s`;
      return String(request.headers['content-type'] ?? '').startsWith('application/json')
        ? json(429, { error: message }, headers)
        : { status: 429, body: `${message}\n`, headers };
    }
    return null;
  }
}
