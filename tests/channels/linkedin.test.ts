import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindRequest, ImageUpload, PostRequest } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { channelLoader } from '../../src/channels/from-env.ts';
import { LinkedInChannel, type LinkedInOptions, linkedinFromEnv } from '../../src/channels/linkedin.ts';
import { escapeLittleText } from '../../src/channels/linkedin-text.ts';
import { FakeLinkedIn, keptOfLittleText, ORGANIZATION } from '../fakes/fake-linkedin.ts';
import { pngBytes } from '../helpers/images.ts';

/**
 * The LinkedIn channel against the fake: posts as a page and as a person, little text escaped so
 * LinkedIn keeps all of it, one image through the Images API, DUPLICATE_POST taken as the post
 * sent, find for pages (listed back) and for persons (a person has to look), and failures mapped
 * as for the other networks.
 */
let fake: FakeLinkedIn;
beforeEach(async () => {
  fake = new FakeLinkedIn();
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
});

function channel(options: Partial<LinkedInOptions> = {}): LinkedInChannel {
  return new LinkedInChannel({
    baseUrl: fake.url,
    token: fake.member.token,
    version: '202511',
    author: ORGANIZATION,
    timeoutMs: 2_000,
    ...options,
  });
}

const TEXT = 'We are hiring (two roles): https://example.org/jobs?utm_source=linkedin #community @everyone_* ~[ok]';

function post(overrides: Partial<PostRequest> = {}): PostRequest {
  return {
    itemId: 'social/hiring',
    part: 0,
    parts: 1,
    text: TEXT,
    images: [],
    replyTo: null,
    threadRoot: null,
    key: 'social/hiring:linkedin:0:9b1c',
    dueAt: Date.now() - 60_000,
    linkCard: null,
    signal: new AbortController().signal,
    ...overrides,
  };
}

function findRequest(overrides: Partial<FindRequest> = {}): FindRequest {
  return {
    itemId: 'social/hiring',
    part: 0,
    text: TEXT,
    key: 'social/hiring:linkedin:0:9b1c',
    dueAt: Date.now(),
    notBefore: Date.now() - 5 * 60_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const PNG: ImageUpload = {
  path: 'content/social/team.png',
  mime: 'image/png',
  alt: 'The team of six in front of the new office',
  bytes: pngBytes(1200, 627, 400),
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

const CREATE = /^POST \/rest\/posts$/;

describe('LinkedInChannel.publish', () => {
  it('posts as the page, escaped, so LinkedIn keeps every character', async () => {
    const remote = await channel().publish(post());
    expect(fake.live).toHaveLength(1);
    const made = fake.live[0]!;
    expect(remote).toEqual({ id: made.id, url: `https://www.linkedin.com/feed/update/${made.id}/` });
    expect(made.author).toBe(ORGANIZATION);
    expect(made.received).toBe(escapeLittleText(TEXT));
    expect(made.commentary).toBe(made.received);
    expect(made.body).toMatchObject({
      visibility: 'PUBLIC',
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
    });
    const [request] = fake.creations();
    expect(request!.headers['linkedin-version']).toBe('202511');
    expect(request!.headers['x-restli-protocol-version']).toBe('2.0.0');
  });

  it('(the fake is strict) the same text unescaped is cut at its first reserved character', async () => {
    const answer = await fetch(`${fake.url}/rest/posts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fake.member.token}`,
        'linkedin-version': '202511',
        'x-restli-protocol-version': '2.0.0',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        author: ORGANIZATION,
        commentary: TEXT,
        visibility: 'PUBLIC',
        lifecycleState: 'PUBLISHED',
        distribution: { feedDistribution: 'MAIN_FEED' },
      }),
    });
    expect(answer.status).toBe(201);
    expect(fake.live[0]!.commentary).toBe('We are hiring ');
    expect(keptOfLittleText(TEXT)).toBe('We are hiring ');
  });

  it('posts as the person the token belongs to, read from OpenID userinfo once', async () => {
    const linkedin = channel({ author: 'person' });
    await linkedin.publish(post());
    await linkedin.publish(post({ text: 'A second post' }));
    expect(fake.live.map((p) => p.author)).toEqual([fake.personUrn, fake.personUrn]);
    const userinfo = fake.server.requests.filter((r) => r.path === '/v2/userinfo');
    expect(userinfo).toHaveLength(1);
    expect(userinfo[0]!.headers['linkedin-version']).toBeUndefined();
  });

  it('uploads one image through the Images API and shows it with its alt text', async () => {
    await channel().publish(post({ images: [PNG] }));
    const [image] = fake.images;
    expect(image!.owner).toBe(ORGANIZATION);
    expect([...image!.bytes!]).toEqual([...PNG.bytes]);
    expect(image!.mime).toBe('image/png');
    expect(fake.live[0]!.media).toEqual({ id: image!.urn, altText: PNG.alt });
  });

  it('refuses a thread, an over-long text and a second image before any request', async () => {
    const linkedin = channel();
    const thread = await failure(linkedin.publish(post({ parts: 2 })));
    expect(thread.message).toContain('LinkedIn has no threads');
    expect(thread).toMatchObject({ kind: 'rejected', maybeSent: false });
    const long = await failure(linkedin.publish(post({ text: `${'a'.repeat(2999)}__` })));
    expect(long.message).toBe(
      'LinkedIn: the post is 3003 characters as sent (escaped), the limit is 3000; nothing was sent',
    );
    const two = await failure(linkedin.publish(post({ images: [PNG, PNG] })));
    expect(two.message).toContain('1 image');
    expect(fake.server.requests).toHaveLength(0);
  });

  it('takes DUPLICATE_POST as "probably sent": the post it names, with a warning', async () => {
    const earlier = fake.addPost(ORGANIZATION, escapeLittleText(TEXT));
    const warnings: string[] = [];
    const remote = await channel().publish(post({ warn: (m) => warnings.push(m) }));
    expect(remote).toEqual({ id: earlier.id, url: `https://www.linkedin.com/feed/update/${earlier.id}/` });
    expect(fake.live).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining(`DUPLICATE_POST, ${earlier.id}`)]);
  });

  it('another 422 is refused, with LinkedIn\u2019s words', async () => {
    fake.server.inject({
      match: CREATE,
      respond: { status: 422, body: { status: 422, code: 'UNPROCESSABLE_ENTITY', message: 'Organization is locked' } },
    });
    const error = await failure(channel().publish(post()));
    expect(error).toMatchObject({ kind: 'rejected', status: 422, maybeSent: false });
    expect(error.message).toBe(
      'LinkedIn: creating the post was refused: UNPROCESSABLE_ENTITY: Organization is locked (HTTP 422)',
    );
  });
});

describe('LinkedInChannel failures', () => {
  it('a retired version: 426 NONEXISTENT_VERSION names the setting to change', async () => {
    const error = await failure(channel({ version: '202301' }).publish(post()));
    expect(error).toMatchObject({ kind: 'unavailable', status: 426, maybeSent: false });
    expect(error.message).toContain('LinkedIn no longer serves API version 202301');
    expect(error.message).toContain('set linkedin.version in postgate.config.yaml');
    expect(fake.live).toHaveLength(0);
  });

  it('401 is auth, and the token never appears even when the server echoes it', async () => {
    fake.echoAuthorization = true;
    const error = await failure(channel({ token: 'a-wrong-token-123456' }).publish(post()));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(error.message).toContain('INVALID_ACCESS_TOKEN');
    expect(error.message).not.toContain('a-wrong-token-123456');
    expect(error.message).toContain('[redacted]');
  });

  it('403 (a page the member does not administer) is auth, naming the scopes', async () => {
    const error = await failure(channel({ author: 'urn:li:organization:999' }).publish(post()));
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect(error.message).toContain('w_organization_social');
  });

  it('429 is rate limited, with the wait LinkedIn gives', async () => {
    fake.server.inject({ match: CREATE, respond: { status: 429, headers: { 'retry-after': '30' }, body: {} } });
    const error = await failure(channel().publish(post()));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 30_000 });
  });

  it('5xx on the post may have posted it; on an upload it did not', async () => {
    fake.server.inject({ match: CREATE, respondAfterHandling: { status: 504, body: { message: 'Gateway timeout' } } });
    const lost = await failure(channel().publish(post()));
    expect(lost).toMatchObject({ kind: 'unavailable', status: 504, maybeSent: true });
    expect(fake.live).toHaveLength(1);
    fake.server.inject({ match: /^POST \/rest\/images$/, respond: { status: 500, body: {} } });
    const upload = await failure(channel().publish(post({ text: 'Other', images: [PNG] })));
    expect(upload).toMatchObject({ kind: 'unavailable', maybeSent: false });
  });

  it('no answer in time is a timeout that may have posted', async () => {
    fake.server.inject({ match: CREATE, hang: true, afterHandling: true });
    const error = await failure(channel({ timeoutMs: 500 }).publish(post()));
    expect(error).toMatchObject({ kind: 'timeout', maybeSent: true });
    expect(error.message).toBe('LinkedIn: no answer within 500 ms while creating the post');
  });

  it('a 201 without x-restli-id is malformed and may have posted', async () => {
    fake.server.inject({ match: CREATE, respondAfterHandling: { status: 201 } });
    const error = await failure(channel().publish(post()));
    expect(error).toMatchObject({ kind: 'malformed', maybeSent: true });
  });

  it('refuses to send the token to an upload address that is not LinkedIn\u2019s', async () => {
    const elsewhere = new FakeLinkedIn();
    await elsewhere.start();
    try {
      fake.server.inject({
        match: /^POST \/rest\/images$/,
        respond: { status: 200, body: { value: { uploadUrl: 'http://198.51.100.7/upload', image: 'urn:li:image:X' } } },
      });
      const error = await failure(channel().publish(post({ images: [PNG] })));
      expect(error.message).toContain("is not LinkedIn's over https");
      expect(error.maybeSent).toBe(false);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe('LinkedInChannel.find', () => {
  it('finds a page\u2019s post made since the attempt, and only a matching one', async () => {
    fake.addPost(ORGANIZATION, escapeLittleText('Something else'));
    const made = fake.addPost(ORGANIZATION, escapeLittleText(TEXT));
    expect(await channel().find(findRequest())).toEqual({
      id: made.id,
      url: `https://www.linkedin.com/feed/update/${made.id}/`,
    });
    expect(await channel().find(findRequest({ text: 'Never posted' }))).toBeNull();
    const list = fake.server.requests.find((r) => r.path === '/rest/posts' && r.method === 'GET')!;
    expect(Object.fromEntries(list.query)).toMatchObject({ q: 'author', author: ORGANIZATION, sortBy: 'CREATED' });
  });

  it('stops at posts older than the attempt, across pages', async () => {
    const old = Date.now() - 3_600_000;
    fake.addPost(ORGANIZATION, escapeLittleText(TEXT), old);
    for (let i = 0; i < 60; i++) fake.addPost(ORGANIZATION, `filler ${i}`);
    expect(await channel().find(findRequest())).toBeNull();
    const made = fake.addPost(ORGANIZATION, escapeLittleText(TEXT));
    expect((await channel().find(findRequest()))?.id).toBe(made.id);
  });

  it('for a person, says exactly what to check instead, and never "not sent"', async () => {
    const error = await failure(
      channel({ author: 'person' }).find(findRequest({ notBefore: Date.parse('2026-12-01T09:29:00Z') })),
    );
    expect(error.confirmByHand).toBe(true);
    expect(error.message).toBe(
      "LinkedIn lists no person's posts back, so whether this part went out cannot be looked up: open https://www.linkedin.com/in/me/recent-activity/all/ and look for a post starting «We are hiring (two roles):…», made since 2026-12-01 09:29 UTC",
    );
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('LinkedInChannel.lookUp and retract', () => {
  it('reads a post back as sent, deletes it, and counts a gone post as deleted', async () => {
    const linkedin = channel();
    const remote = await linkedin.publish(post());
    const read = await linkedin.lookUp(remote, new AbortController().signal);
    expect(read?.says(TEXT)).toBe(true);
    expect(read?.says('We are hiring')).toBe(false);
    await linkedin.retract(remote, new AbortController().signal);
    expect(fake.live).toHaveLength(0);
    const deletion = fake.server.requests.find((r) => r.method === 'DELETE')!;
    expect(deletion.path).toBe(`/rest/posts/${encodeURIComponent(remote.id)}`);
    expect(await linkedin.lookUp(remote, new AbortController().signal)).toBeNull();
    await linkedin.retract(remote, new AbortController().signal);
  });
});

describe("LinkedInChannel.lookUp when LinkedIn will not show a person's post", () => {
  it("says so and where to delete it by hand; a page's 403 is the usual refusal", async () => {
    fake.server.inject({
      match: /^GET \/rest\/posts\//,
      respond: { status: 403, body: { code: 'ACCESS_DENIED' } },
      times: 2,
    });
    const remote = { id: 'urn:li:share:1', url: 'https://www.linkedin.com/feed/update/urn:li:share:1/' };
    const person = await failure(channel({ author: 'person' }).lookUp(remote, new AbortController().signal));
    expect(person.message).toContain(`delete it by hand at ${remote.url}`);
    const page = await failure(channel().lookUp(remote, new AbortController().signal));
    expect(page).toMatchObject({ kind: 'auth', status: 403 });
    expect(page.message).toContain('not allowed while reading the post urn:li:share:1');
  });
});

describe('linkedinFromEnv', () => {
  const settings = { author: ORGANIZATION, version: '202511', tokenExpires: '2027-01-31' };

  it('needs the token and the config section', () => {
    expect(linkedinFromEnv({}, {})).toEqual({
      ok: false,
      missing: ['LINKEDIN_ACCESS_TOKEN', 'linkedin: (author, version, tokenExpires) in postgate.config.yaml'],
    });
    expect(linkedinFromEnv({ LINKEDIN_ACCESS_TOKEN: 't' }, { linkedin: settings }).ok).toBe(true);
  });

  it('refuses an expired token before any request, with the re-authorize steps (publish only)', () => {
    const env = { LINKEDIN_ACCESS_TOKEN: 't' };
    const after = Date.parse('2027-02-02T09:00:00Z');
    const built = linkedinFromEnv(env, { linkedin: settings, runAt: after, timeZone: 'UTC' });
    expect(built).toMatchObject({ ok: false, missing: [] });
    expect(!built.ok && built.reason).toContain("LinkedIn's access token expired on 2027-01-31");
    expect(linkedinFromEnv(env, { linkedin: settings }).ok).toBe(true);
  });

  it("gives the channel the run's per-request limit (channelLoader)", async () => {
    fake.server.inject({ hang: true, times: 10 });
    const built = await channelLoader(
      { LINKEDIN_API_URL: fake.url, LINKEDIN_ACCESS_TOKEN: fake.member.token },
      { timeoutMs: 400, linkedin: settings },
    )('linkedin');
    if (!built.ok) throw new Error(`not built: ${built.missing}`);
    const error = await failure(built.channel.publish(post()));
    expect(error.message).toBe('LinkedIn: no answer within 400 ms while creating the post');
  });

  it('refuses plain http to another machine (channelLoader)', async () => {
    const built = await channelLoader(
      { LINKEDIN_API_URL: 'http://api.example.net', LINKEDIN_ACCESS_TOKEN: 't' },
      {
        linkedin: settings,
      },
    )('linkedin');
    expect(built).toMatchObject({ ok: false, missing: [expect.stringContaining('LINKEDIN_API_URL (http://')] });
  });
});
