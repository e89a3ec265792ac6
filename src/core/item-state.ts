import { channelsOf, type Item } from './item.ts';
import { formatDuration } from './duration.ts';
import { formatUtc } from './time-zone.ts';

/**
 * Where an item stands at a moment: the rule behind `queue`, and the first step of the publisher's
 * plan. Pure: the clock, the ledger and the crisis are passed in.
 */
export type ItemState = 'draft' | 'scheduled' | 'due' | 'published' | 'held' | 'stale' | 'failed' | 'retracted';

export interface StateInputs {
  now: number;
  /** Channels on which each item is already fully sent, from the ledger: id → channels. */
  sent: ReadonlyMap<string, ReadonlySet<string>>;
  /** Channels each item was retracted from, from the ledger: id → channels. */
  retracted: ReadonlyMap<string, ReadonlySet<string>>;
  /** When each blog post went live, from the ledger: post id → epoch ms. */
  releasedAt: ReadonlyMap<string, number>;
  /** The reason in the CRISIS file, or null when there is no crisis. */
  crisis: string | null;
  /** The first error found in each item's file, if any. */
  invalid: ReadonlyMap<string, string>;
  /** Items with some parts already out on some channel: a thread that has begun is finished, late or not. */
  started?: ReadonlySet<string>;
  /**
   * The approval gate's verdict per item, by `approvalKey` (id and file: two files that claim one
   * id each get their own verdict); an item missing here is not gated (local mode).
   */
  approvals?: ReadonlyMap<string, ApprovalVerdict>;
  /** The last failure per item id, from the ledger; `retry: false` when sending again would fail the same way. */
  failures?: ReadonlyMap<string, { error: string; retry: boolean }>;
  /**
   * When each released post answered at its address with the post (the ledger's `liveAt`). Given,
   * the live check is on: a post's announcements wait until readers can open it, not only until its
   * release is recorded (the site is built and deployed after that, and a deploy can fail). Absent
   * (local mode, no deployed site to ask), an announcement is due from the release, as before.
   */
  liveAt?: ReadonlyMap<string, number>;
  /**
   * How long after a release the publisher keeps asking the post's address (`policies.liveWithin`);
   * past it, the announcements are held and the owner is told. Default DEFAULT_LIVE_WITHIN_MS.
   */
  liveWithinMs?: number;
  /** Post id → its public address, to name in reasons (see postUrl in post-slug.ts). */
  postUrls?: ReadonlyMap<string, string>;
}

/** 24 hours: see `policies.liveWithin` in config-schema.ts. */
export const DEFAULT_LIVE_WITHIN_MS = 24 * 3_600_000;

/**
 * `held`: on an approved item, the accounts (by key) that still wait for their owner's own approval
 * (a person's account: src/github/approvals.ts consent), with why; the others go.
 */
export type ApprovalVerdict = { ok: true; held?: Readonly<Record<string, string>> } | { ok: false; reason: string };

/** Where an item's approval verdict is kept: by id and file, never by id alone. */
export const approvalKey = (item: Pick<Item, 'id' | 'file'>): string => `${item.id}\u0000${item.file}`;

export interface StateVerdict {
  state: ItemState;
  reason?: string;
  /** When it is due: its publish time, or for an announcement the moment its post went live. */
  dueAt: number | null;
}

const NAMES: Record<string, string> = {
  blog: 'the blog',
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  linkedin: 'LinkedIn',
};

export function itemState(item: Item, inputs: StateInputs): StateVerdict {
  const sent = inputs.sent.get(item.id);
  const channels = channelsOf(item);
  // Retracted anywhere means "this must not be out there": it is never sent again, anywhere,
  // while it keeps its id, even though its file may still be in the repository.
  const retracted = channels.filter((c) => inputs.retracted.get(item.id)?.has(c));
  if (retracted.length > 0) {
    return {
      state: 'retracted',
      reason: `retracted from ${retracted.map((c) => NAMES[c] ?? c).join(', ')}; it is not sent again`,
      dueAt: item.publishAt,
    };
  }
  if (sent && channels.length > 0 && channels.every((c) => sent.has(c)))
    return { state: 'published', dueAt: item.publishAt };

  const problem = inputs.invalid.get(item.file);
  if (problem) return { state: 'held', reason: `the file has errors: ${problem}`, dueAt: item.publishAt };
  if (item.draft || item.publishAt === null) return { state: 'draft', dueAt: item.publishAt };

  let dueAt = item.publishAt;
  if (item.kind === 'announce') {
    const released = inputs.releasedAt.get(item.postId);
    if (released === undefined) {
      return { state: 'scheduled', reason: 'goes out once its blog post is live', dueAt: null };
    }
    const waiting = inputs.liveAt ? waitingForPage(item.postId, released, inputs) : null;
    if (waiting) return waiting;
    dueAt = Math.max(inputs.liveAt?.get(item.postId) ?? released, item.publishAt);
  }
  if (dueAt > inputs.now) return { state: 'scheduled', dueAt };
  if (inputs.crisis !== null) return { state: 'held', reason: `CRISIS: ${inputs.crisis}`, dueAt };
  const late = inputs.now - dueAt;
  if (item.staleAfterMs !== null && late > item.staleAfterMs && !inputs.started?.has(item.id)) {
    return {
      state: 'stale',
      reason: `due ${formatDuration(late)} ago, past its ${formatDuration(item.staleAfterMs)} window; reschedule it in a pull request to send it`,
      dueAt,
    };
  }
  const approval = inputs.approvals?.get(approvalKey(item));
  if (approval && !approval.ok) return { state: 'held', reason: approval.reason, dueAt };
  const failure = inputs.failures?.get(item.id);
  if (failure)
    return {
      state: 'failed',
      reason: failure.retry ? `${failure.error}; the next run tries again` : failure.error,
      dueAt,
    };
  return { state: 'due', dueAt };
}

/**
 * An announcement whose post is released but has not answered at its address yet: it waits while
 * the publisher keeps asking, and is held (never dropped) once the window is over. Null once live.
 */
function waitingForPage(postId: string, released: number, inputs: StateInputs): StateVerdict | null {
  if (inputs.liveAt?.has(postId)) return null;
  const within = inputs.liveWithinMs ?? DEFAULT_LIVE_WITHIN_MS;
  const since = inputs.now - released;
  if (since <= within)
    return {
      state: 'scheduled',
      reason: `waits for its post to answer at its address (released ${formatUtc(released)})`,
      dueAt: null,
    };
  const url = inputs.postUrls?.get(postId) ?? `the post ${postId}`;
  return {
    state: 'held',
    reason: `its post was released at ${formatUtc(released)}, ${formatDuration(since)} ago, but ${url} has not answered with the post within ${formatDuration(within)}: check the site workflow's build and deploy of that release; once the page shows the post, a longer policies.liveWithin lets the publisher check again`,
    dueAt: null,
  };
}

/** States in which the publisher sends what is left of an item. */
export function isActionable(
  verdict: StateVerdict,
  failures?: ReadonlyMap<string, { retry: boolean }>,
  id?: string,
): boolean {
  if (verdict.state === 'due') return true;
  return verdict.state === 'failed' && id !== undefined && failures?.get(id)?.retry === true;
}
