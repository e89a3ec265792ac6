import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from '../helpers/clean-env.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

/**
 * A scratch copy of the site (sources, config, example content) sharing this checkout's
 * node_modules package by package, so Astro's caches and dist/ stay in the copy.
 */
export function siteCopy(options: { url?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'postgate-site-'));
  for (const entry of ['src', 'content', 'postgate.config.yaml', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  }
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (entry !== '.astro' && entry !== '.vite')
      symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  if (options.url) {
    const config = join(dir, 'postgate.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^(\s*url:\s*)\S+/m, `$1${options.url}`));
  }
  return dir;
}

/** A ledger line as the publisher writes it when it releases a post. */
export function releaseRecord(
  item: string,
  url: string,
  at: string,
  files?: { file: string; blob: string; coverBlob: string | null },
): string {
  return JSON.stringify({
    ...files,
    v: 1,
    type: 'sent',
    item,
    channel: 'blog',
    part: 0,
    parts: 1,
    remoteId: item.replace(/^posts\//, ''),
    url,
    at,
    hash: `h-${item}`,
  });
}

const astroEnv = (extra: Record<string, string> = {}) => cleanEnv({ ASTRO_TELEMETRY_DISABLED: '1', ...extra });

export function astro(dir: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(dir, 'node_modules/astro/bin/astro.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: astroEnv(env),
    timeout: 120_000,
  });
}

export function astroAsync(dir: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [join(dir, 'node_modules/astro/bin/astro.mjs'), ...args], {
    cwd: dir,
    env: astroEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
