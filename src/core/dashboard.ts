import { attentionEntries, crisisSince, olderMissedCount } from './dashboard-attention.ts';
import { ganttLeftOut, scheduleEntries, scheduleGantt, WINDOW_DAYS } from './dashboard-gantt.ts';
import { offSinceMark } from './dashboard-crisis.ts';
import { attentionKeysComment } from './dashboard-notice.ts';
import type { Item } from './item.ts';
import type { StateVerdict } from './item-state.ts';
import { RECENT_DAYS, type SentRecord, sentLines } from './dashboard-sent.ts';
import { linkTo, plainText } from './markdown-text.ts';
import { formatLocal } from './time-zone.ts';

/**
 * The publishing dashboard: one GitHub issue that every publish run keeps current (as Renovate's
 * Dependency Dashboard does), so the owner sees what needs them without opening the Actions tab.
 * What needs attention comes first (CRISIS, networks without working credentials, failures, held
 * and missed items), then what went out in the last 7 days, then the next 14 days as a chart.
 * Pure: the run's clock, its results and the ledger's records go in, the issue's Markdown comes out.
 * Every text a writer or a network controls goes through markdown-text.ts or the chart's own rule.
 */
export const DASHBOARD_MARKER = '<!-- postgate:dashboard -->';
/** Ends the line that says when the issue was written: the only line that changes with every run. */
const STAMP = '<!-- postgate:updated -->';
/** Rows per list: the issue stays readable. */
const MAX_ROWS = 50;
/** GitHub refuses an issue body over 65,536 characters; escaping can make a row long, so fewer rows then. */
const MAX_BODY = 60_000;

export interface DashboardInput {
  /** The run's clock. */
  now: number;
  zone: string;
  crisis: { reason: string; unknown?: boolean; author?: string | null; at?: string | null } | null;
  /** Items due but not sent, and why (the run's held list: held, stale, failed). */
  held: readonly { item: string; state: string; reason: string }[];
  /** This run's outcomes (src/publish/results.ts). */
  results: readonly {
    item: string;
    channel: string;
    /** The account, when not the organisation's standard one of the network (src/core/accounts.ts). */
    account?: string;
    outcome: string;
    message?: string;
    failure?: string;
  }[];
  /** Enabled networks whose credentials are not all set, with the variables missing. */
  missingCredentials: readonly { channel: string; account?: string; variables: readonly string[] }[];
  items: readonly Item[];
  verdicts: ReadonlyMap<string, StateVerdict>;
  /** Channels the config enables. */
  enabled: readonly string[];
  /** The ledger's records, oldest first. */
  records: readonly SentRecord[];
  /**
   * The hosts a record's address may link to, per channel (the site's for the blog, x.com, the
   * Mastodon instance's, bsky.app): any other address is shown as text, never as a link.
   */
  linkHosts: Readonly<Record<string, readonly string[]>>;
  /** This run's page on GitHub, when known. */
  runUrl: string | null;
  /**
   * When a run first found CRISIS gone (crisisOffSince in dashboard-crisis.ts), when this dashboard
   * saw it on before; null or absent when it has not.
   */
  crisisOffSince?: number | null;
  /** While CRISIS cannot be read: the hidden mark of what was known before (crisisCarry). */
  crisisCarry?: string | null;
  /** The newest weekly outcomes report on postgate/reports (`2026-W48` and its address), when there is one. */
  latestReport?: { week: string; url: string } | null;
}

function crisisSection(input: DashboardInput): string {
  const { crisis } = input;
  if (crisis === null) {
    const since = input.crisisOffSince;
    if (since === undefined || since === null) return '**CRISIS:** off. Due items go out as their time comes.';
    return `**CRISIS:** off since ${formatLocal(since, input.zone)} (the first run that found it removed). Due items go out as their time comes. ${offSinceMark(since)}`;
  }
  if (crisis.unknown) {
    const carry = input.crisisCarry ? ` ${input.crisisCarry}` : '';
    return `> [!CAUTION]\n> **CRISIS could not be checked**, so nothing is published until it can: ${plainText(crisis.reason)}${carry}`;
  }
  return [
    '> [!CAUTION]',
    `> **CRISIS is on**${crisisSince(input)}: nothing is published, the blog included, until the CRISIS file is removed from main.`,
    `> Reason: ${plainText(crisis.reason)}`,
  ].join('\n');
}

/** The list of what needs attention, at most `rows` lines, then what was left out. */
function attentionLines(input: DashboardInput, rows: number): string[] {
  const lines = attentionEntries(input).map((e) => e.line);
  const shown = lines.slice(0, rows).map((line) => `- ${line}`);
  if (lines.length > rows) shown.push(`- … and ${lines.length - rows} more: the run's job summary lists them all.`);
  const older = olderMissedCount(input);
  if (older)
    shown.push(
      `- ${older} item${older === 1 ? '' : 's'} missed more than ${WINDOW_DAYS} days ago ${older === 1 ? 'is' : 'are'} not listed: \`postgate queue\` shows ${older === 1 ? 'it' : 'them'}.`,
    );
  return shown;
}

function scheduleLines(input: DashboardInput): string[] {
  const acted = new Set(
    input.results.filter((r) => r.outcome === 'sent' || r.outcome === 'released').map((r) => r.item),
  );
  const entries = scheduleEntries(
    input.now,
    input.zone,
    input.items.filter((i) => !acted.has(i.id)),
    input.verdicts,
    input.enabled,
  );
  const gantt = scheduleGantt(input.now, input.zone, entries);
  if (gantt === null) return [`Nothing is scheduled in the next ${WINDOW_DAYS} days.`];
  const leftOut = ganttLeftOut(entries);
  return [
    gantt,
    ...(leftOut ? [`${leftOut} more posts in these days are not drawn; \`postgate queue\` lists them.`] : []),
  ];
}

export function dashboardMarkdown(input: DashboardInput): string {
  let body = '';
  for (const rows of [MAX_ROWS, 20, 5, 1]) {
    body = render(input, rows);
    if (body.length <= MAX_BODY) break;
  }
  return body;
}

function render(input: DashboardInput, rows: number): string {
  const attention = attentionLines(input, rows);
  return [
    DASHBOARD_MARKER,
    crisisSection(input),
    '## Needs attention',
    attention.length ? attention.join('\n') : 'Nothing needs attention.',
    `## Sent in the last ${RECENT_DAYS} days`,
    sentLines(input.records, input.now, input.zone, rows, input.linkHosts).join('\n'),
    `## Next ${WINDOW_DAYS} days (${plainText(input.zone)} time)`,
    scheduleLines(input).join('\n\n'),
    ...(input.latestReport
      ? [
          `**Outcomes:** ${linkTo(`the report of ${input.latestReport.week}`, input.latestReport.url)}: what each post brought in.`,
        ]
      : []),
    attentionKeysComment(input),
    '---',
    stampLine(input.now, input.zone, input.runUrl),
    FOOTER,
  ]
    .join('\n\n')
    .concat('\n');
}

const FOOTER =
  '_Postgate keeps this issue current from every publish run and edits it only when something above changes. `dashboard: { enabled: false }` in postgate.config.yaml turns it off._';

/** When the dashboard was written, and by which run: the one line that changes with every run. */
export function stampLine(now: number, zone: string, runUrl: string | null): string {
  const run = runUrl ? ` by ${linkTo('this publish run', runUrl)}` : '';
  // The marker ends the line: a line that starts with an HTML comment is raw HTML to GitHub (no link).
  return `_Updated ${formatLocal(now, zone)}${run}._ ${STAMP}`;
}

/** Whether a line of a body is its stamp line. */
export const isStampLine = (line: string): boolean => line.trimEnd().endsWith(STAMP);

/** The same dashboard, but for the line that says when it was written: no edit is worth making. */
export function sameDashboard(a: string, b: string): boolean {
  const withoutStamp = (body: string) =>
    body
      .replace(/\r\n/g, '\n')
      .split('\n')
      .filter((line) => !isStampLine(line))
      .join('\n')
      .trim();
  return withoutStamp(a) === withoutStamp(b);
}
