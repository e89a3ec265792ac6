import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync } from '../tests/helpers/cli.ts';
import { startNetworks } from '../tests/helpers/networks.ts';
import { publishOnce } from './run-cli.ts';
import { ROOT } from './scenario.ts';

/**
 * Bad input: the corpus of broken files (tests/corpus), checked and then published. Every bad file
 * must be rejected with a located message, and the valid files beside them must still go out.
 */
export interface BadInputReport {
  files: number;
  rejected: number;
  unlocated: number;
  neighboursPublished: number;
  neighbours: number;
  badPublished: number;
  failures: string[];
}

export async function badInputSection(): Promise<BadInputReport> {
  const dir = mkdtempSync(join(tmpdir(), 'postgate-corpus-'));
  cpSync(join(ROOT, 'tests/corpus'), dir, { recursive: true });
  const check = await runCliAsync(['check', '--format', 'json'], { cwd: dir });
  const report = JSON.parse(check.stdout) as {
    files: number;
    problems: { file: string; line: number; col: number; severity: string; message: string }[];
  };
  const errorsByFile = new Map<string, number>();
  let unlocated = 0;
  for (const p of report.problems) {
    if (p.severity !== 'error') continue;
    errorsByFile.set(p.file, (errorsByFile.get(p.file) ?? 0) + 1);
    if (!(p.line >= 1 && p.col >= 1) || p.message.length < 10) unlocated++;
  }
  const contentFiles = report.files - 1; // less the config
  const neighbours = ['content/social/valid-neighbour.md', 'content/social/valid-bom-crlf.md'];
  const n = await startNetworks();
  try {
    // The valid social neighbours fall due on 30 November (X, Bluesky) and 1 December (all three),
    // among bad files due at the same times.
    await publishOnce(dir, n, null, { POSTGATE_NOW: '2026-11-30T09:30:00Z' });
    await publishOnce(dir, n, null, { POSTGATE_NOW: '2026-12-01T09:00:00Z' });
    const texts = [
      ...n.x.livePosts().map((p) => p.text),
      ...n.mastodon.statuses.map((s) => s.text),
      ...n.bluesky.records.map((r) => String(r.record.text)),
    ];
    const expected = {
      'content/social/valid-bom-crlf.md': ['Saved by an editor on Windows', 2],
      'content/social/valid-neighbour.md': ['A perfectly good neighbour', 3],
    } as const;
    const published = neighbours.filter((file) => {
      const [prefix, count] = expected[file as keyof typeof expected];
      return texts.filter((t) => t.startsWith(prefix)).length === count;
    });
    const failures: string[] = [];
    const bad = contentFiles - 4; // four valid files live in the corpus
    if (errorsByFile.size < bad) failures.push(`${bad - errorsByFile.size} bad files were not rejected`);
    if (published.length < neighbours.length)
      failures.push(
        `valid neighbours not published as expected: ${neighbours.filter((f) => !published.includes(f)).join(', ')}`,
      );
    const badPublished = texts.length - 5;
    if (badPublished > 0) failures.push(`${badPublished} posts went out that were not from a valid neighbour`);
    return {
      files: bad,
      rejected: errorsByFile.size,
      unlocated,
      neighboursPublished: published.length,
      neighbours: neighbours.length,
      badPublished: Math.max(0, badPublished),
      failures,
    };
  } finally {
    await n.stop();
  }
}
