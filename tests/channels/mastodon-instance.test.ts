import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageUpload, PostRequest } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { MastodonChannel, type MastodonOptions } from '../../src/channels/mastodon.ts';
import { limitsFromInstance } from '../../src/channels/mastodon-instance.ts';
import { FakeMastodon, IDEMPOTENCY_TTL_MS } from '../fakes/fake-mastodon.ts';

/**
 * Where Mastodon's promises end: an Idempotency-Key lasts one hour, and each instance sets its own
 * limits, which the channel reads once (GET /api/v2/instance, else /api/v1/instance, else the
 * config) and holds every post to before anything is uploaded or posted.
 */
let fake: FakeMastodon;
let notices: string[];

beforeEach(async () => {
  fake = new FakeMastodon();
  await fake.start();
  notices = [];
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
    notice: (line) => notices.push(line),
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

const PNG: ImageUpload = {
  path: 'content/social/chart.png',
  mime: 'image/png',
  alt: 'A chart',
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

const requests = (path: string, method = 'GET') =>
  fake.server.requests.filter((r) => r.method === method && r.path === path);
const creations = () => requests('/api/v1/statuses', 'POST');
const uploads = () => requests('/api/v2/media', 'POST');
const LONG = 'Volunteers wanted. '.repeat(30).trim(); // 569 characters

describe('the fake instance forgets an Idempotency-Key after one hour, as Mastodon does', () => {
  it('answers a repeat with the same status for 3,600 s, and makes a new one from then on', async () => {
    const start = Date.now();
    let clock = start;
    fake.now = () => clock;
    const first = await channel().publish(post());
    clock = start + IDEMPOTENCY_TTL_MS - 1;
    expect((await channel().publish(post())).id).toBe(first.id);
    expect(fake.live).toHaveLength(1);
    clock = start + IDEMPOTENCY_TTL_MS;
    const again = await channel().publish(post());
    expect(again.id).not.toBe(first.id);
    expect(fake.live.map((s) => s.text)).toEqual([post().text, post().text]);
    expect(IDEMPOTENCY_TTL_MS).toBe(3_600_000);
  });

  it('a retry after the hour would post twice: find sees the first post, so the publisher need not resend', async () => {
    fake.server.inject({
      match: /^POST \/api\/v1\/statuses$/,
      respondAfterHandling: { status: 502, body: 'Bad Gateway' },
    });
    const attemptedAt = Date.now();
    const lost = await failure(channel().publish(post()));
    expect(lost.maybeSent).toBe(true);
    const later = attemptedAt + IDEMPOTENCY_TTL_MS + 60_000;
    fake.now = () => later;
    const found = await channel().find({
      itemId: 'social/launch',
      part: 0,
      text: post().text,
      key: post().key,
      dueAt: attemptedAt,
      notBefore: attemptedAt - 60_000,
      signal: new AbortController().signal,
    });
    expect(found?.id).toBe(fake.live[0]!.id);
    expect(fake.live).toHaveLength(1);
  });
});

describe("MastodonChannel and the instance's limits", () => {
  it('reads GET /api/v2/instance once for a whole thread, and posts what it allows', async () => {
    const mastodon = channel();
    const first = await mastodon.publish(post({ parts: 3, key: 'k0', text: 'One' }));
    const second = await mastodon.publish(post({ part: 1, parts: 3, key: 'k1', text: 'Two', replyTo: first }));
    await mastodon.publish(post({ part: 2, parts: 3, key: 'k2', text: 'Three', replyTo: second }));
    expect(requests('/api/v2/instance')).toHaveLength(1);
    expect(requests('/api/v1/instance')).toHaveLength(0);
    expect(fake.live).toHaveLength(3);
    expect(notices).toEqual([]);
  });

  it('refuses a part over the instance limit before uploading or posting anything, as known not sent', async () => {
    fake.limits.maxCharacters = 100;
    const error = await failure(channel().publish(post({ parts: 2, text: 'x'.repeat(101), images: [PNG] })));
    expect(error.kind).toBe('rejected');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe(
      `Mastodon: part 1 of 2: the text is 101 characters (links count 23 each); ${new URL(fake.url).host} allows 100 (GET /api/v2/instance). Shorten it or split it into a thread, and set mastodon.maxCharacters: 100 in postgate.config.yaml so that check measures as ${new URL(fake.url).host} does`,
    );
    expect(uploads()).toHaveLength(0);
    expect(creations()).toHaveLength(0);
    // Exactly at the limit it goes.
    await channel().publish(post({ text: 'x'.repeat(100) }));
    expect(fake.live).toHaveLength(1);
  });

  it('measures links as the instance counts them, and says nothing to change when the config agrees', async () => {
    fake.limits.charactersReservedPerUrl = 100;
    const text = `${'a'.repeat(420)} https://example.org/a`; // 444 when a link counts 23, 521 when 100
    const limits = { mastodon: { maxCharacters: 500, charactersReservedPerUrl: 100 } };
    const error = await failure(channel({ limits }).publish(post({ text })));
    expect(error.message).toContain('the text is 521 characters (links count 100 each)');
    expect(error.message).not.toContain('postgate.config.yaml');
    expect(creations()).toHaveLength(0);
  });

  it('takes a limit larger than the default from the instance, and says once that the config measures otherwise', async () => {
    fake.limits.maxCharacters = 1000;
    const mastodon = channel();
    await mastodon.publish(post({ text: LONG }));
    await mastodon.publish(post({ text: 'Short', key: 'k2' }));
    expect(fake.live.map((s) => s.text)).toEqual([LONG, 'Short']);
    expect(notices).toEqual([
      `Mastodon: ${new URL(fake.url).host} allows 1000 characters per post, each link counting 23; check measures otherwise: set mastodon.maxCharacters: 1000 in postgate.config.yaml`,
    ]);
  });

  it('refuses images the instance does not take: too many, a type it does not list, too large', async () => {
    fake.limits.maxMediaAttachments = 1;
    const many = await failure(channel().publish(post({ images: [PNG, { ...PNG, path: 'b.png' }] })));
    expect(many.message).toContain('2 images; ');
    expect(many.message).toContain('takes at most 1 per post');
    fake.limits.supportedMimeTypes = ['image/jpeg'];
    const type = await failure(channel().publish(post({ images: [PNG] })));
    expect(type.message).toContain('content/social/chart.png is image/png, which');
    fake.limits.supportedMimeTypes = ['image/png'];
    fake.limits.imageSizeLimit = 8;
    const size = await failure(channel().publish(post({ images: [PNG] })));
    expect(size.message).toContain('content/social/chart.png is 12 bytes;');
    expect(size.message).toContain('takes images up to 8 bytes');
    for (const error of [many, type, size]) expect(error.maybeSent).toBe(false);
    expect(uploads()).toHaveLength(0);
    expect(creations()).toHaveLength(0);
  });

  it('falls back to GET /api/v1/instance on a server older than 4.0', async () => {
    fake.instanceApi = 'v1';
    fake.limits.maxCharacters = 300;
    const error = await failure(channel().publish(post({ text: 'x'.repeat(301) })));
    expect(error.message).toContain('allows 300 (GET /api/v1/instance)');
    expect(requests('/api/v2/instance')).toHaveLength(1);
    expect(requests('/api/v1/instance')).toHaveLength(1);
    expect(notices).toEqual([expect.stringContaining('allows 300 characters per post')]);
  });

  it('falls back to GET /api/v1/instance when v2 answers garbage', async () => {
    fake.limits.maxCharacters = 300;
    fake.server.inject({ match: /^GET \/api\/v2\/instance$/, respond: { status: 200, body: '<html>Welcome</html>' } });
    expect((await failure(channel().publish(post({ text: 'x'.repeat(301) })))).message).toContain(
      'allows 300 (GET /api/v1/instance)',
    );
  });

  it("uses the config's limits when the instance says nothing, and says so once", async () => {
    fake.instanceApi = 'none';
    const mastodon = channel({ limits: { mastodon: { maxCharacters: 200, charactersReservedPerUrl: 23 } } });
    const error = await failure(mastodon.publish(post({ text: 'x'.repeat(201) })));
    expect(error.message).toBe(
      "Mastodon: the text is 201 characters (links count 23 each); the limit is 200 (mastodon.maxCharacters in postgate.config.yaml: the instance's own limit could not be read). Shorten it or split it into a thread",
    );
    await mastodon.publish(post({ text: 'x'.repeat(200) }));
    await mastodon.publish(post({ text: 'y', key: 'k2' }));
    expect(fake.live).toHaveLength(2);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toBe(
      `Mastodon: could not read ${new URL(fake.url).host}'s limits (GET /api/v2/instance: reading the instance (GET /api/v2/instance) was rejected: Record not found (HTTP 404); GET /api/v1/instance: reading the instance (GET /api/v1/instance) was rejected: Record not found (HTTP 404)); measuring by postgate.config.yaml: mastodon.maxCharacters 200, mastodon.charactersReservedPerUrl 23`,
    );
    expect(requests('/api/v2/instance')).toHaveLength(1);
    expect(requests('/api/v1/instance')).toHaveLength(1);
  });

  it('does not wait on the older endpoint when v2 does not answer at all', async () => {
    fake.server.inject({ match: /^GET \/api\/v2\/instance$/, hang: true });
    await channel({ timeoutMs: 500 }).publish(post());
    expect(fake.live).toHaveLength(1);
    expect(requests('/api/v1/instance')).toHaveLength(0);
    expect(notices).toEqual([expect.stringContaining('no answer within 500 ms')]);
  });

  it('a run cancelled while reading the instance sends nothing, and the next post asks again', async () => {
    fake.server.inject({ match: /^GET \/api\/v2\/instance$/, hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const mastodon = channel({ timeoutMs: 10_000 });
    const error = await failure(mastodon.publish(post({ signal: controller.signal })));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(false);
    expect(creations()).toHaveLength(0);
    await mastodon.publish(post());
    expect(requests('/api/v2/instance')).toHaveLength(2);
    expect(notices).toEqual([]);
  });

  it("measures by the config's limits in its rules (what check uses)", () => {
    expect(channel().rules.maxLength).toBe(500);
    const lax = channel({ limits: { mastodon: { maxCharacters: 1000, charactersReservedPerUrl: 40 } } });
    expect(lax.rules.maxLength).toBe(1000);
    expect(lax.rules.measure('see https://example.org/a')).toBe(44);
  });
});

describe('limitsFromInstance', () => {
  const configured = { maxCharacters: 500, charactersReservedPerUrl: 23 };

  it("reads Mastodon 4's v2 answer (as masto gives it, camelCased)", () => {
    const body = {
      configuration: {
        statuses: { maxCharacters: 5000, maxMediaAttachments: 8, charactersReservedPerUrl: 30 },
        mediaAttachments: { supportedMimeTypes: ['image/png'], imageSizeLimit: 1024 },
      },
    };
    expect(limitsFromInstance(body, 'GET /api/v2/instance', configured)).toEqual({
      maxCharacters: 5000,
      charactersReservedPerUrl: 30,
      maxMediaAttachments: 8,
      imageSizeLimit: 1024,
      supportedMimeTypes: ['image/png'],
      source: 'GET /api/v2/instance',
    });
  });

  it("reads an older server's max_toot_chars, taking what it leaves out from the config", () => {
    expect(limitsFromInstance({ maxTootChars: 5000 }, 'GET /api/v1/instance', configured)).toEqual({
      maxCharacters: 5000,
      charactersReservedPerUrl: 23,
      source: 'GET /api/v1/instance',
    });
  });

  it('refuses answers without a usable character limit', () => {
    for (const body of [
      null,
      '<html>',
      [],
      {},
      { configuration: { statuses: { maxCharacters: '500' } } },
      { configuration: { statuses: { maxCharacters: 0 } } },
      { configuration: { statuses: { maxCharacters: 1.5 } } },
    ])
      expect(limitsFromInstance(body, 'GET /api/v2/instance', configured), JSON.stringify(body)).toBeNull();
    // A broken reservation or media limit is left out, not believed.
    const body = {
      configuration: {
        statuses: { maxCharacters: 700, charactersReservedPerUrl: -1 },
        mediaAttachments: { imageSizeLimit: 'big' },
      },
    };
    expect(limitsFromInstance(body, 'GET /api/v2/instance', configured)).toEqual({
      maxCharacters: 700,
      charactersReservedPerUrl: 23,
      source: 'GET /api/v2/instance',
    });
  });
});
