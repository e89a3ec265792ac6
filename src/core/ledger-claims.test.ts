import { describe, expect, it } from 'vitest';
import { sentByAnother, takenByAnother } from './ledger-claims.ts';
import type { LedgerRecord } from './ledger.ts';

const rec = (type: LedgerRecord['type'], part = 0, extra: Partial<LedgerRecord> = {}): LedgerRecord => ({
  v: 1,
  type,
  item: 'social/a',
  channel: 'linkedin',
  part,
  parts: 2,
  remoteId: '',
  url: '',
  at: '2026-12-01T08:30:00.000Z',
  hash: 'h',
  ...extra,
});
const line = (r: LedgerRecord, run = 'other') => JSON.stringify({ ...r, run });
const taken = (claim: LedgerRecord, newer: LedgerRecord[], known: LedgerRecord[] = []) =>
  takenByAnother(
    [...known, ...newer].map((r) => line(r)),
    claim,
    new Set(),
    new Set(known.map((r) => line(r))),
  );

describe('takenByAnother', () => {
  it('an attempt is taken by another run\u2019s attempt or post of the same part, not by its failure or other parts', () => {
    expect(taken(rec('attempt'), [rec('attempt')])).toBe(true);
    expect(taken(rec('attempt'), [rec('sent')])).toBe(true);
    expect(taken(rec('attempt'), [rec('failed')])).toBe(false);
    expect(taken(rec('attempt'), [rec('attempt', 1)])).toBe(false);
    expect(taken(rec('attempt'), [rec('attempt', 0, { channel: 'x' })])).toBe(false);
    expect(taken(rec('attempt'), [], [rec('attempt')])).toBe(false);
  });

  it('an outcome given by hand (confirm) is taken by any newer outcome of that part, or a retraction', () => {
    expect(taken(rec('sent'), [rec('failed')])).toBe(true);
    expect(taken(rec('failed'), [rec('sent')])).toBe(true);
    expect(taken(rec('failed'), [rec('retracted')])).toBe(true);
    expect(taken(rec('sent'), [rec('failed', 1)])).toBe(false);
    expect(taken(rec('sent'), [], [rec('attempt'), rec('failed')])).toBe(false);
  });
});

describe('sentByAnother', () => {
  const post = rec('sent', 0, { channel: 'x', remoteId: '111', url: 'https://x.com/i/status/111' });
  it('a post another run recorded (it found it live) is not recorded again', () => {
    expect(sentByAnother([line(post)], post, new Set())).toBe(true);
    expect(sentByAnother([line(post, 'mine')], post, new Set([line(post, 'mine')]))).toBe(false);
  });
  it('another post, part, account or a release are not the same outcome', () => {
    expect(sentByAnother([line({ ...post, remoteId: '222' })], post, new Set())).toBe(false);
    expect(sentByAnother([line({ ...post, part: 1 })], post, new Set())).toBe(false);
    expect(sentByAnother([line({ ...post, account: 'alice-x' })], post, new Set())).toBe(false);
    const release = rec('sent', 0, { channel: 'blog', remoteId: 'launch' });
    expect(sentByAnother([line(release)], release, new Set())).toBe(false);
  });
});
