import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitBlobId } from '../../src/core/approval-binding.ts';
import { CONFIG_FILE } from '../../src/core/config-schema.ts';
import type { PostItem } from '../../src/core/item.ts';
import { pageShowsPost } from '../../src/core/live-page.ts';
import { readItemText } from '../../src/core/read-item.ts';
import { parseConfig } from '../../src/repo/load-config.ts';
import { itemContext } from '../../src/repo/read-content.ts';
import { pngBytes } from '../helpers/images.ts';
import { MEALS_CHART as CHART, MEALS_LOGO as LOGO, MEALS, MEALS_POST } from '../helpers/meals-post.ts';
import { astro, bindReleases, releaseRecord, siteCopy } from './site-copy.ts';

/** Production builds of scratch copies of the example site, with the ledgers a real repository goes through. */
const copies: string[] = [];
function copy(ledger?: string[]): string {
  const dir = siteCopy();
  copies.push(dir);
  if (ledger) {
    writeFileSync(join(dir, 'content/ledger.jsonl'), `${ledger.join('\n')}\n`);
    bindReleases(dir);
  }
  return dir;
}
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

const read = (dir: string, file: string) => readFileSync(join(dir, 'dist', file), 'utf8');
const released = (slug: string, at: string) => releaseRecord(`posts/${slug}`, `https://example.org/posts/${slug}/`, at);

describe('the published build', () => {
  it('with nothing released yet, says so kindly and publishes no post', () => {
    const dir = copy();
    // Plausible chosen: every page carries its cookieless script (the build below is shared with this check).
    writeFileSync(
      join(dir, CONFIG_FILE),
      `${readFileSync(join(dir, CONFIG_FILE), 'utf8')}\nanalytics:\n  tool: plausible\n`,
    );
    const r = astro(dir, ['build']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('0 released posts on the site; 2 not released yet');
    expect(read(dir, 'index.html')).toContain('Nothing here yet');
    expect(existsSync(join(dir, 'dist/posts'))).toBe(false);
    expect(read(dir, 'rss.xml')).not.toContain('<item>');
    expect(read(dir, '404.html')).toContain('Page not found');
    for (const page of ['index.html', '404.html'])
      expect(read(dir, page)).toContain(
        '<script src="https://plausible.io/js/script.js" defer data-domain="example.org"></script>',
      );
  });

  it('leaves out a retracted post and keeps the others', () => {
    const retraction = JSON.stringify({
      v: 1,
      type: 'retracted',
      item: 'posts/winter-appeal',
      channel: 'blog',
      part: 0,
      parts: 1,
      at: '2026-12-03T10:00:00Z',
    });
    const dir = copy([
      released('welcome', '2026-11-20T09:00:03Z'),
      released('winter-appeal', '2026-12-03T07:00:05Z'),
      retraction,
    ]);
    const r = astro(dir, ['build']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(existsSync(join(dir, 'dist/posts/welcome/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'dist/posts/winter-appeal'))).toBe(false);
    expect(existsSync(join(dir, 'dist/media/winter-appeal'))).toBe(false);
    expect(read(dir, 'index.html')).not.toContain('winter appeal');
    // Analytics off (the example config has no analytics:): no script on any page.
    for (const page of ['index.html', 'posts/welcome/index.html']) expect(read(dir, page)).not.toContain('<script');
  });

  it('stops when a ledger line cannot be read: it could be a retraction', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z'), '{"v":1,"type":"retracted",']);
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('the ledger cannot be read');
    expect(r.stdout + r.stderr).toContain('content/ledger.jsonl:2:1');
  });

  it('stops when a released post is broken, so the last good deployment stays live', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z')]);
    const file = join(dir, 'content/posts/welcome.mdx');
    writeFileSync(file, readFileSync(file, 'utf8').replace('title: Welcome to our new journal\n', ''));
    bindReleases(dir, { again: true }); // released as it is now, broken
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('expected the title as text');
  });
});

describe('a post answering at its address', () => {
  it("shows its title as the publisher's live check reads it, whatever the title holds; a live record changes nothing", () => {
    const dir = siteCopy();
    copies.push(dir);
    const WELCOME = 'content/posts/welcome.mdx';
    const file = join(dir, WELCOME);
    const source = readFileSync(file, 'utf8').replace(
      'title: Welcome to our new journal',
      `title: 'Bread & butter: "what <we> learned" — the winter''s 🥖 appeal'`,
    );
    writeFileSync(file, source);
    const live = JSON.stringify({
      v: 1,
      type: 'live',
      item: 'posts/welcome',
      channel: 'blog',
      part: 0,
      parts: 1,
      url: 'https://example.org/posts/welcome/',
      at: '2026-11-20T09:05:00Z',
    });
    writeFileSync(join(dir, 'content/ledger.jsonl'), `${released('welcome', '2026-11-20T09:00:03Z')}\n${live}\n`);
    bindReleases(dir);
    const r = astro(dir, ['build']);
    expect(r.status, r.stdout + r.stderr).toBe(0);

    // The title as the publisher reads the post, through the same code as `check`.
    const ctx = itemContext(parseConfig(readFileSync(join(dir, CONFIG_FILE), 'utf8')));
    const post = readItemText(WELCOME, 'post', source, ctx).items.find(
      (item): item is PostItem => item.kind === 'post',
    );
    const title = post!.title;
    expect(title).toBe('Bread & butter: "what <we> learned" — the winter\'s 🥖 appeal');
    const page = read(dir, 'posts/welcome/index.html');
    expect(page).toContain('Bread &amp; butter');
    expect(pageShowsPost(page, title)).toBe(true);
    for (const other of ['404.html', 'index.html', 'posts/winter-appeal/index.html'])
      if (existsSync(join(dir, 'dist', other))) expect(pageShowsPost(read(dir, other), title), other).toBe(false);
  });
});

describe('code in a post', () => {
  // The attack: an MDX export in a post runs while the site is built, in the build job.
  const attack = (marker: string) =>
    `\nexport const leak = (await import('node:fs')).writeFileSync(${JSON.stringify(marker)}, 'ran')\n`;

  it('never runs in the build, released or not: the build stops at the file and line', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z')]);
    const marker = join(dir, 'ran.txt');
    for (const slug of ['welcome', 'winter-appeal']) {
      const file = join(dir, `content/posts/${slug}.mdx`);
      writeFileSync(file, readFileSync(file, 'utf8') + attack(marker));
    }
    bindReleases(dir, { again: true }); // welcome released with the export in it
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(
      /content\/posts\/(welcome|winter-appeal)\.mdx:\d+:1: import and export are not allowed/,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('stops the build for an expression or a component too', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z')]);
    const file = join(dir, 'content/posts/welcome.mdx');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nWe served {globalThis.count} meals.\n`);
    bindReleases(dir, { again: true });
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/content\/posts\/welcome\.mdx:\d+:\d+: \{\.\.\.\} is code in MDX/);
  });
});

describe('what reaches the published site', () => {
  const evil = (id: string) =>
    `---\nid: ${id}\ntitle: Evil twin\ndescription: Not what was approved.\npublishAt: 2026-11-20T10:00\n---\n\nWords nobody approved.\n`;

  it('never takes a file that check does not list: a draft folder claiming a released id is ignored', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z')]);
    mkdirSync(join(dir, 'content/posts/_drafts'), { recursive: true });
    writeFileSync(join(dir, 'content/posts/_drafts/welcome.mdx'), evil('posts/welcome'));
    mkdirSync(join(dir, 'content/posts/.hidden'), { recursive: true });
    writeFileSync(join(dir, 'content/posts/.hidden/welcome.mdx'), evil('posts/welcome'));
    const r = astro(dir, ['build']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(read(dir, 'posts/welcome/index.html')).toContain('Welcome to our new journal');
    expect(read(dir, 'index.html')).not.toContain('Evil twin');
    expect(existsSync(join(dir, 'dist/_drafts'))).toBe(false);
  });

  it('stops when two listed files claim one id', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z')]);
    writeFileSync(join(dir, 'content/posts/evil.mdx'), evil('posts/welcome'));
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      'two post files claim the same id, so the site cannot tell which one was released: posts/welcome (content/posts/evil.mdx, content/posts/welcome.mdx)',
    );
  });

  it('builds nothing while CRISIS is on, so nothing is deployed', () => {
    const dir = copy([released('welcome', '2026-11-20T09:00:03Z')]);
    writeFileSync(join(dir, 'Crisis.md'), 'Flooding in the city\n');
    const r = astro(dir, ['build']);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain(
      'CRISIS is on (Crisis.md: Flooding in the city): the site is not built or deployed',
    );
    expect(existsSync(join(dir, 'dist/posts/welcome/index.html'))).toBe(false);
  });
});

describe('the bytes a release bound', () => {
  it('leaves out a post whose release names no bytes (recorded before releases did): an edit nobody approved could be live', () => {
    const dir = copy();
    writeFileSync(join(dir, 'content/ledger.jsonl'), `${released('welcome', '2026-11-20T09:00:03Z')}\n`);
    const r = astro(dir, ['build']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'content/posts/welcome.mdx (posts/welcome) is left out of the site: its release was recorded before releases named their bytes',
    );
    expect(existsSync(join(dir, 'dist/posts/welcome/index.html'))).toBe(false);
  });

  const WELCOME = 'content/posts/welcome.mdx';
  const boundRelease = (dir: string) =>
    releaseRecord('posts/welcome', 'https://example.org/posts/welcome/', '2026-11-20T09:00:03Z', {
      file: WELCOME,
      blob: gitBlobId(readFileSync(join(dir, WELCOME))),
      coverBlob: null,
    });

  it('shows a post whose file still has them, and leaves out one edited since, saying why', () => {
    const dir = copy();
    writeFileSync(join(dir, 'content/ledger.jsonl'), `${boundRelease(dir)}\n`);
    const intact = astro(dir, ['build']);
    expect(intact.status, intact.stdout + intact.stderr).toBe(0);
    expect(existsSync(join(dir, 'dist/posts/welcome/index.html'))).toBe(true);

    const file = join(dir, WELCOME);
    writeFileSync(file, readFileSync(file, 'utf8').replace('every story is ours', 'every story is theirs'));
    const edited = astro(dir, ['build']);
    expect(edited.status, edited.stdout + edited.stderr).toBe(0);
    expect(edited.stdout).toContain(
      `${WELCOME} (posts/welcome) is left out of the site: it has changed since it was released; the publisher releases it again once the edit is approved`,
    );
    expect(existsSync(join(dir, 'dist/posts/welcome/index.html'))).toBe(false);
  });
});

describe('the images a release bound', () => {
  // MEALS_POST shows an image the build imports (CHART, beside the post) and one the site serves (LOGO, in public/).
  const withMeals = (ledger: string[]) => {
    const dir = siteCopy();
    copies.push(dir);
    writeFileSync(join(dir, MEALS), MEALS_POST);
    writeFileSync(join(dir, CHART), readFileSync(join(dir, 'content/posts/winter-appeal-cover.png')));
    mkdirSync(join(dir, 'public'));
    writeFileSync(join(dir, LOGO), pngBytes(64, 64));
    writeFileSync(join(dir, 'content/ledger.jsonl'), `${ledger.join('\n')}\n`);
    return dir;
  };
  const build = (dir: string) => {
    const r = astro(dir, ['build']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    return { log: r.stdout, shown: existsSync(join(dir, 'dist/posts/meals/index.html')) };
  };

  /** The meals post released with its images bound, as the publisher records it. */
  const releasedMeals = () => {
    const dir = withMeals([released('meals', '2026-11-20T09:00:03Z')]);
    bindReleases(dir);
    return dir;
  };

  it('shows a post while its images have the bytes its release bound, and leaves it out once one is swapped', () => {
    const dir = releasedMeals();
    const record = JSON.parse(readFileSync(join(dir, 'content/ledger.jsonl'), 'utf8').trim()) as {
      images: Record<string, string>;
    };
    expect(record.images).toEqual({
      [CHART]: gitBlobId(readFileSync(join(dir, CHART))),
      [LOGO]: gitBlobId(readFileSync(join(dir, LOGO))),
    });
    const intact = build(dir);
    expect(intact.shown).toBe(true);
    expect(read(dir, 'posts/meals/index.html')).toContain('src="/logo.png"');

    // A writer pushes another picture over the chart beside the post.
    const chart = readFileSync(join(dir, CHART));
    writeFileSync(join(dir, CHART), Buffer.concat([chart, Buffer.from('another picture')]));
    const swapped = build(dir);
    expect(swapped.shown).toBe(false);
    expect(swapped.log).toContain(
      `${MEALS} (posts/meals) is left out of the site: an image it shows (${CHART}) has changed since it was released; the publisher releases it again once the edit is approved`,
    );
  });

  it('leaves out a post whose served image was swapped in public/, and shows it once the swap is released', () => {
    const dir = releasedMeals();
    writeFileSync(join(dir, LOGO), pngBytes(64, 64, 100));
    const logo = build(dir);
    expect(logo.shown).toBe(false);
    expect(logo.log).toContain(`an image it shows (${LOGO}) has changed since it was released`);

    // The swap approved: the publisher releases the post again, with the new bytes.
    bindReleases(dir, { again: true });
    expect(build(dir).shown).toBe(true);
  });

  it('leaves out a post with images whose release names only the post (recorded before releases bound images)', () => {
    const dir = withMeals([]);
    writeFileSync(
      join(dir, 'content/ledger.jsonl'),
      `${releaseRecord('posts/meals', 'https://example.org/posts/meals/', '2026-11-20T09:00:03Z', {
        file: MEALS,
        blob: gitBlobId(readFileSync(join(dir, MEALS))),
        coverBlob: null,
      })}\n`,
    );
    const older = build(dir);
    expect(older.shown).toBe(false);
    expect(older.log).toContain(
      `${MEALS} (posts/meals) is left out of the site: its release was recorded before releases named the bytes of the images it shows`,
    );
  });
});
