import { type Account, ORG_OWNER } from './accounts.ts';
import { addEngagement } from './engagement.ts';
import { type LedgerRecord, recordKey } from './ledger.ts';
import type { AccountOutcome, AnalyticsOutcome, EngagementOutcome, PostOutcome } from './report-types.ts';

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

/** What the report knows of an account: its id, whose voice it is, and where its records are kept. */
export type ReportAccount = Pick<Account, 'id' | 'owner' | 'network' | 'key' | 'declared'>;

/**
 * Per account, for the posts the report lists: how many it sent, the visitors its links brought (by
 * `utm_source` = its network and `utm_content` = its id, over the weeks the tool answered: an
 * account's links are tagged, not its posts, so this counts every link of it that was followed in
 * the period), and its engagement. Accounts are keyed as the ledger keys them; one the ledger names
 * and the config no longer lists is shown by its key, with no owner. An account whose links carry no
 * utm_content (not listed in `accounts:`), or a tool that cannot tell, leaves its visitors unknown.
 */
export function accountOutcomes(
  records: readonly LedgerRecord[],
  posts: readonly PostOutcome[],
  accounts: readonly ReportAccount[],
  analytics: AnalyticsOutcome,
  engagement: readonly EngagementOutcome[],
  endMs: number,
): AccountOutcome[] {
  const listed = new Set(posts.map((p) => `${p.item}\u0000${p.channel}`));
  const sentBy = new Map<string, { channel: string; items: Set<string> }>();
  for (const r of records) {
    if (r.channel === 'blog' || r.type !== 'sent' || r.part !== 0) continue;
    if (!listed.has(`${r.item}\u0000${r.channel}`) || Date.parse(r.sentAt ?? r.at) >= endMs) continue;
    const key = recordKey(r);
    let sent = sentBy.get(key);
    if (!sent) sentBy.set(key, (sent = { channel: r.channel, items: new Set() }));
    sent.items.add(r.item);
  }
  const answered = analytics.configured && analytics.byContent ? analytics.weeks.filter((w) => 'rows' in w) : null;
  const partial = analytics.configured && analytics.weeks.some((w) => 'error' in w);
  return (
    [...sentBy]
      .map(([key, { channel, items }]): AccountOutcome => {
        const account = accounts.find((a) => a.key === key);
        const id = account?.id ?? key;
        const counted = answered !== null && account?.declared === true;
        let visitors: number | null = null;
        if (counted && answered.length > 0) {
          visitors = 0;
          for (const week of answered)
            for (const row of week.byContent ?? [])
              if (row.source.trim() === channel && row.content.trim() === id) visitors += row.visitors;
        }
        const known = engagement.flatMap((e) =>
          e.ok && e.account === id ? [...items].flatMap((item) => e.byItem.get(item) ?? []) : [],
        );
        return {
          account: id,
          owner: account?.owner ?? null,
          channel,
          posts: items.size,
          visitors,
          counted,
          partial: visitors !== null && partial,
          engagement: known.length ? known.reduce(addEngagement) : null,
        };
      })
      // Per network, the organisation's accounts first, then people's, by id.
      .sort(
        (a, b) =>
          byNetworkOrder(a.channel, b.channel) ||
          Number(a.owner !== ORG_OWNER) - Number(b.owner !== ORG_OWNER) ||
          (a.account < b.account ? -1 : a.account > b.account ? 1 : 0),
      )
  );
}
