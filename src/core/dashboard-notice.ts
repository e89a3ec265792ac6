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
/** Digests kept: more than any dashboard lists; the body stays far below GitHub's limit (17 × 500). */
const MAX_KEYS = 500;
/** Lines in one comment: the rest are on the dashboard. */
const MAX_LINES = 20;

function currentKeys(input: DashboardInput): string[] {
  const keys = [crisisKey(input), ...attentionEntries(input).map((e) => e.key)];
  return [...new Set(keys.filter((k): k is string => k !== null).map(attentionDigest))].slice(0, MAX_KEYS);
}

/** The hidden line of the dashboard that holds what it lists, for the next run to compare with. */
export function attentionKeysComment(input: DashboardInput): string {
  return [KEYS_PREFIX, ...currentKeys(input), '-->'].join(' ');
}

/** The digests a dashboard's body holds (none for a body written before digests were kept). */
export function keptAttention(body: string | null): Set<string> {
  const line = (body ?? '').split(/\r?\n/).find((l) => l.startsWith(KEYS_PREFIX));
  return new Set((line ?? '').split(' ').filter((word) => /^[0-9a-f]{16}$/.test(word)));
}

export interface NoticeInput {
  /** The dashboard's body before this run edited it, or null when this run created it. */
  previousBody: string | null;
  input: DashboardInput;
  /** GitHub logins to mention (`dashboard.notify`), already checked as logins. */
  notify: readonly string[];
  /** The dashboard issue's address. */
  issueUrl: string;
}

/** The comment that tells the owner what is new on the dashboard, or null when nothing is. */
export function attentionNotice({ previousBody, input, notify, issueUrl }: NoticeInput): string | null {
  const kept = keptAttention(previousBody);
  const isNew = (key: string | null) => key !== null && !kept.has(attentionDigest(key));
  const lines: string[] = [];
  const crisis = crisisKey(input);
  if (isNew(crisis)) lines.push(crisisLine(input));
  for (const entry of attentionEntries(input)) if (isNew(entry.key)) lines.push(entry.line);
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
