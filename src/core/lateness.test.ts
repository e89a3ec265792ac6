import { describe, expect, it } from 'vitest';
import { wentOutLate } from './lateness.ts';
import { summarizeLedger, type LedgerRecord } from './ledger.ts';

const T = Date.UTC(2026, 11, 1, 9, 30);
const iso = (ms: number) => new Date(ms).toISOString();

function sent(channel: string, part: number, due: number | null, sentAt: number | null): LedgerRecord {
  return {
    v: 1,
    type: 'sent',
    item: 'social/launch',
    channel,
    part,
    parts: 2,
    remoteId: `${channel}-${part}`,
    url: '',
    at: iso(T),
    hash: `h${part}`,
    ...(due !== null && sentAt !== null ? { due: iso(due), sentAt: iso(sentAt) } : {}),
  };
}

describe('wentOutLate', () => {
  it('takes the latest channel, by its first part', () => {
    const ledger = summarizeLedger([
      sent('x', 0, T, T + 4_000),
      sent('x', 1, T, T + 90_000),
      sent('mastodon', 0, T, T + 12_000),
    ]);
    expect(wentOutLate(ledger, 'social/launch', ['x', 'mastodon'])).toEqual({ lateMs: 12_000, channel: 'mastodon' });
  });

  it('is null for records from before lateness was kept, and for items not sent', () => {
    const ledger = summarizeLedger([sent('x', 0, null, null)]);
    expect(wentOutLate(ledger, 'social/launch', ['x'])).toBeNull();
    expect(wentOutLate(ledger, 'social/other', ['x'])).toBeNull();
  });

  it('never counts a send before its time as negative lateness', () => {
    const ledger = summarizeLedger([sent('x', 0, T, T - 5_000)]);
    expect(wentOutLate(ledger, 'social/launch', ['x'])?.lateMs).toBe(0);
  });
});
