import { randomUUID } from 'node:crypto';
import { distinct, json, RateLimit, type SeededVisit, visitId } from './fake-analytics.ts';
import { FakeService, type FakeResponse, type RecordedRequest, jsonBody } from './fake-server.ts';

/**
 * A fake Umami, self-hosted (API under `/api`, login tokens) or Cloud (API under `/v1`, keys in
 * `x-umami-api-key`, 50 requests per 15 s), as src/app/api in umami-software/umami answers:
 *
 * - `POST /api/auth/login` `{username, password}` → `{token, user}`; wrong → 401
 *   `{error: {message: "Unauthorized", code: "incorrect-username-password", status: 401}}`;
 * - `GET …/websites/{id}/metrics/expanded`: the query is checked first (startAt+endAt or
 *   startDate+endDate, `type`, numeric limit/offset → else 400 `{error: {code: "bad-request"}}`),
 *   then the credentials (401), then whether the user can view the website (401 too); a `type`
 *   that is no column → 400. Rows `{name, pageviews, visitors, visits, bounces, totaltime}` by
 *   visitors then visits, no empty names, limit 500 by default;
 * - filters as query parameters, `eq.a,b` (a list), `neq.`, `c.` (contains), or a bare value (eq);
 *   the UTM types and filters are utmSource, utmMedium, utmCampaign and utmContent (its filter
 *   parameters as the API's contract lists them);
 * - `version: '3.0'` is a server before UTM columns: `type=utmSource` is refused and the UTM
 *   filters are dropped by its query schema, as 3.0 does.
 *
 * Counting as Umami does: a visitor is a session (`session_id`), a visit a `visit_id`; only the
 * visit's landing pageview carries the link's UTM values.
 */
const UTM = { utmSource: 'source', utmMedium: 'medium', utmCampaign: 'campaign', utmContent: 'content' } as const;
type UtmColumn = keyof typeof UTM;

export class FakeUmami extends FakeService {
  readonly mode: 'self-hosted' | 'cloud';
  version: '3.1' | '3.0' = '3.1';
  readonly users = new Map([['admin', 'umami-fake-password-9x']]);
  /** Bearer tokens accepted (login tokens are added as they are issued). */
  readonly tokens = new Set<string>();
  /** Umami Cloud API keys. */
  readonly apiKeys = new Set(['fake-umami-cloud-key-4b1d']);
  /** Websites the user can view. */
  readonly websites = new Set(['5a1f0c4e-2b8d-4d3e-9f6a-7c2b1e0d9a34']);
  readonly visits: SeededVisit[] = [];
  cloudLimit = new RateLimit(50, 15_000);

  constructor(mode: 'self-hosted' | 'cloud' = 'self-hosted') {
    super('umami');
    this.mode = mode;
  }

  get websiteId(): string {
    return [...this.websites][0]!;
  }

  /** The API root the adapter is given. */
  get apiRoot(): string {
    return `${this.url}${this.mode === 'cloud' ? '/v1' : '/api'}`;
  }

  seed(...visits: SeededVisit[]): void {
    this.visits.push(...visits);
  }

  protected route(request: RecordedRequest): FakeResponse {
    const prefix = this.mode === 'cloud' ? '/v1' : '/api';
    if (!request.path.startsWith(`${prefix}/`))
      return json(404, { error: { message: 'Not found', code: 'not-found', status: 404 } });
    const path = request.path.slice(prefix.length);
    if (this.mode === 'cloud' && this.cloudLimit.take()) return { status: 429, body: 'Too Many Requests' };
    if (path === '/auth/login' && request.method === 'POST' && this.mode === 'self-hosted') return this.login(request);
    const metrics = /^\/websites\/([^/]+)\/metrics\/expanded$/.exec(path);
    if (metrics && request.method === 'GET') return this.metrics(request, metrics[1]!);
    return json(404, { error: { message: 'Not found', code: 'not-found', status: 404 } });
  }

  private login(request: RecordedRequest): FakeResponse {
    let body: Record<string, unknown>;
    try {
      body = jsonBody(request);
    } catch {
      body = {};
    }
    if (typeof body.username !== 'string' || typeof body.password !== 'string') return badRequest();
    if (this.users.get(body.username) !== body.password) return unauthorized('incorrect-username-password');
    const token = `eyJ.fake.${randomUUID()}`;
    this.tokens.add(token);
    return json(200, {
      token,
      user: {
        id: randomUUID(),
        username: body.username,
        role: 'admin',
        createdAt: '2026-01-01T00:00:00.000Z',
        isAdmin: true,
      },
    });
  }

  private metrics(request: RecordedRequest, websiteId: string): FakeResponse {
    const q = request.query;
    const num = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
    const startAt = num('startAt');
    const endAt = num('endAt');
    const limit = num('limit') ?? 500;
    const offset = num('offset') ?? 0;
    const hasDates = q.has('startDate') && q.has('endDate');
    if (![startAt, endAt, limit, offset].every((n) => n === undefined || Number.isFinite(n))) return badRequest();
    if (!q.get('type') || ((startAt === undefined || endAt === undefined) && !hasDates)) return badRequest();
    if (!this.authorized(request)) return unauthorized('unauthorized');
    if (!this.websites.has(websiteId)) return unauthorized('unauthorized');
    const type = q.get('type')!;
    const columns: readonly string[] = this.version === '3.1' ? Object.keys(UTM) : [];
    if (!columns.includes(type)) return type === 'path' || type === 'referrer' ? json(200, []) : badRequest();
    const filters = columns.flatMap((column) => {
      const raw = q.get(column);
      return raw === null ? [] : [filterOf(column as UtmColumn, raw)];
    });
    const from = startAt ?? Date.parse(q.get('startDate')!);
    const to = endAt ?? Date.parse(q.get('endDate')!);
    const landing = this.visits.filter((v) => {
      const at = Date.parse(v.at);
      return at >= from && at <= to && filters.every((f) => f(v));
    });
    const groups = new Map<string, SeededVisit[]>();
    for (const v of landing) {
      const name = v[UTM[type as UtmColumn]] ?? '';
      if (!name) continue;
      groups.set(name, [...(groups.get(name) ?? []), v]);
    }
    const rows = [...groups].map(([name, visits]) => ({
      name,
      pageviews: visits.reduce((n, v) => n + (v.pageviews ?? 1), 0),
      visitors: distinct(visits.map((v) => v.visitor)),
      visits: distinct(visits.map(visitId)),
      bounces: visits.filter((v) => (v.pageviews ?? 1) === 1).length,
      totaltime: 0,
    }));
    rows.sort((a, b) => b.visitors - a.visitors || b.visits - a.visits);
    return json(200, rows.slice(offset, offset + limit));
  }

  private authorized(request: RecordedRequest): boolean {
    if (this.mode === 'cloud') return this.apiKeys.has(String(request.headers['x-umami-api-key'] ?? ''));
    // Umami reads the second word of the header, whatever the first.
    const token = String(request.headers.authorization ?? '').split(' ')[1];
    return token !== undefined && this.tokens.has(token);
  }
}

function filterOf(column: UtmColumn, raw: string): (v: SeededVisit) => boolean {
  const [, op = 'eq', value = raw] = /^(eq|neq|c|dnc)\.(.*)$/s.exec(raw) ?? [];
  const field = UTM[column];
  if (op === 'eq' || op === 'neq') {
    const list = value.split(',');
    return (v) => list.includes(v[field] ?? '') === (op === 'eq');
  }
  return (v) => (v[field] ?? '').includes(value) === (op === 'c');
}

const badRequest = () => json(400, { error: { message: 'Bad request', code: 'bad-request', status: 400 } });
const unauthorized = (code: string) => json(401, { error: { message: 'Unauthorized', code, status: 401 } });
