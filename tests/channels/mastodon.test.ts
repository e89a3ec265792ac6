import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindRequest, ImageUpload, PostRequest } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { MastodonChannel, mastodonFromEnv, type MastodonOptions } from '../../src/channels/mastodon.ts';
import { FakeMastodon } from '../fakes/fake-mastodon.ts';

let fake: FakeMastodon;

beforeEach(async () => {
  fake = new FakeMastodon();
  await fake.start();
});

afterEach(async () => {
  await fake.stop();
});

function channel(options: Partial<MastodonOptions> = {}): MastodonChannel {
  return new MastodonChannel({
    url: fake.url,
    token: fake.token,
    timeoutMs: 2_000,
    mediaPollIntervalMs: 5,
    ...options,
  });
}

function post(overrides: Partial<PostRequest> = {}): PostRequest {
  return {
    itemId: 'social/launch',
    part: 0,
    parts: 1,
    text: 'We doubled sign-ups in six weeks.',
    images: [],
    replyTo: null,
    threadRoot: null,
    key: 'social/launch:mastodon:0:4f9a',
    dueAt: Date.now() - 60_000,
    linkCard: null,
    signal: new AbortController().signal,
    ...overrides,
  };
}

function findRequest(overrides: Partial<FindRequest> = {}): FindRequest {
  return {
    itemId: 'social/launch',
    part: 0,
    text: 'We doubled sign-ups in six weeks.',
    key: 'social/launch:mastodon:0:4f9a',
    dueAt: Date.now(),
    notBefore: Date.now() - 5 * 60_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const PNG: ImageUpload = {
  path: 'content/social/launch-chart.png',
  mime: 'image/png',
  alt: 'Bar chart of sign-ups per week, doubling since October',
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]),
};

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ChannelError);
    return error as ChannelError;
  }
  throw new Error('expected a ChannelError, but the call succeeded');
}

/** A config that allows more than the fake's stock instance (500 characters). */
const LAX = { mastodon: { maxCharacters: 1000, charactersReservedPerUrl: 23 } };

const statusCreations = () => fake.server.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses');
const CREATE = /^POST \/api\/v1\/statuses$/;

describe('MastodonChannel.publish', () => {
  it('posts one public status and returns its id and url', async () => {
    const remote = await channel().publish(post());
    expect(fake.live).toHaveLength(1);
    const status = fake.live[0]!;
    expect(remote).toEqual({ id: status.id, url: `${fake.url}/@postgate/${status.id}` });
    expect(status.text).toBe('We doubled sign-ups in six weeks.');
    expect(status.content).toBe('<p>We doubled sign-ups in six weeks.</p>');
    expect(status.visibility).toBe('public');
    expect(status.in_reply_to_id).toBeNull();
    expect(status.idempotencyKey).toBe('social/launch:mastodon:0:4f9a');
  });

  it('makes a 3-part thread a reply chain, each creation with its own Idempotency-Key', async () => {
    const mastodon = channel();
    const first = await mastodon.publish(post({ parts: 3, text: 'Part one', key: 'k0' }));
    const second = await mastodon.publish(
      post({ part: 1, parts: 3, text: 'Part two', key: 'k1', replyTo: first, threadRoot: first }),
    );
    const third = await mastodon.publish(
      post({ part: 2, parts: 3, text: 'Part three', key: 'k2', replyTo: second, threadRoot: first }),
    );
    expect(fake.live.map((s) => [s.text, s.in_reply_to_id])).toEqual([
      ['Part one', null],
      ['Part two', first.id],
      ['Part three', second.id],
    ]);
    expect(third.id).toBe(fake.live[2]!.id);
    expect(statusCreations().map((r) => r.headers['idempotency-key'])).toEqual(['k0', 'k1', 'k2']);
  });

  it('uploads an image with its alt text as the description and attaches it', async () => {
    await channel().publish(post({ images: [PNG] }));
    const [status] = fake.live;
    expect(status!.media).toHaveLength(1);
    const media = status!.media[0]!;
    expect(media.description).toBe(PNG.alt);
    expect(media.mime).toBe('image/png');
    expect(media.filename).toBe('launch-chart.png');
    expect([...media.bytes]).toEqual([...PNG.bytes]);
  });

  it('waits for a 202 media upload to be processed before attaching it', async () => {
    fake.mediaAsync = true;
    fake.mediaPendingPolls = 2;
    await channel().publish(post({ images: [PNG] }));
    const polls = fake.server.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/media/'));
    expect(polls).toHaveLength(3); // 206, 206, then 200 with a url
    expect(fake.live[0]!.media[0]!.processed).toBe(true);
  });

  it('gives up on media that never finishes processing, without posting', async () => {
    fake.mediaAsync = true;
    fake.mediaPendingPolls = 1_000_000;
    const error = await failure(channel({ mediaTimeoutMs: 100 }).publish(post({ images: [PNG] })));
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toContain('still being processed');
    expect(statusCreations()).toHaveLength(0);
  });

  it('publishing the same request twice leaves one status (Idempotency-Key)', async () => {
    const mastodon = channel();
    const first = await mastodon.publish(post());
    const second = await mastodon.publish(post());
    expect(second.id).toBe(first.id);
    expect(fake.live).toHaveLength(1);
    expect(statusCreations()).toHaveLength(2);
    for (const request of statusCreations())
      expect(request.headers['idempotency-key']).toBe('social/launch:mastodon:0:4f9a');
  });
});

describe('MastodonChannel failures', () => {
  it('maps 429 with X-RateLimit-Reset to rate-limited with the wait', async () => {
    const reset = new Date(Date.now() + 30_000).toISOString();
    fake.server.inject({
      match: CREATE,
      respond: { status: 429, headers: { 'x-ratelimit-reset': reset }, body: { error: 'Too many requests' } },
    });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('rate-limited');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(error.message).toBe('Mastodon: rate limited while posting the status (HTTP 429)');
  });

  it('maps 500 to unavailable, with or without a JSON body', async () => {
    fake.server.inject({ match: CREATE, respond: { status: 500, body: { error: 'Internal server error' } } });
    const withBody = await failure(channel().publish(post()));
    expect(withBody.kind).toBe('unavailable');
    expect(withBody.status).toBe(500);
    expect(withBody.message).toBe(
      'Mastodon: the server failed while posting the status: Internal server error (HTTP 500)',
    );
    fake.server.inject({
      match: CREATE,
      respond: { status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } },
    });
    expect((await failure(channel().publish(post()))).kind).toBe('unavailable');
    expect(fake.live).toHaveLength(0);
  });

  it('maps a refused connection to unavailable, not sent', async () => {
    const gone = new FakeMastodon();
    const url = await gone.start();
    await gone.stop();
    const error = await failure(
      new MastodonChannel({ url, token: 'whatever-token', timeoutMs: 2_000 }).publish(post()),
    );
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(false);
  });

  it('maps a hang past the timeout to timeout with maybeSent', async () => {
    fake.server.inject({ match: CREATE, hang: true });
    const started = Date.now();
    const error = await failure(channel({ timeoutMs: 1500 }).publish(post()));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(true);
    expect(error.message).toBe('Mastodon: no answer within 1500 ms while posting the status');
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it("honours the caller's AbortSignal", async () => {
    fake.server.inject({ match: CREATE, hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(channel({ timeoutMs: 10_000 }).publish(post({ signal: controller.signal })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('cancelled');
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('maps a 200 without an id to malformed with maybeSent', async () => {
    fake.server.inject({ match: CREATE, respond: { status: 200, body: { content: '<p>We doubled</p>' } } });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('malformed');
    expect(error.maybeSent).toBe(true);
  });

  it('maps a bad token (401) and a 403 to auth', async () => {
    const error = await failure(channel({ token: 'not-the-token-1234' }).publish(post()));
    expect(error.kind).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      'Mastodon: the access token was refused while posting the status: The access token is invalid (HTTP 401)',
    );
    fake.server.inject({
      match: CREATE,
      respond: { status: 403, body: { error: 'This action is outside the authorized scopes' } },
    });
    expect((await failure(channel().publish(post()))).kind).toBe('auth');
    expect(fake.live).toHaveLength(0);
  });

  it("maps 422 to rejected with Mastodon's error text", async () => {
    // An old server that does not say its limit, and a config that allows more than it does.
    fake.instanceApi = 'none';
    const error = await failure(channel({ limits: LAX }).publish(post({ text: 'x'.repeat(501) })));
    expect(error.kind).toBe('rejected');
    expect(error.status).toBe(422);
    expect(error.message).toBe(
      'Mastodon: posting the status was rejected: Validation failed: Text character limit of 500 exceeded (HTTP 422)',
    );
  });

  it('never lets an echoed token reach the message', async () => {
    fake.echoAuthorization = true;
    const wrong = 'wrong-token-9c1e77d2';
    const auth = await failure(channel({ token: wrong }).publish(post()));
    expect(auth.kind).toBe('auth');
    expect(auth.message).toContain('[redacted]');
    expect(auth.message).not.toContain(wrong);
    fake.instanceApi = 'none';
    const rejected = await failure(channel({ limits: LAX }).publish(post({ text: 'y'.repeat(600) })));
    expect(rejected.message).toContain('Text character limit');
    expect(rejected.message).toContain('[redacted]');
    expect(rejected.message).not.toContain(fake.token);
  });
});

describe('MastodonChannel.find', () => {
  it('finds the status a lost 500 answer made, and a retry returns that same status', async () => {
    fake.server.inject({ match: CREATE, respondAfterHandling: { status: 500 } });
    const error = await failure(channel().publish(post()));
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(true);
    expect(fake.live).toHaveLength(1);
    const found = await channel().find(findRequest());
    expect(found).toEqual({ id: fake.live[0]!.id, url: `${fake.url}/@postgate/${fake.live[0]!.id}` });
    expect((await channel().publish(post())).id).toBe(found!.id);
    expect(fake.live).toHaveLength(1);
  });

  it('finds the status after a hang that took effect and timed out', async () => {
    fake.server.inject({ match: CREATE, hang: true, afterHandling: true });
    const error = await failure(channel({ timeoutMs: 1500 }).publish(post()));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(true);
    expect((await channel().find(findRequest()))?.id).toBe(fake.live[0]!.id);
  });

  it('matches the rendered HTML of text with links, entities, line breaks, hashtags and mentions', async () => {
    const text =
      'Launch & <b>news</b> "today"\nsecond line\n\nRead https://www.example.org/posts/a-rather-long-path-for-the-launch?utm_source=mastodon #Launch with @friend@example.social';
    const remote = await channel().publish(post({ text }));
    const content = fake.live[0]!.content;
    expect(content).toContain('&amp; &lt;b&gt;');
    expect(content).toContain('<br />');
    expect(content).toContain('class="ellipsis"');
    expect(content).toContain('class="mention hashtag"');
    expect(content).toContain('@<span>friend</span>');
    expect(await channel().find(findRequest({ text }))).toEqual(remote);
    expect(await channel().find(findRequest({ text: text.replace('second', 'third') }))).toBeNull();
  });

  it('looks past the first page of statuses', async () => {
    const now = Date.now();
    const target = fake.addStatus('We doubled sign-ups in six weeks.', now - 4 * 60_000);
    for (let i = 0; i < 45; i++) fake.addStatus(`Filler ${i}`, now - 3 * 60_000 + i * 1_000);
    expect((await channel().find(findRequest()))?.id).toBe(target.id);
    const lists = fake.server.requests.filter((r) => r.path.endsWith('/statuses') && r.method === 'GET');
    expect(lists.length).toBe(2);
    expect(lists[1]!.query.get('max_id')).not.toBeNull();
  });

  it('takes the oldest match since the attempt: a later one is a copy made by hand', async () => {
    const now = Date.now();
    const sent = fake.addStatus('We doubled sign-ups in six weeks.', now - 3 * 60_000);
    fake.addStatus('We doubled sign-ups in six weeks.', now - 60_000);
    fake.addStatus('Something else entirely', now - 30_000);
    expect((await channel().find(findRequest()))?.id).toBe(sent.id);
  });

  it('returns null when nothing recent matches, and never posts', async () => {
    const now = Date.now();
    fake.addStatus('We doubled sign-ups in six weeks.', now - 3 * 60 * 60_000); // the same words, long before
    fake.addStatus('Something else entirely', now - 60_000);
    expect(await channel().find(findRequest({ notBefore: now - 10 * 60_000 }))).toBeNull();
    expect(statusCreations()).toHaveLength(0);
  });

  it('throws instead of returning null when the list cannot be read', async () => {
    fake.server.inject({
      match: /^GET \/api\/v1\/accounts\/[^/]+\/statuses$/,
      respond: { status: 503, body: { error: 'Service Unavailable' } },
    });
    const error = await failure(channel().find(findRequest()));
    expect(error.kind).toBe('unavailable');
    expect(error.status).toBe(503);
  });
});

describe('MastodonChannel.retract', () => {
  it('deletes the status; retracting again is fine', async () => {
    const mastodon = channel();
    const remote = await mastodon.publish(post());
    await mastodon.retract(remote, new AbortController().signal);
    expect(fake.statuses[0]!.deleted).toBe(true);
    await expect(mastodon.retract(remote, new AbortController().signal)).resolves.toBeUndefined();
    expect(
      fake.server.requests.filter((r) => r.method === 'DELETE' && r.path === `/api/v1/statuses/${remote.id}`),
    ).toHaveLength(2);
  });

  it('reports a server failure instead of counting it as deleted', async () => {
    const remote = await channel().publish(post());
    fake.server.inject({ match: /^DELETE /, respond: { status: 500, body: { error: 'oops' } } });
    expect((await failure(channel().retract(remote, new AbortController().signal))).kind).toBe('unavailable');
    expect(fake.live).toHaveLength(1);
  });
});

describe('MastodonChannel.lookUp', () => {
  it('reads the status back as HTML and recognises the text sent, as find does', async () => {
    const mastodon = channel();
    const text =
      'Thanks @amira@social.example!\n\nAll details: https://example.org/posts/a-rather-long-slug?utm_source=mastodon #volunteers';
    const remote = await mastodon.publish(post({ text }));
    const found = await mastodon.lookUp(remote, new AbortController().signal);
    expect(found?.text).toMatch(/^<p>/);
    expect(found?.says(text)).toBe(true);
    expect(found?.says('Thanks @amira@social.example! Details soon.')).toBe(false);
    expect(
      fake.server.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/statuses/${remote.id}`),
    ).toHaveLength(1);
  });

  it('answers null for a deleted status (404 Record not found)', async () => {
    const mastodon = channel();
    const remote = await mastodon.publish(post());
    await mastodon.retract(remote, new AbortController().signal);
    expect(await mastodon.lookUp(remote, new AbortController().signal)).toBeNull();
  });

  it('reports a server failure instead of calling the status gone', async () => {
    const remote = await channel().publish(post());
    fake.server.inject({ match: /^GET \/api\/v1\/statuses\//, respond: { status: 503, body: { error: 'busy' } } });
    expect((await failure(channel().lookUp(remote, new AbortController().signal))).kind).toBe('unavailable');
  });
});

describe('mastodonFromEnv', () => {
  it('lists the missing variables by name', () => {
    expect(mastodonFromEnv({})).toEqual({ ok: false, missing: ['MASTODON_URL', 'MASTODON_TOKEN'] });
    expect(mastodonFromEnv({ MASTODON_URL: 'https://mastodon.example', MASTODON_TOKEN: '  ' })).toEqual({
      ok: false,
      missing: ['MASTODON_TOKEN'],
    });
    const unusable = mastodonFromEnv({ MASTODON_URL: 'mastodon.example', MASTODON_TOKEN: 'secret-token-value' });
    expect(unusable).toEqual({ ok: false, missing: ['MASTODON_URL'] });
    expect(JSON.stringify(unusable)).not.toContain('secret-token-value');
  });

  it('builds a working channel from the environment', async () => {
    const built = mastodonFromEnv({ MASTODON_URL: fake.url, MASTODON_TOKEN: fake.token });
    if (!built.ok) throw new Error(`missing ${built.missing.join(', ')}`);
    expect(built.channel.id).toBe('mastodon');
    expect(built.channel.rules.maxLength).toBe(500);
    await built.channel.publish(post());
    expect(fake.live).toHaveLength(1);
  });
});
