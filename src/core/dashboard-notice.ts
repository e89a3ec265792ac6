import { attentionDigest, attentionEntries, crisisKey, crisisSince } from './dashboard-attention.ts';
import type { DashboardInput } from './dashboard.ts';
import { linkTo } from './markdown-text.ts';

/**
 * Telling the owner. GitHub notifies no one when an issue is edited, so a dashboard that is only
 * kept current tells nobody that something new needs them. When a run finds something that the
 * dashboard did not list before (CRISIS turned on, a credential refused, a post failed, an item
 * held or missed), it comments on the dashboard issue once: the comment notifies whoever watches the
 * repository or subscribes to the issue, and mentions the logins in `dashboard.notify`. The same
 * thing still needing attention an hour later is not news, and is not said again.
 *
 * The dashboard keeps what it listed as short digests in a hidden comment at its end; the next run
 * compares against them. Pure: the previous body and this run's input go in, the comment comes out.
 */
const KEYS_PREFIX = '<!-- postgate:attention';
export const NOTICE_MARKER = '<!-- postgate:notice -->';
/** A body's keys line, whole. */
export const KEYS_LINE = /^<!-- postgate:attention( [0-9a-f]{16})* -->$/;
/** Digests kept: more than any dashboard lists; the body stays far below GitHub's limit (17 × 500). */
const MAX_KEYS = 500;
/** Lines in one comment: the rest are on the dashboard. */
const MAX_LINES = 20;

/** A thing the owner may need to hear of, with the key that says it is the same thing as before. */
export interface NoticeEntry {
  key: string;
  line: string;
}

/** What this run's dashboard lists that is news when new: CRISIS first, then what needs attention. */
export function noticeEntries(input: DashboardInput): NoticeEntry[] {
  const crisis = crisisKey(input);
  const entries = [
    ...(crisis === null ? [] : [{ key: crisis, line: crisisLine(input) }]),
    ...attentionEntries(input).filter((e): e is NoticeEntry => e.key !== null),
  ];
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.key) && seen.add(e.key)).slice(0, MAX_KEYS);
}

/** The hidden line that holds what a dashboard lists, for the next run to compare with. */
export function keysLine(digests: Iterable<string>): string {
  return [KEYS_PREFIX, ...digests, '-->'].join(' ');
}

/** The hidden line of this run's dashboard. */
export function attentionKeysComment(input: DashboardInput): string {
  return keysLine(noticeEntries(input).map((e) => attentionDigest(e.key)));
}

/**
 * The digests a dashboard's body holds (none for a body written before digests were kept). Only a
 * whole line of digests counts, and only the last: the line this code writes comes after every text
 * that anyone else controls.
 */
export function keptAttention(body: string | null): Set<string> {
  const lines = (body ?? '').split(/\r?\n/).filter((l) => KEYS_LINE.test(l));
  return new Set((lines.at(-1) ?? '').split(' ').filter((word) => /^[0-9a-f]{16}$/.test(word)));
}

export interface NoticeInput {
  /** The dashboard's body before this run edited it, or null when this run created it. */
  previousBody: string | null;
  /** What the dashboard now lists (noticeEntries), each at most once. */
  entries: readonly NoticeEntry[];
  /** GitHub logins to mention (`dashboard.notify`), already checked as logins. */
  notify: readonly string[];
  /** The dashboard issue's address. */
  issueUrl: string;
}

/** The comment that tells the owner what is new on the dashboard, or null when nothing is. */
export function attentionNotice({ previousBody, entries, notify, issueUrl }: NoticeInput): string | null {
  const kept = keptAttention(previousBody);
  const lines = entries.filter((e) => !kept.has(attentionDigest(e.key))).map((e) => e.line);
  if (lines.length === 0) return null;
  const shown = lines.slice(0, MAX_LINES).map((line) => `- ${line}`);
  if (lines.length > MAX_LINES) shown.push(`- … and ${lines.length - MAX_LINES} more on the dashboard.`);
  const who = notify.length ? `${notify.map((login) => `@${login}`).join(' ')}: n` : 'N';
  return [
    NOTICE_MARKER,
    `${who}ew on the ${linkTo('dashboard', issueUrl)} since its last update:`,
    shown.join('\n'),
    '_Postgate comments only when something new needs attention; the dashboard above stays current._',
  ]
    .join('\n\n')
    .concat('\n');
}

function crisisLine(input: DashboardInput): string {
  const { crisis } = input;
  if (crisis?.unknown) return '**CRISIS could not be checked**, so nothing is published until it can.';
  return `**CRISIS is on**${crisisSince(input)}: nothing is published, the blog included, until the CRISIS file is removed from main.`;
}
