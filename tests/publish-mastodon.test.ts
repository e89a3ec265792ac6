import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS } from './fakes/fake-mastodon.ts';
import { type MastodonOnly, startMastodonOnly } from './helpers/mastodon-only.ts';

/**
 * `publish` to Mastodon end to end (the real CLI, masto, the fake instance) where Mastodon's own
 * promise stops: it remembers an Idempotency-Key for one hour only. A run that comes later than
 * that after a lost answer must look for the post, and send it only when it is not there.
 */
let r: MastodonOnly;
beforeEach(async () => {
  r = await startMastodonOnly();
});
afterEach(async () => {
  await r.n.stop();
});

const TEXT = 'The new pantry on Mill Street opens on Tuesday at nine. Bring a bag; we bring the rest.';
const LIST = /^GET \/api\/v1\/accounts\/[^/]+\/statuses$/;
const CREATE = /^POST \/api\/v1\/statuses$/;

describe('publish to Mastodon after a lost answer, more than an hour later', () => {
  beforeEach(() => r.draft('2026-12-01-pantry', TEXT));

  it('finds the post the lost answer made and records it, instead of posting it again', async () => {
    // The status is made, its answer never comes, and the timeline cannot be read to look for it:
    // the attempt stays open.
    r.n.mastodon.server.inject({ match: CREATE, hang: true, afterHandling: true });
    r.n.mastodon.server.inject({ match: LIST, respond: { status: 503, body: { error: 'busy' } }, times: 10 });
    const first = await r.publish('2026-12-01T08:30:00Z', { POSTGATE_TIMEOUT_MS: '1500' });
    expect(first.status).toBe(1);
    expect(first.stdout).toContain('could not confirm whether part 1 went out');
    expect(r.ledger().map((r) => r.type)).toEqual(['attempt']);
    expect(r.n.mastodon.live).toHaveLength(1);

    // An hour and more later the instance has forgotten the Idempotency-Key: only looking can help.
    r.n.mastodon.server.clearFaults();
    const later = Date.now() + IDEMPOTENCY_TTL_MS + 60_000;
    r.n.mastodon.now = () => later;
    const second = await r.publish('2026-12-01T09:45:00Z');
    expect(second.status).toBe(0);
    expect(r.creations()).toHaveLength(1);
    expect(r.n.mastodon.live).toHaveLength(1);
    expect(r.ledger().map((r) => r.type)).toEqual(['attempt', 'sent']);
    expect(r.ledger()[1]!.text).toBe(r.n.mastodon.live[0]!.text);
    expect(second.stdout).toContain(`sent  ${r.n.mastodon.url}/@postgate/${r.n.mastodon.live[0]!.id}`);
  });

  it('sends it once when the lost request never made the post', async () => {
    r.n.mastodon.server.inject({ match: CREATE, hang: true });
    r.n.mastodon.server.inject({ match: LIST, respond: { status: 503, body: { error: 'busy' } }, times: 10 });
    const first = await r.publish('2026-12-01T08:30:00Z', { POSTGATE_TIMEOUT_MS: '1500' });
    expect(first.status).toBe(1);
    expect(r.n.mastodon.live).toHaveLength(0);
    expect(r.ledger().map((r) => r.type)).toEqual(['attempt']);

    r.n.mastodon.server.clearFaults();
    const later = Date.now() + IDEMPOTENCY_TTL_MS + 60_000;
    r.n.mastodon.now = () => later;
    const before = r.n.mastodon.server.requests.length;
    const second = await r.publish('2026-12-01T09:45:00Z');
    expect(second.status).toBe(0);
    // Looked first (the timeline was read), then sent once.
    const requests = r.n.mastodon.server.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    const lookedAt = requests.findIndex((r) => LIST.test(r));
    expect(lookedAt).toBeGreaterThanOrEqual(0);
    expect(requests.filter((r) => CREATE.test(r))).toHaveLength(1);
    expect(lookedAt).toBeLessThan(requests.findIndex((r) => CREATE.test(r)));
    expect(r.creations()).toHaveLength(2);
    expect(r.n.mastodon.live.map((s) => s.text)).toEqual([TEXT]);
    expect(r.ledger().map((r) => r.type)).toEqual(['attempt', 'attempt', 'sent']);

    // A third run sends nothing.
    expect((await r.publish('2026-12-01T10:00:00Z')).status).toBe(0);
    expect(r.creations()).toHaveLength(2);
  });
});
