import { lexicons, RichText } from '@atproto/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlueskyChannel } from '../../src/channels/bluesky.ts';
import { resolvedFacets } from '../../src/channels/bluesky-facets.ts';
import { languageTag } from '../../src/channels/bluesky-language.ts';
import { THUMB_MAX_BYTES } from '../../src/channels/bluesky-media.ts';
import type { CardImage, ImageUpload, PostRequest, RemotePost } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { FakeBluesky } from '../fakes/fake-bluesky.ts';
import { jpegBytes, pngBytes, svgBytes } from '../helpers/images.ts';

/**
 * What a Bluesky post record carries, as the app makes it: langs, images with alt text and aspect
 * ratio, a link card with the linked post's cover as its thumbnail, mentions resolved to DIDs.
 * The real channel (@atproto/api) against the fake PDS, which validates every record against the
 * lexicon and refuses blobs it never received.
 */
const DUE = Date.parse('2026-12-01T09:30:00Z');
const ALICE = 'did:plc:alice4sxh3qcyzadztlm7jv5';

let fake: FakeBluesky;
let warnings: string[];

beforeEach(async () => {
  fake = new FakeBluesky();
  await fake.start();
  warnings = [];
});
afterEach(async () => {
  await fake.stop();
});

function channel(options: { language?: string; timeoutMs?: number } = {}): BlueskyChannel {
  return new BlueskyChannel({
    service: fake.url,
    handle: fake.handle,
    appPassword: fake.password,
    timeoutMs: options.timeoutMs ?? 3000,
    ...(options.language === undefined ? {} : { language: options.language }),
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
    signal: new AbortController().signal,
    warn: (message) => warnings.push(message),
    ...overrides,
  };
}

interface Blob {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}
interface PostRecord {
  text: string;
  langs?: string[];
  facets?: { index: { byteStart: number; byteEnd: number }; features: Record<string, unknown>[] }[];
  embed?: {
    $type: string;
    images?: { image: Blob; alt: string; aspectRatio?: { width: number; height: number } }[];
    external?: { uri: string; title: string; description: string; thumb?: Blob };
  };
}
const recordOf = (remote: RemotePost) => fake.records.find((r) => r.uri === remote.id)!.record as unknown as PostRecord;
const calls = (method: string) => fake.server.requests.filter((r) => r.path === `/xrpc/${method}`);
const indexOf = (method: string) => fake.server.requests.findIndex((r) => r.path === `/xrpc/${method}`);

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('langs: the language of the post, from site.language', () => {
  it('says the site language on every post, as a BCP 47 tag in its usual case', async () => {
    const swiss = await channel({ language: 'de-CH' }).publish(post());
    expect(recordOf(swiss).langs).toEqual(['de-CH']);
    const shouted = await channel({ language: ' DE-ch ' }).publish(post({ key: 'second' }));
    expect(recordOf(shouted).langs).toEqual(['de-CH']);
    expect(warnings).toEqual([]);
  });

  it('says no language, with a warning, when site.language is not a BCP 47 tag; the post goes', async () => {
    const remote = await channel({ language: 'en_US' }).publish(post());
    expect(recordOf(remote)).not.toHaveProperty('langs');
    expect(warnings).toEqual([
      `the site's language "en_US" is not a BCP 47 tag (such as en or de-CH): the post says no language`,
    ]);
  });

  it('reads tags as atproto does: well-formed BCP 47, case put right, nothing guessed', () => {
    const cases: [string, string | null][] = [
      ['en', 'en'],
      ['de-CH', 'de-CH'],
      ['pt-br', 'pt-BR'],
      ['zh-hant-tw', 'zh-Hant-TW'],
      ['EN', 'en'],
      ['sgn-ch-de', 'sgn-CH-DE'],
      ['en-x-ca', 'en-x-ca'],
      ['en_US', null],
      ['English', null],
      ['e', null],
      ['', null],
      ['de-CH-', null],
    ];
    expect(cases.map(([raw]) => [raw, languageTag(raw)])).toEqual(cases);
  });
});

describe('images: alt text and aspect ratio', () => {
  it('gives each image the aspect ratio read from its bytes, turned as EXIF says; an unreadable one goes without', async () => {
    const image = (path: string, mime: string, bytes: Uint8Array, alt: string): ImageUpload => ({
      path,
      mime,
      bytes,
      alt,
    });
    const remote = await channel().publish(
      post({
        images: [
          image('content/social/chart.png', 'image/png', pngBytes(1200, 630), 'Sign-ups per week'),
          image('content/social/portrait.jpg', 'image/jpeg', jpegBytes(640, 480, 6), 'The team, standing'),
          image('content/social/odd.png', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), 'Odd'),
        ],
      }),
    );
    const images = recordOf(remote).embed!.images!;
    expect(images.map((i) => [i.alt, i.aspectRatio])).toEqual([
      ['Sign-ups per week', { width: 1200, height: 630 }],
      ['The team, standing', { width: 480, height: 640 }],
      ['Odd', undefined],
    ]);
    expect(images[2]).not.toHaveProperty('aspectRatio');
    expect(warnings).toEqual([]);
  });
});

describe("the link card's thumbnail: the linked post's cover", () => {
  const card = { url: 'https://example.org/posts/launch', title: 'Launch', description: 'How we doubled sign-ups' };
  const bare = {
    $type: 'app.bsky.embed.external',
    external: { uri: card.url, title: card.title, description: card.description },
  };
  function cover(bytes: Uint8Array, mime = 'image/png', path = 'content/posts/launch-cover.png') {
    const reads: number[] = [];
    const image: CardImage = {
      path,
      read: async () => {
        reads.push(Date.now());
        return { path, mime, alt: 'A cover', bytes };
      },
    };
    return { image, reads };
  }

  it('uploads the cover before the post is created and makes it the thumbnail', async () => {
    const bytes = pngBytes(1200, 630, 4000);
    const remote = await channel().publish(post({ linkCard: { ...card, image: cover(bytes).image } }));
    expect(fake.blobs).toHaveLength(1);
    expect(Buffer.compare(fake.blobs[0]!.bytes, Buffer.from(bytes))).toBe(0);
    expect(recordOf(remote).embed).toEqual({
      $type: 'app.bsky.embed.external',
      external: {
        uri: card.url,
        title: card.title,
        description: card.description,
        thumb: { $type: 'blob', ref: { $link: fake.blobs[0]!.cid }, mimeType: 'image/png', size: 4000 },
      },
    });
    expect(indexOf('com.atproto.repo.uploadBlob')).toBeLessThan(indexOf('com.atproto.repo.createRecord'));
    expect(warnings).toEqual([]);
  });

  it(`takes a cover of exactly ${THUMB_MAX_BYTES} bytes, the lexicon's limit, and leaves out a larger one with a warning`, async () => {
    expect(THUMB_MAX_BYTES).toBe(
      (
        lexicons.getDefOrThrow('app.bsky.embed.external#external') as unknown as {
          properties: { thumb: { maxSize: number } };
        }
      ).properties.thumb.maxSize,
    );
    const atLimit = await channel().publish(
      post({ linkCard: { ...card, image: cover(pngBytes(1200, 630, THUMB_MAX_BYTES)).image } }),
    );
    expect(recordOf(atLimit).embed!.external!.thumb!.size).toBe(THUMB_MAX_BYTES);

    const over = await channel().publish(
      post({ key: 'over', linkCard: { ...card, image: cover(pngBytes(1200, 630, THUMB_MAX_BYTES + 1)).image } }),
    );
    expect(recordOf(over).embed).toEqual(bare);
    expect(calls('com.atproto.repo.uploadBlob')).toHaveLength(1); // the first only
    expect(warnings).toEqual([
      'the link card goes without a thumbnail: the cover content/posts/launch-cover.png is 976.6 KB (1000001 bytes); a thumbnail may be at most 1000000 bytes',
    ]);
  });

  it('leaves out a cover of a type Bluesky does not show, or one that cannot be read, with a warning', async () => {
    const svg = cover(svgBytes(1200, 630), 'image/svg+xml', 'content/posts/launch-cover.svg');
    const a = await channel().publish(post({ linkCard: { ...card, image: svg.image } }));
    const unreadable: CardImage = {
      path: 'content/posts/gone.png',
      read: async () => {
        throw new Error('ENOENT: no such file or directory');
      },
    };
    const b = await channel().publish(post({ key: 'gone', linkCard: { ...card, image: unreadable } }));
    for (const remote of [a, b]) expect(recordOf(remote).embed).toEqual(bare);
    expect(calls('com.atproto.repo.uploadBlob')).toHaveLength(0);
    expect(warnings).toEqual([
      'the link card goes without a thumbnail: the cover content/posts/launch-cover.svg is image/svg+xml; Bluesky shows png, jpeg, webp, gif',
      'the link card goes without a thumbnail: could not read the cover content/posts/gone.png (ENOENT: no such file or directory)',
    ]);
  });

  it('leaves out a cover the PDS refuses, with its reason, and still posts', async () => {
    fake.server.inject({
      match: /uploadBlob/,
      respond: { status: 400, body: { error: 'InvalidRequest', message: 'Blob has been takendown, cannot re-upload' } },
    });
    const remote = await channel().publish(post({ linkCard: { ...card, image: cover(pngBytes(800, 418)).image } }));
    expect(recordOf(remote).embed).toEqual(bare);
    expect(warnings).toEqual([
      'the link card goes without a thumbnail: Bluesky: could not upload content/posts/launch-cover.png: Blob has been takendown, cannot re-upload (HTTP 400)',
    ]);
  });

  it('fails the post, known not sent, when the PDS cannot take the upload at all', async () => {
    fake.server.inject({ match: /uploadBlob/, respond: { status: 503, body: { error: 'Unavailable' } } });
    const error = await failure(
      channel().publish(post({ linkCard: { ...card, image: cover(pngBytes(800, 418)).image } })),
    );
    expect(error.kind).toBe('unavailable');
    expect(error.maybeSent).toBe(false);
    expect(fake.records).toHaveLength(0);
  });

  it('sends images instead of the card, without even reading the cover', async () => {
    const { image, reads } = cover(pngBytes(1200, 630));
    const chart: ImageUpload = {
      path: 'content/social/c.png',
      mime: 'image/png',
      alt: 'Chart',
      bytes: pngBytes(600, 315),
    };
    const remote = await channel().publish(post({ images: [chart], linkCard: { ...card, image } }));
    expect(recordOf(remote).embed!.$type).toBe('app.bsky.embed.images');
    expect(reads).toEqual([]);
    expect(fake.blobs).toHaveLength(1);
  });
});

describe('mentions: handles resolved to DIDs through the PDS', () => {
  const facetsOf = (remote: RemotePost) => recordOf(remote).facets ?? [];
  const covered = (text: string, facet: { index: { byteStart: number; byteEnd: number } }) =>
    Buffer.from(text).subarray(facet.index.byteStart, facet.index.byteEnd).toString();

  it('makes a mention facet for each handle that resolves; links and tags exactly as RichText makes them', async () => {
    fake.addAccount('alice.example.com', ALICE);
    const text =
      'Danke @alice.example.com und @postgate.bsky.social für #launchday 🎉 https://example.org/posts/launch';
    const remote = await channel().publish(post({ text }));
    const facets = facetsOf(remote);
    expect(facets.map((f) => [covered(text, f), f.features])).toEqual([
      ['@alice.example.com', [{ $type: 'app.bsky.richtext.facet#mention', did: ALICE }]],
      ['@postgate.bsky.social', [{ $type: 'app.bsky.richtext.facet#mention', did: fake.did }]],
      ['#launchday', [{ $type: 'app.bsky.richtext.facet#tag', tag: 'launchday' }]],
      [
        'https://example.org/posts/launch',
        [{ $type: 'app.bsky.richtext.facet#link', uri: 'https://example.org/posts/launch' }],
      ],
    ]);
    const rich = new RichText({ text });
    rich.detectFacetsWithoutResolution();
    const notMentions = (rich.facets ?? []).filter((f) => !f.features.some((x) => x.$type.endsWith('#mention')));
    expect(facets.slice(2)).toEqual(JSON.parse(JSON.stringify(notMentions)));
    expect(calls('com.atproto.identity.resolveHandle').map((r) => r.query.get('handle'))).toEqual([
      'alice.example.com',
      'postgate.bsky.social',
    ]);
    expect(warnings).toEqual([]);
  });

  it('leaves a handle that does not resolve as plain text, quietly, and asks once for a handle named twice', async () => {
    const text = 'Hello @nobody.example.com, yes you @nobody.example.com #hi';
    const remote = await channel().publish(post({ text }));
    expect(facetsOf(remote).map((f) => covered(text, f))).toEqual(['#hi']);
    expect(calls('com.atproto.identity.resolveHandle')).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('leaves the mention as text and warns when the PDS fails to resolve it; the post goes', async () => {
    fake.addAccount('alice.example.com', ALICE);
    fake.server.inject({
      match: /resolveHandle/,
      respond: { status: 502, body: { error: 'UpstreamFailure', message: 'Upstream Failure' } },
    });
    const remote = await channel().publish(post({ text: 'Thanks @alice.example.com!' }));
    expect(facetsOf(remote)).toEqual([]);
    expect(warnings).toEqual([
      '@alice.example.com goes out as plain text, not as a mention: Bluesky: could not resolve @alice.example.com: Upstream Failure (HTTP 502)',
    ]);
  });

  it('does not let a PDS that never answers about a handle use up the time the post needs', async () => {
    fake.addAccount('alice.example.com', ALICE);
    fake.server.inject({ match: /resolveHandle/, hang: true });
    const started = Date.now();
    const remote = await channel({ timeoutMs: 3000 }).publish(
      post({ text: 'Thanks @alice.example.com!', signal: AbortSignal.timeout(3000) }),
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(facetsOf(remote)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^@alice\.example\.com goes out as plain text, not as a mention: Bluesky: no answer in time/,
    );
  });

  it('does not take an answer that is not a DID (the client checks the answer against the lexicon)', async () => {
    fake.server.inject({ match: /resolveHandle/, respond: { status: 200, body: { did: 'alice.example.com' } } });
    const remote = await channel().publish(post({ text: 'Thanks @alice.example.com!' }));
    expect(facetsOf(remote)).toEqual([]);
    expect(warnings).toEqual([
      '@alice.example.com goes out as plain text, not as a mention: Bluesky: the answer to resolve @alice.example.com is not what the API promises (HTTP 200)',
    ]);
  });

  it('never puts anything but a DID in a mention, whatever the resolver says', async () => {
    const text = '@a.example.com @b.example.com @c.example.com';
    const answers: Record<string, string | null> = {
      'a.example.com': 'alice',
      'b.example.com': '',
      'c.example.com': ALICE,
    };
    const said: string[] = [];
    const facets = await resolvedFacets(
      text,
      async (handle) => answers[handle] ?? null,
      (m) => said.push(m),
    );
    expect(facets.map((f) => f.features)).toEqual([[{ $type: 'app.bsky.richtext.facet#mention', did: ALICE }]]);
    expect(said).toEqual([
      '@a.example.com goes out as plain text, not as a mention: the PDS answered "alice", which is not a DID',
      '@b.example.com goes out as plain text, not as a mention: the PDS answered "", which is not a DID',
    ]);
  });
});
