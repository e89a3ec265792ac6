import type { LedgerRecord } from './ledger.ts';

/**
 * The social posts the ledger holds, one per item and network: when the network took the first
 * part (the thread's opening post, which carries the link readers click), when it was due, and
 * whether it was retracted since. The blog is not a network here: its release is what the posts
 * point to, and visits to it that came from no post have no campaign.
 */
export interface LedgerPost {
  item: string;
  channel: string;
  url: string;
  sentAt: number;
  due: number | null;
  parts: number;
  retracted: boolean;
}

/** Posts recorded before `endMs` (the end of the report's period): a later record is not in it. */
export function ledgerPosts(records: readonly LedgerRecord[], endMs: number): LedgerPost[] {
  const posts = new Map<string, LedgerPost>();
  for (const r of records) {
    if (r.channel === 'blog') continue;
    const key = `${r.item}\u0000${r.channel}`;
    const post = posts.get(key);
    if (r.type === 'retracted') {
      if (post && Date.parse(r.at) < endMs) post.retracted = true;
      continue;
    }
    if (r.type !== 'sent' || r.part !== 0) continue;
    const sentAt = Date.parse(r.sentAt ?? r.at);
    if (!Number.isFinite(sentAt) || sentAt >= endMs) continue;
    // Sent again after a retraction: a new post, which is the one readers can still reach.
    if (post && !post.retracted) continue;
    const due = r.due === undefined ? null : Date.parse(r.due);
    posts.set(key, {
      item: r.item,
      channel: r.channel,
      url: r.url,
      sentAt,
      due: due !== null && Number.isFinite(due) ? due : null,
      parts: r.parts,
      retracted: false,
    });
  }
  return [...posts.values()];
}

/** How late it went out, from its record's due and send times (null when the record has no due time). */
export function lateness(post: Pick<LedgerPost, 'sentAt' | 'due'>): number | null {
  return post.due === null ? null : Math.max(0, post.sentAt - post.due);
}

/** Networks in the order people know them; others after, by name. */
const ORDER = ['x', 'mastodon', 'bluesky', 'linkedin'];

export function byNetworkOrder(a: string, b: string): number {
  const ia = ORDER.indexOf(a);
  const ib = ORDER.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? ORDER.length : ia) - (ib < 0 ? ORDER.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

export const NETWORK_NAMES: Readonly<Record<string, string>> = {
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  linkedin: 'LinkedIn',
};

export const networkName = (channel: string): string => NETWORK_NAMES[channel] ?? channel;
