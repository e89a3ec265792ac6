import { type LedgerRecord, recordKey } from './ledger.ts';
import type { Engagement, EngagementOutcome, EngagementStatus } from './report-types.ts';

/**
 * Engagement as the networks report it is per post (Mastodon's status, Bluesky's record, X's
 * tweet); the report shows it per item and network. A thread's parts are one item, so their
 * numbers are added up. Which posts to ask about comes from the ledger: the parts sent and not
 * retracted since (a deleted post has nothing left to count).
 *
 * Posts are an account's (src/core/accounts.ts): each is read with that account's own server and
 * credentials, and a retraction on one account leaves the item's posts on the others alone. An
 * account is named by its ledger key (recordKey): the network's id for the organisation's standard
 * account, as records written before accounts existed say.
 */
export interface PostEngagement extends Engagement {
  /** The network's id of the post, as the ledger's `remoteId`. */
  remoteId: string;
}

export interface LivePost {
  item: string;
  /** The network. */
  channel: string;
  /** The account's ledger key (recordKey). */
  account: string;
  part: number;
  remoteId: string;
}

/** The posts of one account (its ledger key) that are live by the ledger: sent, and not retracted afterwards. */
export function livePosts(records: readonly LedgerRecord[], account: string): LivePost[] {
  const live = new Map<string, LivePost>();
  for (const r of records) {
    if (r.channel === 'blog' || recordKey(r) !== account) continue;
    if (r.type === 'retracted') {
      for (const [key, post] of live) if (post.item === r.item) live.delete(key);
    } else if (r.type === 'sent' && r.remoteId) {
      const post = { item: r.item, channel: r.channel, account, part: r.part, remoteId: r.remoteId };
      live.set(`${r.item}\u0000${r.part}`, post);
    }
  }
  return [...live.values()];
}

/** The ledger keys of every account that has a social record, in the order they first appear. */
export function accountKeys(records: readonly LedgerRecord[]): { key: string; channel: string }[] {
  const keys = new Map<string, string>();
  for (const r of records) if (r.channel !== 'blog' && !keys.has(recordKey(r))) keys.set(recordKey(r), r.channel);
  return [...keys].map(([key, channel]) => ({ key, channel }));
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
 * Item id → the engagement of its live posts on one account (its ledger key). A post the network did not give numbers
 * for (deleted on the network, or not returned) adds nothing; an item none of whose posts came back
 * is left out, so the report shows it as unknown rather than as zero.
 */
export function engagementByItem(
  records: readonly LedgerRecord[],
  account: string,
  numbers: readonly PostEngagement[],
): Map<string, Engagement> {
  const byRemoteId = new Map(numbers.map((n) => [n.remoteId, n]));
  const byItem = new Map<string, Engagement>();
  for (const post of livePosts(records, account)) {
    const found = byRemoteId.get(post.remoteId);
    if (!found) continue;
    const { remoteId: _, ...counts } = found;
    const sofar = byItem.get(post.item);
    byItem.set(post.item, sofar ? addEngagement(sofar, counts) : counts);
  }
  return byItem;
}

/**
 * A network's engagement is the sum of its accounts' (src/core/accounts.ts): each account is read
 * with its own credentials, and one that did not answer leaves the others' numbers standing, marked
 * as at least these (`unread` names the items whose sums lack that account's posts).
 */
export function engagementByChannel(outcomes: readonly EngagementOutcome[]): {
  byChannel: Map<string, Map<string, Engagement>>;
  unread: Map<string, Set<string>>;
} {
  const byChannel = new Map<string, Map<string, Engagement>>();
  const unread = new Map<string, Set<string>>();
  for (const e of outcomes) {
    if (!e.ok) {
      let items = unread.get(e.channel);
      if (!items) unread.set(e.channel, (items = new Set()));
      for (const item of e.items) items.add(item);
      continue;
    }
    let sums = byChannel.get(e.channel);
    if (!sums) byChannel.set(e.channel, (sums = new Map()));
    for (const [item, counts] of e.byItem) {
      const sofar = sums.get(item);
      sums.set(item, sofar ? addEngagement(sofar, counts) : counts);
    }
  }
  return { byChannel, unread };
}

/** `ok` when every account of the network answered, `missing` when none did, `partial` in between. */
export function engagementStatus(outcomes: readonly EngagementOutcome[], channel: string): EngagementStatus {
  const mine = outcomes.filter((o) => o.channel === channel);
  if (mine.length === 0) return 'not asked';
  const answered = mine.filter((o) => o.ok).length;
  return answered === mine.length ? 'ok' : answered === 0 ? 'missing' : 'partial';
}
