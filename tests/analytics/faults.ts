import { expect, it } from 'vitest';
import { type AnalyticsAdapter, AnalyticsError, type AnalyticsFailure } from '../../src/analytics/analytics.ts';
import type { SeededVisit } from '../fakes/fake-analytics.ts';
import type { FakeServer } from '../fakes/fake-server.ts';

/**
 * The bad days every adapter must turn into a short AnalyticsError naming its tool, never a raw
 * exception: the tool down, slow, refusing the key, rate-limiting, answering 5xx or not-JSON, and
 * the caller giving up. `setup` gives a fresh fake (started, seeded) and an adapter on it with a
 * short timeout.
 */
export interface FaultWorld {
  server: FakeServer;
  adapter: AnalyticsAdapter;
  /** Makes the fake refuse the credentials as the real tool would (a wrong key, a revoked token). */
  revoke: () => void;
}

export const QUERY = { since: '2026-11-02', until: '2026-11-08' };

/**
 * Visits through accounts' links (utm_content = the account's id), for the adapters that can break
 * visits down by it: Alice's Mastodon links brought two visitors (one of them twice), Jonas's Bluesky
 * link one; a newsletter link with her utm_content is not a social visit.
 */
export const ACCOUNT_VISITS: SeededVisit[] = [
  {
    at: '2026-11-03T12:00:00+01:00',
    visitor: 'gil',
    campaign: 'social/launch',
    source: 'mastodon',
    content: 'alice-mastodon',
  },
  {
    at: '2026-11-04T12:00:00+01:00',
    visitor: 'hal',
    campaign: 'social/recipe',
    source: 'mastodon',
    content: 'alice-mastodon',
  },
  {
    at: '2026-11-04T13:00:00+01:00',
    visitor: 'gil',
    campaign: 'social/recipe',
    source: 'mastodon',
    content: 'alice-mastodon',
  },
  {
    at: '2026-11-04T12:00:00+01:00',
    visitor: 'ivy',
    campaign: 'social/launch',
    source: 'bluesky',
    content: 'jonas-bluesky',
  },
  {
    at: '2026-11-04T12:00:00+01:00',
    visitor: 'jo',
    campaign: 'november',
    source: 'newsletter',
    content: 'alice-mastodon',
  },
].map((v) => ({ ...v, medium: v.source === 'newsletter' ? 'email' : 'social' }));

/** What ACCOUNT_VISITS come to, by source and utm_content. */
export const ACCOUNT_VISITORS = [
  { source: 'mastodon', content: 'alice-mastodon', visitors: 2 },
  { source: 'bluesky', content: 'jonas-bluesky', visitors: 1 },
];

export async function failure(promise: Promise<unknown>): Promise<AnalyticsError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AnalyticsError);
  return error as AnalyticsError;
}

export function faultSuite(name: string, world: () => FaultWorld, expected: { rateLimitedStatusBody?: unknown } = {}) {
  const expectKind = async (w: FaultWorld, kind: AnalyticsFailure, pattern: RegExp, query = QUERY) => {
    const error = await failure(w.adapter.visitsByCampaign(query));
    expect(error.kind).toBe(kind);
    expect(error.tool).toBe(name);
    expect(error.message).toMatch(pattern);
    return error;
  };

  it('names a refused key (401) as an auth failure', async () => {
    const w = world();
    w.revoke();
    const error = await expectKind(w, 'auth', new RegExp(`^${name} refused the credentials \\(401`));
    expect(error.status).toBe(401);
  });

  it('waits out a short Retry-After and asks again (a read is safe to repeat)', async () => {
    const w = world();
    w.server.inject({ respond: { status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } } });
    await expect(w.adapter.visitsByCampaign(QUERY)).resolves.toBeInstanceOf(Array);
  });

  it('gives up on a long Retry-After, saying how long the tool asks to wait', async () => {
    const w = world();
    w.server.inject({
      respond: {
        status: 429,
        headers: { 'retry-after': '3600' },
        body: expected.rateLimitedStatusBody ?? { error: 'slow down' },
      },
    });
    const error = await expectKind(
      w,
      'rate-limited',
      new RegExp(`^${name} is rate-limiting the API key \\(429; it asks to wait 3600 s\\)$`),
    );
    expect(error.retryAfterMs).toBe(3_600_000);
  });

  it('reports a 5xx as the tool being unavailable', async () => {
    const w = world();
    w.server.inject({ times: 5, respond: { status: 502, body: '<html><h1>502 Bad Gateway</h1></html>' } });
    await expectKind(w, 'unavailable', new RegExp(`^${name} answered 502 \\(502 Bad Gateway\\)$`));
  });

  it('reports a tool that is down', async () => {
    const w = world();
    await w.server.stop();
    await expectKind(w, 'unavailable', new RegExp(`^could not reach ${name} \\(ECONNREFUSED\\)$`));
  });

  it('reports a success that is not JSON as malformed', async () => {
    const w = world();
    w.server.inject({ respond: { status: 200, body: '{"stats": [' } });
    await expectKind(w, 'malformed', new RegExp(`^${name} answered 200 with something that is not JSON$`));
  });

  it('reports JSON that is not what the API promises as malformed', async () => {
    const w = world();
    w.server.inject({ respond: { status: 200, body: { unexpected: true } } });
    await expectKind(w, 'malformed', new RegExp(`^${name} answered without`));
  });

  it('stops waiting for a slow tool at the timeout', async () => {
    const w = world();
    w.server.inject({ hang: true });
    await expectKind(w, 'timeout', new RegExp(`^${name} did not answer within 300 ms$`));
  });

  it('stops when the caller aborts', async () => {
    const w = world();
    w.server.inject({ hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(w.adapter.visitsByCampaign({ ...QUERY, signal: controller.signal }));
    expect(error.kind).toBe('aborted');
  });

  it('never shows a credential, even when the tool echoes it', async () => {
    const w = world();
    const secret = (w.adapter as unknown as { client: { secrets: string[] } }).client.secrets[0]!;
    w.server.inject({ respond: { status: 400, body: { error: `bad request for ${secret}` } } });
    const error = await expectKind(
      w,
      'rejected',
      new RegExp(`^${name} refused the request \\(400: bad request for \\[redacted\\]\\)`),
    );
    expect(error.message).not.toContain(secret);
  });
}
