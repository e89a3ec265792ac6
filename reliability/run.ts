/**
 * `npm run reliability`: the reliability proof. Kills the publisher at every step boundary, races
 * two runs, injects network faults, feeds it broken files and echoing servers, runs it across
 * daylight-saving changes; prints what was tried and what went wrong, and exits 1 on any violation.
 * Everything runs against local fakes on 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import { badInputSection } from './bad-input.ts';
import { crashPointSection } from './crash-points.ts';
import { faultSection } from './faults.ts';
import { raceSection } from './races.ts';
import { stopDeployedSite } from './run-cli.ts';
import { secretsSection } from './secrets.ts';
import { timeSection } from './time.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(
    'Usage: npm run reliability [-- --quick]\n  --quick  fewer races and kill points on one network only (for a fast local check)\n',
  );
  process.exit(0);
}
const log = (line: string) => process.stderr.write(`${line}\n`);
const start = Date.now();

interface Row {
  check: string;
  tried: string;
  duplicates: number;
  lost: number;
  crashes: number;
  leaks: number;
  other: string;
  failures: string[];
}
const rows: Row[] = [];

const all = values.quick ? ['mastodon'] : ['x', 'mastodon', 'bluesky'];
for (const [mode, channels] of [
  ['local', all],
  ['github', ['mastodon']],
] as const) {
  log(`reliability: crash points, ${mode} mode...`);
  const r = await crashPointSection(mode, channels, log);
  rows.push({
    check: `crash points (${r.mode})`,
    tried: `${r.points} kill points, ${r.killed} killed`,
    duplicates: r.duplicates,
    lost: r.lost,
    crashes: 0,
    leaks: 0,
    other: `${r.brokenChains} broken reply chains`,
    failures: r.failures,
  });
}

log('reliability: races...');
const races = await raceSection(values.quick ? 5 : 20, all, log);
rows.push({
  check: 'races (two runs at once, GitHub mode)',
  tried: `${races.races} races`,
  duplicates: races.duplicates,
  lost: races.lost,
  crashes: 0,
  leaks: 0,
  other: `${races.lostRecords} lost ledger records`,
  failures: races.failures,
});

log('reliability: faults...');
const faults = await faultSection(log);
rows.push({
  check: 'network faults',
  tried: `${faults.cases} cases`,
  duplicates: faults.duplicates,
  lost: faults.lost,
  crashes: faults.crashes,
  leaks: 0,
  other: `${faults.unbounded} unbounded, ${faults.unclear} unclear`,
  failures: faults.failures,
});

log('reliability: bad input...');
const bad = await badInputSection();
rows.push({
  check: 'bad input (tests/corpus)',
  tried: `${bad.files} broken files`,
  duplicates: 0,
  lost: bad.neighbours - bad.neighboursPublished,
  crashes: 0,
  leaks: 0,
  other: `${bad.rejected} rejected, ${bad.unlocated} unlocated, ${bad.badPublished} bad published`,
  failures: bad.failures,
});

log('reliability: secrets...');
const secrets = await secretsSection();
rows.push({
  check: 'secrets (sentinels, echoing servers)',
  tried: `${secrets.cases} commands`,
  duplicates: 0,
  lost: 0,
  crashes: 0,
  leaks: secrets.leaks,
  other: '-',
  failures: secrets.failures,
});

log('reliability: time...');
const time = await timeSection();
rows.push({
  check: 'time (DST, boundaries, clock jumps)',
  tried: `${time.cases} runs`,
  duplicates: 0,
  lost: 0,
  crashes: 0,
  leaks: 0,
  other: `${time.wrong} wrong`,
  failures: time.failures,
});

const header = ['check', 'tried', 'duplicates', 'lost', 'crashes', 'leaked secrets', 'other', 'result'];
const body = rows.map((r) => [
  r.check,
  r.tried,
  String(r.duplicates),
  String(r.lost),
  String(r.crashes),
  String(r.leaks),
  r.other,
  r.failures.length ? 'FAIL' : 'ok',
]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
process.stdout.write(
  `\nPostgate reliability (${Math.round((Date.now() - start) / 1000)} s, node ${process.version})\n\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${body.map(line).join('\n')}\n`,
);
const failures = rows.flatMap((r) => r.failures.map((f) => `${r.check}: ${f}`));
if (failures.length) {
  process.stdout.write(
    `\n${failures.length} violation(s):\n${failures
      .slice(0, 50)
      .map((f) => `  - ${f}`)
      .join('\n')}\n`,
  );
  process.exitCode = 1;
}
await stopDeployedSite();
const passed = rows.filter((r) => r.failures.length === 0).length;
process.stdout.write(`\nreliability: ${passed} passed, ${rows.length - passed} failed\n`);
