import { formatDuration } from '../core/duration.ts';
import { codeText } from '../core/markdown-text.ts';
import type { ActionResult } from './results.ts';

/**
 * The end of a run, for people: a table of what happened, and of what was due but held back and
 * why. The same content is written as Markdown to the GitHub Actions job summary.
 */
export interface HeldItem {
  item: string;
  state: string;
  reason: string;
}

const LABEL: Record<ActionResult['outcome'], string> = {
  sent: 'sent',
  released: 'released',
  retracted: 'retracted',
  failed: 'FAILED',
  deferred: 'deferred',
  held: 'held',
  'would-send': 'would send',
  'would-release': 'would release',
  'not-configured': 'FAILED',
};

function detail(r: ActionResult): string {
  const parts = r.parts > 1 ? `${r.partsLive}/${r.parts} parts live` : '';
  return [parts, r.message ?? (r.outcome === 'sent' || r.outcome === 'released' ? r.url : ''), lateness(r)]
    .filter(Boolean)
    .join('; ');
}

/** How late it went out, when it went out in this run: every send's lateness is on record and said. */
export function lateness(r: Pick<ActionResult, 'lateMs'>): string {
  if (r.lateMs === undefined) return '';
  return r.lateMs < 1_000 ? 'on time' : `${formatDuration(r.lateMs)} late`;
}

export function summaryText(results: readonly ActionResult[], held: readonly HeldItem[]): string[] {
  if (results.length === 0 && held.length === 0) return ['Nothing is due.'];
  const rows = [
    ['RESULT', 'CHANNEL', 'ITEM', 'DETAIL'],
    ...results.map((r) => [LABEL[r.outcome], r.account ?? r.channel, r.item, detail(r)]),
    ...held.map((h) => [h.state, '-', h.item, h.reason]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell))
      .join('  ')
      .trimEnd(),
  );
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
/**
 * An item's id as a code span in a cell. The id is a file's path, a writer's text: a backtick in a
 * folder's name ("x`[Sign in again](https:") would close a span written as `id` and make the rest a
 * link in the summary the owner reads; codeText shows a backtick as a look-alike.
 */
const itemCell = (id: string) => escapeCell(codeText(id, 300));

export function summaryMarkdown(
  title: string,
  notes: readonly string[],
  results: readonly ActionResult[],
  held: readonly HeldItem[],
): string {
  const lines = [`## ${title}`, '', ...notes.map((n) => `> ${n}`), ...(notes.length ? [''] : [])];
  if (results.length === 0 && held.length === 0) return [...lines, 'Nothing is due.', ''].join('\n');
  if (results.length) {
    lines.push('| Result | Channel | Item | Detail |', '|---|---|---|---|');
    for (const r of results) {
      const link =
        (r.outcome === 'sent' || r.outcome === 'released') && r.url ? `[${escapeCell(r.url)}](${r.url})` : '';
      lines.push(
        `| ${LABEL[r.outcome]} | ${r.account ?? r.channel} | ${itemCell(r.item)} | ${escapeCell([r.parts > 1 ? `${r.partsLive}/${r.parts} parts live` : '', r.message ?? link, lateness(r)].filter(Boolean).join('; '))} |`,
      );
    }
    lines.push('');
  }
  if (held.length) {
    lines.push('### Not sent', '', '| State | Item | Why |', '|---|---|---|');
    for (const h of held) lines.push(`| ${h.state} | ${itemCell(h.item)} | ${escapeCell(h.reason)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
