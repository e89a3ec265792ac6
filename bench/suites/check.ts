import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateRepo } from '../lib/generate-content.ts';
import { compare, runMeasured } from '../lib/measure.ts';
import type { Row } from '../lib/table.ts';

/** `check` over 10,000 items against the floor of reading and parsing their front matter. */
const ROOT = resolve(import.meta.dirname, '../..');

export function benchCheck(rounds: number): Row[] {
  const repo = generateRepo(10_000, { postWords: 600 });
  try {
    const result = compare(
      rounds,
      () => runMeasured(process.execPath, [resolve(ROOT, 'scripts/postgate.mjs'), 'check'], { cwd: repo.dir }),
      () => runMeasured(process.execPath, [resolve(ROOT, 'bench/lib/read-front-matter-floor.mjs')], { cwd: repo.dir }),
    );
    return [
      {
        name: `check, 10,000 items (${repo.social} social, ${repo.posts} posts)`,
        ...result,
        baseline: 'read + parse front matter',
        maxRatio: 1.5,
        maxMs: 1000,
      },
    ];
  } finally {
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

/** `check` on the example content: what a pull request's review waits for, mostly start-up. */
export function benchCheckSmall(rounds: number): Row[] {
  const result = compare(
    rounds,
    () => runMeasured(process.execPath, [resolve(ROOT, 'scripts/postgate.mjs'), 'check'], { cwd: ROOT }),
    () => runMeasured(process.execPath, ['-e', '0'], { cwd: ROOT }),
  );
  return [{ name: 'check, the example content (7 files): start-up', ...result, baseline: 'node -e 0' }];
}
