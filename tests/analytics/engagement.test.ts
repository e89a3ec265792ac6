import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLUESKY_BATCH, blueskyEngagement } from '../../src/analytics/engagement-bluesky.ts';
import { mastodonEngagement } from '../../src/analytics/engagement-mastodon.ts';
import { xEngagement, xReadsNote } from '../../src/analytics/engagement-x.ts';
import { networkEngagement } from '../../src/analytics/network-engagement.ts';
import { configSchema } from '../../src/core/config-schema.ts';
import type { LivePost } from '../../src/core/engagement.ts';
import type { LedgerRecord } from '../../src/core/ledger.ts';
import { parse as parseYaml } from 'yaml';
import { FakeMastodon } from '../fakes/fake-mastodon.ts';
import { startNetworks, type Networks } from '../helpers/networks.ts';

/** The engagement readers against the fake networks, seeded with counts per post. */
let n: Networks;
beforeEach(async () => {
  n = await startNetworks();
});
afterEach(async () => {
  await n.stop();
});

const post = (item: string, channel: string, remoteId: string, part = 0): LivePost => ({
  item,
  channel,
  account: channel,
  part,
  remoteId,
});

function mastodonStatus(id: string, deleted = false) {
  n.mastodon.statuses.push({
    id,
    text: 'hello',
    content: '<p>hello</p>',
    in_reply_to_id: null,
    visibility: 'public',
    media: [],
    idempotencyKey: undefined,
    created_at: '2026-12-01T08:30:00.000Z',
    deleted,
  });
}

function blueskyRecord(rkey: string): string {
  const uri = `at://${n.bluesky.did}/app.bsky.feed.post/${rkey}`;
  n.bluesky.records.push({ rkey, uri, cid: 'bafyreib2rxk3rh6kzwq', record: { text: 'hi' }, deleted: false });
  return uri;
}

function xPost(id: string) {
  n.x.posts.push({ id, authorId: '1', text: 'hi', replyTo: null, mediaIds: [], createdAt: 0, deleted: false });
}

const xOptions = () => ({
  apiUrl: n.x.url,
  credentials: {
    apiKey: n.x.credentials.apiKey,
    apiSecret: n.x.credentials.apiSecret,
    accessToken: n.x.credentials.accessToken,
    accessSecret: n.x.credentials.accessSecret,
  },
});

describe('Mastodon engagement', () => {
  it('reads each status with the token, and skips one deleted on the instance', async () => {
    mastodonStatus('111');
    mastodonStatus('112');
    mastodonStatus('113', true);
    n.mastodon.counts.set('111', { replies_count: 2, reblogs_count: 5, favourites_count: 11 });
    const found = await mastodonEngagement(
      [post('a', 'mastodon', '111'), post('a', 'mastodon', '112', 1), post('b', 'mastodon', '113')],
      {
        url: n.mastodon.url,
        token: n.mastodon.token,
      },
    );
    expect(found).toEqual([
      { remoteId: '111', replies: 2, reposts: 5, likes: 11 },
      { remoteId: '112', replies: 0, reposts: 0, likes: 0 },
    ]);
    const asked = n.mastodon.server.requests.filter((r) => r.path.startsWith('/api/v1/statuses/'));
    expect(asked.map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${n.mastodon.token}`));
  });

  it('fails, naming Mastodon, on an answer that is not JSON, and on a count that is not one', async () => {
    mastodonStatus('111');
    n.mastodon.server.inject({ match: /^GET \/api\/v1\/statuses\//, respond: { status: 200, body: '<html>oops' } });
    const opts = { url: n.mastodon.url, token: n.mastodon.token };
    const one = [post('a', 'mastodon', '111')];
    await expect(mastodonEngagement(one, opts)).rejects.toThrow(
      /^Mastodon answered 200 with something that is not JSON$/,
    );
    n.mastodon.counts.set('111', { replies_count: -1, reblogs_count: 0, favourites_count: 0 });
    await expect(mastodonEngagement(one, opts)).rejects.toThrow(/^Mastodon answered replies_count = -1, not a count$/);
  });

  it('fails with a message naming Mastodon, never the token, when the token is refused', async () => {
    mastodonStatus('111');
    const error = await mastodonEngagement([post('a', 'mastodon', '111')], {
      url: n.mastodon.url,
      token: 'wrong-token-1234',
    }).catch((e) => e);
    expect(error.message).toMatch(/^Mastodon refused the credentials \(401/);
    expect(error.message).not.toContain('wrong-token-1234');
  });
});

describe('Bluesky engagement', () => {
  it('logs in, asks getPosts 25 URIs at a time, and reads likes, reposts, replies and quotes', async () => {
    const uris = Array.from({ length: 27 }, (_, i) => blueskyRecord(`3kabc${String(i).padStart(8, '2')}`));
    n.bluesky.counts.set(uris[0]!, { likeCount: 9, repostCount: 3, replyCount: 1, quoteCount: 2 });
    n.bluesky.counts.set(uris[26]!, { likeCount: 1, repostCount: 0, replyCount: 0, quoteCount: 0 });
    const found = await blueskyEngagement(
      uris.map((uri, i) => post(`i${i}`, 'bluesky', uri)),
      { service: n.bluesky.url, handle: n.bluesky.handle, appPassword: n.bluesky.password },
    );
    expect(found).toHaveLength(27);
    expect(found[0]).toEqual({ remoteId: uris[0], replies: 1, reposts: 3, likes: 9, quotes: 2 });
    expect(found[26]).toMatchObject({ likes: 1 });
    const calls = n.bluesky.server.requests.filter((r) => r.path === '/xrpc/app.bsky.feed.getPosts');
    expect(calls.map((c) => c.query.getAll('uris').length)).toEqual([BLUESKY_BATCH, 2]);
  });

  it('names a refused app password without printing it', async () => {
    const error = await blueskyEngagement([post('a', 'bluesky', blueskyRecord('3kabc22222222'))], {
      service: n.bluesky.url,
      handle: n.bluesky.handle,
      appPassword: 'zzzz-zzzz-zzzz-zzzz',
    }).catch((e) => e);
    expect(error.message).toMatch(/^Bluesky refused the credentials \(401/);
    expect(error.message).not.toContain('zzzz-zzzz');
  });
});

describe('X engagement', () => {
  it('reads public_metrics with the signed user credentials, 100 ids a call, and counts the reads X bills', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(1_800_000_000_000_000_000n + BigInt(i)));
    for (const id of ids) xPost(id);
    n.x.metrics.set(ids[0]!, { reply_count: 1, retweet_count: 2, like_count: 7, quote_count: 1 });
    const found = await xEngagement(
      [...ids, '1700000000000000000'].map((id) => post('x', 'x', id)),
      xOptions(),
    );
    expect(found).toHaveLength(101);
    expect(found[0]).toEqual({ remoteId: ids[0], replies: 1, reposts: 2, likes: 7, quotes: 1 });
    expect(n.x.postsRead).toBe(101);
    expect(
      n.x.server.requests.filter((r) => r.path === '/2/tweets').map((r) => r.query.get('ids')!.split(',').length),
    ).toEqual([100, 2]);
  });

  it('says X refused the credentials, without them', async () => {
    xPost('1800000000000000000');
    const options = xOptions();
    options.credentials.accessSecret = 'not-the-secret-9876';
    const error = await xEngagement([post('x', 'x', '1800000000000000000')], options).catch((e) => e);
    expect(error.message).toMatch(/^X refused the credentials \(401/);
    expect(error.message).not.toContain('not-the-secret-9876');
  });
});

describe('networkEngagement', () => {
  const sent = (item: string, channel: string, remoteId: string, part = 0): LedgerRecord => ({
    v: 1,
    type: 'sent',
    item,
    channel,
    part,
    parts: 2,
    remoteId,
    url: `https://${channel}.example/${remoteId}`,
    at: '2026-12-01T08:30:00Z',
    hash: '',
  });
  const config = (xMetrics: boolean) =>
    configSchema.parse({ site: { title: 'R', url: 'https://example.org', timeZone: 'UTC' }, analytics: { xMetrics } });

  it('adds up a thread, asks X only when xMetrics is on, and says how many reads X would bill', async () => {
    mastodonStatus('111');
    mastodonStatus('112');
    xPost('1800000000000000000');
    n.mastodon.counts.set('111', { replies_count: 1, reblogs_count: 1, favourites_count: 4 });
    n.mastodon.counts.set('112', { replies_count: 0, reblogs_count: 2, favourites_count: 1 });
    n.x.metrics.set('1800000000000000000', { like_count: 5 });
    const records = [
      sent('t', 'mastodon', '111'),
      sent('t', 'mastodon', '112', 1),
      sent('t', 'x', '1800000000000000000'),
    ];
    const listed = [
      { item: 't', channel: 'mastodon' },
      { item: 't', channel: 'x' },
    ];
    const off = await networkEngagement(records, listed, config(false), n.env);
    expect(off.outcomes).toEqual([
      {
        channel: 'mastodon',
        account: 'mastodon',
        ok: true,
        byItem: new Map([['t', { replies: 1, reposts: 3, likes: 5 }]]),
      },
    ]);
    expect(off.notes.join('\n')).toMatch(
      /X engagement is not asked: X's pay-per-use pricing bills each post read.*would read 1 post;/,
    );
    expect(n.x.postsRead).toBe(0);

    const on = await networkEngagement(records, listed, config(true), n.env);
    expect(on.outcomes.find((o) => o.channel === 'x')).toEqual({
      channel: 'x',
      account: 'x',
      ok: true,
      byItem: new Map([['t', { replies: 0, reposts: 0, likes: 5, quotes: 0 }]]),
    });
    expect(n.x.postsRead).toBe(1);
  });

  it('names a network whose credentials are not set, or that is down', async () => {
    const records = [
      sent('t', 'mastodon', '111'),
      sent('t', 'bluesky', 'at://did:plc:x/app.bsky.feed.post/3kabc22222222'),
    ];
    const listed = [
      { item: 't', channel: 'mastodon' },
      { item: 't', channel: 'bluesky' },
    ];
    await n.bluesky.stop();
    const { outcomes } = await networkEngagement(records, listed, config(false), { ...n.env, MASTODON_TOKEN: '' });
    expect(outcomes).toEqual([
      { channel: 'mastodon', account: 'mastodon', ok: false, error: 'MASTODON_TOKEN is not set', items: ['t'] },
      {
        channel: 'bluesky',
        account: 'bluesky',
        ok: false,
        error: expect.stringMatching(/^could not reach Bluesky/),
        items: ['t'],
      },
    ]);
  });
});

describe('networkEngagement, per account', () => {
  // Alice's Mastodon account is on another instance, with its own token: its status 111 is not the organisation's 111.
  const ALICE = `accounts:
  - id: alice-mastodon
    network: mastodon
    owner: alice
    credentials: { MASTODON_URL: MASTODON_URL_ALICE, MASTODON_TOKEN: MASTODON_TOKEN_ALICE }
`;
  const config = () =>
    configSchema.parse({
      site: { title: 'R', url: 'https://example.org', timeZone: 'UTC' },
      channels: ['blog', 'mastodon'],
      ...(parseYaml(ALICE) as object),
    });
  const record = (item: string, remoteId: string, type: LedgerRecord['type'], account?: string): LedgerRecord => ({
    v: 1,
    type,
    item,
    channel: 'mastodon',
    ...(account ? { account } : {}),
    part: 0,
    parts: 1,
    remoteId,
    url: '',
    at: '2026-12-01T08:30:00Z',
    hash: '',
  });
  let aliceServer: FakeMastodon;
  beforeEach(async () => {
    aliceServer = new FakeMastodon();
    aliceServer.token = 'alice-own-mastodon-token-41';
    await aliceServer.start();
  });
  afterEach(async () => {
    await aliceServer.stop();
  });

  it("reads each account's posts on its own server with its own token, and a retraction on one account leaves the other's", async () => {
    mastodonStatus('111');
    n.mastodon.counts.set('111', { replies_count: 1, reblogs_count: 0, favourites_count: 2 });
    aliceServer.statuses.push({ ...n.mastodon.statuses[0]!, id: '111' });
    aliceServer.counts.set('111', { replies_count: 0, reblogs_count: 4, favourites_count: 7 });
    const records = [
      record('t', '111', 'sent'),
      record('t', '111', 'sent', 'alice-mastodon'),
      record('gone', '222', 'sent'),
      record('gone', '', 'retracted'),
      record('gone', '333', 'sent', 'alice-mastodon'),
    ];
    mastodonStatus('333');
    aliceServer.statuses.push({ ...n.mastodon.statuses[0]!, id: '333' });
    aliceServer.counts.set('333', { replies_count: 5, reblogs_count: 0, favourites_count: 0 });
    const env = { ...n.env, MASTODON_URL_ALICE: aliceServer.server.url, MASTODON_TOKEN_ALICE: aliceServer.token };
    const listed = [
      { item: 't', channel: 'mastodon' },
      { item: 'gone', channel: 'mastodon' },
    ];
    const { outcomes } = await networkEngagement(records, listed, config(), env);
    expect(outcomes).toEqual([
      {
        channel: 'mastodon',
        account: 'mastodon',
        ok: true,
        byItem: new Map([['t', { replies: 1, reposts: 0, likes: 2 }]]),
      },
      {
        channel: 'mastodon',
        account: 'alice-mastodon',
        ok: true,
        byItem: new Map([
          ['t', { replies: 0, reposts: 4, likes: 7 }],
          ['gone', { replies: 5, reposts: 0, likes: 0 }],
        ]),
      },
    ]);
  });

  it('names an account whose variables are unset by their names, never their values, and keeps the others', async () => {
    mastodonStatus('111');
    n.mastodon.counts.set('111', { replies_count: 1, reblogs_count: 0, favourites_count: 2 });
    const records = [record('t', '111', 'sent'), record('t', '9', 'sent', 'alice-mastodon')];
    const env = { ...n.env, MASTODON_URL_ALICE: aliceServer.server.url, MASTODON_TOKEN_ALICE: ' ' };
    const { outcomes } = await networkEngagement(records, [{ item: 't', channel: 'mastodon' }], config(), env);
    expect(outcomes[0]).toMatchObject({ account: 'mastodon', ok: true });
    expect(outcomes[1]).toEqual({
      channel: 'mastodon',
      account: 'alice-mastodon',
      ok: false,
      error: 'MASTODON_TOKEN_ALICE is not set',
      items: ['t'],
    });
    expect(JSON.stringify(outcomes)).not.toContain(aliceServer.server.url);
  });
});

describe("the note on X's billed reads", () => {
  it('counts the reads per account when there are several X accounts, and says when they are not asked', () => {
    const reads = [
      { account: 'x', reads: 3 },
      { account: 'alice-x', reads: 1 },
    ];
    expect(xReadsNote(reads, true)).toBe(
      'X engagement: 4 post reads (x 3, alice-x 1), which X bills (see developer.x.com pricing).',
    );
    expect(xReadsNote([{ account: 'x', reads: 1 }], false)).toMatch(
      /is not asked: .* This report would read 1 post; analytics.xMetrics: true turns it on\.$/,
    );
  });

  it('names an account the ledger has and the config no longer lists, which has no credentials to read with', async () => {
    const gone: LedgerRecord = {
      v: 1,
      type: 'sent',
      item: 't',
      channel: 'mastodon',
      account: 'former-intern',
      part: 0,
      parts: 1,
      remoteId: '5',
      url: '',
      at: '2026-12-01T08:30:00Z',
      hash: '',
    };
    const config = configSchema.parse({ site: { title: 'R', url: 'https://example.org', timeZone: 'UTC' } });
    const { outcomes } = await networkEngagement([gone], [{ item: 't', channel: 'mastodon' }], config, n.env);
    expect(outcomes).toEqual([
      {
        channel: 'mastodon',
        account: 'former-intern',
        ok: false,
        error: 'former-intern is no longer in accounts: of postgate.config.yaml, so it has no credentials',
        items: ['t'],
      },
    ]);
    expect(n.mastodon.server.requests.filter((r) => r.path.startsWith('/api/v1/statuses/'))).toEqual([]);
  });
});
