import { describe, expect, it } from 'vitest';
import { findLinks, mapLinks } from './links.ts';

const urls = (text: string) => findLinks(text).map((l) => l.url);

describe('findLinks', () => {
  it('finds links with a scheme and gives their exact span', () => {
    const text = 'Read https://example.org/posts/launch today';
    const [link] = findLinks(text);
    expect(link).toEqual({ start: 5, end: 37, url: 'https://example.org/posts/launch', hasScheme: true });
    expect(text.slice(link!.start, link!.end)).toBe(link!.url);
    expect(urls('http://a.org and HTTPS://B.ORG/x')).toEqual(['http://a.org', 'HTTPS://B.ORG/x']);
  });
  it('finds bare domains with common top-level domains, marked as without scheme', () => {
    expect(findLinks('visit example.org')).toEqual([{ start: 6, end: 17, url: 'example.org', hasScheme: false }]);
    expect(urls('visit www.example.com/path, then news.example.co.uk')).toEqual([
      'www.example.com/path',
      'news.example.co.uk',
    ]);
  });
  it('does not take file names and abbreviations for links', () => {
    expect(urls('Built with node.js, e.g. for README.md and index.html at 3.14 speed')).toEqual([]);
  });
  it('does not take the domain of an e-mail address or a remote mention for a link', () => {
    expect(urls('write to me@example.org or @alice@mastodon.social')).toEqual([]);
  });
  it('leaves trailing punctuation out of the link', () => {
    expect(urls('See https://example.org/x.')).toEqual(['https://example.org/x']);
    expect(urls('Is it https://example.org/x?! Yes: example.org, then')).toEqual([
      'https://example.org/x',
      'example.org',
    ]);
    expect(urls('"https://example.org/q" and ’https://example.org/r’')).toEqual([
      'https://example.org/q',
      'https://example.org/r',
    ]);
    expect(urls('https://example.org/a;')).toEqual(['https://example.org/a']);
  });
  it('keeps balanced parentheses and drops a closing one the link did not open', () => {
    expect(urls('https://en.wikipedia.org/wiki/Mercury_(planet) is hot')).toEqual([
      'https://en.wikipedia.org/wiki/Mercury_(planet)',
    ]);
    expect(urls('(see https://example.org/x)')).toEqual(['https://example.org/x']);
    expect(urls('(see https://en.wikipedia.org/wiki/Mercury_(planet)).')).toEqual([
      'https://en.wikipedia.org/wiki/Mercury_(planet)',
    ]);
    expect(urls('https://example.org/x).')).toEqual(['https://example.org/x']);
  });
  it('keeps query strings and fragments', () => {
    expect(urls('https://example.org/p?a=1&b=2#top.')).toEqual(['https://example.org/p?a=1&b=2#top']);
  });
  it('stops at whitespace and angle brackets', () => {
    expect(urls('<https://example.org/x>')).toEqual(['https://example.org/x']);
    expect(urls('https://a.org\nhttps://b.org')).toEqual(['https://a.org', 'https://b.org']);
  });
});

describe('mapLinks', () => {
  it('rewrites every link and leaves the rest of the text untouched', () => {
    expect(mapLinks('a https://x.org. b example.org!', (l) => `<${l.url}>`)).toBe(
      'a <https://x.org>. b <example.org>!',
    );
    expect(mapLinks('no links here', () => 'X')).toBe('no links here');
  });
});

describe('findLinks word boundaries', () => {
  it('does not start a link in the middle of a word', () => {
    expect(findLinks('xhttps://example.org').map((l) => l.url)).not.toContain('https://example.org');
  });
});
