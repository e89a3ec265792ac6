import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';

/** The entry point is plain JavaScript so that a Node too old for TypeScript still gets a clear message. */
const systemNode = (() => {
  const found = spawnSync('/usr/bin/node', ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return found.status === 0 ? { path: '/usr/bin/node', major: Number(found.stdout.split('.')[0]) } : null;
})();

describe('the entry point', () => {
  it.skipIf(!systemNode || systemNode.major >= 22)(
    'tells a user on an old Node (this machine has Node 20) to run it through npm',
    () => {
      const result = spawnSync(systemNode!.path, [join(REPO_ROOT, 'scripts/postgate.mjs'), 'check'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /^postgate: Node\.js 20\.\d+\.\d+ is too old; run it through npm \(npm run postgate -- \.\.\.\)/,
      );
    },
  );

  it('runs as scripts/postgate.ts too, the name DESIGN.md gives it', () => {
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/postgate.ts'), '--help'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: npm run postgate -- <command>');
  });
});
