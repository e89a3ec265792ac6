import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitBlobId } from '../../src/core/approval-binding.ts';
import { CONFIG_FILE } from '../../src/core/config-schema.ts';
import type { ReleasedFiles } from '../../src/core/ledger.ts';
import { readItemText } from '../../src/core/read-item.ts';
import { resolveRepoPath } from '../../src/core/repo-path.ts';
import { parseConfig } from '../../src/repo/load-config.ts';
import { postFilesOf } from '../../src/repo/post-files.ts';
import { itemContext } from '../../src/repo/read-content.ts';
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
export function releaseRecord(item: string, url: string, at: string, files?: ReleasedFiles): string {
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

/**
 * Binds each blog release in the copy's ledger that names no bytes to its post as the copy has it,
 * as the publisher's release records do (releasedBytes). The published build shows no post whose
 * bytes it cannot compare. Releases that name their bytes are left as written, unless `again` (the
 * post as it is now was released: a test of what the build does with those bytes).
 */
export function bindReleases(dir: string, options: { again?: boolean } = {}): void {
  const path = join(dir, 'content/ledger.jsonl');
  const lines = readFileSync(path, 'utf8').split('\n');
  const bound = lines.map((line) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return line;
    }
    if (record.type !== 'sent' || record.channel !== 'blog' || (record.blob !== undefined && !options.again))
      return line;
    const slug = String(record.item).replace(/^posts\//, '');
    const file = ['mdx', 'md'].map((ext) => `content/posts/${slug}.${ext}`).find((f) => existsSync(join(dir, f)));
    if (!file) return line;
    const { images: _, ...unbound } = record;
    return JSON.stringify({ ...unbound, ...releasedBytes(dir, file) });
  });
  writeFileSync(path, bound.join('\n'));
}

/**
 * The bytes a release of `file` binds, computed by the publisher's own code (src/repo/post-files.ts
 * over the post as `check` reads it): the file, its cover and the files its body shows. A post
 * `check` cannot read (a test releasing a broken post on purpose) is bound by its file and cover.
 */
export function releasedBytes(dir: string, file: string): ReleasedFiles {
  const ctx = itemContext(parseConfig(readFileSync(join(dir, CONFIG_FILE), 'utf8')));
  const { items } = readItemText(file, 'post', readFileSync(join(dir, file), 'utf8'), ctx);
  const post = items.find((item) => item.kind === 'post');
  const bound = post && postFilesOf(dir, [post]).get(post.id);
  return bound ?? { file, blob: gitBlobId(readFileSync(join(dir, file))), coverBlob: coverBlobOf(dir, file) };
}

function coverBlobOf(dir: string, file: string): string | null {
  const src = /^cover:\s*\n\s+src:\s*(\S+)/m.exec(readFileSync(join(dir, file), 'utf8'))?.[1];
  const path = src ? resolveRepoPath(file, src.replace(/^["']|["']$/g, '')) : null;
  return path && existsSync(join(dir, path)) ? gitBlobId(readFileSync(join(dir, path))) : null;
}
