import { describe, expect, it } from 'vitest';
import { tagLink, tagLinks, type UtmContext } from './utm.ts';

const ctx: UtmContext = { siteUrl: 'https://example.org', channel: 'mastodon', campaign: 'social/launch' };
const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

describe('tagLink', () => {
  it('adds source, medium and campaign to links to the site', () => {
    const tagged = tagLink('https://example.org/posts/launch/', ctx);
    expect(new URL(tagged).pathname).toBe('/posts/launch/');
    expect(params(tagged)).toEqual({ utm_source: 'mastodon', utm_medium: 'social', utm_campaign: 'social/launch' });
  });
  it('URL-encodes the campaign', () => {
    const tagged = tagLink('https://example.org/p', { ...ctx, campaign: 'posts/a b&c' });
    expect(tagged).toContain('utm_campaign=posts%2Fa+b%26c');
    expect(params(tagged).utm_campaign).toBe('posts/a b&c');
  });
  it('ignores www. and letter case on either side', () => {
    expect(params(tagLink('https://www.example.org/p', ctx)).utm_source).toBe('mastodon');
    expect(params(tagLink('https://Example.ORG/p', { ...ctx, siteUrl: 'https://www.example.org' })).utm_source).toBe(
      'mastodon',
    );
  });
  it('keeps existing query parameters and the fragment', () => {
    const tagged = tagLink('https://example.org/p?ref=nl#comments', ctx);
    expect(params(tagged)).toMatchObject({ ref: 'nl', utm_medium: 'social' });
    expect(new URL(tagged).hash).toBe('#comments');
  });
  it('leaves alone a link whose writer set UTM parameters', () => {
    const url = 'https://example.org/p?utm_campaign=spring';
    expect(tagLink(url, ctx)).toBe(url);
  });
  it('leaves other hosts, subdomains and unparsable links untouched', () => {
    for (const url of [
      'https://other.org/p',
      'https://blog.example.org/p',
      'https://example.org.evil.com/p',
      'not a url',
    ]) {
      expect(tagLink(url, ctx), url).toBe(url);
    }
  });
  it('tags nothing when the site address cannot be read', () => {
    expect(tagLink('https://example.org/p', { ...ctx, siteUrl: 'example' })).toBe('https://example.org/p');
  });
});

describe('tagLinks', () => {
  it('tags only the site links with a scheme and keeps the surrounding text', () => {
    const text = 'New: https://example.org/posts/a. Source: https://other.org/b (and example.org/posts/a)';
    const out = tagLinks(text, { ...ctx, channel: 'x' });
    expect(out).toBe(
      'New: https://example.org/posts/a?utm_source=x&utm_medium=social&utm_campaign=social%2Flaunch. ' +
        'Source: https://other.org/b (and example.org/posts/a)',
    );
  });
  it('leaves text without links unchanged', () => {
    expect(tagLinks('Just words, e.g. node.js.', ctx)).toBe('Just words, e.g. node.js.');
  });
});
