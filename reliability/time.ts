import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startNetworks } from '../tests/helpers/networks.ts';
import { publishOnce } from './run-cli.ts';
import { scenarioRepo } from './scenario.ts';

/**
 * Time: runs across the daylight-saving changes of the site's zone (Europe/Berlin), items at the
 * exact moment of a run, and a clock that jumps backwards or far forwards between runs. Each item
 * must go out once, at the right run, and never again.
 */
export interface TimeReport {
  cases: number;
  wrong: number;
  failures: string[];
}

interface Step {
  now: string;
  /** Texts (prefixes) that must be live on Mastodon after this run, in total. */
  live: string[];
}

const CASES: { name: string; files: Record<string, string>; steps: Step[] }[] = [
  {
    name: 'spring forward: 01:59 and 03:00 local on 29 March',
    files: {
      'before.md': 'publishAt: 2026-03-29T01:59\n---\nBefore the gap',
      'after.md': 'publishAt: 2026-03-29T03:00\n---\nAfter the gap',
    },
    steps: [
      { now: '2026-03-29T00:58:00Z', live: [] },
      { now: '2026-03-29T00:59:00Z', live: ['Before the gap'] },
      { now: '2026-03-29T01:00:00Z', live: ['Before the gap', 'After the gap'] },
      { now: '2026-03-29T01:15:00Z', live: ['Before the gap', 'After the gap'] },
    ],
  },
  {
    name: 'fall back: 02:30 local happens twice on 25 October, each given its offset',
    files: {
      'first.md': 'publishAt: 2026-10-25T02:30+02:00\n---\nFirst half past two',
      'second.md': 'publishAt: 2026-10-25T02:30+01:00\n---\nSecond half past two',
    },
    steps: [
      { now: '2026-10-25T00:30:00Z', live: ['First half past two'] },
      { now: '2026-10-25T01:00:00Z', live: ['First half past two'] },
      { now: '2026-10-25T01:30:00Z', live: ['First half past two', 'Second half past two'] },
    ],
  },
  {
    name: 'the exact boundary: due at the very moment of the run',
    files: { 'exact.md': 'publishAt: 2026-12-01T10:00:00+01:00\n---\nExactly now' },
    steps: [
      { now: '2026-12-01T08:59:59.999Z', live: [] },
      { now: '2026-12-01T09:00:00Z', live: ['Exactly now'] },
    ],
  },
  {
    name: 'a clock that jumps back, then far forward',
    files: {
      'jump.md': 'publishAt: 2026-12-01T10:00\n---\nJumping clock',
      'later.md': 'publishAt: 2026-12-01T12:00\nstaleAfter: 6h\n---\nDue at noon',
    },
    steps: [
      { now: '2026-12-01T09:30:00Z', live: ['Jumping clock'] },
      { now: '2026-12-01T08:00:00Z', live: ['Jumping clock'] },
      { now: '2026-12-31T09:30:00Z', live: ['Jumping clock'] },
    ],
  },
];

export async function timeSection(): Promise<TimeReport> {
  const report: TimeReport = { cases: 0, wrong: 0, failures: [] };
  for (const c of CASES) {
    const n = await startNetworks();
    const dir = scenarioRepo(['mastodon']);
    for (const f of ['thread.md', 'image.md'])
      writeFileSync(join(dir, 'content/social', f), '---\ndraft: true\n---\nNot part of this case.\n');
    writeFileSync(
      join(dir, 'content/posts/launch.mdx'),
      '---\ntitle: Not part of this case\ndescription: A draft\ndraft: true\n---\n\nDraft.\n',
    );
    for (const [file, text] of Object.entries(c.files))
      writeFileSync(join(dir, 'content/social', file), `---\nchannels: [mastodon]\n${text}\n`);
    try {
      for (const step of c.steps) {
        report.cases++;
        const r = await publishOnce(dir, n, null, { POSTGATE_NOW: step.now });
        const live = n.mastodon.statuses.filter((s) => !s.deleted).map((s) => s.text);
        const ok =
          r.status === 0 &&
          live.length === step.live.length &&
          step.live.every((p) => live.filter((t) => t.startsWith(p)).length === 1);
        if (!ok) {
          report.wrong++;
          report.failures.push(
            `${c.name}, run at ${step.now}: expected [${step.live.join(', ')}], live [${live.join(', ')}] (exit ${r.status})`,
          );
        }
      }
    } finally {
      await n.stop();
    }
  }
  return report;
}
