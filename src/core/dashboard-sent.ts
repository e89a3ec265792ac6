import { isLoopbackHost } from './base-url.ts';
import { channelName } from './dashboard-gantt.ts';
import { codeText, linkTo, plainText } from './markdown-text.ts';
import { formatLocal } from './time-zone.ts';

/**
 * The dashboard's "what went out": the ledger's `sent` records of the last 7 days, one line per item
 * and channel (a thread once, with how many of its parts are live), newest first, linked to the post
 * (a blog post's record holds its address on the site). A retraction since is said, and unlinked.
 */
export const RECENT_DAYS = 7;
const DAY_MS = 86_400_000;

/** What the lines need of a ledger record (src/core/ledger.ts). */
export interface SentRecord {
  type: string;
  item: string;
  channel: string;
  account?: string | undefined;
  part: number;
  parts: number;
  url: string;
  at: string;
}

interface SentGroup {
  item: string;
  channel: string;
  account: string | undefined;
  at: number;
  url: string;
  parts: Set<number>;
  of: number;
  retracted: boolean;
}

function sentGroups(records: readonly SentRecord[], now: number): SentGroup[] {
  const since = now - RECENT_DAYS * DAY_MS;
  const groups = new Map<string, SentGroup>();
  for (const r of records) {
    // Per account (src/core/accounts.ts): records without one are the organisation's standard account.
    const key = `${r.item}\u0000${r.account ?? r.channel}`;
    const at = Date.parse(r.at);
    if (r.type === 'retracted') {
      const group = groups.get(key);
      if (group) group.retracted = true;
      continue;
    }
    if (r.type !== 'sent' || !(at >= since && at <= now)) continue;
    let group = groups.get(key);
    if (!group || group.retracted)
      groups.set(
        key,
        (group = {
          item: r.item,
          channel: r.channel,
          account: r.account,
          at,
          url: '',
          parts: new Set(),
          of: r.parts,
          retracted: false,
        }),
      );
    group.at = Math.max(group.at, at);
    group.of = r.parts;
    group.parts.add(r.part);
    if (r.part === 0 || !group.url) group.url = r.url;
  }
  return [...groups.values()].sort((a, b) => b.at - a.at || (a.item < b.item ? -1 : 1));
}

/**
 * Whether `url` is https:// on one of `hosts` (or a subdomain of one): only such addresses are linked.
 * http:// only on this machine (a local test instance), as for every base URL.
 */
function onHost(url: string, hosts: readonly string[] | undefined): boolean {
  const parsed = URL.parse(url);
  if (!parsed || !hosts) return false;
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) return false;
  const host = parsed.hostname.toLowerCase();
  return hosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`));
}

/**
 * One line per item and channel, newest first, at most `rows` of them. A record's address is linked
 * only on its channel's own host (`linkHosts`): the ledger is text, and a record that got in some
 * other way must not put a link in an issue the owner trusts.
 */
export function sentLines(
  records: readonly SentRecord[],
  now: number,
  zone: string,
  rows: number,
  linkHosts: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  const groups = sentGroups(records, now);
  if (groups.length === 0) return [`Nothing went out in the last ${RECENT_DAYS} days.`];
  const lines = groups.slice(0, rows).map((g) => {
    const linked = !g.retracted && g.url && onHost(g.url, linkHosts[g.channel]);
    // A person's account (or another organisation account) is named beside its network.
    // Both come from the ledger, which is text: shown as text, linked or not.
    const name = g.account ? `${channelName(g.channel)} (${g.account})` : channelName(g.channel);
    const where = linked ? linkTo(name, g.url) : plainText(name);
    const verb = g.channel === 'blog' ? 'released on' : 'on';
    const parts = g.of > 1 ? ` (${g.parts.size}/${g.of} parts)` : '';
    return `- ${formatLocal(g.at, zone)}: ${codeText(g.item)} ${verb} ${where}${parts}${g.retracted ? ', since retracted' : ''}`;
  });
  if (groups.length > rows) lines.push(`- … and ${groups.length - rows} more in the ledger.`);
  return lines;
}
