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
import { linkedinPersonSection } from './linkedin-person.ts';
import { raceSection } from './races.ts';
import { stopDeployedSite } from './run-cli.ts';
import { secretsSection } from './secrets.ts';
import { timeSection } from './time.ts';

const SECTIONS = ['crash', 'races', 'faults', 'person', 'bad-input', 'secrets', 'time'] as const;
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    every: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    [
      `Usage: npm run reliability [-- --quick] [-- --every N] [-- --only ${SECTIONS.join(',')}]`,
      '  --quick    fewer races and kill points on one network only (for a fast local check)',
      '  --every N  every network and section, but a kill at every N-th step boundary (and the last) and',
      "             1/N of the races: .ci/run's second pass, which is there for the clock, not the kill points",
      '  --only     these sections only (e.g. two processes sharing the sections on a busy machine)',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const every = Number(values.every ?? '1');
if (!Number.isInteger(every) || every < 1) {
  process.stderr.write(`reliability: --every expects a whole number from 1, got ${JSON.stringify(values.every)}\n`);
  process.exit(2);
}
const only = new Set(values.only ? values.only.split(',') : SECTIONS);
const unknown = [...only].filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length) {
  process.stderr.write(`reliability: unknown section ${unknown.join(', ')}; expected ${SECTIONS.join(', ')}\n`);
  process.exit(2);
}
const run = (section: (typeof SECTIONS)[number]) => only.has(section);
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
/** Each row as it is done too, so a run stopped part-way still says what it found. */
const add = (row: Row) => {
  rows.push(row);
  log(
    `  = ${row.check}: ${row.tried}; ${row.duplicates} duplicates, ${row.lost} lost; ${row.other}; ${row.failures.length ? 'FAIL' : 'ok'}`,
  );
};

// Every network, each with the organisation's account and Alice's own (LinkedIn: the page only).
const all = values.quick ? ['mastodon'] : ['x', 'mastodon', 'bluesky', 'linkedin'];
if (run('crash')) {
  for (const [mode, channels] of [
    ['local', all],
    ['github', ['mastodon']],
  ] as const) {
    log(`reliability: crash points, ${mode} mode...`);
    const r = await crashPointSection(mode, channels, log, every);
    const sample = r.tried < r.points ? ` (1 in ${every} of ${r.points})` : '';
    add({
      check: `crash points (${r.mode})`,
      tried: `${r.tried} kill points${sample}, ${r.killed} killed`,
      duplicates: r.duplicates,
      lost: r.lost,
      crashes: 0,
      leaks: 0,
      other: `${r.brokenChains} broken reply chains`,
      failures: r.failures,
    });
  }
}

if (run('races')) {
  log('reliability: races...');
  const races = await raceSection(values.quick ? 5 : Math.ceil(20 / every), all, log);
  add({
    check: 'races (two runs at once, GitHub mode)',
    tried: `${races.races} races`,
    duplicates: races.duplicates,
    lost: races.lost,
    crashes: 0,
    leaks: 0,
    other: `${races.lostRecords} lost ledger records`,
    failures: races.failures,
  });
}

if (run('faults')) {
  log('reliability: faults...');
  const faults = await faultSection(log);
  add({
    check: 'network faults',
    tried: `${faults.cases} cases`,
    duplicates: faults.duplicates,
    lost: faults.lost,
    crashes: faults.crashes,
    leaks: 0,
    other: `${faults.unbounded} unbounded, ${faults.unclear} unclear`,
    failures: faults.failures,
  });
}

if (run('person')) {
  log('reliability: LinkedIn as a person...');
  const person = await linkedinPersonSection();
  add({
    check: 'LinkedIn person, lost answers',
    tried: `${person.cases} cases, 3 runs each`,
    duplicates: person.duplicates,
    lost: person.lost,
    crashes: 0,
    leaks: 0,
    other: `${person.held} held for confirm`,
    failures: person.failures,
  });
}

if (run('bad-input')) {
  log('reliability: bad input...');
  const bad = await badInputSection();
  add({
    check: 'bad input (tests/corpus)',
    tried: `${bad.files} broken files`,
    duplicates: 0,
    lost: bad.neighbours - bad.neighboursPublished,
    crashes: 0,
    leaks: 0,
    other: `${bad.rejected} rejected, ${bad.unlocated} unlocated, ${bad.badPublished} bad published`,
    failures: bad.failures,
  });
}

if (run('secrets')) {
  log('reliability: secrets...');
  const secrets = await secretsSection();
  add({
    check: 'secrets (sentinels, echoing servers)',
    tried: `${secrets.cases} commands`,
    duplicates: 0,
    lost: 0,
    crashes: 0,
    leaks: secrets.leaks,
    other: '-',
    failures: secrets.failures,
  });
}

if (run('time')) {
  log('reliability: time...');
  const time = await timeSection();
  add({
    check: 'time (DST, boundaries, clock jumps)',
    tried: `${time.cases} runs`,
    duplicates: 0,
    lost: 0,
    crashes: 0,
    leaks: 0,
    other: `${time.wrong} wrong`,
    failures: time.failures,
  });
}

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
