import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeLinkedIn, keptOfLittleText, ORGANIZATION } from './fake-linkedin.ts';

/**
 * The fake LinkedIn answers as LinkedIn does where Postgate depends on it, on the wire: the version
 * header, the 3,000 limit, little text cut at its first bare reserved character, DUPLICATE_POST, a
 * person's posts not listed, images that must be uploaded before a post shows them.
 */
let fake: FakeLinkedIn;
beforeEach(async () => {
  fake = new FakeLinkedIn();
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${fake.member.token}`,
      'linkedin-version': '202511',
      'x-restli-protocol-version': '2.0.0',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const post = (commentary: string, author = ORGANIZATION, extra: Record<string, unknown> = {}) =>
  call('POST', '/rest/posts', {
    author,
    commentary,
    visibility: 'PUBLIC',
    lifecycleState: 'PUBLISHED',
    distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    isReshareDisabledByAuthor: false,
    ...extra,
  });

describe('the fake LinkedIn', () => {
  it('asks for a version, and answers 426 NONEXISTENT_VERSION for a retired one', async () => {
    expect(
      (await call('GET', `/rest/posts?q=author&author=${ORGANIZATION}`, undefined, { 'linkedin-version': '202301' }))
        .body,
    ).toEqual({
      status: 426,
      serviceErrorCode: 100,
      code: 'NONEXISTENT_VERSION',
      message: 'Requested version 202301 is not active',
    });
    const missing = await fetch(`${fake.url}/rest/posts/x`, {
      headers: { authorization: `Bearer ${fake.member.token}` },
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe('VERSION_MISSING');
  });

  it('answers 201 with the URN in x-restli-id and keeps the commentary up to its first bare reserved character', async () => {
    const answer = await post('Escaped \\(fine\\) then bare (cut here) and more');
    expect(answer.status).toBe(201);
    expect(answer.body).toBeUndefined();
    expect(answer.headers.get('x-restli-id')).toBe(fake.live[0]!.id);
    expect(fake.live[0]!.commentary).toBe('Escaped \\(fine\\) then bare ');
    expect(keptOfLittleText('a\\b')).toBe('a');
    expect(keptOfLittleText('ends with \\')).toBe('ends with ');
    expect(keptOfLittleText('\\\\ \\_ \\~')).toBe('\\\\ \\_ \\~');
  });

  it('refuses over 3,000 characters as received, and a repeated text naming the post that has it', async () => {
    expect((await post('a'.repeat(3001))).status).toBe(422);
    expect((await post('a'.repeat(3000))).status).toBe(201);
    const again = await post('a'.repeat(3000));
    expect(again).toMatchObject({
      status: 422,
      body: {
        message: `Content is a duplicate of ${fake.live[0]!.id}`,
        errorDetails: { inputErrors: [{ code: 'DUPLICATE_POST' }] },
      },
    });
  });

  it('lists a page\u2019s posts, newest first, and no person\u2019s', async () => {
    fake.addPost(ORGANIZATION, 'older', Date.now() - 1000);
    fake.addPost(ORGANIZATION, 'newer');
    const list = await call('GET', `/rest/posts?q=author&author=${encodeURIComponent(ORGANIZATION)}&count=1&start=0`);
    expect(list.body.elements.map((p: { commentary: string }) => p.commentary)).toEqual(['newer']);
    expect((await call('GET', `/rest/posts?q=author&author=${encodeURIComponent(fake.personUrn)}`)).status).toBe(403);
  });

  it('shows only an image that was uploaded, by the post\u2019s author', async () => {
    const init = await call('POST', '/rest/images?action=initializeUpload', {
      initializeUploadRequest: { owner: ORGANIZATION },
    });
    const { uploadUrl, image } = init.body.value as { uploadUrl: string; image: string };
    const media = { content: { media: { id: image, altText: 'alt' } } };
    expect((await post('Not yet uploaded', ORGANIZATION, media)).status).toBe(400);
    const put = await fetch(uploadUrl, {
      method: 'PUT',
      headers: { authorization: `Bearer ${fake.member.token}` },
      body: 'bytes',
    });
    expect(put.status).toBe(201);
    expect((await post('Uploaded', fake.personUrn, media)).status).toBe(400);
    expect((await post('Uploaded', ORGANIZATION, media)).status).toBe(201);
  });

  it('refuses an unknown token with 401', async () => {
    expect((await call('GET', '/v2/userinfo', undefined, { authorization: 'Bearer nope' })).body).toMatchObject({
      status: 401,
      code: 'INVALID_ACCESS_TOKEN',
    });
  });
});
