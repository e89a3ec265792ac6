import { describe, expect, it } from 'vitest';
import type { AnnounceItem, PostItem, SocialItem } from './item.ts';
import { itemState, type StateInputs } from './item-state.ts';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0);

const social: SocialItem = {
  id: 'social/launch',
  kind: 'social',
  file: 'content/social/launch.md',
  publishAt: NOW - HOUR,
  draft: false,
  staleAfterMs: 6 * HOUR,
  channels: ['x', 'mastodon'],
  parts: [{ text: 'Hello', at: { line: 5, col: 1 } }],
  overrides: {},
  images: [],
};

const post: PostItem = {
  id: 'posts/launch',
  kind: 'post',
  file: 'content/posts/launch.mdx',
  publishAt: NOW - HOUR,
  draft: false,
  staleAfterMs: null,
  slug: 'launch',
  title: 'Launch',
  description: 'We launched',
  tags: [],
  author: 'Ann',
  cover: null,
  bodyImages: [],
};

const announce: AnnounceItem = {
  id: 'posts/launch/announce',
  kind: 'announce',
  file: 'content/posts/launch.mdx',
  publishAt: NOW - 2 * HOUR,
  draft: false,
  staleAfterMs: 6 * HOUR,
  postId: 'posts/launch',
  channels: ['x'],
  texts: { x: { text: 'New post', at: { line: 8, col: 1 } } },
};

function inputs(over: Partial<StateInputs> = {}): StateInputs {
  return {
    now: NOW,
    sent: new Map(),
    retracted: new Map(),
    releasedAt: new Map(),
    crisis: null,
    invalid: new Map(),
    ...over,
  };
}

describe('itemState', () => {
  it('is draft when marked draft or without a time', () => {
    expect(itemState({ ...social, draft: true }, inputs())).toEqual({ state: 'draft', dueAt: NOW - HOUR });
    expect(itemState({ ...social, publishAt: null }, inputs())).toEqual({ state: 'draft', dueAt: null });
  });
  it('is scheduled before its time, even during a crisis', () => {
    expect(itemState({ ...social, publishAt: NOW + 1 }, inputs())).toEqual({ state: 'scheduled', dueAt: NOW + 1 });
    expect(itemState({ ...social, publishAt: NOW + HOUR }, inputs({ crisis: 'storm' })).state).toBe('scheduled');
  });
  it('is due from its time on', () => {
    expect(itemState({ ...social, publishAt: NOW }, inputs())).toEqual({ state: 'due', dueAt: NOW });
    expect(itemState(post, inputs())).toEqual({ state: 'due', dueAt: NOW - HOUR });
  });
  it('is published only when every channel is sent', () => {
    expect(itemState(social, inputs({ sent: new Map([['social/launch', new Set(['x'])]]) })).state).toBe('due');
    expect(itemState(social, inputs({ sent: new Map([['social/launch', new Set(['x', 'mastodon'])]]) })).state).toBe(
      'published',
    );
    expect(itemState(post, inputs({ sent: new Map([['posts/launch', new Set(['blog'])]]) })).state).toBe('published');
  });
  it('stays published during a crisis and when its file later has errors', () => {
    const sent = new Map([['social/launch', new Set(['x', 'mastodon'])]]);
    const verdict = itemState(social, inputs({ sent, crisis: 'storm', invalid: new Map([[social.file, 'bad']]) }));
    expect(verdict.state).toBe('published');
  });
  it('is held with the crisis reason when due during a crisis, even past its window', () => {
    expect(itemState(social, inputs({ crisis: 'Flooding in the city' }))).toEqual({
      state: 'held',
      reason: 'CRISIS: Flooding in the city',
      dueAt: NOW - HOUR,
    });
    expect(itemState({ ...social, publishAt: NOW - 9 * HOUR }, inputs({ crisis: '' })).state).toBe('held');
  });
  it('is held when its file has errors, whatever else holds', () => {
    const invalid = new Map([[social.file, 'publishAt: 2030-02-30 is not a date']]);
    const verdict = itemState({ ...social, draft: true, publishAt: NOW + HOUR }, inputs({ invalid }));
    expect(verdict.state).toBe('held');
    expect(verdict.reason).toBe('the file has errors: publishAt: 2030-02-30 is not a date');
  });
  it('is stale once later than its window, saying by how much', () => {
    const verdict = itemState({ ...social, publishAt: NOW - 7 * HOUR }, inputs());
    expect(verdict.state).toBe('stale');
    expect(verdict.reason).toContain('due 7h ago, past its 6h window');
    expect(verdict.reason).toContain('reschedule it in a pull request');
    expect(verdict.dueAt).toBe(NOW - 7 * HOUR);
  });
  it('is still due exactly at the end of its window, and never stale without one', () => {
    expect(itemState({ ...social, publishAt: NOW - 6 * HOUR }, inputs()).state).toBe('due');
    expect(itemState({ ...social, publishAt: NOW - 6 * HOUR - 1 }, inputs()).state).toBe('stale');
    expect(itemState({ ...social, publishAt: NOW - 1000 * HOUR, staleAfterMs: null }, inputs()).state).toBe('due');
  });
});

describe('itemState for a post announcement', () => {
  it('waits for its blog post to go live', () => {
    expect(itemState(announce, inputs())).toEqual({
      state: 'scheduled',
      reason: 'goes out once its blog post is live',
      dueAt: null,
    });
  });
  it('falls due when the post went live, not at its own earlier time', () => {
    const releasedAt = new Map([['posts/launch', NOW - 30 * 60_000]]);
    expect(itemState(announce, inputs({ releasedAt }))).toEqual({ state: 'due', dueAt: NOW - 30 * 60_000 });
  });
  it('measures staleness from the release time', () => {
    // Its own time was 8 hours ago, past the 6-hour window, but the post went live only 1 hour ago.
    const late = { ...announce, publishAt: NOW - 8 * HOUR };
    expect(itemState(late, inputs({ releasedAt: new Map([['posts/launch', NOW - HOUR]]) })).state).toBe('due');
    expect(itemState(late, inputs({ releasedAt: new Map([['posts/launch', NOW - 7 * HOUR]]) })).state).toBe('stale');
  });
  it('keeps to its own time when the post went live earlier', () => {
    const future = { ...announce, publishAt: NOW + HOUR };
    expect(itemState(future, inputs({ releasedAt: new Map([['posts/launch', NOW - HOUR]]) }))).toEqual({
      state: 'scheduled',
      dueAt: NOW + HOUR,
    });
  });
  it('is held during a crisis once its post is live', () => {
    const verdict = itemState(
      announce,
      inputs({ releasedAt: new Map([['posts/launch', NOW - HOUR]]), crisis: 'storm' }),
    );
    expect(verdict).toMatchObject({ state: 'held', reason: 'CRISIS: storm' });
  });
  it('stays a draft while its post is a draft', () => {
    expect(
      itemState({ ...announce, draft: true }, inputs({ releasedAt: new Map([['posts/launch', NOW - HOUR]]) })).state,
    ).toBe('draft');
  });
});

describe('itemState for a post announcement, with the live check on', () => {
  const released = (ago: number) => new Map([['posts/launch', NOW - ago]]);
  const live = (ago: number) => new Map([['posts/launch', NOW - ago]]);
  const postUrls = new Map([['posts/launch', 'https://example.org/posts/launch/']]);

  it('waits while its post is released but has not answered at its address, with no time yet', () => {
    const verdict = itemState(announce, inputs({ releasedAt: released(HOUR), liveAt: new Map(), postUrls }));
    expect(verdict).toEqual({
      state: 'scheduled',
      reason: 'waits for its post to answer at its address (released 2026-12-01T11:00:00Z)',
      dueAt: null,
    });
  });

  it('still waits exactly at the end of the window, and is held just after it, naming the address and what to check', () => {
    const at = (ago: number) =>
      itemState(announce, inputs({ releasedAt: released(ago), liveAt: new Map(), liveWithinMs: 2 * HOUR, postUrls }));
    expect(at(2 * HOUR).state).toBe('scheduled');
    const held = at(2 * HOUR + 60_000);
    expect(held.state).toBe('held');
    expect(held.dueAt).toBeNull();
    expect(held.reason).toBe(
      "its post was released at 2026-12-01T09:59:00Z, 2h1m ago, but https://example.org/posts/launch/ has not answered with the post within 2h: check the site workflow's build and deploy of that release; once the page shows the post, a longer policies.liveWithin lets the publisher check again",
    );
  });

  it('waits a day by default', () => {
    const at = (ago: number) => itemState(announce, inputs({ releasedAt: released(ago), liveAt: new Map() })).state;
    expect(at(24 * HOUR)).toBe('scheduled');
    expect(at(24 * HOUR + 1)).toBe('held');
  });

  it('falls due when its post answered, and counts staleness from then, not from the release', () => {
    const late = { ...announce, publishAt: NOW - 30 * HOUR };
    const answered = (ago: number) =>
      itemState(late, inputs({ releasedAt: released(29 * HOUR), liveAt: live(ago), postUrls }));
    expect(answered(5 * HOUR)).toEqual({ state: 'due', dueAt: NOW - 5 * HOUR });
    expect(answered(7 * HOUR)).toMatchObject({ state: 'stale', dueAt: NOW - 7 * HOUR });
    expect(answered(7 * HOUR).reason).toContain('due 7h ago, past its 6h window');
  });

  it('keeps to its own time when the post answered earlier, and to the gates after it', () => {
    const future = { ...announce, publishAt: NOW + HOUR };
    expect(itemState(future, inputs({ releasedAt: released(HOUR), liveAt: live(HOUR) }))).toEqual({
      state: 'scheduled',
      dueAt: NOW + HOUR,
    });
    const crisis = itemState(announce, inputs({ releasedAt: released(HOUR), liveAt: live(HOUR), crisis: 'storm' }));
    expect(crisis).toMatchObject({ state: 'held', reason: 'CRISIS: storm' });
  });

  it('is published, retracted or a draft whatever its post’s page says', () => {
    const off = inputs({ releasedAt: released(30 * HOUR), liveAt: new Map() });
    expect(itemState(announce, { ...off, sent: new Map([[announce.id, new Set(['x'])]]) }).state).toBe('published');
    expect(itemState(announce, { ...off, retracted: new Map([[announce.id, new Set(['x'])]]) }).state).toBe(
      'retracted',
    );
    expect(itemState({ ...announce, draft: true }, off).state).toBe('draft');
  });

  it('without it (local mode), is due from the release as before', () => {
    expect(itemState(announce, inputs({ releasedAt: released(30 * 60_000) }))).toEqual({
      state: 'due',
      dueAt: NOW - 30 * 60_000,
    });
  });

  it('leaves social items and posts alone', () => {
    const on = inputs({ liveAt: new Map(), liveWithinMs: 1 });
    expect(itemState(social, on).state).toBe('due');
    expect(itemState(post, on).state).toBe('due');
  });
});

describe('itemState after a retraction', () => {
  it('never makes a retracted item due again, even though its file is still there', () => {
    const retracted = new Map([[social.id, new Set(['x'])]]);
    const verdict = itemState(social, inputs({ retracted }));
    expect(verdict.state).toBe('retracted');
    expect(verdict.reason).toBe('retracted from X; it is not sent again');
  });

  it('ignores a retraction on a channel the item does not use', () => {
    const retracted = new Map([[social.id, new Set(['bluesky'])]]);
    expect(itemState(social, inputs({ retracted })).state).toBe('due');
  });
});
