import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_DIR, MANIFEST } from '../src/cli/dependency-bundles.ts';
import { gitBlobId } from '../src/core/approval-binding.ts';
import { SOCIAL_RULES, type SocialChannelId } from '../src/core/channels.ts';
import { readFrontMatter } from '../src/core/front-matter.ts';
import { mdxProblems } from '../src/core/mdx-policy.ts';
import { flagKindOf } from '../src/core/preview-flags.ts';
import { linkHostOf } from '../src/core/site-host.ts';
import { tagLinksExplained } from '../src/core/utm.ts';
import { mdxGuardPlugin } from '../src/site/mdx-guard.ts';
import { exampleRepoCopy, runCli } from './helpers/cli.ts';
import { astro, bindReleases, releasedBytes, releaseRecord, siteCopy } from './site/site-copy.ts';

/**
 * Security review, round 2 (this session's changes: UTM spans, the site build's MDX policy and
 * release binding, the workflows, the preview's red flags, dependency bundles, front matter),
 * tried as an insider would: a writer with push access, an outside contributor's pull request.
 * Every test here pins a defence that holds (some of them fixed in this round: see each test).
 */
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
const keep = (dir: string) => {
  scratch.push(dir);
  return dir;
};

const FRONT = ['---', 'title: Meals this month', 'description: What we served.', 'publishAt: 2026-11-20T10:00'];
/** A post file: the front matter above, closed by `fence`, then `body`, with `eol` line ends. */
const post = (body: string[], { fence = '---', eol = '\n' } = {}) => [...FRONT, fence, ...body].join(eol);
/** Code that leaves a file behind when it runs: proof that a post's code ran in the build. */
const leak = (marker: string) => `process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`;

/** The site build's MDX guard, asked about one post file as Vite would ask it. */
function guard(root: string, file: string): string | null {
  try {
    mdxGuardPlugin(root).transform('', `${join(root, file)}?astroPropagatedAssets`);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A production build of a site copy where the files `write(dir)` returns are written and the
 * `released` posts are released with their bytes bound, as if each had been approved and released.
 */
function build(write: (dir: string) => Record<string, string>, released: string[]) {
  const dir = keep(siteCopy());
  for (const [path, text] of Object.entries(write(dir))) writeFileSync(join(dir, path), text);
  const records = released.map((file) => {
    const slug = file.replace(/^content\/posts\/|\.mdx?$/gi, '');
    return releaseRecord(
      `posts/${slug}`,
      `https://example.org/posts/${slug}/`,
      '2026-11-20T09:00:03Z',
      releasedBytes(dir, file),
    );
  });
  writeFileSync(join(dir, 'content/ledger.jsonl'), `${records.join('\n')}\n`);
  return { dir, result: astro(dir, ['build']) };
}

describe('code in a post never runs in the site build (MDX policy, mdx-guard)', () => {
  // Fixed in this round. Postgate's front matter ends at the first "---"; a second "---" block right
  // after it was read by the policy's parser as a front matter (skipped), while the build, which
  // blanks the real front matter first, compiled it as MDX: an `export` in it ran in `astro build`
  // (and in `astro dev` on a reviewer's machine), with check and the guard both passing the post.
  const secondFrontMatter = (marker: string) =>
    post(['---', `export const x = ${leak(marker)}`, '', '---', '', 'Thank you all.', '']);

  it('check and the guard refuse a "---" (or "+++") block at the top of the text, which the build compiles as MDX', () => {
    const body = ['---', 'export const x = 1', '', '---', '', 'Thank you all.'].join('\n');
    expect(mdxProblems(body, 6).map((p) => `${p.at.line}:${p.at.col}`)).toEqual(['6:1']);
    expect(mdxProblems(body.replaceAll('---', '+++'), 6)[0]?.message).toMatch(/second front matter/);

    const repo = keep(exampleRepoCopy());
    writeFileSync(join(repo, 'content/posts/meals.mdx'), secondFrontMatter(join(repo, 'ran.txt')));
    const r = runCli(['check'], { cwd: repo });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/content\/posts\/meals\.mdx:6:1: error: the text starts with a block between "---"/);
    expect(guard(repo, 'content/posts/meals.mdx')).toMatch(/content\/posts\/meals\.mdx:7:1: import and export/);
  });

  it('a released post with such a block stops the build; its export never runs', () => {
    const { dir, result } = build(
      (root) => ({ 'content/posts/meals.mdx': secondFrontMatter(join(root, 'ran.txt')) }),
      ['content/posts/meals.mdx'],
    );
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/content\/posts\/meals\.mdx:7:1: import and export are not allowed/);
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });

  it('the guard checks what Astro compiles: a file with lone CR line ends and a "---<tab>" closing fence', () => {
    // Astro finds no front matter without a "\n"; Sätteri takes no "---\t" for a closing fence: the
    // whole file is compiled as MDX, so the expression in the description would run. Postgate reads
    // the same file (CR as a line end, a tab after the fence) as valid front matter and a clean body.
    const dir = keep(siteCopy());
    const marker = join(dir, 'ran.txt');
    const text = [
      ...FRONT.slice(0, 2),
      `description: We served {${leak(marker)}} meals.`,
      FRONT[3],
      '---\t',
      '',
      'Thank you all.',
      '',
    ].join('\r');
    writeFileSync(join(dir, 'content/posts/meals.mdx'), text);
    expect(guard(dir, 'content/posts/meals.mdx')).toMatch(
      /content\/posts\/meals\.mdx:3:\d+: \{\.\.\.\} is code in MDX/,
    );
    writeFileSync(
      join(dir, 'content/ledger.jsonl'),
      `${releaseRecord('posts/meals', 'https://example.org/posts/meals/', '2026-11-20T09:00:03Z', {
        file: 'content/posts/meals.mdx',
        blob: gitBlobId(Buffer.from(text)),
        coverBlob: null,
      })}\n`,
    );
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    // Refused by the loader (check's reading: a tab after the fence) or by the guard: either way, before it compiles.
    expect(r.stdout + r.stderr).toMatch(/\{\.\.\.\} is code in MDX|but that line is "---\\t"/);
    expect(existsSync(marker)).toBe(false);
    // check refuses such a file outright (lone CR line ends), so it is never approved as it is.
    expect(runCli(['check'], { cwd: dir }).stdout).toContain(
      'content/posts/meals.mdx:1:1: error: this file ends its lines with a lone CR',
    );
    // A file with lone CR line ends and ordinary fences is fine: its front matter is the compiler's own.
    writeFileSync(join(dir, 'content/posts/plain.mdx'), post(['', 'Thank you all.', ''], { eol: '\r' }));
    expect(guard(dir, 'content/posts/plain.mdx')).toBeNull();
  });

  it('the guard holds when content/posts is a link to a folder elsewhere in the repository', () => {
    // Fixed in this round: Vite names a module by its real path, so a post reached through a linked
    // content folder was outside "content/" to the guard, and its export ran in the build.
    const dir = keep(siteCopy());
    renameSync(join(dir, 'content/posts'), join(dir, 'stories'));
    symlinkSync('../stories', join(dir, 'content/posts'));
    const marker = join(dir, 'ran.txt');
    const text = post(['', `export const x = ${leak(marker)}`, '', 'Thank you all.', '']);
    writeFileSync(join(dir, 'content/posts/meals.mdx'), text);
    writeFileSync(
      join(dir, 'content/ledger.jsonl'),
      `${releaseRecord('posts/meals', 'https://example.org/posts/meals/', '2026-11-20T09:00:03Z', {
        file: 'content/posts/meals.mdx',
        blob: gitBlobId(Buffer.from(text)),
        coverBlob: null,
      })}\n`,
    );
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/stories\/meals\.mdx:7:1: import and export are not allowed/);
    expect(existsSync(marker)).toBe(false);
  });

  it('check and the guard refuse a Markdown image that is a script: the build imports it as a module', () => {
    // Fixed in this round: `![chart](./chart.mjs)` became `import chart from "./chart.mjs"` in the
    // compiled post, and the script ran in `astro build` (no brace, no tag, no import in the post).
    for (const src of ['./chart.mjs', 'chart.js', './chart.png?raw', './chart.mjs?.png', './chart.ts#x.png']) {
      expect(mdxProblems(`Thank you.\n\n![Meals per week](${src})\n`, 6), src).toEqual([
        { at: { line: 8, col: 1 }, message: expect.stringContaining('is not an image file') },
      ]);
    }
    for (const src of ['./chart.png', 'chart.JPG', '../images/chart.webp', '/chart.mjs', 'https://cdn.example/x.mjs'])
      expect(mdxProblems(`![Meals](${src})\n`, 6), src).toEqual([]);

    const repo = keep(exampleRepoCopy());
    writeFileSync(
      join(repo, 'content/posts/meals.mdx'),
      post(['', 'Thank you.', '', '![Meals](./meals-chart.mjs)', '']),
    );
    writeFileSync(join(repo, 'content/posts/meals-chart.mjs'), `${leak(join(repo, 'ran.txt'))};\n`);
    const r = runCli(['check'], { cwd: repo });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /content\/posts\/meals\.mdx:9:1: error: the image ".\/meals-chart\.mjs" is not an image file/,
    );
    expect(guard(repo, 'content/posts/meals.mdx')).toMatch(/meals\.mdx:9:1: the image/);
    // The preview flags the script itself, though it sits in content/.
    expect(flagKindOf({ path: 'content/posts/meals-chart.mjs' })).toBe('code');
  });

  it('the guard refuses an image whose file is a link to a script: Vite imports the real path', () => {
    // Fixed in this round: `![chart](./chart.png)` with chart.png a link to chart.mjs ran the script in
    // the build (check passes the post: its body images are not files it reads).
    const { dir, result } = build(
      (root) => ({
        'content/posts/chart.mjs': `${leak(join(root, 'ran.txt'))};\nexport default {};\n`,
        'content/posts/meals.mdx': post(['', 'Thank you.', '', '![Meals](./chart.png)', '']),
      }),
      ['content/posts/meals.mdx'],
    );
    expect(result.status).toBe(1); // no chart.png yet: the build cannot resolve it, and runs nothing
    symlinkSync('chart.mjs', join(dir, 'content/posts/chart.png'));
    // Released with the link in place (else the build leaves the post out: its image is not the one released).
    bindReleases(dir, { again: true });
    expect(guard(dir, 'content/posts/meals.mdx')).toMatch(
      /meals\.mdx:9:1: the image "\.\/chart\.png" leads to content\/posts\/chart\.mjs, which is not an image file/,
    );
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });

  it('a .md post cannot run a script through an image linked to it either: the build refuses to resolve it', () => {
    // Fixed in this round: .md posts are not MDX (no guard of their text), but Astro imports their
    // relative images too, by the real path, so chart.png linked to a script ran it in the build.
    const { dir, result } = build(
      (root) => ({
        'content/posts/chart.txt': `${leak(join(root, 'ran.txt'))};\nexport default {};\n`,
        'content/posts/meals.md': post(['', 'Thank you.', '', '![Meals](./chart.png)', '']),
      }),
      [],
    );
    expect(result.status, result.stdout + result.stderr).toBe(0); // not released yet: nothing imports it
    symlinkSync('chart.txt', join(dir, 'content/posts/chart.png'));
    writeFileSync(
      join(dir, 'content/ledger.jsonl'),
      `${releaseRecord('posts/meals', 'https://example.org/posts/meals/', '2026-11-20T09:00:03Z', releasedBytes(dir, 'content/posts/meals.md'))}\n`,
    );
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/leads to content\/posts\/chart\.txt, which is not an image file/);
    expect(existsSync(join(dir, 'ran.txt'))).toBe(false);
  });

  it('pins: an image reference, an <img> element, an .MDX file and `layout` front matter run nothing', () => {
    const posts = ['content/posts/by-reference.mdx', 'content/posts/by-element.mdx', 'content/posts/upper.MDX'];
    const { dir, result } = build(
      (root) => ({
        'content/posts/chart.mjs': `${leak(join(root, 'ran-1.txt'))};\nexport default {};\n`,
        // A reference-style image is not imported by the build (only inline images are).
        [posts[0]!]: post(['', 'Hi.', '', '![Meals][chart]', '', '[chart]: ./chart.mjs', '']),
        // An <img> element is plain HTML: its src is not imported.
        [posts[1]!]: post(['', 'Hi.', '', '<img src="./chart.mjs" alt="Meals" />', '']),
        // Upper-case .MDX is not compiled as MDX at all.
        [posts[2]!]: post(['', `export const x = ${leak(join(root, 'ran-2.txt'))}`, '', 'Hi.', '']),
      }),
      posts,
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(existsSync(join(dir, 'ran-1.txt'))).toBe(false);
    expect(existsSync(join(dir, 'ran-2.txt'))).toBe(false);
    // Astro would import a `layout` named in front matter; the strict schema refuses the key
    // (and YAML merge keys, which Astro's YAML schema would expand into one).
    const repo = keep(exampleRepoCopy());
    writeFileSync(
      join(repo, 'content/posts/laid.mdx'),
      post(['', 'Hi.', '']).replace('---\n\n', 'layout: ./chart.mjs\n---\n\n'),
    );
    writeFileSync(
      join(repo, 'content/posts/merged.mdx'),
      post(['', 'Hi.', '']).replace('---\n\n', '<<: {layout: ./chart.mjs}\n---\n\n'),
    );
    const r = runCli(['check'], { cwd: repo });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/content\/posts\/laid\.mdx:\d+:\d+: error: .*layout/);
    expect(r.stdout).toMatch(/content\/posts\/merged\.mdx:\d+:\d+: error: .*<</);
  });
});

describe('front matter is never run (gray-matter)', () => {
  it('refuses a language after the fence whatever the space before it, and evaluates nothing', () => {
    const g = globalThis as { pwned?: unknown };
    for (const space of ['', ' ', '\u00a0', '\u3000', '\t'])
      for (const lang of ['js', 'javascript', 'JS', 'coffee'])
        expect(readFrontMatter(`---${space}${lang}\n{ pwned: (globalThis.pwned = 1) }\n---\nbody\n`).ok).toBe(false);
    expect(g.pwned).toBeUndefined();
  });
});

describe('the preview flags what a reviewer cannot see in the posts', () => {
  it('flags workflows, code, dependencies and the code owners wherever the path hides, deleted or added', () => {
    const kinds = Object.fromEntries(
      [
        '.github/workflows/publish.yml',
        '.github/actions/setup/action.yml',
        '.github/CODEOWNERS',
        'docs/CODEOWNERS',
        'astro.config.mjs',
        'public/analytics.js',
        'scripts/postgate.mjs',
        'tsconfig.json',
        '.npmrc',
        'package-lock.json',
        'node_modules/zod/index.js',
        'Crisis.md',
        '.gitattributes',
        'content/.gitattributes',
        'content/posts/chart.mjs',
        'content/social/helper.ts',
        'content/posts/chart.png',
      ].map((path) => [path, flagKindOf({ path })]),
    );
    expect(kinds).toEqual({
      '.github/workflows/publish.yml': 'workflows',
      '.github/actions/setup/action.yml': 'workflows',
      '.github/CODEOWNERS': 'owners',
      'docs/CODEOWNERS': 'owners',
      'astro.config.mjs': 'code',
      'public/analytics.js': 'code',
      'scripts/postgate.mjs': 'code',
      'tsconfig.json': 'code',
      '.npmrc': 'dependencies',
      'package-lock.json': 'dependencies',
      'node_modules/zod/index.js': 'dependencies',
      'Crisis.md': 'crisis',
      '.gitattributes': 'other',
      // Fixed in this round: inside content/ a script and a .gitattributes (which can fold the
      // posts' diffs on GitHub) were not flagged at all.
      'content/.gitattributes': 'other',
      'content/posts/chart.mjs': 'code',
      'content/social/helper.ts': 'code',
      'content/posts/chart.png': null,
    });
  });
});

describe('UTM tags change nothing but the query', () => {
  const site = 'https://example.org';
  const tricks = [
    'See https://example.org@evil.example/win now',
    'See https://example.org:x@evil.example/ now',
    'See https://evil.example\\@example.org/ now',
    'See https://example.org\\.evil.example/ now',
    'See https://example.org.evil.example/a now',
    'See https://evil.example/?r=https://example.org/a now',
    'See https://exаmple.org/a now', // a Cyrillic а
    'See https://example.org%40evil.example/ now',
    'See https://example.org%2F@evil.example/ now',
    'See https://example.org#@evil.example/ now',
    'See https://example.org/a\u202e/elpmaxe.live now',
    'See HTTPS://WWW.EXAMPLE.ORG./a#top?x=1 now',
    'See example.org/a?b=1;c=2&&d#f?g now',
    '(https://example.org/a) «https://example.org/b» https://example.org/c… now',
  ];
  const PARAMS = /[?&]utm_source=[a-z]+&utm_medium=social&utm_campaign=social%2Fa/g;

  it('never tags a link to another host, and removing the parameters gives back the text as written', () => {
    for (const text of tricks)
      for (const channel of Object.keys(SOCIAL_RULES) as SocialChannelId[]) {
        const tagged = tagLinksExplained(text, { siteUrl: site, channel, campaign: 'social/a' }).text;
        expect(tagged.replace(PARAMS, ''), `${channel}: ${text}`).toBe(text.replace(PARAMS, ''));
        for (const span of SOCIAL_RULES[channel].linkSpans(tagged))
          if (span.url.includes('utm_source='))
            expect(linkHostOf(span.url), `${channel}: ${span.url}`).toBe('example.org');
      }
  });

  it('the network links exactly what it linked before, each tagged link longer by its parameters only', () => {
    for (const text of tricks)
      for (const channel of Object.keys(SOCIAL_RULES) as SocialChannelId[]) {
        const rules = SOCIAL_RULES[channel];
        const tagged = tagLinksExplained(text, { siteUrl: site, channel, campaign: 'social/a' }).text;
        const strip = (s: string) => s.replace(PARAMS, '');
        expect(
          rules.linkSpans(tagged).map((s) => strip(s.url)),
          `${channel}: ${text}`,
        ).toEqual(rules.linkSpans(text).map((s) => s.url));
      }
  });
});

describe("the review job's checkout of the pull request is data", () => {
  it('check run inside the pull request never loads dependency bundles the pull request carries', () => {
    // review.yml runs main's entry point with the pull request's checkout as the working directory;
    // a pull request can commit node_modules/.cache/postgate/dependencies with a matching manifest.
    const pr = keep(exampleRepoCopy());
    const marker = join(pr, 'ran.txt');
    const bundle = `${leak(marker)};\nexport const z = {};\n`;
    const packageJson = JSON.stringify({ name: 'zod', version: '4.0.0' });
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    mkdirSync(join(pr, BUNDLE_DIR), { recursive: true });
    mkdirSync(join(pr, 'node_modules/zod'), { recursive: true });
    writeFileSync(join(pr, 'node_modules/zod/package.json'), packageJson);
    writeFileSync(join(pr, BUNDLE_DIR, 'zod.mjs'), bundle);
    writeFileSync(
      join(pr, BUNDLE_DIR, MANIFEST),
      JSON.stringify({
        format: 2,
        packages: {
          zod: {
            version: '4.0.0',
            packageJson: 'node_modules/zod/package.json',
            packageJsonSha256: sha(packageJson),
            file: 'zod.mjs',
            bytes: Buffer.byteLength(bundle),
            sha256: sha(bundle),
          },
        },
      }),
    );
    const r = runCli(['check'], { cwd: pr });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});
