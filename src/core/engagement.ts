import type { LedgerRecord } from './ledger.ts';
import type { Engagement } from './report-types.ts';

/**
 * Engagement as the networks report it is per post (Mastodon's status, Bluesky's record, X's
 * tweet); the report shows it per item and network. A thread's parts are one item, so their
 * numbers are added up. Which posts to ask about comes from the ledger: the parts sent and not
 * retracted since (a deleted post has nothing left to count).
 */
export interface PostEngagement extends Engagement {
  /** The network's id of the post, as the ledger's `remoteId`. */
  remoteId: string;
}

export interface LivePost {
  item: string;
  channel: string;
  part: number;
  remoteId: string;
}

/** The posts on `channel` that are live by the ledger: sent, and not retracted afterwards. */
export function livePosts(records: readonly LedgerRecord[], channel: string): LivePost[] {
  const live = new Map<string, LivePost>();
  for (const r of records) {
    if (r.channel !== channel) continue;
    if (r.type === 'retracted') {
      for (const [key, post] of live) if (post.item === r.item) live.delete(key);
    } else if (r.type === 'sent' && r.remoteId) {
      live.set(`${r.item}\u0000${r.part}`, { item: r.item, channel, part: r.part, remoteId: r.remoteId });
    }
  }
  return [...live.values()];
}

export function addEngagement(a: Engagement, b: Engagement): Engagement {
  const quotes = a.quotes === undefined && b.quotes === undefined ? undefined : (a.quotes ?? 0) + (b.quotes ?? 0);
  return {
    replies: a.replies + b.replies,
    reposts: a.reposts + b.reposts,
    likes: a.likes + b.likes,
    ...(quotes === undefined ? {} : { quotes }),
  };
}

/**
 * Item id → the engagement of its live posts on `channel`. A post the network did not give numbers
 * for (deleted on the network, or not returned) adds nothing; an item none of whose posts came back
 * is left out, so the report shows it as unknown rather than as zero.
 */
export function engagementByItem(
  records: readonly LedgerRecord[],
  channel: string,
  numbers: readonly PostEngagement[],
): Map<string, Engagement> {
  const byRemoteId = new Map(numbers.map((n) => [n.remoteId, n]));
  const byItem = new Map<string, Engagement>();
  for (const post of livePosts(records, channel)) {
    const found = byRemoteId.get(post.remoteId);
    if (!found) continue;
    const { remoteId: _, ...counts } = found;
    const sofar = byItem.get(post.item);
    byItem.set(post.item, sofar ? addEngagement(sofar, counts) : counts);
  }
  return byItem;
}
