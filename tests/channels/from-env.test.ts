import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PostRequest } from '../../src/channels/channel.ts';
import { ChannelError } from '../../src/channels/channel-error.ts';
import { channelLoader } from '../../src/channels/from-env.ts';
import type { SocialChannelId } from '../../src/core/channels.ts';
import { startNetworks, type Networks } from '../helpers/networks.ts';

/**
 * The run's per-request limit reaches every network's client. Found against a real Bluesky
 * server: POSTGATE_TIMEOUT_MS stopped at the publisher, and each client kept its own default
 * (Bluesky and X 20 s, Mastodon 30 s), so a frozen server was reported against "limit 20000 ms".
 */
let n: Networks;
beforeEach(async () => {
  n = await startNetworks();
});
afterEach(async () => {
  await n.stop();
});

function post(channel: SocialChannelId): PostRequest {
  return {
    itemId: 'social/frozen',
    part: 0,
    parts: 1,
    text: 'Nobody answers.',
    images: [],
    replyTo: null,
    threadRoot: null,
    key: `social/frozen:${channel}:0:h`,
    dueAt: Date.parse('2026-12-01T09:00:00Z'),
    linkCard: null,
    // Never fires: only the channel's own limit can end the request.
    signal: new AbortController().signal,
  };
}

const LIMIT_TEXT: Record<Exclude<SocialChannelId, 'linkedin'>, string> = {
  x: 'no answer within 1000 ms',
  mastodon: 'no answer within 1000 ms',
  bluesky: 'limit 1000 ms',
};

describe('channelLoader', () => {
  for (const id of ['x', 'mastodon', 'bluesky'] as const) {
    it(`gives ${id} the run's per-request limit`, { timeout: 15_000 }, async () => {
      n[id].server.inject({ hang: true, times: 100 });
      const built = await channelLoader(n.env, { timeoutMs: 1000 })(id);
      if (!built.ok)
        throw new Error(`expected ${id} to be built from the fakes' environment, missing ${built.missing}`);
      const started = performance.now();
      const error = await built.channel.publish(post(id)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ChannelError);
      expect((error as ChannelError).kind).toBe('timeout');
      expect((error as ChannelError).message).toContain(LIMIT_TEXT[id]);
      expect(performance.now() - started).toBeLessThan(10_000);
    });
  }
});
