import { Agent } from 'node:http';
import { ApiResponseError } from 'twitter-api-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageUpload, PostRequest } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { XChannel } from '../../src/channels/x.ts';
import { createXClient, XRequestScope } from '../../src/channels/x-client.ts';
import { FakeX, type FakeXProcessing } from '../fakes/fake-x.ts';

/**
 * X processes GIFs (and videos, and sometimes large images) after FINALIZE: the media id may not be
 * attached to a post until STATUS says `succeeded`. The real X channel against the fake, whose
 * processing moves one step per STATUS poll; the channel's waits run on a virtual clock.
 */
let fake: FakeX;

beforeEach(async () => {
  fake = new FakeX();
  await fake.start();
});

afterEach(async () => {
  await fake.stop();
});

/** A clock whose sleeps return at once and move its time on; it records every wait. */
function virtualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number, signal: AbortSignal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
  };
}

function channel(options: { clock?: ReturnType<typeof virtualClock>; limitMs?: number; timeoutMs?: number } = {}) {
  const { clock, limitMs } = options;
  return new XChannel({
    credentials: fake.credentials,
    apiUrl: fake.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    mediaProcessing: {
      ...(clock ? { now: clock.now, sleep: clock.sleep } : {}),
      ...(limitMs ? { limitMs } : {}),
    },
  });
}

function post(text: string, images: ImageUpload[], signal = new AbortController().signal): PostRequest {
  return {
    itemId: 'social/launch',
    part: 0,
    parts: 1,
    text,
    images,
    replyTo: null,
    threadRoot: null,
    key: 'social/launch:x:0',
    dueAt: 0,
    linkCard: null,
    signal,
  };
}

function gif(path = 'content/social/anim.gif', alt = 'The sign-up counter ticking over'): ImageUpload {
  const bytes = new Uint8Array(2_000);
  bytes.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]); // GIF89a
  for (let i = 6; i < bytes.length; i++) bytes[i] = (i * 13) % 256;
  return { path, mime: 'image/gif', alt, bytes };
}

function png(): ImageUpload {
  const bytes = new Uint8Array(500);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { path: 'content/social/chart.png', mime: 'image/png', alt: 'A chart', bytes };
}

function processGifs(plan: FakeXProcessing): void {
  fake.processingFor = (media) => (media.mediaType === 'image/gif' ? plan : null);
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

const routes = () => fake.server.requests.map((r) => `${r.method} ${r.path}`);
const statusPolls = () => fake.server.requests.filter((r) => r.method === 'GET' && r.path === '/2/media/upload');
const INVALID_REQUEST = 'https://api.twitter.com/2/problems/invalid-request';

describe('XChannel media processing', () => {
  it('waits for a GIF that needs 3 STATUS polls, honouring check_after_secs, then posts once with its media', async () => {
    processGifs({ polls: 3, checkAfterSecs: 2 });
    const clock = virtualClock();
    const sent = await channel({ clock }).publish(post('Sign-ups, animated', [png(), gif()]));

    expect(fake.posts).toHaveLength(1);
    const stored = fake.posts[0]!;
    expect(stored.id).toBe(sent.id);
    const [still, animated] = stored.mediaIds.map((id) => fake.media.get(id)!);
    expect(still!.mediaType).toBe('image/png');
    expect(still!.processing).toBeNull();
    expect(animated!.mediaType).toBe('image/gif');
    expect(animated!.mediaCategory).toBe('tweet_gif');
    expect(animated!.processing).toMatchObject({ state: 'succeeded', statusPolls: 3 });
    expect(animated!.altText).toBe('The sign-up counter ticking over');

    // One wait of check_after_secs before each poll; only the GIF is polled, by its id.
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
    const polls = statusPolls();
    expect(polls.map((r) => [r.query.get('command'), r.query.get('media_id')])).toEqual(
      Array(3).fill(['STATUS', animated!.id]),
    );
    // The post comes after the last poll and the alt text; there is exactly one.
    const order = routes();
    const lastPoll = order.lastIndexOf('GET /2/media/upload');
    expect(order.slice(lastPoll + 1)).toEqual(['POST /2/media/metadata', 'POST /2/media/metadata', 'POST /2/tweets']);
  });

  it('polls a GIF X processes in one step (the fake’s default) without waiting when check_after_secs is 0', async () => {
    const clock = virtualClock();
    await channel({ clock }).publish(post('Default GIF', [gif()]));
    expect(clock.sleeps).toEqual([0]);
    expect(statusPolls()).toHaveLength(1);
    expect(fake.posts[0]!.mediaIds).toHaveLength(1);
    expect(fake.isReady(fake.posts[0]!.mediaIds[0]!)).toBe(true);
  });

  it('posts nothing when processing fails, and says which file and why', async () => {
    processGifs({
      polls: 2,
      checkAfterSecs: 1,
      error: { code: 1, name: 'InvalidMedia', message: 'Unsupported animated GIF' },
    });
    const clock = virtualClock();
    const error = await failure(channel({ clock }).publish(post('Never shown', [gif()])));

    expect(error.kind).toBe('rejected');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe(
      'X: could not process content/social/anim.gif: Unsupported animated GIF (InvalidMedia, code 1); nothing was posted',
    );
    expect(statusPolls()).toHaveLength(2);
    expect(routes()).not.toContain('POST /2/tweets');
    expect(routes()).not.toContain('POST /2/media/metadata');
    expect(fake.posts).toHaveLength(0);
  });

  it('gives up after the limit (2 minutes by default), known not sent, never waiting past it', async () => {
    processGifs({ polls: 1_000, checkAfterSecs: 5 });
    const clock = virtualClock();
    const error = await failure(channel({ clock }).publish(post('Too slow', [gif()])));

    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toMatch(
      /^X: content\/social\/anim\.gif was still being processed \(in_progress, \d+%\) after 120 s; nothing was posted$/,
    );
    expect(clock.sleeps).toEqual(Array(24).fill(5000));
    expect(statusPolls()).toHaveLength(24);
    expect(fake.posts).toHaveLength(0);
  });

  it('shortens the last wait to the limit, and the limit is one for the whole post', async () => {
    processGifs({ polls: 1_000, checkAfterSecs: 50 });
    const clock = virtualClock();
    await failure(channel({ clock }).publish(post('Long hint', [gif()])));
    expect(clock.sleeps).toEqual([50_000, 50_000, 20_000]);

    // Two GIFs of 3 polls of 1 s each: the first uses 3 s of a 4 s limit, the second gets 1 s.
    fake.server.requests.length = 0;
    processGifs({ polls: 3, checkAfterSecs: 1 });
    const second = virtualClock();
    const error = await failure(
      channel({ clock: second, limitMs: 4_000 }).publish(
        post('Two GIFs', [gif(), gif('content/social/second.gif', 'Second')]),
      ),
    );
    expect(error.message).toMatch(/^X: content\/social\/second\.gif was still being processed \(pending, \d+%\)/);
    expect(second.sleeps).toEqual([1000, 1000, 1000, 1000]);
    expect(fake.posts).toHaveLength(0);
  });

  it('waits 1 s on an answer without check_after_secs and asks again (twitter-api-v2 would take it as done)', async () => {
    processGifs({ polls: 2, checkAfterSecs: 3 });
    fake.server.inject({
      match: /^GET \/2\/media\/upload$/,
      respond: { status: 200, body: { data: { id: '1', processing_info: { state: 'in_progress' } } } },
    });
    const clock = virtualClock();
    await channel({ clock }).publish(post('Hint missing', [gif()]));
    expect(clock.sleeps).toEqual([3000, 1000, 3000]);
    expect(statusPolls()).toHaveLength(3);
    expect(fake.posts).toHaveLength(1);

    fake.server.inject({
      match: /^GET \/2\/media\/upload$/,
      respond: { status: 200, body: { data: { id: '1', processing_info: { state: 'paused' } } } },
    });
    const error = await failure(channel({ clock }).publish(post('Unknown state', [gif()])));
    expect(error.kind).toBe('malformed');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe(
      'X: the processing of content/social/anim.gif is in an unknown state "paused"; nothing was posted',
    );
    expect(fake.posts).toHaveLength(1);
  });

  it('stops waiting when the caller’s signal ends, with nothing posted (real sleep)', async () => {
    processGifs({ polls: 3, checkAfterSecs: 30 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const cancelled = await failure(channel().publish(post('Cancelled', [gif()], controller.signal)));
    expect(cancelled.kind).toBe('timeout');
    expect(cancelled.maybeSent).toBe(false);
    expect(cancelled.message).toBe(
      'X: cancelled while waiting for X to process content/social/anim.gif; nothing was posted',
    );

    const ranOut = await failure(channel().publish(post('Out of time', [gif()], AbortSignal.timeout(300))));
    expect(ranOut.maybeSent).toBe(false);
    expect(ranOut.message).toBe(
      'X: the time for this post ran out while waiting for X to process content/social/anim.gif; nothing was posted',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(statusPolls()).toHaveLength(0);
    expect(fake.posts).toHaveLength(0);
  });

  it('applies the per-request timeout to a STATUS poll that never answers', async () => {
    processGifs({ polls: 2, checkAfterSecs: 1 });
    fake.server.inject({ match: /^GET \/2\/media\/upload$/, hang: true });
    const clock = virtualClock();
    const error = await failure(channel({ clock, timeoutMs: 1_000 }).publish(post('Hanging poll', [gif()])));
    expect(error.kind).toBe('timeout');
    expect(error.maybeSent).toBe(false);
    expect(error.message).toBe('X: no answer within 1000 ms while checking the processing of content/social/anim.gif');
    expect(fake.posts).toHaveLength(0);
  });
});

describe('FakeX media processing, as X does it', () => {
  function rawClient() {
    const scope = new XRequestScope(new AbortController().signal, 5_000);
    return createXClient(fake.credentials, new URL(fake.url), new Agent(), scope);
  }

  async function uploadGif(client: ReturnType<typeof rawClient>): Promise<{ id: string; finalize: unknown }> {
    const bytes = Buffer.from(gif().bytes);
    const init = await client.v2.post('media/upload/initialize', {
      media_type: 'image/gif',
      total_bytes: bytes.length,
      media_category: 'tweet_gif',
    });
    const id = init.data.id as string;
    await client.v2.post(
      `media/upload/${id}/append`,
      { segment_index: 0, media: bytes },
      { forceBodyMode: 'form-data' },
    );
    const finalize = await client.v2.post(`media/upload/${id}/finalize`);
    return { id, finalize };
  }

  async function refusal(promise: Promise<unknown>): Promise<ApiResponseError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiResponseError);
    return error as ApiResponseError;
  }

  it('refuses a post with a media id that is still processing, with X’s 400; accepts it once STATUS said succeeded', async () => {
    processGifs({ polls: 3, checkAfterSecs: 1 });
    const client = rawClient();
    const { id, finalize } = await uploadGif(client);
    expect(finalize).toEqual({
      data: {
        id,
        media_key: `16_${id}`,
        size: 2000,
        expires_after_secs: 86400,
        processing_info: { state: 'pending', check_after_secs: 1 },
      },
    });

    const early = await refusal(client.v2.tweet({ text: 'Too early', media: { media_ids: [id] } }));
    expect(early.code).toBe(400);
    expect(early.data).toEqual({
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: INVALID_REQUEST,
      status: 400,
      errors: [{ parameters: { 'media.media_ids': [id] }, message: 'Your media IDs are invalid.' }],
    });

    const status = () => client.v2.get('media/upload', { command: 'STATUS', media_id: id });
    const states = [];
    for (let i = 0; i < 3; i++) states.push((await status()).data.processing_info);
    expect(states).toEqual([
      { state: 'pending', check_after_secs: 1, progress_percent: 33 },
      { state: 'in_progress', check_after_secs: 1, progress_percent: 66 },
      { state: 'succeeded', progress_percent: 100 },
    ]);
    // Between the polls, a post is still refused; after the last, it goes through.
    expect(fake.posts).toHaveLength(0);
    const posted = await client.v2.tweet({ text: 'Now it works', media: { media_ids: [id] } });
    expect(fake.posts.map((p) => [p.id, p.mediaIds])).toEqual([[posted.data.id, [id]]]);
  });

  it('reports failed processing in STATUS with X’s error shape, and refuses that media for good', async () => {
    processGifs({
      polls: 1,
      checkAfterSecs: 1,
      error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' },
    });
    const client = rawClient();
    const { id } = await uploadGif(client);
    const answer = await client.v2.get('media/upload', { command: 'STATUS', media_id: id });
    expect(answer.data.processing_info).toEqual({
      state: 'failed',
      progress_percent: 0,
      error: { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' },
    });
    const refused = await refusal(client.v2.tweet({ text: 'Broken GIF', media: { media_ids: [id] } }));
    expect(refused.code).toBe(400);
    expect(refused.data.errors).toEqual([
      { parameters: { 'media.media_ids': [id] }, message: 'Your media IDs are invalid.' },
    ]);
    expect(fake.posts).toHaveLength(0);
  });

  it('answers STATUS for an image that needed no processing without processing_info', async () => {
    const client = rawClient();
    const bytes = Buffer.from(png().bytes);
    const init = await client.v2.post('media/upload/initialize', {
      media_type: 'image/png',
      total_bytes: bytes.length,
    });
    const id = init.data.id as string;
    await client.v2.post(
      `media/upload/${id}/append`,
      { segment_index: 0, media: bytes },
      { forceBodyMode: 'form-data' },
    );
    const finalize = await client.v2.post(`media/upload/${id}/finalize`);
    expect(finalize.data.processing_info).toBeUndefined();
    expect((await client.v2.get('media/upload', { command: 'STATUS', media_id: id })).data).toEqual({
      id,
      media_key: `3_${id}`,
      expires_after_secs: 86400,
    });
    const unknown = await refusal(client.v2.get('media/upload', { command: 'STATUS', media_id: '123' }));
    expect(unknown.code).toBe(400);
  });
});
