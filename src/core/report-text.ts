import {
  ACCOUNT_HEADER,
  accountCells,
  countText,
  NOT_COUNTED,
  engagementText,
  goalText,
  lateText,
  momentText,
  periodText,
  perPostText,
  sourceText,
  visitsText,
  whenText,
} from './report-format.ts';
import { networkName } from './report-posts.ts';
import type { ItemOutcome, Report } from './report-types.ts';

/**
 * The report for a terminal: outcomes first (visitors per network, per week, the best and worst
 * items, every post), engagement after them, missing parts at the top where nobody misses them.
 */
export function renderReportText(report: Report): string {
  const z = report.timeZone;
  const lines = [
    `Outcomes ${periodText(report)} (${z}), ${sourceText(report)}`,
    `Generated ${momentText(report.generatedAt, z)}`,
  ];
  if (report.missing.length) {
    lines.push('', 'MISSING (shown as ?; numbers marked ≥ are at least these)');
    for (const m of report.missing) lines.push(`  ${safe(m.what)}: ${safe(m.reason)}`);
  }
  if (!report.posts.length) {
    lines.push('', 'No posts went out in this period.');
    return `${[...lines, ...notes(report)].join('\n')}\n`;
  }
  const goals = report.goals;
  lines.push('', 'BY NETWORK');
  lines.push(
    ...table(
      ['Network', 'Posts', 'Visitors', 'Per post', 'Visits', ...goals.map(safe), 'Engagement'],
      report.networks.map((n) => [
        safe(networkName(n.channel)),
        String(n.posts),
        countText(n.outcome.visitors, n.outcome.partial),
        perPostText(n.perPost, n.outcome.partial),
        visitsText(n.outcome),
        ...goals.map((g) => goalText(n.outcome, g)),
        engagementText(n.engagement, report.engagement[n.channel], n.engagementPartial),
      ]),
      [1, 2, 3, 4, ...goals.map((_, i) => 5 + i)],
    ),
  );
  if (report.accounts.length) {
    lines.push('', 'BY ACCOUNT');
    const rows = report.accounts.map((a) => accountCells(report, a, safe(a.account), safe(networkName(a.channel))));
    lines.push(...table(ACCOUNT_HEADER, rows, [3, 4]));
  }
  if (report.weeks.length) {
    lines.push('', 'BY WEEK (visitors)');
    lines.push(
      ...table(
        ['Week', 'Days', ...report.channels.map((c) => safe(networkName(c))), 'Total'],
        report.weeks.map((w) => [
          w.week,
          w.since === w.until ? w.since : `${w.since} to ${w.until}`,
          ...report.channels.map((c) => (w.byChannel ? String(w.byChannel[c] ?? 0) : '?')),
          w.total === null ? '?' : String(w.total),
        ]),
        report.channels.map((_, i) => 2 + i).concat(2 + report.channels.length),
      ),
    );
  }
  if (report.byAge.length > 1) {
    lines.push('', 'BY WEEKS SINCE IT WENT OUT (visitors per post)');
    lines.push(
      ...table(
        ['Weeks out', 'Posts', 'Visitors', 'Per post'],
        report.byAge.map((a) => [String(a.weeksOut), String(a.posts), String(a.visitors), perPostText(a.perPost)]),
        [0, 1, 2, 3],
      ),
    );
  }
  if (report.best.length) lines.push('', 'MOST VISITORS PER POST', ...ranking(report.best));
  if (report.worst.length) lines.push('', 'FEWEST VISITORS PER POST', ...ranking(report.worst));
  lines.push('', 'POSTS');
  lines.push(
    ...table(
      ['Sent', 'Late', 'Item', 'Network', 'Visitors', 'Visits', ...goals.map(safe), 'Engagement'],
      report.posts.map((p) => [
        `${whenText(p.sentAt, z)}${p.earlier ? ' (earlier)' : ''}`,
        lateText(p.lateMs),
        `${safe(p.item)}${p.retracted ? ' (retracted)' : ''}`,
        safe(networkName(p.channel)),
        countText(p.outcome.visitors, p.outcome.partial),
        visitsText(p.outcome),
        ...goals.map((g) => goalText(p.outcome, g)),
        p.retracted ? NOT_COUNTED : engagementText(p.engagement, report.engagement[p.channel], p.engagementPartial),
      ]),
      [4, 5, ...goals.map((_, i) => 6 + i)],
    ),
  );
  const others = report.items.filter((i) => i.otherSources.length);
  if (others.length) {
    lines.push('', 'SAME CAMPAIGN, OTHER SOURCES (not posted there by the publisher: share kits, copies)');
    for (const i of others)
      lines.push(`  ${safe(i.item)}: ${i.otherSources.map((o) => `${safe(o.source)} ${o.visitors}`).join(', ')}`);
  }
  return `${[...lines, ...notes(report)].join('\n')}\n`;
}

/** Text from files and servers others control, without the control characters a terminal would obey. */
const safe = (raw: string) => raw.replace(/\p{Cc}/gu, '?');

function ranking(items: readonly ItemOutcome[]): string[] {
  return items.map(
    (i, n) =>
      `  ${n + 1}. ${safe(i.item)}: ${perPostText(i.perPost, i.outcome.partial)} per post (${countText(i.outcome.visitors, i.outcome.partial)} visitors from ${i.posts} ${i.posts === 1 ? 'post' : 'posts'})`,
  );
}

function notes(report: Report): string[] {
  return report.notes.length ? ['', 'NOTES', ...report.notes.map((n) => `  - ${n}`)] : [];
}

/** Columns two spaces apart; the columns named in `right` (by index) aligned right, as numbers are. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[],
): string[] {
  const width = (s: string) => [...s].length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const gap = ' '.repeat(widths[i]! - width(cell));
        return right.includes(i) ? gap + cell : cell + gap;
      })
      .join('  ')
      .trimEnd();
  return [header, ...rows].map((r) => `  ${line(r)}`);
}
