/**
 * `npm run bench [-- name ...] [-- --rounds N] [-- --strict]`: Postgate's speed and memory
 * targets, each against a baseline measured in the same run, printed as a table.
 * With --strict a missed target exits 1 (for a dedicated machine; shared CI machines are noisy).
 */
import { parseArgs } from 'node:util';
import { benchCheck, benchCheckSmall } from './suites/check.ts';
import { benchPublishNoop, benchPublishThread } from './suites/publish.ts';
import { benchPunctuality } from './suites/punctuality.ts';
import { benchScheduledRun } from './suites/scheduled-run.ts';
import { benchSiteBuild } from './suites/site-build.ts';
import { formatTable, verdict, type Row } from './lib/table.ts';

/** A suite measures time (rows), or reports a simulation of its own (text, and whether its target is met). */
type Report = { text: string; ok: boolean };
const SUITES: Record<string, (rounds: number) => Row[] | Promise<Row[]> | Report> = {
  check: benchCheck,
  'check-small': benchCheckSmall,
  'publish-noop': benchPublishNoop,
  'publish-thread': benchPublishThread,
  punctuality: benchPunctuality,
  'scheduled-run': benchScheduledRun,
  'site-build': benchSiteBuild,
};

const { values, positionals } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    strict: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
});
if (values.help) {
  process.stdout.write(
    `Usage: npm run bench [-- suite ...] [--rounds N] [--strict]\nSuites: ${Object.keys(SUITES).join(', ')}\n`,
  );
  process.exit(0);
}
const unknown = positionals.filter((p) => !SUITES[p]);
if (unknown.length) {
  process.stderr.write(`bench: unknown suite ${unknown.join(', ')}; expected ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}
const rounds = Number(values.rounds);
const rows: Row[] = [];
const reports: Report[] = [];
for (const name of positionals.length ? positionals : Object.keys(SUITES)) {
  process.stderr.write(`bench: ${name}...\n`);
  const result = await SUITES[name]!(rounds);
  if (Array.isArray(result)) rows.push(...result);
  else reports.push(result);
}
if (rows.length)
  process.stdout.write(
    `\nPostgate benchmarks (median of ${rounds} rounds; node ${process.version}; ${new Date().toISOString()})\n\n${formatTable(rows)}\n`,
  );
for (const report of reports) process.stdout.write(`\n${report.text}\n`);
if (values.strict && (rows.some((r) => !verdict(r).ok) || reports.some((r) => !r.ok))) process.exitCode = 1;
