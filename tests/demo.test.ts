import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/clean-env.ts';
import { REPO_ROOT } from './helpers/cli.ts';

/**
 * `npm run demo` is the first thing a new user runs. It must show a living example whatever
 * today's date (the suite runs again 400 days ahead in .ci/run), and the README's queue and
 * publish examples must be what it prints.
 */
const demo = (env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/demo.mjs')], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });

/** The README's text block after a `<!-- demo: name ... -->` marker. */
function readmeBlock(name: string): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- demo: ${name}[^>]*-->\\n\`\`\`text\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no demo block "${name}"`);
  return match[1]!.split('\n');
}

/** The block's lines are consecutive lines of the output; "..." stands for any number of lines. */
function expectInOrder(output: string[], block: string[]): void {
  let next = -1; // where the next line must be; -1: anywhere after `from`
  let from = 0;
  for (const line of block) {
    if (line === '...') {
      next = -1;
      continue;
    }
    const found = next === -1 ? output.indexOf(line, from) : output[next] === line ? next : -1;
    expect(found, `README line not printed by the demo at this place: ${line}`).toBeGreaterThanOrEqual(0);
    from = next = found + 1;
  }
}

describe('npm run demo', () => {
  const run = demo();
  const out = run.stdout.split('\n');

  it('runs at a fixed moment of the example week, says so, and exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(out[0]).toBe(
      "Demo: the example week as at 2026-12-02T13:05 in the site's time zone (set POSTGATE_NOW for another moment).",
    );
    expect(run.stdout).toContain('checked 8 files: 0 errors, 0 warnings');
  });

  it('shows due items, a thread, an image with alt text, a stale item, and an announcement waiting for its post', () => {
    expect(run.stdout).toMatch(
      /^due +2026-12-02 13:00 \+01:00 +x,mastodon,bluesky +social\/2026-12-02-signups-thread$/m,
    );
    expect(run.stdout).toMatch(/^stale +2026-11-27 09:30/m);
    expect(run.stdout).toMatch(/posts\/winter-appeal\/announce\n +↳ goes out once its blog post is live/);
    expect(run.stdout).toContain('x        social/2026-12-02-signups-thread  would send 4 parts with 1 image:');
    expect(run.stdout).toContain('    image ./volunteer-chart.png  alt: Bar chart of volunteer sign-ups per week');
    expect(run.stdout).toContain(
      "      | 3. Want to be in next month's chart? Sign up for a shift: https://example.org/posts/winter-appeal/?utm_source=bluesky&utm_medium=social&utm_campaign=social%2F2026-12-02-signups-thread",
    );
  });

  it('prints exactly what the README shows for queue and publish', () => {
    expectInOrder(out, readmeBlock('queue'));
    expectInOrder(out, readmeBlock('publish'));
  });

  it('looks at another moment when POSTGATE_NOW says so', () => {
    const later = demo({ POSTGATE_NOW: '2026-12-03T08:05' });
    expect(later.status).toBe(0);
    expect(later.stdout.split('\n')[0]).toBe('Demo at POSTGATE_NOW=2026-12-03T08:05.');
    expect(later.stdout).toContain(
      'blog     posts/winter-appeal  would be released at https://example.org/posts/winter-appeal/',
    );
  });
});
