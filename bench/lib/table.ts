/** The benchmark report: one row per case, with its baseline from the same run. */
export interface Row {
  name: string;
  caseMs: number;
  casePeakMb: number;
  baseline: string;
  baselineMs: number;
  baselinePeakMb?: number;
  /** Target on caseMs / baselineMs. */
  maxRatio?: number;
  /** Target on absolute wall time. */
  maxMs?: number;
  maxPeakMb?: number;
}

export function verdict(row: Row): { ratio: number; ok: boolean; misses: string[] } {
  const ratio = row.caseMs / row.baselineMs;
  const misses: string[] = [];
  if (row.maxRatio !== undefined && ratio > row.maxRatio) misses.push(`ratio ${ratio.toFixed(2)}x > ${row.maxRatio}x`);
  if (row.maxMs !== undefined && row.caseMs > row.maxMs) misses.push(`${Math.round(row.caseMs)} ms > ${row.maxMs} ms`);
  if (row.maxPeakMb !== undefined && row.casePeakMb > row.maxPeakMb)
    misses.push(`${Math.round(row.casePeakMb)} MB > ${row.maxPeakMb} MB`);
  return { ratio, ok: misses.length === 0, misses };
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['case', 'time', 'peak mem', 'baseline', 'baseline time', 'baseline mem', 'ratio', 'target', 'result'];
  const body = rows.map((row) => {
    const v = verdict(row);
    const target = [
      row.maxRatio !== undefined ? `<= ${row.maxRatio}x` : '',
      row.maxMs !== undefined ? `< ${row.maxMs} ms` : '',
      row.maxPeakMb !== undefined ? `< ${row.maxPeakMb} MB` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return [
      row.name,
      `${Math.round(row.caseMs)} ms`,
      row.casePeakMb ? `${Math.round(row.casePeakMb)} MB` : '-',
      row.baseline,
      `${Math.round(row.baselineMs)} ms`,
      row.baselinePeakMb === undefined ? '-' : `${Math.round(row.baselinePeakMb)} MB`,
      `${v.ratio.toFixed(2)}x`,
      target || '-',
      v.ok ? 'ok' : `MISS (${v.misses.join('; ')})`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
