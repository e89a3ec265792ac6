import { describe, expect, it } from 'vitest';
import type { PostItem, SocialItem } from './item.ts';
import { readItemText, type ItemContext } from './read-item.ts';
import { localStamp, postTemplate, slugify, socialTemplate } from './templates.ts';

const ctx: ItemContext = {
  timeZone: 'Europe/Berlin',
  siteUrl: 'https://example.org',
  socialChannels: ['x', 'mastodon', 'bluesky'],
  staleAfterMs: 6 * 3_600_000,
  defaultAuthor: 'The editors',
};

describe('slugify', () => {
  it('makes a lowercase ASCII slug, dropping accents and punctuation', () => {
    expect(slugify('Ünïcode & Co: Launch!')).toBe('unicode-co-launch');
    expect(slugify('  --Hello,   World--  ')).toBe('hello-world');
    expect(slugify('Ten Tips for 2027')).toBe('ten-tips-for-2027');
  });
  it('caps the slug at 60 characters without a trailing dash', () => {
    const slug = slugify(`${'a'.repeat(59)} bcdef`);
    expect(slug).toBe('a'.repeat(59));
    expect(slugify('word '.repeat(30)).length).toBeLessThanOrEqual(60);
    expect(slugify('word '.repeat(30))).not.toMatch(/-$/);
  });
  it('falls back to "untitled" when nothing is left', () => {
    expect(slugify('日本語')).toBe('untitled');
    expect(slugify('!!!')).toBe('untitled');
    expect(slugify('')).toBe('untitled');
  });
});

describe('localStamp', () => {
  it('writes the local time in the form people type, in the site zone', () => {
    expect(localStamp(Date.UTC(2026, 11, 1, 8, 30), 'Europe/Berlin')).toBe('2026-12-01T09:30');
    expect(localStamp(Date.UTC(2026, 6, 1, 3, 5), 'America/New_York')).toBe('2026-06-30T23:05');
  });
});

describe('postTemplate', () => {
  const read = (title: string) =>
    readItemText(
      'content/posts/new.mdx',
      'post',
      postTemplate({
        title,
        publishAt: localStamp(Date.UTC(2026, 11, 1, 8, 30), ctx.timeZone),
        author: 'Ann "A." Lee',
      }),
      ctx,
    );

  it('is a valid draft post as written', () => {
    const { items, problems } = read('Launch day');
    expect(problems).toEqual([]);
    expect(items).toHaveLength(1);
    const post = items[0] as PostItem;
    expect(post).toMatchObject({
      kind: 'post',
      draft: true,
      title: 'Launch day',
      author: 'Ann "A." Lee',
      publishAt: Date.UTC(2026, 11, 1, 8, 30),
    });
    expect(post.description).toContain('Launch day');
  });
  it('stays valid whatever characters the title holds', () => {
    for (const title of [
      'He said "hi": part #1',
      'Back\\slash',
      "it's",
      '- dash',
      '---',
      '{url} & <b>',
      'Ünïcode 日本語 👍',
      'Line\nbreak',
    ]) {
      const { items, problems } = read(title);
      expect(problems, JSON.stringify(title)).toEqual([]);
      expect((items[0] as PostItem).title, JSON.stringify(title)).toBe(title);
    }
  });
  it('shows the announce option in a form that works once uncommented', () => {
    const text = postTemplate({ title: 'He said "hi"', publishAt: '2026-12-01T09:30', author: 'Ann' }).replace(
      '# announce:',
      'announce:',
    );
    const { items, problems } = readItemText('content/posts/new.mdx', 'post', text, ctx);
    expect(problems).toEqual([]);
    expect(items.map((i) => i.kind)).toEqual(['post', 'announce']);
  });
});

describe('socialTemplate', () => {
  it('is a valid draft social post as written, on the channels given', () => {
    const text = socialTemplate({ publishAt: '2026-12-01T09:30', channels: ['x', 'bluesky'] });
    const { items, problems } = readItemText('content/social/2026-12-01-new.md', 'social', text, ctx);
    expect(problems).toEqual([]);
    const item = items[0] as SocialItem;
    expect(item).toMatchObject({
      kind: 'social',
      draft: true,
      channels: ['x', 'bluesky'],
      publishAt: Date.UTC(2026, 11, 1, 8, 30),
    });
    expect(item.parts).toHaveLength(1);
  });
  it('shows the X override in a form that works once uncommented', () => {
    const text = socialTemplate({ publishAt: '2026-12-01T09:30', channels: ['x'] }).replace('# x: {', 'x: {');
    const { items, problems } = readItemText('content/social/new.md', 'social', text, ctx);
    expect(problems).toEqual([]);
    expect((items[0] as SocialItem).overrides.x?.[0]?.text).toBe('Different text for X only');
  });
});

describe('slugify letters without a decomposition', () => {
  it('spells them out', () => {
    expect(slugify('Straße in Łódź, Ærø')).toBe('strasse-in-lodz-aero');
  });
});
