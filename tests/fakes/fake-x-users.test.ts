import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostRequest } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { XChannel } from '../../src/channels/x.ts';
import { FakeX } from './fake-x.ts';

/**
 * The fake X with two users of one app (OAuth 1.0a user context: the access token says who acts),
 * driven by the real channel: each posts, finds and deletes only as themselves, and the same text
 * from both is no duplicate, as on X. The reliability proof's second X account relies on this.
 */
let fake: FakeX;
const ALICE = { accessToken: '7012345678-aliceTokenForTests9z', accessSecret: 'aliceSecretForTests4Lp' };

beforeEach(async () => {
  fake = new FakeX();
  await fake.start();
  fake.addUser(ALICE.accessToken, ALICE.accessSecret, 'alice_riverside');
});
afterEach(async () => {
  await fake.stop();
});

const channel = (user: Partial<FakeX['credentials']> = {}) =>
  new XChannel({ credentials: { ...fake.credentials, ...user }, apiUrl: fake.url, timeoutMs: 5_000 });

const TEXT = 'Volunteers needed on Saturday morning.';
const request = (): PostRequest => ({
  itemId: 'social/volunteers',
  part: 0,
  parts: 1,
  text: TEXT,
  images: [],
  replyTo: null,
  threadRoot: null,
  key: 'social/volunteers:x:0',
  dueAt: Date.now(),
  linkCard: null,
  signal: new AbortController().signal,
});

describe('FakeX with a second user', () => {
  it('posts the same text once per user, each finding and deleting only its own', async () => {
    const org = channel();
    const alice = channel(ALICE);
    const notBefore = Date.now() - 1000;
    const mine = await org.publish(request());
    const hers = await alice.publish(request());
    expect(fake.liveOf('postgate_demo').map((p) => p.id)).toEqual([mine.id]);
    expect(fake.liveOf('alice_riverside').map((p) => p.id)).toEqual([hers.id]);
    expect(hers.url).toContain('/alice_riverside/');

    const found = await alice.find({ ...request(), notBefore });
    expect(found?.id).toBe(hers.id);

    const refused = await alice.retract(mine, new AbortController().signal).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ChannelError);
    expect(fake.livePosts()).toHaveLength(2);
    await alice.retract(hers, new AbortController().signal);
    expect(fake.liveOf('alice_riverside')).toEqual([]);
    expect(fake.liveOf('postgate_demo')).toHaveLength(1);
  });

  it("refuses a user's token signed with another user's secret", async () => {
    const forged = channel({ accessToken: ALICE.accessToken });
    const error = await forged.publish(request()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChannelError);
    expect(fake.livePosts()).toEqual([]);
  });
});
