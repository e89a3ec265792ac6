import { describe, expect, it } from 'vitest';
import type { ChannelId } from './channels.ts';
import { partHash } from './content-hash.ts';
import type { AnnounceItem, PostItem, SocialItem } from './item.ts';
import { summarizeLedger, type LedgerRecord, type ReleasedFiles } from './ledger.ts';
import { approvalKey } from './item-state.ts';
import { planPublish, type PlanInputs, type PublishAction } from './plan.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0);
const at = (ms: number) => new Date(ms).toISOString();

function social(id: string, parts: string[], over: Partial<SocialItem> = {}): SocialItem {
  return {
    id,
    kind: 'social',
    file: `content/${id}.md`,
    publishAt: NOW - HOUR,
    draft: false,
    staleAfterMs: 6 * HOUR,
    channels: ['x', 'mastodon'],
    parts: parts.map((text, i) => ({ text, at: { line: 5 + i * 2, col: 1 } })),
    overrides: {},
    images: [],
    ...over,
  };
}

const post: PostItem = {
  id: 'posts/launch',
  kind: 'post',
  file: 'content/posts/launch.mdx',
  publishAt: NOW - HOUR,
  draft: false,
  staleAfterMs: null,
  slug: 'launch',
  title: 'We launched',
  description: 'All about the launch',
  tags: [],
  author: 'Ann',
  cover: null,
  bodyImages: [],
};

const announce: AnnounceItem = {
  id: 'posts/launch/announce',
  kind: 'announce',
  file: post.file,
  publishAt: post.publishAt,
  draft: false,
  staleAfterMs: 6 * HOUR,
  postId: post.id,
  channels: ['bluesky'],
  texts: { bluesky: { text: 'Read it: https://example.org/posts/launch/', at: { line: 3, col: 1 } } },
};

function rec(
  type: LedgerRecord['type'],
  item: string,
  channel: string,
  part: number,
  parts: number,
  extra: Partial<LedgerRecord> = {},
): LedgerRecord {
  return {
    v: 1,
    type,
    item,
    channel,
    part,
    parts,
    remoteId: `${channel}-${part}`,
    url: `https://net/${channel}/${part}`,
    at: at(NOW - 30 * 60_000),
    hash: '',
    ...extra,
  };
}

function plan(items: PlanInputs['items'], records: LedgerRecord[] = [], over: Partial<PlanInputs> = {}) {
  return planPublish({
    items,
    ledger: summarizeLedger(records),
    now: NOW,
    crisis: null,
    invalid: new Map(),
    compose: { siteUrl: 'https://example.org', utm: true },
    enabled: ['blog', 'x', 'mastodon', 'bluesky'] as ChannelId[],
    ...over,
  });
}

const sends = (actions: PublishAction[]) =>
  actions.filter((a): a is Extract<PublishAction, { kind: 'send' }> => a.kind === 'send');

describe('planPublish', () => {
  it('sends a due item to each of its channels, with the final text and stable keys', () => {
    const p = plan([social('social/a', ['Hi https://example.org/posts/launch/ and https://other.org'])]);
    const actions = sends(p.actions);
    expect(actions.map((a) => a.channel)).toEqual(['x', 'mastodon']);
    expect(actions[0]!.parts[0]!.text).toBe(
      'Hi https://example.org/posts/launch/?utm_source=x&utm_medium=social&utm_campaign=social%2Fa and https://other.org',
    );
    expect(actions[0]!.parts[0]!.key).not.toBe(actions[1]!.parts[0]!.key);
    expect(
      sends(plan([social('social/a', ['Hi https://example.org/posts/launch/ and https://other.org'])]).actions)[0]!
        .parts[0]!.key,
    ).toBe(actions[0]!.parts[0]!.key);
    expect(p.verdicts.get('social/a')!.state).toBe('due');
  });

  it('resumes a thread after the last part that went out, and looks first for an unconfirmed one', () => {
    const records = [
      rec('sent', 'social/t', 'x', 0, 4),
      rec('sent', 'social/t', 'x', 1, 4),
      rec('attempt', 'social/t', 'x', 2, 4),
    ];
    const [x] = sends(
      plan([social('social/t', ['one', 'two', 'three', 'four'], { channels: ['x'] })], records).actions,
    );
    expect(x!.parts.map((p) => [p.index, p.sent?.remoteId ?? null, p.uncertain])).toEqual([
      [0, 'x-0', false],
      [1, 'x-1', false],
      [2, null, true],
      [3, null, false],
    ]);
  });

  it('finishes a thread that has begun even once its stale window has passed', () => {
    const late = social('social/t', ['one', 'two'], { channels: ['x'], publishAt: NOW - 10 * HOUR });
    expect(plan([late]).verdicts.get('social/t')!.state).toBe('stale');
    expect(sends(plan([late], [rec('sent', 'social/t', 'x', 0, 2)]).actions)).toHaveLength(1);
  });

  it('never sends again what the ledger has, even after the file was edited', () => {
    const records = [rec('sent', 'social/a', 'x', 0, 1), rec('sent', 'social/a', 'mastodon', 0, 1)];
    const p = plan([social('social/a', ['Edited text after publishing'])], records);
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get('social/a')!.state).toBe('published');
  });

  it('recognises a renamed file by its content and does not send it again', () => {
    const hash = partHash('Same words');
    const records = [
      rec('sent', 'social/old-name', 'x', 0, 1, { hash }),
      rec('sent', 'social/old-name', 'mastodon', 0, 1, { hash }),
    ];
    const p = plan([social('social/new-name', ['Same words'])], records);
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get('social/new-name')!.state).toBe('published');
    expect(p.sentAs.get('social/new-name')?.get('x')).toBe('social/old-name');
  });

  it('does not send a retracted item again', () => {
    const records = [rec('sent', 'social/a', 'x', 0, 1), rec('retracted', 'social/a', 'x', 0, 1)];
    const p = plan([social('social/a', ['Hi'])], records);
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get('social/a')!.state).toBe('retracted');
  });

  it('holds everything while there is a crisis', () => {
    const p = plan([social('social/a', ['Hi']), post], [], { crisis: 'Storm' });
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get('posts/launch')).toMatchObject({ state: 'held', reason: 'CRISIS: Storm' });
  });

  it('holds what the approval gate refuses, and a file with errors', () => {
    const approvals = new Map([
      [
        approvalKey({ id: 'social/a', file: 'content/social/a.md' }),
        { ok: false as const, reason: 'no approving review' },
      ],
    ]);
    const invalid = new Map([['content/social/b.md', '3:1 bad']]);
    const p = plan([social('social/a', ['Hi']), social('social/b', ['Yo'])], [], { approvals, invalid });
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get('social/a')).toMatchObject({ state: 'held', reason: 'no approving review' });
    expect(p.verdicts.get('social/b')!.state).toBe('held');
  });

  it('does not retry text a network refused, unless it was edited; retries a passing fault', () => {
    const hash = partHash('Hi');
    const refused = [rec('failed', 'social/a', 'x', 0, 1, { hash, error: 'X: duplicate', failure: 'rejected' })];
    const a = social('social/a', ['Hi'], { channels: ['x'] });
    expect(plan([a], refused).actions).toEqual([]);
    expect(plan([a], refused).verdicts.get('social/a')).toMatchObject({ state: 'failed', reason: 'x: X: duplicate' });
    expect(sends(plan([social('social/a', ['Hi, edited'], { channels: ['x'] })], refused).actions)).toHaveLength(1);
    const fault = [rec('failed', 'social/a', 'x', 0, 1, { hash, error: 'X: 503', failure: 'unavailable' })];
    expect(sends(plan([a], fault).actions)).toHaveLength(1);
  });

  it('releases a due post, and its announcement once it is live, with a card from the post', () => {
    const before = plan([post, announce]);
    expect(before.actions.map((a) => a.kind)).toEqual(['release']);
    expect(before.verdicts.get(announce.id)!.state).toBe('scheduled');
    const after = plan([post, announce], [rec('sent', post.id, 'blog', 0, 1, { at: at(NOW - 60_000) })]);
    const [send] = sends(after.actions);
    expect(send!.channel).toBe('bluesky');
    expect(send!.dueAt).toBe(NOW - 60_000);
    expect(send!.linkCard).toMatchObject({ title: 'We launched', description: 'All about the launch' });
  });

  it('sends only to enabled channels, never drafts or future items, and orders by due time', () => {
    const early = social('social/early', ['Early'], { publishAt: NOW - 2 * HOUR });
    const p = plan(
      [
        social('social/a', ['Hi']),
        early,
        social('social/d', ['Draft'], { draft: true }),
        social('social/f', ['Later'], { publishAt: NOW + HOUR }),
      ],
      [],
      { enabled: ['blog', 'mastodon'] },
    );
    expect(sends(p.actions).map((a) => `${a.item.id}:${a.channel}`)).toEqual([
      'social/early:mastodon',
      'social/a:mastodon',
    ]);
    expect(p.verdicts.get('social/d')!.state).toBe('draft');
    expect(p.verdicts.get('social/f')!.state).toBe('scheduled');
  });
});

describe('a released post edited afterwards', () => {
  const bound = { file: post.file, blob: 'a'.repeat(40), coverBlob: null as string | null };
  const released = (files: Partial<LedgerRecord> = { ...bound }) => [
    rec('attempt', post.id, 'blog', 0, 1),
    rec('sent', post.id, 'blog', 0, 1, files),
  ];
  const now = (blob: string, over: Partial<ReleasedFiles> = {}) => ({
    postFiles: new Map([[post.id, { ...bound, blob, ...over }]]),
  });
  const releases = (p: ReturnType<typeof plan>) =>
    p.actions.filter((a): a is Extract<PublishAction, { kind: 'release' }> => a.kind === 'release');

  it('binds the bytes of the first release', () => {
    const [release] = releases(plan([post], [], now('b'.repeat(40))));
    expect(release).toMatchObject({ again: false, files: { file: post.file, blob: 'b'.repeat(40), coverBlob: null } });
  });
  it('does nothing while the bytes are the ones released', () => {
    expect(releases(plan([post], released(), now(bound.blob)))).toEqual([]);
  });
  it('releases an approved edit again, with the new bytes (post or cover)', () => {
    const approved = { approvals: new Map([[approvalKey(post), { ok: true as const }]]) };
    for (const files of [now('c'.repeat(40)), now(bound.blob, { coverBlob: 'd'.repeat(40) })]) {
      const [release] = releases(plan([post], released(), { ...files, ...approved }));
      expect(release).toMatchObject({ again: true, files: files.postFiles.get(post.id) });
    }
  });
  it('holds an edit that is not approved, in a crisis, as a draft, or with errors', () => {
    const edited = now('c'.repeat(40));
    const held = { approvals: new Map([[approvalKey(post), { ok: false as const, reason: 'no approval' }]]) };
    expect(releases(plan([post], released(), { ...edited, ...held }))).toEqual([]);
    expect(releases(plan([post], released(), { ...edited, crisis: 'Storm' }))).toEqual([]);
    expect(releases(plan([{ ...post, draft: true }], released(), edited))).toEqual([]);
    expect(releases(plan([post], released(), { ...edited, invalid: new Map([[post.file, '3:1 broken']]) }))).toEqual(
      [],
    );
  });
  it('tells the owner why a changed post is off the site: held, with what changed and why it is not released again', () => {
    const edited = now('c'.repeat(40));
    const held = {
      approvals: new Map([[approvalKey(post), { ok: false as const, reason: 'changed after approval' }]]),
    };
    expect(plan([post], released(), { ...edited, ...held }).verdicts.get(post.id)).toEqual({
      state: 'held',
      reason:
        'released, but it has changed since it was released, and changed after approval: the published site leaves it out until it is released again',
      dueAt: post.publishAt,
    });
    const draft = plan([{ ...post, draft: true }], released(), now(bound.blob, { coverBlob: 'd'.repeat(40) }));
    expect(draft.verdicts.get(post.id)?.reason).toBe(
      'released, but its cover has changed since it was released, and it is marked draft: the published site leaves it out until it is released again',
    );
    // Unchanged, or in a crisis (everything is held then, and the site is not deployed): published, as before.
    expect(plan([post], released(), now(bound.blob)).verdicts.get(post.id)?.state).toBe('published');
    expect(plan([post], released(), { ...edited, ...held, crisis: 'Storm' }).verdicts.get(post.id)?.state).toBe(
      'published',
    );
  });
  it('binds the bytes of a post released before releases bound them', () => {
    const [release] = releases(plan([post], released({}), now(bound.blob)));
    expect(release).toMatchObject({ again: true, files: bound });
  });
  it('never brings back a retracted post', () => {
    const retracted = [...released(), rec('retracted', post.id, 'blog', 0, 1)];
    expect(releases(plan([post], retracted, now('c'.repeat(40))))).toEqual([]);
  });

  describe('the files its body shows', () => {
    const CHART = 'content/posts/chart.png';
    const shown = (blob: string | null) => ({ images: { [CHART]: blob } });
    const approved = { approvals: new Map([[approvalKey(post), { ok: true as const }]]) };

    it('are bound by the first release', () => {
      const [release] = releases(plan([post], [], now('b'.repeat(40), shown('e'.repeat(40)))));
      expect(release).toMatchObject({ again: false, files: { images: { [CHART]: 'e'.repeat(40) } } });
    });
    it('release it again, once approved, when an image is swapped or the body shows another one', () => {
      const boundWithChart = released({ ...bound, ...shown('e'.repeat(40)) });
      expect(
        releases(plan([post], boundWithChart, { ...now(bound.blob, shown('e'.repeat(40))), ...approved })),
      ).toEqual([]);
      for (const files of [
        now(bound.blob, shown('f'.repeat(40))),
        now(bound.blob, shown(null)),
        now(bound.blob, { images: { [CHART]: 'e'.repeat(40), 'public/logo.png': 'f'.repeat(40) } }),
      ]) {
        const [release] = releases(plan([post], boundWithChart, { ...files, ...approved }));
        expect(release).toMatchObject({ again: true, files: files.postFiles.get(post.id) });
      }
    });
    it('hold a swap nobody approved: the release stays as it was (and the site leaves the post out)', () => {
      const held = {
        approvals: new Map([[approvalKey(post), { ok: false as const, reason: 'changed after approval' }]]),
      };
      const boundWithChart = released({ ...bound, ...shown('e'.repeat(40)) });
      expect(releases(plan([post], boundWithChart, { ...now(bound.blob, shown('f'.repeat(40))), ...held }))).toEqual(
        [],
      );
    });
    it('are bound, by releasing it again, for a post released before releases bound them', () => {
      const [release] = releases(plan([post], released(), { ...now(bound.blob, shown('e'.repeat(40))), ...approved }));
      expect(release).toMatchObject({ again: true, files: { ...bound, ...shown('e'.repeat(40)) } });
      // A post that shows no file is bound already by such a record.
      expect(releases(plan([post], released(), now(bound.blob)))).toEqual([]);
    });
  });
});

describe('announcing only what readers can open (the live check on)', () => {
  const releasedAgo = (ago: number) => rec('sent', post.id, 'blog', 0, 1, { at: at(NOW - ago) });
  const liveAgo = (ago: number) => rec('live', post.id, 'blog', 0, 1, { at: at(NOW - ago), url: 'x' });
  const on = (records: LedgerRecord[], over: Partial<PlanInputs> = {}) =>
    plan([post, announce], records, { liveAt: summarizeLedger(records).liveAt, ...over });
  const URL = 'https://example.org/posts/launch/';

  it('asks the address of a post just released, and sends no announcement until it answers', () => {
    const p = on([releasedAgo(60_000)]);
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get(announce.id)).toMatchObject({ state: 'scheduled', dueAt: null });
    expect(p.checkLive).toEqual([{ item: post, url: URL, releasedAt: NOW - 60_000 }]);
  });

  it('sends the announcement once the post answered, due from then, and asks no more', () => {
    const p = on([releasedAgo(HOUR), liveAgo(10 * 60_000)]);
    const [send] = sends(p.actions);
    expect(send).toMatchObject({ channel: 'bluesky', dueAt: NOW - 10 * 60_000 });
    expect(p.checkLive).toEqual([]);
  });

  it('stops asking after policies.liveWithin and holds the announcement, naming the address', () => {
    const records = [releasedAgo(3 * HOUR)];
    expect(on(records, { liveWithinMs: 3 * HOUR }).checkLive).toHaveLength(1);
    const p = on(records, { liveWithinMs: 2 * HOUR });
    expect(p.checkLive).toEqual([]);
    expect(p.actions).toEqual([]);
    expect(p.verdicts.get(announce.id)!.state).toBe('held');
    expect(p.verdicts.get(announce.id)!.reason).toContain(`but ${URL} has not answered with the post within 2h`);
  });

  it('asks only for posts with an announcement still to send: not a post without one, nor one announced or retracted', () => {
    const released = [releasedAgo(HOUR)];
    expect(plan([post], released, { liveAt: new Map() }).checkLive).toEqual([]);
    const announced = [...released, rec('sent', announce.id, 'bluesky', 0, 1)];
    expect(on(announced).checkLive).toEqual([]);
    expect(on(announced).verdicts.get(announce.id)!.state).toBe('published');
    const retracted = [...released, rec('retracted', post.id, 'blog', 0, 1)];
    expect(on(retracted).checkLive).toEqual([]);
    const announceRetracted = [...released, rec('retracted', announce.id, 'bluesky', 0, 1)];
    expect(on(announceRetracted).checkLive).toEqual([]);
    expect(on([]).checkLive).toEqual([]);
  });

  it('asks at the address under the site’s base path', () => {
    const p = on([releasedAgo(HOUR)], { compose: { siteUrl: 'https://example.org/journal', utm: true } });
    expect(p.checkLive.map((c) => c.url)).toEqual(['https://example.org/journal/posts/launch/']);
  });

  it('is off without liveAt (local mode): due from the release, nothing to ask', () => {
    const p = plan([post, announce], [releasedAgo(60_000)]);
    expect(sends(p.actions)).toHaveLength(1);
    expect(p.checkLive).toEqual([]);
  });
});
