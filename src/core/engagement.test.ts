import { describe, expect, it } from 'vitest';
import { accountKeys, engagementByItem, livePosts } from './engagement.ts';
import type { LedgerRecord } from './ledger.ts';

const sent = (item: string, part: number, remoteId: string, type: LedgerRecord['type'] = 'sent'): LedgerRecord => ({
  v: 1,
  type,
  item,
  channel: 'bluesky',
  part,
  parts: 2,
  remoteId,
  url: '',
  at: '2026-11-03T09:30:00Z',
  hash: '',
});

describe('engagement per item', () => {
  const records = [
    sent('thread', 0, 'at://a'),
    sent('thread', 1, 'at://b'),
    sent('gone', 0, 'at://c'),
    sent('gone', 0, '', 'retracted'),
    sent('quiet', 0, 'at://d'),
    { ...sent('elsewhere', 0, '1'), channel: 'mastodon' },
  ];

  it('asks about the live posts: sent, not retracted since, on that network', () => {
    expect(livePosts(records, 'bluesky').map((p) => p.remoteId)).toEqual(['at://a', 'at://b', 'at://d']);
  });

  it("adds a thread's parts up, and leaves out an item none of whose posts came back (unknown, not zero)", () => {
    const byItem = engagementByItem(records, 'bluesky', [
      { remoteId: 'at://a', replies: 1, reposts: 2, likes: 10, quotes: 1 },
      { remoteId: 'at://b', replies: 0, reposts: 1, likes: 4, quotes: 0 },
      { remoteId: 'at://c', replies: 9, reposts: 9, likes: 9 },
    ]);
    expect(byItem).toEqual(new Map([['thread', { replies: 1, reposts: 3, likes: 14, quotes: 1 }]]));
  });
});

describe('live posts per account', () => {
  const on = (account: string | undefined, item: string, remoteId: string, type: LedgerRecord['type'] = 'sent') => ({
    ...sent(item, 0, remoteId, type),
    ...(account ? { account } : {}),
  });

  it("a retraction on one account leaves the item's posts on the network's other accounts", () => {
    const records = [
      on(undefined, 'a', 'at://org'),
      on('alice-bluesky', 'a', 'at://alice'),
      on(undefined, 'a', '', 'retracted'),
    ];
    expect(livePosts(records, 'bluesky')).toEqual([]);
    expect(livePosts(records, 'alice-bluesky')).toEqual([
      { item: 'a', channel: 'bluesky', account: 'alice-bluesky', part: 0, remoteId: 'at://alice' },
    ]);
    expect(accountKeys(records)).toEqual([
      { key: 'bluesky', channel: 'bluesky' },
      { key: 'alice-bluesky', channel: 'bluesky' },
    ]);
  });
});
