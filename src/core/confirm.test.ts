import { describe, expect, it } from 'vitest';
import { confirmRecord, openAttempts } from './confirm.ts';
import { UsageError } from './errors.ts';
import { summarizeLedger, type LedgerRecord } from './ledger.ts';

const NOW = Date.parse('2026-12-02T10:00:00Z');
const record = (type: LedgerRecord['type'], item: string, channel: string, part = 0, parts = 1): LedgerRecord => ({
  v: 1,
  type,
  item,
  channel,
  part,
  parts,
  remoteId: type === 'sent' ? `urn:li:share:${part}` : '',
  url: '',
  at: '2026-12-01T08:30:00.000Z',
  machineAt: '2026-12-01T08:30:01.000Z',
  hash: `h${part}`,
  run: 'r1',
  runner: '0123456789ab:4242',
  leaseMs: 300_000,
});
const THANKS = 'social/2026-12-01-thanks';
const held = [record('attempt', THANKS, 'linkedin')];
const ask = (records: LedgerRecord[], extra: Partial<Parameters<typeof confirmRecord>[1]> = {}) =>
  confirmRecord(records, { item: THANKS, finding: { notFound: true }, by: '@owner', now: NOW, ...extra });
const usage = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('confirm: what a person found after a lost answer', () => {
  it('found: records the post as sent, with who looked, so the part is never sent and retract can delete it', () => {
    const sent = ask(held, { finding: { found: 'https://www.linkedin.com/feed/update/urn:li:share:7001/' } });
    expect(sent).toMatchObject({
      type: 'sent',
      item: THANKS,
      channel: 'linkedin',
      part: 0,
      hash: 'h0',
      remoteId: 'urn:li:share:7001',
      url: 'https://www.linkedin.com/feed/update/urn:li:share:7001/',
      confirmedBy: '@owner',
      at: '2026-12-02T10:00:00.000Z',
    });
    expect(sent).not.toHaveProperty('machineAt');
    expect(sent).not.toHaveProperty('run');
    expect(sent).not.toHaveProperty('runner');
    expect(sent).not.toHaveProperty('leaseMs');
    const summary = summarizeLedger([...held, sent]);
    expect(summary.sent.get(THANKS)).toEqual(new Set(['linkedin']));
    expect(openAttempts([...held, sent])).toEqual([]);
  });

  it('takes the URN, the feed address (with or without its slash, escaped or not) and the embed code', () => {
    const urn = (found: string) => ask(held, { finding: { found } }).remoteId;
    expect(urn('urn:li:ugcPost:42')).toBe('urn:li:ugcPost:42');
    expect(urn(' https://linkedin.com/feed/update/urn:li:share:7001 ')).toBe('urn:li:share:7001');
    expect(urn('https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7001/?utm_source=share')).toBe(
      'urn:li:share:7001',
    );
    expect(
      urn(
        '<iframe src="https://www.linkedin.com/embed/feed/update/urn:li:share:7001?collapsed=1" height="543" width="504" frameborder="0" allowfullscreen="" title="Embedded post"></iframe>',
      ),
    ).toBe('urn:li:share:7001');
  });

  it('refuses what names no post the API can delete: an activity link, another host, plain http, a look-alike', () => {
    for (const found of [
      'https://www.linkedin.com/feed/update/urn:li:activity:7001/',
      'https://www.linkedin.com/posts/riverside_thanks-activity-7001-AbCd/',
      'https://evil.example/feed/update/urn:li:share:7001/',
      'https://linkedin.com.evil.example/feed/update/urn:li:share:7001/',
      'http://www.linkedin.com/feed/update/urn:li:share:7001/',
      'urn:li:share:7001; rm -rf /',
    ])
      expect(usage(() => ask(held, { finding: { found } }))).toContain('does not name a LinkedIn post as its API does');
  });

  it('not found: records a failure the next run retries, naming who looked', () => {
    const failed = ask(held);
    expect(failed).toMatchObject({ type: 'failed', failure: 'not-found', part: 0, hash: 'h0' });
    expect(failed.error).toBe('not on linkedin: @owner looked and did not find it (postgate confirm --not-found)');
    const progress = summarizeLedger([...held, failed]).progress;
    expect([...progress.values()][0]!.uncertain.size).toBe(0);
  });

  it('settles only parts held for a person: a part already sent, or one publish looks up itself, is refused', () => {
    expect(usage(() => ask([...held, record('sent', THANKS, 'linkedin')]))).toBe(
      'confirm: nothing is waiting for a person to look: no part is held after a lost answer',
    );
    expect(usage(() => ask([record('attempt', THANKS, 'mastodon')]))).toContain('nothing is waiting');
    expect(usage(() => ask([...held, record('attempt', 'social/other', 'linkedin')], { item: 'social/third' }))).toBe(
      'confirm: nothing of "social/third" is waiting for a person to look; waiting: social/2026-12-01-thanks (linkedin), social/other (linkedin)',
    );
  });

  it('takes an id by its last part, and asks which part when several wait', () => {
    expect(ask(held, { item: '2026-12-01-thanks' }).item).toBe(THANKS);
    const two = [
      record('attempt', THANKS, 'linkedin', 0, 2),
      record('sent', THANKS, 'linkedin', 0, 2),
      record('attempt', THANKS, 'linkedin', 1, 2),
      record('attempt', 'social/x', 'linkedin'),
    ];
    // Only the open part counts: part 1 was sent.
    expect(ask(two).part).toBe(1);
    expect(usage(() => ask(two, { part: 1 }))).toBe(
      'confirm: social/2026-12-01-thanks has no open part there; open: linkedin part 2',
    );
    expect(ask(two, { part: 2, channel: 'linkedin' }).part).toBe(1);
  });

  it('tells accounts apart: --channel takes an account id, and the record keeps the account', () => {
    const alice = { ...record('attempt', THANKS, 'linkedin'), account: 'alice-linkedin' };
    const both = [...held, alice];
    expect(usage(() => ask(both))).toBe(
      'confirm: social/2026-12-01-thanks has several open parts (linkedin part 1, alice-linkedin part 1); say which with --channel and --part',
    );
    const sent = ask(both, { channel: 'alice-linkedin', finding: { found: 'urn:li:share:9' } });
    expect(sent).toMatchObject({ account: 'alice-linkedin', remoteId: 'urn:li:share:9' });
    expect(summarizeLedger([...both, sent]).sent.get(THANKS)).toEqual(new Set(['alice-linkedin']));
  });

  it('a retraction since the attempt leaves nothing open', () => {
    expect(usage(() => ask([...held, { ...record('retracted', THANKS, 'linkedin'), part: 0 }]))).toContain(
      'nothing is waiting',
    );
  });
});
