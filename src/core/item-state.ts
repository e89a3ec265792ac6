import { channelsOf, type Item } from './item.ts';
import { formatDuration } from './duration.ts';

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
}

export type ApprovalVerdict = { ok: true } | { ok: false; reason: string };

/** Where an item's approval verdict is kept: by id and file, never by id alone. */
export const approvalKey = (item: Pick<Item, 'id' | 'file'>): string => `${item.id}\u0000${item.file}`;

export interface StateVerdict {
  state: ItemState;
  reason?: string;
  /** When it is due: its publish time, or for an announcement the moment its post went live. */
  dueAt: number | null;
}

const NAMES: Record<string, string> = { blog: 'the blog', x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky' };

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
    dueAt = Math.max(released, item.publishAt);
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

/** States in which the publisher sends what is left of an item. */
export function isActionable(
  verdict: StateVerdict,
  failures?: ReadonlyMap<string, { retry: boolean }>,
  id?: string,
): boolean {
  if (verdict.state === 'due') return true;
  return verdict.state === 'failed' && id !== undefined && failures?.get(id)?.retry === true;
}
