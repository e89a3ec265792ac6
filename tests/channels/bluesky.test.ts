import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlueskyChannel, blueskyFromEnv } from '../../src/channels/bluesky.ts';
import { isValidTid, recordKeyFor, tidTimestampMicros } from '../../src/channels/bluesky-rkey.ts';
import type { FindRequest, PostRequest, RemotePost } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { FakeBluesky } from '../fakes/fake-bluesky.ts';

const DUE = Date.parse('2026-12-01T09:30:00Z');
const never = () => new AbortController().signal;
const CID = /^bafyrei[a-z2-7]{52}$/;
const RAW_CID = /^bafkrei[a-z2-7]{52}$/;

let fake: FakeBluesky;

beforeEach(async () => {
  fake = new FakeBluesky();
  await fake.start();
});

afterEach(async () => {
  await fake.stop();
});

function channel(options: { timeoutMs?: number; password?: string; service?: string } = {}): BlueskyChannel {
  return new BlueskyChannel({
    service: options.service ?? fake.url,
    handle: fake.handle,
    appPassword: options.password ?? fake.password,
    timeoutMs: options.timeoutMs ?? 3000,
  });
}

function post(overrides: Partial<PostRequest> = {}): PostRequest {
  return {
    itemId: 'launch',
    part: 0,
    parts: 1,
    text: 'We doubled sign-ups.',
    images: [],
    replyTo: null,
    threadRoot: null,
    key: 'launch:bluesky:0:h1',
    dueAt: DUE,
    linkCard: null,
    signal: never(),
    ...overrides,
  };
}

function findRequest(request: PostRequest): FindRequest {
  return {
    itemId: request.itemId,
    part: request.part,
    text: request.text,
    key: request.key,
    dueAt: request.dueAt,
    notBefore: Date.now(),
    signal: never(),
  };
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

const creates = () => fake.server.requests.filter((r) => r.path.endsWith('com.atproto.repo.createRecord'));
const stored = (remote: RemotePost) => fake.records.find((r) => r.uri === remote.id)!;

describe('BlueskyChannel.publish', () => {
  it('posts text with a link facet whose UTF-8 byte offsets cover the URL', async () => {
    const url = 'https://example.org/posts/launch?utm_source=bluesky';
    const text = `Größer als gedacht 🎉🇩🇪 — read: ${url}`;
    const before = Date.now();
    const remote = await channel().publish(post({ text }));

    const rkey = recordKeyFor('launch:bluesky:0:h1', DUE);
    expect(remote).toEqual({
      id: `at://${fake.did}/app.bsky.feed.post/${rkey}`,
      cid: expect.stringMatching(CID),
      url: `https://bsky.app/profile/${fake.handle}/post/${rkey}`,
    });
    const record = stored(remote).record as {
      text: string;
      createdAt: string;
      facets: { index: { byteStart: number; byteEnd: number }; features: { $type: string; uri: string }[] }[];
    };
    expect(record.text).toBe(text);
    expect(record.facets).toHaveLength(1);
    const { byteStart, byteEnd } = record.facets[0]!.index;
    expect(byteStart).not.toBe(text.indexOf('https')); // UTF-16 and UTF-8 offsets differ here
    expect(Buffer.from(text).subarray(byteStart, byteEnd).toString()).toBe(url);
    expect(record.facets[0]!.features).toEqual([{ $type: 'app.bsky.richtext.facet#link', uri: url }]);
    // createdAt is when it was sent, not when it was due.
    expect(Date.parse(record.createdAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('keeps hashtags, and a mention of a handle nobody has as plain text (see bluesky-record.test.ts)', async () => {
    const remote = await channel().publish(post({ text: 'Thanks @friend.bsky.social for #launchday' }));
    const record = stored(remote).record as { facets: { features: { $type: string }[] }[] };
    expect(record.facets.flatMap((f) => f.features.map((x) => x.$type))).toEqual(['app.bsky.richtext.facet#tag']);
  });

  it('threads three parts: each replies to the previous one, all under the first', async () => {
    const bluesky = channel();
    const first = await bluesky.publish(post({ text: 'Part one', parts: 3, key: 'thread:0' }));
    const second = await bluesky.publish(
      post({ text: 'Part two', part: 1, parts: 3, key: 'thread:1', replyTo: first, threadRoot: first }),
    );
    const third = await bluesky.publish(
      post({ text: 'Part three', part: 2, parts: 3, key: 'thread:2', replyTo: second, threadRoot: first }),
    );

    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    expect(stored(first).record.reply).toBeUndefined();
    expect(stored(second).record.reply).toEqual({
      root: { uri: first.id, cid: first.cid },
      parent: { uri: first.id, cid: first.cid },
    });
    expect(stored(third).record.reply).toEqual({
      root: { uri: first.id, cid: first.cid },
      parent: { uri: second.id, cid: second.cid },
    });
    expect(fake.sessionsCreated).toBe(1);
  });

  it('looks up the cid of the post it replies to when the caller does not have it', async () => {
    const bluesky = channel();
    const first = await bluesky.publish(post({ text: 'Part one', key: 'thread:0' }));
    const withoutCid = { id: first.id, url: first.url };
    const second = await bluesky.publish(
      post({ text: 'Part two', part: 1, key: 'thread:1', replyTo: withoutCid, threadRoot: withoutCid }),
    );
    expect(stored(second).record.reply).toEqual({
      root: { uri: first.id, cid: first.cid },
      parent: { uri: first.id, cid: first.cid },
    });
  });

  it('uploads images and embeds them with their alt text (the image wins over a link card)', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 9, 9]);
    const remote = await channel().publish(
      post({
        images: [
          { path: 'content/social/chart.png', mime: 'image/png', alt: 'Bar chart of sign-ups per week', bytes: png },
          { path: 'content/social/team.jpg', mime: 'image/jpeg', alt: 'The team', bytes: jpeg },
        ],
        linkCard: { url: 'https://example.org/posts/launch', title: 'Launch', description: 'How we did it' },
      }),
    );

    expect(fake.blobs.map((b) => [b.mimeType, [...b.bytes]])).toEqual([
      ['image/png', [...png]],
      ['image/jpeg', [...jpeg]],
    ]);
    expect(fake.blobs[0]!.cid).toMatch(RAW_CID);
    expect(stored(remote).record.embed).toEqual({
      $type: 'app.bsky.embed.images',
      images: [
        {
          image: { $type: 'blob', ref: { $link: fake.blobs[0]!.cid }, mimeType: 'image/png', size: png.length },
          alt: 'Bar chart of sign-ups per week',
        },
        {
          image: { $type: 'blob', ref: { $link: fake.blobs[1]!.cid }, mimeType: 'image/jpeg', size: jpeg.length },
          alt: 'The team',
        },
      ],
    });
  });

  it('adds a link card when there is no image, without a thumbnail and without fetching anything', async () => {
    const card = { url: 'https://example.org/posts/launch', title: 'Launch', description: 'How we doubled sign-ups' };
    const remote = await channel().publish(post({ text: 'New on the blog', linkCard: card }));
    expect(stored(remote).record.embed).toEqual({
      $type: 'app.bsky.embed.external',
      external: { uri: card.url, title: card.title, description: card.description },
    });
    expect(fake.blobs).toEqual([]);
  });

  it('publishing the same request twice leaves one post and returns it both times', async () => {
    const request = post();
    const first = await channel().publish(request);
    const second = await channel().publish(request);
    expect(second).toEqual(first);
    expect(fake.records).toHaveLength(1);
    expect(creates()).toHaveLength(2); // the second create was refused by the PDS, then recognised
  });

  it('refuses to adopt a different post that happens to hold the record key', async () => {
    await channel().publish(post({ text: 'The original' }));
    const error = await failure(channel().publish(post({ text: 'Something else' })));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('already holds a different post');
    expect(fake.records).toHaveLength(1);
  });

  it('refuses text over 300 graphemes before sending anything', async () => {
    const error = await failure(channel().publish(post({ text: 'é'.repeat(301) })));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('301 graphemes');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('carries on after the access token expires, by refreshing the session', async () => {
    const bluesky = channel();
    await bluesky.publish(post({ key: 'a' }));
    fake.expireAccessToken();
    const remote = await bluesky.publish(post({ key: 'b' }));
    expect(stored(remote)).toBeDefined();
    expect(fake.sessionsCreated).toBe(1);
  });
});

describe('the session', () => {
  it('logs in once for concurrent first calls', async () => {
    const bluesky = channel();
    await Promise.all([
      bluesky.publish(post({ key: 'a' })),
      bluesky.publish(post({ key: 'b' })),
      bluesky.find(findRequest(post({ key: 'c' }))),
    ]);
    expect(fake.sessionsCreated).toBe(1);
    expect(fake.livePosts).toHaveLength(2);
  });

  it('logs in again on the next call after the session was revoked', async () => {
    const bluesky = channel();
    await bluesky.publish(post({ key: 'a' }));
    fake.revokeSessions();
    const error = await failure(bluesky.publish(post({ key: 'b' })));
    expect(error.kind).toBe('auth');
    await bluesky.publish(post({ key: 'b' }));
    expect(fake.sessionsCreated).toBe(2);
    expect(fake.livePosts).toHaveLength(2);
  });
});

describe('record keys', () => {
  it('are valid TIDs, stable for one key and due time, different otherwise', () => {
    const rkey = recordKeyFor('launch:bluesky:0:h1', DUE);
    expect(rkey).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(isValidTid(rkey)).toBe(true);
    expect(recordKeyFor('launch:bluesky:0:h1', DUE)).toBe(rkey);
    expect(recordKeyFor('launch:bluesky:1:h1', DUE)).not.toBe(rkey);
    expect(recordKeyFor('launch:bluesky:0:h1', DUE + 60_000)).not.toBe(rkey);
    const micros = tidTimestampMicros(rkey);
    expect(micros).toBeGreaterThanOrEqual(DUE * 1000);
    expect(micros).toBeLessThan((DUE + 1000) * 1000);
  });

  it('differ for every part of a long thread and every item due at the same moment', () => {
    const keys = new Set(
      Array.from({ length: 500 }, (_, i) => recordKeyFor(`item-${i % 20}:bluesky:${Math.floor(i / 20)}`, DUE)),
    );
    expect(keys.size).toBe(500);
  });
});

describe('BlueskyChannel.find', () => {
  it('returns null before anything was posted', async () => {
    expect(await channel().find(findRequest(post()))).toBeNull();
  });

  it('finds a post whose answer was lost in a timeout', async () => {
    const request = post();
    fake.server.inject({ match: /createRecord/, hang: true, afterHandling: true });
    const error = await failure(channel({ timeoutMs: 1500 }).publish(request));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(true);
    expect(fake.livePosts).toHaveLength(1);

    const found = await channel().find(findRequest(request));
    expect(found).toEqual({
      id: fake.records[0]!.uri,
      cid: fake.records[0]!.cid,
      url: expect.stringContaining(fake.records[0]!.rkey),
    });
  });

  it('recognises its own post when the create answered 500 after taking effect', async () => {
    fake.server.inject({
      match: /createRecord/,
      respondAfterHandling: { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } },
    });
    const request = post();
    const remote = await channel().publish(request);
    expect(remote.id).toBe(fake.records[0]!.uri);
    expect(fake.records).toHaveLength(1);
    expect(await channel().find(findRequest(request))).toEqual(remote);
  });

  it('does not take a different post under its record key for its own', async () => {
    await channel().publish(post({ text: 'The original' }));
    const error = await failure(channel().find(findRequest(post({ text: 'Something else' }))));
    expect(error.kind).toBe('rejected');
  });

  it('throws on errors other than "not found"', async () => {
    fake.server.inject({
      match: /getRecord/,
      respond: { status: 502, body: { error: 'UpstreamFailure', message: 'Bad gateway' } },
    });
    const error = await failure(channel().find(findRequest(post())));
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(502);
  });
});

describe('BlueskyChannel.retract', () => {
  it('deletes the post, and deleting it again is fine', async () => {
    const bluesky = channel();
    const request = post();
    const remote = await bluesky.publish(request);
    await bluesky.retract(remote, never());
    expect(fake.records[0]!.deleted).toBe(true);
    await bluesky.retract(remote, never());
    expect(await bluesky.find(findRequest(request))).toBeNull();
  });

  it('rejects an id that is not a post address without calling the network', async () => {
    const error = await failure(channel().retract({ id: 'https://bsky.app/profile/x/post/y', url: '' }, never()));
    expect(error.kind).toBe('rejected');
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('BlueskyChannel.lookUp', () => {
  /** getRecord requests for exactly this post's repo, collection and record key. */
  const readsOf = (remote: RemotePost) =>
    fake.server.requests.filter(
      (r) =>
        r.path.endsWith('com.atproto.repo.getRecord') &&
        `at://${r.query.get('repo')}/${r.query.get('collection')}/${r.query.get('rkey')}` === remote.id,
    );

  it('reads the record at the at:// address back, with the text exactly as sent', async () => {
    const bluesky = channel();
    const remote = await bluesky.publish(post());
    const found = await bluesky.lookUp(remote, never());
    expect(found?.text).toBe('We doubled sign-ups.');
    expect(found?.says('We doubled sign-ups.')).toBe(true);
    expect(found?.says('We tripled sign-ups.')).toBe(false);
    expect(readsOf(remote)).toHaveLength(1);
  });

  it('answers null for a deleted post (RecordNotFound)', async () => {
    const bluesky = channel();
    const remote = await bluesky.publish(post());
    stored(remote).deleted = true;
    expect(await bluesky.lookUp(remote, never())).toBeNull();
    expect(readsOf(remote)).toHaveLength(1);
  });

  it('reports a server failure instead of calling the post gone', async () => {
    const bluesky = channel();
    const remote = await bluesky.publish(post());
    fake.server.inject({ match: /getRecord/, respond: { status: 502, body: { error: 'BadGateway' } } });
    expect((await failure(bluesky.lookUp(remote, never()))).kind).toBe('unavailable');
    expect(readsOf(remote)).toHaveLength(1);
  });
});

describe('failures', () => {
  it('429 with ratelimit-reset is rate-limited, with the wait until the reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    fake.server.inject({
      match: /createRecord/,
      respond: {
        status: 429,
        headers: { 'ratelimit-reset': String(reset) },
        body: { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' },
      },
    });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('rate-limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(fake.records).toHaveLength(0);
  });

  it('500 is unavailable, and the post is known not to exist', async () => {
    fake.server.inject({
      match: /createRecord/,
      respond: { status: 500, body: { error: 'InternalServerError', message: 'Internal Server Error' } },
    });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe('Bluesky: could not create the post: Internal Server Error (HTTP 500)');
  });

  it('a 502 whose body is not JSON is still unavailable with its real status', async () => {
    fake.server.inject({
      match: /createRecord/,
      respond: { status: 502, headers: { 'content-type': 'application/json' }, body: '<html>bad gateway</html>' },
    });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(502);
  });

  it('a refused connection is unavailable and certainly not sent', async () => {
    const url = fake.url;
    await fake.stop();
    const error = await failure(channel({ service: url }).publish(post()));
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe(
      `Bluesky: could not reach the service at ${url} to log in (ECONNREFUSED): nothing was sent`,
    );
    await fake.start(); // for afterEach
  });

  it('a refused connection on the create itself, after logging in, is certainly not sent either', async () => {
    const bluesky = channel();
    await bluesky.publish(post({ key: 'launch:bluesky:0:earlier' }));
    const url = fake.url;
    await fake.stop();
    // Time for the client to see its kept-alive connection closed: a request written on it would
    // fail as a reset (UND_ERR_SOCKET), after which the post may well exist.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const error = await failure(bluesky.publish(post()));
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe(
      `Bluesky: could not reach the service at ${url} to create the post (ECONNREFUSED): nothing was sent`,
    );
    await fake.start(); // for afterEach
  });

  it('no answer in time is a timeout that may have been sent', async () => {
    fake.server.inject({ match: /createRecord/, hang: true });
    const started = Date.now();
    const error = await failure(channel({ timeoutMs: 1500 }).publish(post()));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(true);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("the caller's abort signal stops a request", async () => {
    fake.server.inject({ match: /createRecord/, hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(channel({ timeoutMs: 10_000 }).publish(post({ signal: controller.signal })));
    expect(error.kind).toBe('timeout');
  });

  it("the caller's abort signal also stops the login, which the SDK gives no signal", async () => {
    fake.server.inject({ match: /createSession/, hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await failure(channel({ timeoutMs: 10_000 }).publish(post({ signal: controller.signal })));
    expect(error.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('a hanging login times out without claiming a post may exist', async () => {
    fake.server.inject({ match: /createSession/, hang: true });
    const error = await failure(channel({ timeoutMs: 1500 }).publish(post()));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(false);
  });

  it('a 200 without uri is malformed and may have been sent', async () => {
    fake.server.inject({ match: /createRecord/, respond: { status: 200, body: { cid: 'bafyreib2rxk3rh6kzwq' } } });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('malformed');
    expect(error.maybeSent).toBe(true);
  });

  it('a wrong password is an auth failure, and nothing is posted', async () => {
    const error = await failure(channel({ password: 'wrong-pass-word' }).publish(post()));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(creates()).toHaveLength(0);
  });

  it('a 400 from the PDS is rejected with its message', async () => {
    fake.server.inject({
      match: /createRecord/,
      respond: { status: 400, body: { error: 'InvalidRecord', message: 'Invalid app.bsky.feed.post record: nope' } },
    });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('rejected');
    expect(error.message).toBe(
      'Bluesky: could not create the post: Invalid app.bsky.feed.post record: nope (HTTP 400)',
    );
  });

  it('never lets an echoed password or token into the message', async () => {
    fake.echoCredentials = true;
    const wrong = 'wrong-pass-word';
    const loginError = await failure(channel({ password: wrong }).publish(post()));
    expect(loginError.message).toContain('[redacted]');
    expect(loginError.message).not.toContain(wrong);

    const bluesky = channel();
    await bluesky.publish(post({ key: 'first' }));
    const token = fake.accessJwt;
    fake.server.inject({
      match: /createRecord/,
      respond: {
        status: 400,
        body: { error: 'InvalidRequest', message: `bad request: Bearer ${token} with ${fake.password}` },
      },
    });
    const error = await failure(bluesky.publish(post({ key: 'second' })));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain(fake.password);
  });
});

describe('blueskyFromEnv', () => {
  it('names the missing variables, never their values', () => {
    expect(blueskyFromEnv({})).toEqual({ ok: false, missing: ['BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD'] });
    const result = blueskyFromEnv({ BLUESKY_HANDLE: 'brand.example.com', BLUESKY_APP_PASSWORD: '  ' });
    expect(result).toEqual({ ok: false, missing: ['BLUESKY_APP_PASSWORD'] });
    expect(JSON.stringify(result)).not.toContain('brand.example.com');
    expect(blueskyFromEnv({ BLUESKY_SERVICE: 'ftp://x', BLUESKY_HANDLE: 'a', BLUESKY_APP_PASSWORD: 'b' })).toEqual({
      ok: false,
      missing: ['BLUESKY_SERVICE (not an http or https URL)'],
    });
  });

  it('builds a channel that talks to BLUESKY_SERVICE', async () => {
    const result = blueskyFromEnv({
      BLUESKY_SERVICE: fake.url,
      BLUESKY_HANDLE: `@${fake.handle}`,
      BLUESKY_APP_PASSWORD: fake.password,
    });
    if (!result.ok) throw new Error(`missing ${result.missing.join(', ')}`);
    expect(result.channel.id).toBe('bluesky');
    expect(result.channel.rules.maxLength).toBe(300);
    const remote = await result.channel.publish(post());
    expect(fake.livePosts.map((r) => r.uri)).toEqual([remote.id]);
  });
});
