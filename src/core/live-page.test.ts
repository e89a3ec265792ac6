import { describe, expect, it } from 'vitest';
import { decodeEntities, pageShowsPost } from './live-page.ts';

/** A page as src/layouts/Base.astro and src/pages/posts/[...slug].astro write it (Astro escapes & < > " '). */
const escapeAsAstro = (text: string) =>
  text.replace(/[&<>'"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' })[c]!);
const postPage = (title: string, site = 'Riverside Food Bank') =>
  `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeAsAstro(title)} · ${escapeAsAstro(site)}</title>` +
  `<meta property="og:title" content="${escapeAsAstro(title)}"></head><body><a class="site-title" href="/">${escapeAsAstro(site)}</a>` +
  `<main id="main"><article class="post" aria-labelledby="post-title"><header class="post-header">` +
  `<h1 id="post-title">${escapeAsAstro(title)}</h1><p class="lede">About it</p></header></article></main></body></html>`;
const notFound = postPage('Page not found').replace(
  '<p class="lede">About it</p>',
  '<p class="lede">There is no page at this address.</p>',
);

describe('pageShowsPost', () => {
  it('finds the title in the page the site renders for the post', () => {
    expect(pageShowsPost(postPage('Welcome to our new journal'), 'Welcome to our new journal')).toBe(true);
  });

  it('finds titles with & < > " \' and emoji, however they are escaped', () => {
    for (const title of [
      'Bread & butter: "what <we> learned" in the winter\'s appeal',
      'Fish & chips 🐟🍟 for 2,000 neighbours',
      'Ünïcödé café — naïve',
      'Tom’s “smart” quotes…',
    ])
      expect(pageShowsPost(postPage(title), title), title).toBe(true);
    // Numeric references, decimal and hex, and &apos;, as other writers escape.
    expect(
      pageShowsPost('<h1 id="post-title">Fish &#38; chips &#x1F41F; &apos;fresh&apos;</h1>', "Fish & chips 🐟 'fresh'"),
    ).toBe(true);
  });

  it("reads the post page's own heading, with attributes and markup in it; nothing else stands for it", () => {
    expect(
      pageShowsPost(
        '<html><body><h1 class="x" id="post-title" data-astro-cid-1><span>Bread</span> &amp; <em>butter</em></h1>',
        'Bread & butter',
      ),
    ).toBe(true);
    expect(pageShowsPost('<html><head><title>Bread &amp; butter</title></head></html>', 'Bread & butter')).toBe(false);
    expect(pageShowsPost('<h1 class="x">Bread &amp; butter</h1>', 'Bread & butter')).toBe(false);
    expect(pageShowsPost('<h2 id="post-title">Bread &amp; butter</h2>', 'Bread & butter')).toBe(false);
  });

  it('is false for a catch-all page whose heading merely contains the title (a home page answering every path)', () => {
    const home = '<title>Riverside Food Bank</title><h1 id="page-title">Riverside Food Bank</h1>';
    expect(pageShowsPost(home, 'Food Bank')).toBe(false);
    expect(pageShowsPost('<h1 id="post-title">Riverside Food Bank</h1>', 'Food Bank')).toBe(false);
  });

  it('reads a page shaped against patterns in one pass: unclosed tags by the hundred thousand', () => {
    const shaped = `${'<h1 '.repeat(250_000)}<h1 id="post-title">${'<'.repeat(100_000)}`;
    expect(pageShowsPost(shaped, 'Our winter appeal')).toBe(false);
    const long = `<h1 id="post-title">${'x'.repeat(10_000)}</h1>`;
    expect(pageShowsPost(long, 'x'.repeat(10_000))).toBe(false); // longer than any title: not read
  });

  it('collapses whitespace, no-break spaces and line breaks on both sides', () => {
    expect(pageShowsPost('<h1 id="post-title">\n  Our  winter&nbsp;appeal\n</h1>', 'Our winter appeal')).toBe(true);
    expect(pageShowsPost('<h1 id="post-title">Our winter appeal</h1>', '  Our   winter\u00a0appeal ')).toBe(true);
  });

  it('is false for another page: the 404 page, the home page, a parked domain', () => {
    expect(pageShowsPost(notFound, 'Welcome to our new journal')).toBe(false);
    expect(pageShowsPost(postPage('Welcome to our new journal'), 'Our winter appeal')).toBe(false);
    expect(pageShowsPost('<html><body>This domain is for sale</body></html>', 'Our winter appeal')).toBe(false);
    expect(pageShowsPost('', 'Our winter appeal')).toBe(false);
  });

  it('is false when the title shows only elsewhere: in the body, a meta tag, a comment or a script', () => {
    const title = 'Our winter appeal';
    expect(pageShowsPost(`<title>Riverside</title><p>${title}</p><h2>${title}</h2>`, title)).toBe(false);
    expect(pageShowsPost(`<meta property="og:title" content="${title}"><title>Riverside</title>`, title)).toBe(false);
    expect(pageShowsPost(`<!-- <h1>${title}</h1> --><title>Riverside</title>`, title)).toBe(false);
    expect(pageShowsPost(`<script>document.write("<h1>${title}</h1>")</script>`, title)).toBe(false);
  });

  it('does not take an escaped title for another: &amp;lt; is the text "&lt;", not "<"', () => {
    expect(pageShowsPost('<h1 id="post-title">a &amp;lt; b</h1>', 'a < b')).toBe(false);
    expect(pageShowsPost('<h1 id="post-title">a &amp;lt; b</h1>', 'a &lt; b')).toBe(true);
  });

  it('is false for an empty title: every page would show it', () => {
    expect(pageShowsPost(postPage('Anything'), '  ')).toBe(false);
  });
});

describe('decodeEntities', () => {
  it('decodes the named ones an HTML writer uses, and numeric ones', () => {
    expect(decodeEntities('&amp;&lt;&gt;&quot;&#39;&apos;&nbsp;&#233;&#xE9;&#X1F600;')).toBe("&<>\"''\u00a0éé😀");
  });

  it('leaves alone what it does not know, and numbers that are no character', () => {
    expect(decodeEntities('&copy; &bogus; &#0; &#xD800; &#x110000; & amp;')).toBe(
      '&copy; &bogus; &#0; &#xD800; &#x110000; & amp;',
    );
  });
});
