import { describe, expect, it } from 'vitest';
import { summarizeLedger, ledgerRecordSchema } from './ledger.ts';
import { isReleased, releaseOf, releaseOrder, sortTime, type ReleaseInputs, type ReleasablePost } from './release.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0);

const post = (over: Partial<ReleasablePost> = {}): ReleasablePost => ({
  id: 'posts/launch',
  draft: false,
  publishAt: NOW - HOUR,
  ...over,
});
const inputs = (over: Partial<ReleaseInputs> = {}): ReleaseInputs => ({
  mode: 'production',
  now: NOW,
  releasedAt: new Map(),
  crisis: null,
  ...over,
});
const released = (id: string, at = NOW - 30 * 60_000) => new Map([[id, at]]);

function ledger(...lines: [type: 'sent' | 'retracted', item: string, at: string][]) {
  return summarizeLedger(
    lines.map(([type, item, at]) =>
      ledgerRecordSchema.parse({ v: 1, type, item, channel: 'blog', part: 0, parts: 1, at }),
    ),
  );
}

describe('releaseOf in a production build', () => {
  it('leaves out a draft, even one whose time has passed', () => {
    expect(releaseOf(post({ draft: true }), inputs())).toMatchObject({ shown: false, notice: { kind: 'draft' } });
    expect(releaseOf(post({ draft: true, publishAt: null }), inputs())).toMatchObject({
      shown: false,
      notice: { kind: 'draft' },
    });
  });

  it('leaves out a post scheduled for the future', () => {
    expect(releaseOf(post({ publishAt: NOW + HOUR }), inputs())).toEqual({
      shown: false,
      releasedAt: null,
      notice: { kind: 'scheduled', at: NOW + HOUR },
    });
  });

  it('does not add a due post by time alone: only a recorded release puts it on the site', () => {
    expect(releaseOf(post({ publishAt: NOW - 24 * HOUR }), inputs())).toMatchObject({
      shown: false,
      notice: { kind: 'unreleased' },
    });
  });

  it('shows a released post, dated by its release, not by publishAt', () => {
    const at = NOW - 20 * 60_000;
    expect(releaseOf(post(), inputs({ releasedAt: released('posts/launch', at) }))).toEqual({
      shown: true,
      releasedAt: at,
      notice: null,
    });
  });

  it('keeps a released post even if its file was later marked draft or rescheduled', () => {
    expect(releaseOf(post({ draft: true }), inputs({ releasedAt: released('posts/launch') })).shown).toBe(true);
    expect(
      releaseOf(post({ publishAt: NOW + 48 * HOUR }), inputs({ releasedAt: released('posts/launch') })).shown,
    ).toBe(true);
  });

  it('matches releases by the post id, so a front-matter id is what counts', () => {
    expect(releaseOf(post({ id: 'launch-2026' }), inputs({ releasedAt: released('posts/launch') })).shown).toBe(false);
    expect(releaseOf(post({ id: 'launch-2026' }), inputs({ releasedAt: released('launch-2026') })).shown).toBe(true);
  });

  it('during a crisis adds nothing that fell due, and keeps what was released before it', () => {
    const crisis = 'Flooding in the city; all publishing paused';
    expect(releaseOf(post(), inputs({ crisis }))).toMatchObject({
      shown: false,
      notice: { kind: 'unreleased', crisis },
    });
    expect(releaseOf(post(), inputs({ crisis, releasedAt: released('posts/launch') })).shown).toBe(true);
  });

  it('removes a retracted post, and shows it again only after a new release', () => {
    const retracted = ledger(
      ['sent', 'posts/launch', '2026-12-01T08:00:00Z'],
      ['retracted', 'posts/launch', '2026-12-01T09:00:00Z'],
    );
    expect(isReleased('posts/launch', retracted.releasedAt)).toBe(false);
    expect(releaseOf(post(), inputs({ releasedAt: retracted.releasedAt })).shown).toBe(false);
    const again = ledger(
      ['sent', 'posts/launch', '2026-12-01T08:00:00Z'],
      ['retracted', 'posts/launch', '2026-12-01T09:00:00Z'],
      ['sent', 'posts/launch', '2026-12-01T10:00:00Z'],
    );
    expect(releaseOf(post(), inputs({ releasedAt: again.releasedAt }))).toMatchObject({
      shown: true,
      releasedAt: Date.parse('2026-12-01T10:00:00Z'),
    });
  });
});

describe('releaseOf in the preview (astro dev)', () => {
  const preview = (over: Partial<ReleaseInputs> = {}) => inputs({ mode: 'preview', ...over });

  it('shows every post, each unreleased one with the reason it is not live', () => {
    expect(releaseOf(post({ draft: true }), preview())).toEqual({
      shown: true,
      releasedAt: null,
      notice: { kind: 'draft' },
    });
    expect(releaseOf(post({ publishAt: NOW + HOUR }), preview())).toEqual({
      shown: true,
      releasedAt: null,
      notice: { kind: 'scheduled', at: NOW + HOUR },
    });
    expect(releaseOf(post(), preview({ crisis: 'paused' }))).toEqual({
      shown: true,
      releasedAt: null,
      notice: { kind: 'unreleased', dueAt: NOW - HOUR, crisis: 'paused' },
    });
  });

  it('shows a released post without a notice', () => {
    expect(releaseOf(post(), preview({ releasedAt: released('posts/launch') })).notice).toBeNull();
  });

  it('treats the exact publish moment as due, not scheduled', () => {
    expect(releaseOf(post({ publishAt: NOW }), preview()).notice).toMatchObject({ kind: 'unreleased' });
  });
});

describe('releaseOrder', () => {
  it('puts the newest release first, drafts without a time on top in the preview, ties by title', () => {
    const items = [
      { title: 'B', sortAt: sortTime(post(), { shown: true, releasedAt: NOW - 2 * HOUR, notice: null }) },
      {
        title: 'Draft',
        sortAt: sortTime(post({ publishAt: null, draft: true }), {
          shown: true,
          releasedAt: null,
          notice: { kind: 'draft' },
        }),
      },
      { title: 'A', sortAt: NOW - 2 * HOUR },
      { title: 'New', sortAt: NOW },
    ];
    expect(items.sort(releaseOrder).map((i) => i.title)).toEqual(['Draft', 'New', 'A', 'B']);
  });
});
