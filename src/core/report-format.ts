import { ORG_OWNER } from './accounts.ts';
import { formatDuration } from './duration.ts';
import { offsetAt, formatOffset, wallTimeAt } from './time-zone.ts';
import type { Engagement, EngagementStatus, Outcome, Report } from './report-types.ts';

/**
 * The words and numbers the text and Markdown reports share, so both say the same thing the same
 * way: an unknown is `?`, a number from a period with a missing week is `≥ n` (at least n), a tool
 * that does not count something shows `–`.
 */
export const UNKNOWN = '?';
export const NOT_COUNTED = '–';

export function countText(n: number | null, partial: boolean): string {
  if (n === null) return UNKNOWN;
  return partial ? `≥ ${n}` : String(n);
}

export function perPostText(n: number | null, partial = false): string {
  if (n === null) return UNKNOWN;
  const shown = Number.isInteger(n) ? String(n) : n.toFixed(1);
  return partial ? `≥ ${shown}` : shown;
}

/** Visits: `–` when the tool does not count them (not the same as unknown). */
export function visitsText(outcome: Outcome): string {
  if (outcome.visitors === null) return UNKNOWN;
  if (outcome.visits === null) return NOT_COUNTED;
  return countText(outcome.visits, outcome.partial);
}

export function goalText(outcome: Outcome, goal: string): string {
  if (outcome.visitors === null) return UNKNOWN;
  if (outcome.conversions === null) return NOT_COUNTED;
  return countText(outcome.conversions[goal] ?? 0, outcome.partial);
}

/** `on time`, `4m late`, or empty when the record has no due time. */
export function lateText(lateMs: number | null): string {
  if (lateMs === null) return '';
  return lateMs < 60_000 ? 'on time' : `${formatDuration(lateMs)} late`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-03 09:30`, the site's wall-clock time. */
export function whenText(epochMs: number, zone: string): string {
  const w = wallTimeAt(zone, epochMs);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** `2026-12-01 08:00 +01:00`, for the report's header. */
export function momentText(epochMs: number, zone: string): string {
  return `${whenText(epochMs, zone)} ${formatOffset(offsetAt(zone, epochMs))}`;
}

/**
 * `3 replies, 5 reposts, 12 likes` (and quotes where the network counts them); `–` for a network
 * not asked, `?` when unknown, `≥` before a sum some posts' numbers are missing from.
 */
export function engagementText(e: Engagement | null, status: EngagementStatus | undefined, partial = false): string {
  if (status === 'not asked' || status === undefined) return NOT_COUNTED;
  if (!e) return UNKNOWN;
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const parts = [n(e.replies, 'reply', 'replies'), n(e.reposts, 'repost', 'reposts'), n(e.likes, 'like', 'likes')];
  if (e.quotes !== undefined) parts.push(n(e.quotes, 'quote', 'quotes'));
  return `${partial ? '≥ ' : ''}${parts.join(', ')}`;
}

export function periodText(report: Report): string {
  return report.since === report.until ? report.since : `${report.since} to ${report.until}`;
}

export function sourceText(report: Report): string {
  return report.analytics ? `visitors from ${report.analytics.tool}` : 'no analytics set up';
}

/** Whose voice an account is: the organisation, `@login` for a person, `?` for an account the config no longer lists. */
export function ownerText(owner: string | null): string {
  if (owner === null) return UNKNOWN;
  return owner === ORG_OWNER ? 'organisation' : `@${owner}`;
}

/** The per-account table's cells, the same in text and Markdown (the caller makes the account id safe). */
export function accountCells(report: Report, a: Report['accounts'][number], id: string, network: string): string[] {
  return [
    id,
    ownerText(a.owner),
    network,
    String(a.posts),
    a.counted ? countText(a.visitors, a.partial) : NOT_COUNTED,
    engagementText(a.engagement, report.engagement[a.channel]),
  ];
}

export const ACCOUNT_HEADER = ['Account', 'Owner', 'Network', 'Posts', 'Visitors', 'Engagement'];
