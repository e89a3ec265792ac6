import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateRepo } from '../lib/generate-content.ts';
import { compare, runMeasured, type Sample } from '../lib/measure.ts';
import type { Row } from '../lib/table.ts';

/**
 * `astro build` of the Postgate site (release rule, home pages, tag pages, RSS, sitemap) for N
 * generated ~600-word posts, all released in the ledger, against a plain Astro build of the same
 * posts: its own config with @astrojs/mdx, a glob collection, one minimal page per post, no
 * Postgate code. Both use this checkout's node_modules and start with cold caches.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const ENV = { ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };

function linkNodeModules(dir: string) {
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry !== '.astro' && entry !== '.vite')
      symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
}

function postgateSite(count: number, extension: 'mdx' | 'md'): string {
  const { dir } = generateRepo(count, { postShare: 1, postWords: 600 });
  for (const entry of ['src', 'astro.config.mjs', 'tsconfig.json', 'package.json'])
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  const posts = join(dir, 'content/posts');
  const ledger: string[] = [];
  for (const [i, file] of readdirSync(posts).sort().entries()) {
    const slug = file.replace(/\.mdx$/, '');
    if (extension === 'md') renameSync(join(posts, file), join(posts, `${slug}.md`));
    const at = new Date(Date.UTC(2027, 0, 1) + i * 3_600_000).toISOString();
    ledger.push(
      JSON.stringify({
        v: 1,
        type: 'sent',
        item: `posts/${slug}`,
        channel: 'blog',
        part: 0,
        parts: 1,
        remoteId: slug,
        url: `https://example.org/posts/${slug}/`,
        at,
        hash: `h${i}`,
      }),
    );
  }
  writeFileSync(join(dir, 'content/ledger.jsonl'), `${ledger.join('\n')}\n`);
  linkNodeModules(dir);
  return dir;
}

const PLAIN_CONFIG = `import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
export default defineConfig({ site: 'https://example.org', integrations: [mdx()] });
`;
const PLAIN_COLLECTIONS = `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
const posts = defineCollection({
  loader: glob({ base: './content/posts', pattern: '**/*.{md,mdx}' }),
  schema: z.object({ title: z.string(), description: z.string() }),
});
export const collections = { posts };
`;
const PLAIN_PAGE = `---
import { getCollection, render } from 'astro:content';
export async function getStaticPaths() {
  return (await getCollection('posts')).map((entry) => ({ params: { slug: entry.id }, props: { entry } }));
}
const { entry } = Astro.props;
const { Content } = await render(entry);
---
<html lang="en"><head><meta charset="utf-8" /><title>{entry.data.title}</title></head><body><h1>{entry.data.title}</h1><Content /></body></html>
`;

function plainSite(postsFrom: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'plain-astro-'));
  cpSync(join(postsFrom, 'content/posts'), join(dir, 'content/posts'), { recursive: true });
  mkdirSync(join(dir, 'src/pages/posts'), { recursive: true });
  writeFileSync(join(dir, 'astro.config.mjs'), PLAIN_CONFIG);
  writeFileSync(join(dir, 'src/content.config.ts'), PLAIN_COLLECTIONS);
  writeFileSync(join(dir, 'src/pages/posts/[...slug].astro'), PLAIN_PAGE);
  writeFileSync(join(dir, 'package.json'), '{ "name": "plain-astro", "private": true, "type": "module" }\n');
  linkNodeModules(dir);
  return dir;
}

/** A cold build: no content store, no Vite cache, no previous output. */
function build(dir: string): Sample {
  for (const cache of ['dist', '.astro', 'node_modules/.astro', 'node_modules/.vite'])
    rmSync(join(dir, cache), { recursive: true, force: true });
  return runMeasured(process.execPath, [ASTRO, 'build'], { cwd: dir, env: ENV });
}

function benchSize(count: number, rounds: number): Row {
  const postgate = postgateSite(count, 'mdx');
  const plain = plainSite(postgate);
  try {
    const result = compare(
      rounds,
      () => build(postgate),
      () => build(plain),
    );
    return {
      name: `site build, ${count.toLocaleString('en')} posts (.mdx, ~600 words; median of ${rounds})`,
      ...result,
      baseline: 'plain Astro + MDX, same posts',
      maxRatio: 1.15,
    };
  } finally {
    for (const dir of [postgate, plain]) rmSync(dir, { recursive: true, force: true });
  }
}

/** The same posts as plain Markdown: no MDX compile. Reported against the .mdx build of Postgate itself. */
function benchMarkdown(count: number): Row {
  const md = postgateSite(count, 'md');
  const mdx = postgateSite(count, 'mdx');
  try {
    const result = compare(
      1,
      () => build(md),
      () => build(mdx),
    );
    return {
      name: `site build, ${count.toLocaleString('en')} posts as .md (1 round)`,
      ...result,
      baseline: 'the same site, posts as .mdx',
    };
  } finally {
    for (const dir of [md, mdx]) rmSync(dir, { recursive: true, force: true });
  }
}

export function benchSiteBuild(rounds: number): Row[] {
  // A cold 1,000-post build takes ~10 s and varies by ±15% on a shared 2-core machine: three
  // interleaved rounds (after a warm-up of each) keep the run near two minutes.
  const few = Math.min(rounds, 3);
  return [benchSize(100, few), benchSize(1000, few), benchMarkdown(1000)];
}
