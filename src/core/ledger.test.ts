import { describe, expect, it } from 'vitest';
import { ledgerRecordSchema, summarizeLedger, type LedgerRecord } from './ledger.ts';

function rec(
  type: 'sent' | 'retracted' | 'live',
  item: string,
  channel: string,
  part = 0,
  parts = 1,
  at = '2026-12-01T08:30:00Z',
): LedgerRecord {
  return ledgerRecordSchema.parse({ v: 1, type, item, channel, part, parts, at });
}

describe('ledgerRecordSchema', () => {
  it('fills defaults and refuses records it does not understand', () => {
    expect(rec('sent', 'social/a', 'x')).toMatchObject({ remoteId: '', url: '', hash: '' });
    expect(
      ledgerRecordSchema.safeParse({ v: 2, type: 'sent', item: 'a', channel: 'x', part: 0, parts: 1, at: 'now' })
        .success,
    ).toBe(false);
    expect(
      ledgerRecordSchema.safeParse({ v: 1, type: 'sent', item: '', channel: 'x', part: 0, parts: 1, at: 'now' })
        .success,
    ).toBe(false);
    expect(
      ledgerRecordSchema.safeParse({ v: 1, type: 'sent', item: 'a', channel: 'x', part: -1, parts: 1, at: 'now' })
        .success,
    ).toBe(false);
  });
  it('keeps the text a sent record carries, and still reads records written without one', () => {
    const base = { v: 1, type: 'sent', item: 'social/a', channel: 'x', part: 0, parts: 1, at: 'now' };
    const withText = ledgerRecordSchema.parse({ ...base, text: 'Thank you, volunteers!' });
    expect(withText.text).toBe('Thank you, volunteers!');
    expect(summarizeLedger([withText]).progress.get('social/a\u0000x')!.sent.get(0)!.text).toBe(
      'Thank you, volunteers!',
    );
    const old = ledgerRecordSchema.parse(base);
    expect(old.text).toBeUndefined();
    expect(summarizeLedger([old]).progress.get('social/a\u0000x')!.sent.get(0)).not.toHaveProperty('text');
  });
});

describe('summarizeLedger', () => {
  it("keeps the bytes a blog release bound, its body's images included, and reads older releases without them", () => {
    const base = { v: 1, type: 'sent', item: 'posts/meals', channel: 'blog', part: 0, parts: 1, at: 'now' };
    const bytes = { file: 'content/posts/meals.mdx', blob: 'a'.repeat(40), coverBlob: null };
    const images = { 'content/posts/chart.png': 'b'.repeat(40), 'public/gone.png': null };
    const withImages = ledgerRecordSchema.parse({ ...base, ...bytes, images });
    expect(summarizeLedger([withImages]).releasedFiles.get('posts/meals')).toEqual({ ...bytes, images });
    const older = ledgerRecordSchema.parse({ ...base, ...bytes });
    expect(summarizeLedger([withImages, older]).releasedFiles.get('posts/meals')).toEqual(bytes);
    expect(ledgerRecordSchema.safeParse({ ...base, ...bytes, images: { 'a.png': 1 } }).success).toBe(false);
  });
  it('marks a single post sent on its channel', () => {
    const { sent } = summarizeLedger([rec('sent', 'social/a', 'x'), rec('sent', 'social/a', 'mastodon')]);
    expect([...sent.get('social/a')!].sort()).toEqual(['mastodon', 'x']);
    expect(sent.has('social/b')).toBe(false);
  });
  it('counts a thread as sent on a channel only when all its parts are recorded', () => {
    const partial = [rec('sent', 'social/t', 'x', 0, 3), rec('sent', 'social/t', 'x', 1, 3)];
    expect(summarizeLedger(partial).sent.has('social/t')).toBe(false);
    const whole = [...partial, rec('sent', 'social/t', 'x', 2, 3), rec('sent', 'social/t', 'bluesky', 0, 3)];
    expect([...summarizeLedger(whole).sent.get('social/t')!]).toEqual(['x']);
  });
  it('does not count a part recorded twice as two parts', () => {
    const twice = [rec('sent', 'social/t', 'x', 0, 2), rec('sent', 'social/t', 'x', 0, 2)];
    expect(summarizeLedger(twice).sent.has('social/t')).toBe(false);
  });
  it('removes an item retracted on a channel, and only there', () => {
    const records = [
      rec('sent', 'social/a', 'x'),
      rec('sent', 'social/a', 'mastodon'),
      rec('retracted', 'social/a', 'x'),
    ];
    expect([...summarizeLedger(records).sent.get('social/a')!]).toEqual(['mastodon']);
    const all = [...records, rec('retracted', 'social/a', 'mastodon')];
    expect(summarizeLedger(all).sent.has('social/a')).toBe(false);
  });
  it('counts an item sent again after a retraction', () => {
    const records = [rec('sent', 'social/a', 'x'), rec('retracted', 'social/a', 'x'), rec('sent', 'social/a', 'x')];
    expect(summarizeLedger(records).sent.get('social/a')?.has('x')).toBe(true);
  });
  it('records when a blog post first went live', () => {
    const { sent, releasedAt } = summarizeLedger([
      rec('sent', 'posts/launch', 'blog', 0, 1, '2026-12-01T08:30:00Z'),
      rec('sent', 'posts/launch', 'blog', 0, 1, '2026-12-02T08:30:00Z'),
      rec('sent', 'social/a', 'x', 0, 1, '2026-12-01T09:00:00Z'),
    ]);
    expect(releasedAt.get('posts/launch')).toBe(Date.UTC(2026, 11, 1, 8, 30));
    expect(releasedAt.has('social/a')).toBe(false);
    expect(sent.get('posts/launch')?.has('blog')).toBe(true);
  });
  it('forgets the release time when the post is retracted, and takes the new one if it is published again', () => {
    const retracted = [
      rec('sent', 'posts/launch', 'blog', 0, 1, '2026-12-01T08:30:00Z'),
      rec('retracted', 'posts/launch', 'blog'),
    ];
    expect(summarizeLedger(retracted).releasedAt.has('posts/launch')).toBe(false);
    const again = [...retracted, rec('sent', 'posts/launch', 'blog', 0, 1, '2026-12-03T10:00:00Z')];
    expect(summarizeLedger(again).releasedAt.get('posts/launch')).toBe(Date.UTC(2026, 11, 3, 10));
  });
  it('gives empty maps for an empty ledger', () => {
    const summary = summarizeLedger([]);
    expect(summary.sent.size).toBe(0);
    expect(summary.releasedAt.size).toBe(0);
  });
});

describe('summarizeLedger retractions', () => {
  it('remembers where an item was retracted, and forgets it once it is sent there again', () => {
    const retracted = [
      rec('sent', 'social/a', 'x'),
      rec('sent', 'social/a', 'mastodon'),
      rec('retracted', 'social/a', 'x'),
    ];
    expect(summarizeLedger(retracted).retracted.get('social/a')).toEqual(new Set(['x']));
    expect(summarizeLedger([...retracted, rec('sent', 'social/a', 'x')]).retracted.has('social/a')).toBe(false);
  });
});

describe('summarizeLedger live records', () => {
  const release = (at: string) => rec('sent', 'posts/launch', 'blog', 0, 1, at);
  const live = (at: string) => rec('live', 'posts/launch', 'blog', 0, 1, at);

  it('reads a live record as the publisher writes it', () => {
    const line = {
      v: 1,
      type: 'live',
      item: 'posts/launch',
      channel: 'blog',
      part: 0,
      parts: 1,
      url: 'https://example.org/posts/launch/',
      at: '2026-12-01T08:40:00Z',
      run: '123.1-abcd',
    };
    expect(ledgerRecordSchema.parse(line)).toMatchObject({ type: 'live', url: line.url, remoteId: '', hash: '' });
  });

  it('keeps when a released post first answered at its address, and nothing else', () => {
    const released = summarizeLedger([release('2026-12-01T08:30:00Z')]);
    const records = [release('2026-12-01T08:30:00Z'), live('2026-12-01T08:40:00Z'), live('2026-12-01T09:40:00Z')];
    const summary = summarizeLedger(records);
    expect(summary.liveAt).toEqual(new Map([['posts/launch', Date.UTC(2026, 11, 1, 8, 40)]]));
    expect(released.liveAt.size).toBe(0);
    // A fact about the site, not a send: progress, sent, releases and retractions are as without it.
    const { liveAt: _, ...rest } = summary;
    const { liveAt: __, ...before } = released;
    expect(rest).toEqual(before);
  });

  it('creates no progress for a post never released, and ignores a page seen before the release', () => {
    const early = summarizeLedger([live('2026-12-01T08:00:00Z')]);
    expect(early.liveAt.size).toBe(0);
    expect(early.progress.size).toBe(0);
    expect(early.sent.size).toBe(0);
    const then = summarizeLedger([live('2026-12-01T08:00:00Z'), release('2026-12-01T08:30:00Z')]);
    expect(then.liveAt.size).toBe(0);
  });

  it('does not undo a retraction, and is forgotten with it', () => {
    const records = [
      release('2026-12-01T08:30:00Z'),
      live('2026-12-01T08:40:00Z'),
      rec('retracted', 'posts/launch', 'blog'),
      live('2026-12-01T09:00:00Z'),
    ];
    const summary = summarizeLedger(records);
    expect(summary.liveAt.size).toBe(0);
    expect(summary.retracted.get('posts/launch')).toEqual(new Set(['blog']));
    expect(summary.progress.size).toBe(0);
  });

  it('counts only the blog channel', () => {
    const summary = summarizeLedger([
      release('2026-12-01T08:30:00Z'),
      rec('live', 'posts/launch', 'x', 0, 1, '2026-12-01T08:40:00Z'),
    ]);
    expect(summary.liveAt.size).toBe(0);
    expect(summary.progress.has('posts/launch\u0000x')).toBe(false);
  });
});
