import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bundledChromium from '@sparticuz/chromium';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.ts';
import { astro, bindReleases, releaseRecord, siteCopy } from './site-copy.ts';
import { serveStatic, type StaticSite } from './static-server.ts';

/**
 * The published site, built from a scratch copy of the example repository under a base path
 * (a GitHub Pages project site) and opened in headless Chromium. The ledger releases the winter
 * appeal and a plain Markdown post; the welcome post is due but not released, and a broken draft
 * sits beside them: neither may reach the site or stop the build. (A CRISIS stops the build
 * itself: tests/site/build.test.ts.)
 *
 * The browser comes from the npm registry, as Node does: @sparticuz/chromium ships a headless
 * Chromium inside the package (unpacked to /tmp/chromium on first use), so `npm ci && npm test`
 * needs no browser on the machine and never uses whichever one happens to be installed.
 */
const BASE = '/journal';
const SHOTS = join(REPO_ROOT, 'test-output/site');
const COVER_ALT = 'A low winter sun over an orange sky, the colours fading towards the evening';

let dir: string;
let build: ReturnType<typeof astro>;
let site: StaticSite;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  dir = siteCopy({ url: `https://example.org${BASE}` });
  mkdirSync(join(dir, 'content/posts/notes'));
  writeFileSync(
    join(dir, 'content/posts/notes/volunteer-evening.md'),
    '---\ntitle: A volunteer evening\ndescription: Three hours, forty boxes, one very good soup.\npublishAt: 2026-11-28T18:00\ntags: [volunteers, news]\n---\n\nWe packed forty boxes. Read the [winter appeal](https://example.org/journal/posts/winter-appeal/) or [the city page](https://city.example/food).\n',
  );
  writeFileSync(
    join(dir, 'content/posts/broken-draft.mdx'),
    '---\ntitle: 12\npublishAt: 2026-02-30T10:00\n---\n\nNot finished <Unclosed {\n',
  );
  writeFileSync(
    join(dir, 'content/ledger.jsonl'),
    `${[
      releaseRecord(
        'posts/notes/volunteer-evening',
        'https://example.org/journal/posts/notes/volunteer-evening/',
        '2026-11-28T17:00:04Z',
      ),
      releaseRecord('posts/winter-appeal', 'https://example.org/journal/posts/winter-appeal/', '2026-12-03T07:00:05Z'),
    ].join('\n')}\n`,
  );
  bindReleases(dir);
  build = astro(dir, ['build']);
  if (build.status !== 0) throw new Error(`astro build failed:\n${build.stdout}\n${build.stderr}`);
  site = await serveStatic(join(dir, 'dist'), BASE);
  profile = mkdtempSync(join(tmpdir(), 'postgate-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: await bundledChromium.executablePath(),
    headless: true,
    // Its own flags for a machine without a GPU or a zygote, then ours: never reach the internet.
    args: [
      '--no-sandbox',
      '--no-zygote',
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1200, height: 900 },
  });
  // The site must never reach the internet, and the test must not either.
  await context.route('**/*', (route) =>
    new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
  );
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await site?.close();
  for (const d of [dir, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('the published site in a browser', () => {
  it('builds released posts only, naming the broken draft it left out', () => {
    expect(build.stdout).toMatch(
      /content\/posts\/broken-draft\.mdx is not released and has errors \(title: expected the title as text\)/,
    );
    const dist = join(dir, 'dist');
    expect(existsSync(join(dist, 'posts/winter-appeal/index.html'))).toBe(true);
    expect(existsSync(join(dist, 'posts/notes/volunteer-evening/index.html'))).toBe(true);
    expect(readdirSync(join(dist, 'posts')).sort()).toEqual(['notes', 'winter-appeal']);
    const pages = readdirSync(dist, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.html'));
    for (const page of pages)
      expect(readFileSync(join(dist, page), 'utf8'), page).not.toMatch(/<script|Welcome to our new journal/);
    expect(readFileSync(join(dist, 'sitemap-0.xml'), 'utf8')).toContain(
      '<loc>https://example.org/journal/posts/winter-appeal/</loc>',
    );
  });

  it('lists released posts newest first, opens one, and shows its cover with alt text', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${site.origin}${BASE}/`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Riverside Food Bank');
    expect(await page.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href')).toBe(
      `${BASE}/rss.xml`,
    );
    expect(await page.locator('.post-card-title').allTextContents()).toEqual([
      'Our winter appeal: 2,000 warm meals by January',
      'A volunteer evening',
    ]);
    await expect(page.getByText('Welcome to our new journal').count()).resolves.toBe(0);
    for (const landmark of ['header', 'nav', 'main', 'footer'])
      expect(await page.locator(landmark).count(), landmark).toBeGreaterThan(0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.screenshot({ path: join(SHOTS, 'home.png'), fullPage: true });

    await page.getByRole('link', { name: 'Our winter appeal: 2,000 warm meals by January' }).click();
    await page.waitForURL(`${site.origin}${BASE}/posts/winter-appeal/`);
    expect(await page.title()).toBe('Our winter appeal: 2,000 warm meals by January · Riverside Food Bank');
    expect(await page.locator('h1').textContent()).toBe('Our winter appeal: 2,000 warm meals by January');
    expect(await page.locator('.byline').textContent()).toContain('By Jonas Weber');
    expect(await page.locator('.byline time').getAttribute('datetime')).toBe('2026-12-03T07:00:05.000Z');
    const cover = page.locator('figure.cover img');
    expect(await cover.getAttribute('alt')).toBe(COVER_ALT);
    expect(await cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1200);
    expect(await page.locator('meta[property="og:image:alt"]').getAttribute('content')).toBe(COVER_ALT);
    expect(await page.locator('meta[name="twitter:image:alt"]').getAttribute('content')).toBe(COVER_ALT);
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toBe(
      'https://example.org/journal/media/winter-appeal/winter-appeal-cover.png',
    );
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(
      'https://example.org/journal/posts/winter-appeal/',
    );
    // The post's link to /posts/welcome/ follows the base path.
    expect(await page.getByRole('link', { name: 'our first post' }).getAttribute('href')).toBe(
      `${BASE}/posts/welcome/`,
    );
    await page.screenshot({ path: join(SHOTS, 'post.png'), fullPage: true });
    await page.close();
  });

  it('keeps links to the site relative and leaves other links alone, in plain Markdown too', async () => {
    const page = await context.newPage();
    await page.goto(`${site.origin}${BASE}/posts/notes/volunteer-evening/`);
    expect(await page.getByRole('link', { name: 'winter appeal' }).getAttribute('href')).toBe(
      `${BASE}/posts/winter-appeal/`,
    );
    expect(await page.getByRole('link', { name: 'the city page' }).getAttribute('href')).toBe(
      'https://city.example/food',
    );
    expect(await page.locator('.byline').textContent()).toContain('By Riverside Food Bank team');
    await page.close();
  });

  it('serves the RSS feed of released posts', async () => {
    const page = await context.newPage();
    const feed = await page.request.get(`${site.origin}${BASE}/rss.xml`);
    const xml = await feed.text();
    expect(xml).toContain('<link>https://example.org/journal/posts/winter-appeal/</link>');
    expect(xml).toContain('<pubDate>Thu, 03 Dec 2026 07:00:05 GMT</pubDate>');
    expect(xml).not.toContain('welcome');
    await page.close();
  });

  it('answers an unreleased post with the 404 page', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${site.origin}${BASE}/posts/welcome/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    await page.close();
  });

  it('reads well on a phone, in dark mode too: no sideways scrolling', async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${site.origin}${BASE}/posts/winter-appeal/`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const fontSize = await page
      .locator('.prose p')
      .first()
      .evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(16);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(21, 23, 26)');
    await page.screenshot({ path: join(SHOTS, 'post-phone-dark.png'), fullPage: true });
    await page.goto(`${site.origin}${BASE}/tags/news/`);
    expect(await page.locator('.archive a').allTextContents()).toEqual(['A volunteer evening']);
    await page.close();
  });
});
