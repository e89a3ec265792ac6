import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocalTime, noticeText, readingMinutes, tagSlug } from '../../src/site/format.ts';
import { imageSize } from '../../src/site/image-size.ts';
import { siteAddress } from '../../src/site/site-config.ts';
import { siteHref, withBase } from '../../src/site/site-links.ts';
import { escapeGlob } from '../../src/site/strict-glob.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

describe('siteAddress', () => {
  it('splits site.url into Astro site and base', () => {
    expect(siteAddress('https://example.org')).toEqual({ origin: 'https://example.org', base: '/' });
    expect(siteAddress('https://user.github.io/repo')).toEqual({ origin: 'https://user.github.io', base: '/repo' });
    expect(siteAddress('https://user.github.io/repo/')).toEqual({ origin: 'https://user.github.io', base: '/repo' });
  });
});

describe('siteHref: links inside posts', () => {
  const root = siteAddress('https://example.org');
  const project = siteAddress('https://user.github.io/repo');

  it('keeps links to the site relative, under the base path', () => {
    expect(siteHref('/posts/welcome/', root)).toBe('/posts/welcome/');
    expect(siteHref('/posts/welcome/', project)).toBe('/repo/posts/welcome/');
    expect(siteHref('/repo/posts/welcome/', project)).toBe('/repo/posts/welcome/');
    expect(siteHref('/repository/x', project)).toBe('/repo/repository/x');
    expect(siteHref('https://example.org/posts/welcome/?a=1#top', root)).toBe('/posts/welcome/?a=1#top');
    expect(siteHref('https://user.github.io/repo/posts/welcome/', project)).toBe('/repo/posts/welcome/');
  });

  it('leaves every other link exactly as written', () => {
    for (const href of [
      'https://city.example/food',
      'http://example.org.evil.test/',
      '//cdn.example/x.png',
      'mailto:hello@example.org',
      '#plan',
      '../welcome/',
      'welcome/',
      'https://user.github.io/other-repo/',
    ]) {
      expect(siteHref(href, href.includes('github') ? project : root)).toBe(href);
    }
  });

  it('joins pages with the base', () => {
    expect(withBase('/', root)).toBe('/');
    expect(withBase('/', project)).toBe('/repo/');
    expect(withBase('/rss.xml', project)).toBe('/repo/rss.xml');
  });
});

describe('format', () => {
  it('writes a moment in the site zone with its offset', () => {
    expect(formatLocalTime(Date.UTC(2026, 11, 3, 7, 0), 'Europe/Berlin', 'en')).toBe(
      'Thursday, December 3, 2026 at 08:00 GMT+1',
    );
    expect(noticeText({ kind: 'scheduled', at: Date.UTC(2026, 6, 1, 7, 30) }, 'Europe/Berlin', 'en').title).toBe(
      'Scheduled for Wednesday, July 1, 2026 at 09:30 GMT+2',
    );
    expect(noticeText({ kind: 'draft' }, 'UTC', 'en').title).toBe('Draft');
    expect(noticeText({ kind: 'unreleased', dueAt: 0, crisis: 'Floods' }, 'UTC', 'en').detail).toContain(
      'CRISIS: Floods',
    );
  });

  it('estimates reading time from the words, not the markup', () => {
    expect(readingMinutes('Hello.')).toBe(1);
    expect(readingMinutes(Array.from({ length: 690 }, () => 'word').join(' '))).toBe(3);
    expect(
      readingMinutes(`import Chart from '../chart.astro';\n\n<Chart data={[1, 2]} />\n\n${'word '.repeat(460)}`),
    ).toBe(2);
  });

  it('turns tags into addresses', () => {
    expect(tagSlug('Food banks')).toBe('food-banks');
    expect(tagSlug('  Ärzte & Co. ')).toBe('ärzte-co');
    expect(tagSlug('!!!')).toBe('tag');
  });
});

describe('imageSize', () => {
  it('reads PNG, GIF, JPEG and WebP sizes from their headers', () => {
    expect(imageSize(readFileSync(join(REPO_ROOT, 'content/posts/winter-appeal-cover.png')))).toEqual({
      width: 1200,
      height: 630,
    });
    expect(imageSize(Uint8Array.from([...Buffer.from('GIF89a'), 0x20, 0x03, 0x58, 0x02]))).toEqual({
      width: 800,
      height: 600,
    });
    const jpeg = Uint8Array.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0, 0, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0,
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 640, height: 480 });
    const webp = new Uint8Array(30);
    webp.set(Buffer.from('RIFF'), 0);
    webp.set(Buffer.from('WEBPVP8X'), 8);
    webp.set([0x1f, 0x03, 0x00, 0x57, 0x02, 0x00], 24);
    expect(imageSize(webp)).toEqual({ width: 800, height: 600 });
    expect(imageSize(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});

describe('escapeGlob', () => {
  it('makes a file name match only itself', () => {
    expect(escapeGlob('2026/[draft] launch (v2).mdx')).toBe('2026/\\[draft\\] launch \\(v2\\).mdx');
    expect(escapeGlob('a*b?c{d}.md')).toBe('a\\*b\\?c\\{d\\}.md');
  });
});
