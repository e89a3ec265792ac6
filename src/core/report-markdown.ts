import { codeText, plainText } from './markdown-text.ts';
import { ageChart, weeklyCharts } from './report-chart.ts';
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
 * The report as GitHub shows it (the weekly `reports/YYYY-Www.md` and the job summary): outcomes
 * first, a chart where people look rather than read, engagement second, and what is missing in a
 * warning at the top. Item ids and error messages come from files and servers others control:
 * they are shown as text (src/core/markdown-text.ts), and a `|` cannot end a table cell.
 */
export function renderReportMarkdown(report: Report): string {
  const z = report.timeZone;
  const out = [
    `# Outcomes ${periodText(report)}`,
    '',
    `Site time ${plainText(z)} · ${sourceText(report)} · generated ${momentText(report.generatedAt, z)}`,
  ];
  if (report.missing.length) {
    out.push('', '> [!WARNING]', '> **Missing** (shown as ?; numbers marked ≥ are at least these):');
    for (const m of report.missing) out.push(`> - ${plainText(m.what)}: ${plainText(m.reason, 400)}`);
  }
  if (!report.posts.length) {
    out.push('', 'No posts went out in this period.');
    return `${[...out, ...notes(report)].join('\n')}\n`;
  }
  const goals = report.goals;
  out.push('', '## By network', '');
  out.push(
    ...table(
      ['Network', 'Posts', 'Visitors', 'Per post', 'Visits', ...goals.map((g) => plainText(g, 60)), 'Engagement'],
      `lrrrr${'r'.repeat(goals.length)}l`,
      report.networks.map((n) => [
        network(n.channel),
        String(n.posts),
        countText(n.outcome.visitors, n.outcome.partial),
        perPostText(n.perPost, n.outcome.partial),
        visitsText(n.outcome),
        ...goals.map((g) => goalText(n.outcome, g)),
        engagementText(n.engagement, report.engagement[n.channel], n.engagementPartial),
      ]),
    ),
  );
  if (report.accounts.length) {
    out.push('', '## By account', '');
    const rows = report.accounts.map((a) => accountCells(report, a, cellCode(a.account), network(a.channel)));
    out.push(...table(ACCOUNT_HEADER, 'lllrrl', rows));
  }
  if (report.weeks.length) {
    out.push('', '## Visitors per week', '');
    out.push(
      ...table(
        ['Week', 'Days', ...report.channels.map(network), 'Total'],
        `ll${'r'.repeat(report.channels.length + 1)}`,
        report.weeks.map((w) => [
          w.week,
          w.since === w.until ? w.since : `${w.since} to ${w.until}`,
          ...report.channels.map((c) => (w.byChannel ? String(w.byChannel[c] ?? 0) : '?')),
          w.total === null ? '?' : String(w.total),
        ]),
      ),
    );
    for (const chart of weeklyCharts(report)) out.push('', chart);
  }
  if (report.byAge.length > 1) {
    out.push('', '## Visitors per post, by weeks since it went out', '');
    out.push(
      ...table(
        ['Weeks out', 'Posts', 'Visitors', 'Per post'],
        'rrrr',
        report.byAge.map((a) => [String(a.weeksOut), String(a.posts), String(a.visitors), perPostText(a.perPost)]),
      ),
    );
    const chart = ageChart(report);
    if (chart) out.push('', chart);
  }
  if (report.best.length) out.push('', '## Most visitors per post', '', ...ranking(report.best));
  if (report.worst.length) out.push('', '## Fewest visitors per post', '', ...ranking(report.worst));
  out.push('', '## Posts', '');
  out.push(
    ...table(
      ['Sent', 'Late', 'Item', 'Network', 'Visitors', 'Visits', ...goals.map((g) => plainText(g, 60)), 'Engagement'],
      `llllrr${'r'.repeat(goals.length)}l`,
      report.posts.map((p) => [
        `${whenText(p.sentAt, z)}${p.earlier ? ' (earlier)' : ''}`,
        lateText(p.lateMs),
        `${cellCode(p.item)}${p.retracted ? ' (retracted)' : ''}`,
        network(p.channel),
        countText(p.outcome.visitors, p.outcome.partial),
        visitsText(p.outcome),
        ...goals.map((g) => goalText(p.outcome, g)),
        p.retracted ? NOT_COUNTED : engagementText(p.engagement, report.engagement[p.channel], p.engagementPartial),
      ]),
    ),
  );
  const others = report.items.filter((i) => i.otherSources.length);
  if (others.length) {
    out.push('', '## Same campaign, other sources', '');
    out.push(
      'Visitors with the item as `utm_campaign` from a source the publisher did not post it to (share kits, copies):',
      '',
    );
    for (const i of others)
      out.push(
        `- ${cellCode(i.item)}: ${i.otherSources.map((o) => `${plainText(o.source, 60)} ${o.visitors}`).join(', ')}`,
      );
  }
  return `${[...out, ...notes(report)].join('\n')}\n`;
}

/** An item id as code; `|` escaped so a table cell ends only where the table says. */
const cellCode = (raw: string) => codeText(raw).replace(/\|/g, '\\|');
const network = (channel: string) => plainText(networkName(channel), 40);

function ranking(items: readonly ItemOutcome[]): string[] {
  return items.map(
    (i, n) =>
      `${n + 1}. ${cellCode(i.item)}: ${perPostText(i.perPost, i.outcome.partial)} per post (${countText(i.outcome.visitors, i.outcome.partial)} visitors from ${i.posts} ${i.posts === 1 ? 'post' : 'posts'})`,
  );
}

function notes(report: Report): string[] {
  return report.notes.length ? ['', '## Notes', '', ...report.notes.map((n) => `- ${plainText(n, 400)}`)] : [];
}

function table(header: readonly string[], align: string, rows: readonly (readonly string[])[]): string[] {
  const rule = header.map((_, i) => (align[i] === 'r' ? '--:' : ':--'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}
