import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/clean-env.ts';
import { REPO_ROOT, runCli } from './helpers/cli.ts';

/** A scratch copy of the whole site (sources, config, content) sharing this checkout's node_modules. */
function siteCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'postgate-site-'));
  for (const entry of ['src', 'content', 'postgate.config.yaml', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  }
  // Link package by package, so Astro's cache (node_modules/.astro) stays in the copy.
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '.astro') symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  return dir;
}

function astroSync(dir: string) {
  return spawnSync(process.execPath, [join(dir, 'node_modules/astro/bin/astro.mjs'), 'sync'], {
    cwd: dir,
    encoding: 'utf8',
    env: cleanEnv({ ASTRO_TELEMETRY_DISABLED: '1' }),
    timeout: 120_000,
  });
}

describe('the Astro content collection uses the same schema as the CLI', () => {
  it('accepts the example content, with publish times read in the site zone', () => {
    const dir = siteCopy();
    const r = astroSync(dir);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    // The data store holds the strictly read time: 10:00 in Berlin is 09:00 UTC.
    const store = readFileSync(join(dir, 'node_modules/.astro/data-store.json'), 'utf8');
    expect(store).toContain('2026-11-20T09:00:00.000Z');
  });

  it('rejects what check rejects, with the same message', () => {
    const dir = siteCopy();
    const file = join(dir, 'content/posts/welcome.mdx');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('publishAt: 2026-11-20T10:00', 'publishAt: 2026-03-29T02:30'),
    );
    const message = '2026-03-29T02:30 does not exist in Europe/Berlin';
    expect(runCli(['check'], { cwd: dir }).stdout).toContain(message);
    const r = astroSync(dir);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(message);
  });

  it('refuses front matter that check refuses but Astro would read its own way (a "----" closing line)', () => {
    const dir = siteCopy();
    const file = join(dir, 'content/posts/welcome.mdx');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/\n---\n/, '\n----\n'));
    const message = 'but that line is "----": make it exactly "---"';
    expect(runCli(['check'], { cwd: dir }).stdout).toContain(message);
    const r = astroSync(dir);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(message);
  });
});
