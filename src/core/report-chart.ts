import { networkName } from './report-posts.ts';
import type { Report } from './report-types.ts';

/**
 * Visitors per network per week as Mermaid `xychart-beta` bar charts, which GitHub draws from a
 * ```mermaid block (xychart-beta is in Mermaid since 10.5). One chart per network, all on the same
 * scale: xychart has no legend, and several bar series in one chart are drawn over each other, not
 * side by side (mermaid-js/mermaid#7392), so one chart with a bar series per network could not be read.
 *
 * Everything in the chart is the report's own text (week names, network names, numbers); a network
 * name from the ledger keeps only letters, digits and ` ._+-`, so no quote or line ends a statement.
 * A week the analytics tool did not answer is drawn as 0 and labelled `(missing)`.
 */
export function weeklyCharts(report: Report): string[] {
  const weeks = report.weeks;
  if (!weeks.length || weeks.every((w) => w.byChannel === null) || !report.channels.length) return [];
  const labels = weeks.map((w) => `"${w.week}${w.byChannel === null ? ' (missing)' : ''}"`).join(', ');
  const values = (channel: string) => weeks.map((w) => w.byChannel?.[channel] ?? 0);
  const top = Math.max(1, ...report.channels.flatMap(values));
  return report.channels.map((channel) =>
    [
      '```mermaid',
      'xychart-beta',
      `    title "${chartText(networkName(channel))}: visitors per week"`,
      `    x-axis [${labels}]`,
      `    y-axis "Visitors" 0 --> ${niceTop(top)}`,
      `    bar [${values(channel).join(', ')}]`,
      '```',
    ].join('\n'),
  );
}

/**
 * Visitors per post against weeks since it went out: one bar per week out (0 is the week it was
 * sent), the height the average over the posts that week covers.
 */
export function ageChart(report: Report): string | null {
  const ages = report.byAge;
  if (ages.length < 2) return null;
  const values = ages.map((a) => Math.round(a.perPost * 10) / 10);
  return [
    '```mermaid',
    'xychart-beta',
    '    title "Visitors per post, by weeks since it went out"',
    `    x-axis "Weeks since it went out" [${ages.map((a) => `"${a.weeksOut}"`).join(', ')}]`,
    `    y-axis "Visitors per post" 0 --> ${niceTop(Math.max(1, ...values))}`,
    `    bar [${values.join(', ')}]`,
    '```',
  ].join('\n');
}

const chartText = (raw: string) => raw.replace(/[^\p{L}\p{N} ._+-]/gu, '').slice(0, 40) || 'network';

/** A round upper bound at or above `n` (1, 2, 5 × 10^k), so the axes of all charts read alike. */
export function niceTop(n: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= n) return step * magnitude;
  return 10 * magnitude;
}
