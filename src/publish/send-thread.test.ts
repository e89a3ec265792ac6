import { describe, expect, it } from 'vitest';
import type { Channel, FindRequest } from '../channels/channel.ts';
import { ChannelError } from '../channels/channel-error.ts';
import { SOCIAL_RULES } from '../core/channels.ts';
import { machineTime } from '../core/clock.ts';
import type { LedgerRecord } from '../core/ledger.ts';
import type { PublishAction } from '../core/plan.ts';
import type { LedgerStore } from './ledger-store.ts';
import { postTimeLimit, sendThread, type SendDeps } from './send-thread.ts';

/**
 * Which failures call for a look (`find`) before sending again. Found against a real Bluesky
 * server that was not running: a refused log in was looked for, the look failed the same way, and
 * the part was reported as "could not confirm whether part 1 went out" with its attempt left open.
 */
const action = {
  kind: 'send',
  item: { id: 'social/a' },
  channel: 'bluesky',
  dueAt: Date.UTC(2026, 11, 1, 9),
  parts: [
    {
      index: 0,
      text: 'Hello',
      hash: 'h',
      key: 'social/a:bluesky:0:h',
      length: 5,
      max: 300,
      sent: null,
      uncertain: false,
      attemptedAt: null,
    },
  ],
  images: [],
  linkCard: null,
} as unknown as Extract<PublishAction, { kind: 'send' }>;

function run(failures: ChannelError[], findFailure?: ChannelError) {
  const records: LedgerRecord[] = [];
  const finds: FindRequest[] = [];
  const ledger: LedgerStore = {
    append: async (r) => void records.push(r),
    claim: async (r) => {
      records.push(r);
      return true;
    },
  };
  const channel: Channel = {
    id: 'bluesky',
    rules: SOCIAL_RULES.bluesky,
    publish: async () => {
      const failure = failures.shift();
      if (failure) throw failure;
      return { id: 'at://did:plc:x/app.bsky.feed.post/abc', url: 'https://bsky.app/profile/x/post/abc' };
    },
    find: async (request) => {
      finds.push(request);
      throw (
        findFailure ?? new ChannelError('bluesky', 'unavailable', 'Bluesky: could not reach the service to look it up')
      );
    },
    lookUp: async () => null,
    retract: async () => {},
  };
  const deps: SendDeps = {
    gates: { mode: 'local', description: '', crisis: async () => null },
    ledger,
    now: action.dueAt,
    clock: () => action.dueAt,
    machineClock: () => machineTime(action.dueAt),
    sleep: async () => {},
    readImages: async () => [],
    timeoutMs: 1_000,
    maxRateLimitWaitMs: 0,
    maxTries: 3,
    retryBaseMs: 0,
    log: () => {},
  };
  return { result: sendThread(action, channel, deps), records, finds };
}

const unreachable = () =>
  new ChannelError('bluesky', 'unavailable', 'Bluesky: could not reach the service (ECONNREFUSED): nothing was sent', {
    maybeSent: false,
  });

describe('sendThread after a failure known not to have sent anything', () => {
  it('records a plain failure after its tries, without looking, and leaves no attempt open', async () => {
    const { result, records, finds } = run([unreachable(), unreachable(), unreachable()]);
    expect(await result).toMatchObject({ outcome: 'failed', failure: 'unavailable', partsLive: 0 });
    expect((await result).message).toContain('could not reach the service');
    expect(finds).toHaveLength(0);
    expect(records.map((r) => r.type)).toEqual(['attempt', 'attempt', 'attempt', 'failed']);
  });

  it('sends on a later try of the same run, without looking', async () => {
    const { result, records, finds } = run([unreachable()]);
    expect(await result).toMatchObject({ outcome: 'sent', partsLive: 1 });
    expect(finds).toHaveLength(0);
    expect(records.map((r) => r.type)).toEqual(['attempt', 'attempt', 'sent']);
  });

  it('still looks when the failure may have posted it, and leaves the attempt open when it cannot tell', async () => {
    const lost = new ChannelError('bluesky', 'timeout', 'Bluesky: no answer in time to create the post');
    const { result, records, finds } = run([lost]);
    expect(await result).toMatchObject({ outcome: 'failed' });
    expect((await result).message).toContain('could not confirm whether part 1 went out');
    expect(finds).toHaveLength(1);
    expect(records.map((r) => r.type)).toEqual(['attempt']);
  });
});

describe('sendThread when the network can never say whether a post exists (LinkedIn, a person)', () => {
  it('holds the part with what a person should check, leaves the attempt open and sends nothing more', async () => {
    const lost = new ChannelError('bluesky', 'timeout', 'no answer in time while creating the post');
    const look = new ChannelError('bluesky', 'unavailable', 'open the profile and look for a post starting «Hello»', {
      maybeSent: true,
      confirmByHand: true,
    });
    const { result, records, finds } = run([lost], look);
    expect(await result).toMatchObject({
      outcome: 'held',
      partsLive: 0,
      message:
        'part 1 may have gone out: open the profile and look for a post starting «Hello». It is not sent again: held until a person has looked and said what they found (Actions → confirm, or: npm run postgate -- confirm social/a --found <address> | --not-found)',
    });
    expect(finds).toHaveLength(1);
    expect(records.map((r) => r.type)).toEqual(['attempt']);
  });
});

describe('postTimeLimit', () => {
  it('gives a post a request budget per step, and the network time to process its images', () => {
    const x = { mediaProcessingMs: 120_000 };
    expect(postTimeLimit(30_000, 0, x)).toBe(60_000);
    expect(postTimeLimit(30_000, 2, x)).toBe(120_000 + 120_000);
    expect(postTimeLimit(30_000, 2, {})).toBe(120_000);
  });
});
