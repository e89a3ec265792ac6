/**
 * `node bench/front-matter-reading.ts [rounds]`: how long Postgate's own reading of 10,000
 * content files takes, in process, without start-up or file I/O: splitting off and parsing the
 * front matter, and the whole of readItemText (schema, threads, positions). A finer measure than
 * the `check` suite of `npm run bench` when only the reader changes.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText, readFrontMatter } from '../src/core/front-matter.ts';
import { readItemText, type ItemContext } from '../src/core/read-item.ts';
import { generateRepo } from './lib/generate-content.ts';
import { median } from './lib/measure.ts';

const rounds = Number(process.argv[2] ?? 7);
const repo = generateRepo(10_000, { postWords: 600 });
const files: { file: string; kind: 'post' | 'social'; text: string }[] = [];
try {
  for (const [dir, kind] of [
    ['content/posts', 'post'],
    ['content/social', 'social'],
  ] as const) {
    for (const name of readdirSync(join(repo.dir, dir))) {
      if (/\.mdx?$/.test(name))
        files.push({ file: `${dir}/${name}`, kind, text: readFileSync(join(repo.dir, dir, name), 'utf8') });
    }
  }
} finally {
  rmSync(repo.dir, { recursive: true, force: true });
}

const ctx: ItemContext = {
  timeZone: 'Europe/Berlin',
  siteUrl: 'https://example.org',
  socialChannels: ['x', 'mastodon', 'bluesky'],
  staleAfterMs: 6 * 3_600_000,
  defaultAuthor: 'Bench',
};

function time(run: () => number): number {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    const count = run();
    samples.push(performance.now() - start);
    if (count !== files.length) throw new Error(`read ${count} of ${files.length} files cleanly`);
  }
  return median(samples);
}

const split = time(() => {
  let ok = 0;
  for (const { text } of files) {
    if (readFrontMatter(normalizeText(text)).ok) ok++;
  }
  return ok;
});
const items = time(() => {
  let ok = 0;
  for (const { file, kind, text } of files) {
    if (readItemText(file, kind, text, ctx).problems.length === 0) ok++;
  }
  return ok;
});
process.stdout.write(
  `${files.length} files, median of ${rounds} rounds: readFrontMatter ${split.toFixed(0)} ms; readItemText ${items.toFixed(0)} ms\n`,
);
