import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A repository of generated content for benchmarks: social drafts (single posts, threads,
 * per-channel overrides, images) and blog posts, in the proportions a busy team would have.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const WORDS =
  'food bank volunteers neighbours winter kitchen meals shelves warehouse donation shift evening community thanks delivery'.split(
    ' ',
  );

function sentence(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  const text = out.join(' ');
  return `${text[0]!.toUpperCase() + text.slice(1)}.`;
}

/** Local times at the three daily slots people use (a raw hourly series would hit DST gaps). */
function stamp(i: number): string {
  const day = new Date(Date.UTC(2027, 0, 1) + Math.floor(i / 3) * 86_400_000).toISOString().slice(0, 10);
  return `${day}T${['09:30', '13:00', '17:00'][i % 3]}`;
}

export interface GeneratedRepo {
  dir: string;
  social: number;
  posts: number;
}

export function generateRepo(count: number, options: { postShare?: number; postWords?: number } = {}): GeneratedRepo {
  const dir = mkdtempSync(join(tmpdir(), `postgate-bench-${count}-`));
  copyFileSync(join(ROOT, 'postgate.config.yaml'), join(dir, 'postgate.config.yaml'));
  mkdirSync(join(dir, 'content/social'), { recursive: true });
  mkdirSync(join(dir, 'content/posts'), { recursive: true });
  copyFileSync(join(ROOT, 'content/social/volunteer-chart.png'), join(dir, 'content/social/chart.png'));
  const posts = Math.round(count * (options.postShare ?? 0.3));
  for (let i = 0; i < count - posts; i++) {
    const thread = i % 5 === 0;
    const image =
      i % 10 === 0 ? 'images:\n  - src: ./chart.png\n    alt: Bar chart of volunteer sign-ups per week\n' : '';
    const override = i % 7 === 0 ? `mastodon:\n  text: "${sentence(i, 20)} https://example.org/posts/p${i}/"\n` : '';
    const body = thread
      ? [0, 1, 2].map((p) => `${sentence(i + p, 18)} https://example.org/posts/p${i}/`).join('\n\n---\n\n')
      : `${sentence(i, 20)} https://example.org/posts/p${i}/`;
    writeFileSync(
      join(dir, `content/social/s${i}.md`),
      `---\npublishAt: ${stamp(i)}\nchannels: [x, mastodon, bluesky]\n${image}${override}---\n${body}\n`,
    );
  }
  const paragraphs = Math.max(1, Math.round((options.postWords ?? 120) / 60));
  for (let i = 0; i < posts; i++) {
    const body = Array.from({ length: paragraphs }, (_, p) => `${sentence(i + p, 30)} ${sentence(i + p + 1, 30)}`).join(
      '\n\n',
    );
    writeFileSync(
      join(dir, `content/posts/p${i}.mdx`),
      `---\ntitle: "Post ${i}"\ndescription: ${sentence(i, 12)}\npublishAt: ${stamp(i)}\ntags: [news, t${i % 20}]\nauthor: Bench\n${i % 4 === 0 ? `announce: "New: post ${i} {url}"\n` : ''}---\n\n## Section\n\n${body}\n`,
    );
  }
  return { dir, social: count - posts, posts };
}
