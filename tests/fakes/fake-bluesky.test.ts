import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pngBytes } from '../helpers/images.ts';
import { FakeBluesky } from './fake-bluesky.ts';

/**
 * The fake PDS refuses what the reference PDS refuses, in its words (bluesky-social/atproto,
 * packages/pds: createRecord turns an invalid record into 400 InvalidRequest "Invalid <collection>
 * record: …"; verifyBlobAndMakePermanent answers 400 BlobNotFound "Could not find blob: <cid>";
 * resolveHandle answers 400 "Unable to resolve handle"). Plain HTTP, so the answers are pinned as
 * they are on the wire.
 */
let fake: FakeBluesky;
let token: string;

beforeEach(async () => {
  token = '';
  fake = new FakeBluesky();
  await fake.start();
  const session = await xrpc('com.atproto.server.createSession', { identifier: fake.handle, password: fake.password });
  token = (session.body as { accessJwt: string }).accessJwt;
});
afterEach(async () => {
  await fake.stop();
});

async function xrpc(method: string, body?: unknown, init: { query?: string; bytes?: Uint8Array; mime?: string } = {}) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const url = `${fake.url}/xrpc/${method}${init.query ? `?${init.query}` : ''}`;
  const response = init.bytes
    ? await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': init.mime ?? '' },
        body: Buffer.from(init.bytes),
      })
    : body === undefined
      ? await fetch(url, { headers })
      : await fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const NOW = '2026-12-01T09:30:00.000Z';
const create = (record: Record<string, unknown>) =>
  xrpc('com.atproto.repo.createRecord', { repo: fake.did, collection: 'app.bsky.feed.post', record });

describe('the fake PDS validates posts as the PDS does', () => {
  it('takes a valid post', async () => {
    const answer = await create({ $type: 'app.bsky.feed.post', text: 'Hello', createdAt: NOW, langs: ['de-CH'] });
    expect(answer.status).toBe(200);
    expect(fake.livePosts).toHaveLength(1);
  });

  it('refuses a post without createdAt', async () => {
    const answer = await create({ $type: 'app.bsky.feed.post', text: 'Hello' });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'InvalidRequest',
        message: 'Invalid app.bsky.feed.post record: Record must have the property "createdAt"',
      },
    });
    expect(fake.records).toHaveLength(0);
  });

  it('refuses a mention facet that holds a handle where its DID belongs (detection without resolution)', async () => {
    const answer = await create({
      $type: 'app.bsky.feed.post',
      text: 'Hi @alice.example.com',
      createdAt: NOW,
      facets: [
        {
          index: { byteStart: 3, byteEnd: 21 },
          features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'alice.example.com' }],
        },
      ],
    });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'InvalidRequest',
        message: 'Invalid app.bsky.feed.post record: Record/facets/0/features/0/did must be a valid did',
      },
    });
  });

  it('refuses langs that are not BCP 47 tags, and an aspect ratio of zero', async () => {
    const langs = await create({ $type: 'app.bsky.feed.post', text: 'Hi', createdAt: NOW, langs: ['en_US'] });
    expect(langs.body.message).toBe(
      'Invalid app.bsky.feed.post record: Record/langs/0 must be a well-formed BCP 47 language tag',
    );
    const uploaded = await xrpc('com.atproto.repo.uploadBlob', undefined, {
      bytes: pngBytes(10, 10),
      mime: 'image/png',
    });
    const blob = (uploaded.body as { blob: unknown }).blob;
    const flat = await create({
      $type: 'app.bsky.feed.post',
      text: 'Hi',
      createdAt: NOW,
      embed: {
        $type: 'app.bsky.embed.images',
        images: [{ image: blob, alt: '', aspectRatio: { width: 0, height: 1 } }],
      },
    });
    expect(flat.status).toBe(400);
    expect(flat.body.message).toContain('aspectRatio/width can not be less than 1');
  });
});

describe("the fake PDS checks a record's blobs as the PDS does", () => {
  const card = (thumb: unknown) => ({
    $type: 'app.bsky.feed.post',
    text: 'New on the blog',
    createdAt: NOW,
    embed: {
      $type: 'app.bsky.embed.external',
      external: { uri: 'https://example.org/posts/launch', title: 'Launch', description: 'How', thumb },
    },
  });

  it('names an upload by what its bytes are, as the PDS does, and takes a thumbnail it holds', async () => {
    const uploaded = await xrpc('com.atproto.repo.uploadBlob', undefined, {
      bytes: pngBytes(1200, 630, 2000),
      mime: 'application/octet-stream',
    });
    const blob = (uploaded.body as { blob: { mimeType: string; size: number } }).blob;
    expect(blob).toMatchObject({ $type: 'blob', mimeType: 'image/png', size: 2000 });
    expect((await create(card(blob))).status).toBe(200);
  });

  it('refuses a thumbnail that was never uploaded', async () => {
    const cid = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';
    const answer = await create(card({ $type: 'blob', ref: { $link: cid }, mimeType: 'image/png', size: 2000 }));
    expect(answer).toEqual({ status: 400, body: { error: 'BlobNotFound', message: `Could not find blob: ${cid}` } });
    expect(fake.records).toHaveLength(0);
  });

  it("refuses a thumbnail over the lexicon's 1,000,000 bytes, or not an image, though the upload was taken", async () => {
    const big = await xrpc('com.atproto.repo.uploadBlob', undefined, {
      bytes: pngBytes(4000, 3000, 1_000_001),
      mime: 'image/png',
    });
    expect(big.status).toBe(200);
    const tooBig = await create(card((big.body as { blob: unknown }).blob));
    expect(tooBig).toEqual({
      status: 400,
      body: {
        error: 'InvalidRequest',
        message:
          'Invalid app.bsky.feed.post record: Record/embed/external/thumb must not be larger than 1000000 bytes (got 1000001)',
      },
    });
    const text = await xrpc('com.atproto.repo.uploadBlob', undefined, {
      bytes: new TextEncoder().encode('not an image'),
      mime: 'text/plain',
    });
    const notImage = await create(card((text.body as { blob: unknown }).blob));
    expect(notImage.body.message).toBe(
      'Invalid app.bsky.feed.post record: Record/embed/external/thumb/mimeType must be one of image/* (got text/plain)',
    );
    expect(fake.records).toHaveLength(0);
  });

  it('refuses a blob named with another size than it has', async () => {
    const uploaded = await xrpc('com.atproto.repo.uploadBlob', undefined, {
      bytes: pngBytes(10, 10),
      mime: 'image/png',
    });
    const blob = (uploaded.body as { blob: { size: number } }).blob;
    const answer = await create(card({ ...blob, size: blob.size + 1 }));
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'InvalidSize',
        message: `Referenced Size does not match stored blob. Expected: ${blob.size}, Got: ${blob.size + 1}`,
      },
    });
  });
});

describe('the fake PDS resolves handles', () => {
  it('answers the DID of a handle it knows, in any case, and 400 "Unable to resolve handle" otherwise', async () => {
    fake.addAccount('alice.example.com', 'did:plc:alice4sxh3qcyzadztlm7jv5');
    expect(await xrpc('com.atproto.identity.resolveHandle', undefined, { query: 'handle=Alice.Example.com' })).toEqual({
      status: 200,
      body: { did: 'did:plc:alice4sxh3qcyzadztlm7jv5' },
    });
    expect(await xrpc('com.atproto.identity.resolveHandle', undefined, { query: `handle=${fake.handle}` })).toEqual({
      status: 200,
      body: { did: fake.did },
    });
    expect(await xrpc('com.atproto.identity.resolveHandle', undefined, { query: 'handle=nobody.example.com' })).toEqual(
      {
        status: 400,
        body: { error: 'InvalidRequest', message: 'Unable to resolve handle' },
      },
    );
  });
});
