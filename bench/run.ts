/**
 * `npm run bench [-- name ...] [-- --rounds N] [-- --strict]`: Postgate's speed and memory
 * targets, each against a baseline measured in the same run, printed as a table.
 * With --strict a missed target exits 1 (for a dedicated machine; shared CI machines are noisy).
 */
import { parseArgs } from 'node:util';
import { benchCheck, benchCheckSmall } from './suites/check.ts';
import { benchPublishNoop, benchPublishThread } from './suites/publish.ts';
import { benchScheduledRun } from './suites/scheduled-run.ts';
import { benchSiteBuild } from './suites/site-build.ts';
import { formatTable, verdict, type Row } from './lib/table.ts';

const SUITES: Record<string, (rounds: number) => Row[] | Promise<Row[]>> = {
  check: benchCheck,
  'check-small': benchCheckSmall,
  'publish-noop': benchPublishNoop,
  'publish-thread': benchPublishThread,
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
for (const name of positionals.length ? positionals : Object.keys(SUITES)) {
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await SUITES[name]!(rounds)));
}
process.stdout.write(
  `\nPostgate benchmarks (median of ${rounds} rounds; node ${process.version}; ${new Date().toISOString()})\n\n${formatTable(rows)}\n`,
);
if (values.strict && rows.some((r) => !verdict(r).ok)) process.exitCode = 1;
