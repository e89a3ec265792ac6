import { describe, expect, it } from 'vitest';
import { measureFor } from './channels.ts';
import { checkBodyImages, checkDuplicateIds, checkLengths, type ImageFact } from './check-items.ts';
import { composeParts } from './compose.ts';
import type { PostItem, SocialItem } from './item.ts';

const item = (text: string): SocialItem => ({
  id: 'social/a-rather-long-campaign-name/with/slashes',
  kind: 'social',
  file: 'content/social/a.md',
  publishAt: 0,
  draft: false,
  staleAfterMs: null,
  channels: ['x', 'mastodon', 'bluesky'],
  parts: [{ text, at: { line: 5, col: 1 } }],
  overrides: {},
  images: [],
});

const TEXTS = [
  'New: https://example.org/posts/a. And https://www.example.org/p?ref=nl#top, then https://other.org/x',
  '(see https://example.org/posts/a_(b)) and example.org/posts/bare',
  'Ünïcode 日本 👨‍👩‍👧 https://example.org/',
];

describe('checkLengths', () => {
  it('measures the text as sent, links tagged, on X and Mastodon too', () => {
    // Tagging leaves most links one link, 23 long on both...
    for (const channel of ['x', 'mastodon'] as const) {
      for (const text of TEXTS) {
        const tagged = composeParts(item(text), channel, { siteUrl: 'https://example.org', utm: true })[0]!.text;
        expect(tagged, text).not.toBe(text);
        expect(measureFor(channel, tagged).length, `${channel}: ${text}`).toBe(measureFor(channel, text).length);
      }
    }
    // ...inside brackets too: the tags go into the span X links, before the "]".
    const text = `${'a'.repeat(190)} [https://example.org/posts/a/]`;
    expect(checkLengths({ ...item(text), channels: ['x'] }, { siteUrl: 'https://example.org', utm: true })).toEqual([]);
  });

  it('warns, naming the network and what to write, when a link to the site stays untagged', () => {
    const problems = checkLengths(
      { ...item('Read https://example.org/posts/a見て'), channels: ['x', 'mastodon', 'bluesky'] },
      { siteUrl: 'https://example.org', utm: true },
    );
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 5,
        message: expect.stringMatching(
          /^a link to the site stays untagged on X: X makes only "https:\/\/example.org\/posts\/a" a link and leaves "見て" after it as text.*put a space after the link/,
        ),
      }),
    ]);
  });

  it('reports a character X refuses, where the post is', () => {
    const problems = checkLengths(
      { ...item('Hello\uFEFF world'), channels: ['x', 'mastodon'] },
      { siteUrl: 'https://example.org', utm: true },
    );
    expect(problems).toEqual([
      {
        file: 'content/social/a.md',
        line: 5,
        col: 1,
        severity: 'error',
        message:
          'the post cannot be sent to X: it contains U+FEFF (zero width no-break space, often a stray byte order mark) after "Hello", and X refuses any post that holds one; delete that invisible character',
      },
    ]);
  });

  it('counts the UTM tags on Bluesky, where links count in full', () => {
    // 272 graphemes fit everywhere; the tags (about 90 more) push it over Bluesky's 300.
    const text = `${'a'.repeat(250)} https://example.org/p`;
    expect(measureFor('bluesky', text).ok).toBe(true);
    const problems = checkLengths(item(text), { siteUrl: 'https://example.org', utm: true });
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^the post is too long for Bluesky: \d+ graphemes, the limit is 300/),
    ]);
    expect(checkLengths(item(text), { siteUrl: 'https://example.org', utm: false })).toEqual([]);
  });
});

describe('checkDuplicateIds', () => {
  const at = { line: 2, col: 5 };
  const item = (file: string, id: string, draft = false) => ({ id, file, draft });

  it("holds only a draft that declares a scheduled item's id, never the item (no hostage)", () => {
    const problems = checkDuplicateIds(
      [item('content/social/launch.md', 'social/launch'), item('content/social/copy.md', 'social/launch', true)],
      new Map([['content/social/copy.md', at]]),
    );
    expect(problems.map((p) => [p.file, p.line, p.message])).toEqual([
      [
        'content/social/copy.md',
        2,
        'duplicate id "social/launch": content/social/launch.md has it already and keeps it; give this file another id',
      ],
    ]);
  });

  it('keeps the id with the file it comes from when a newcomer declares it with id:', () => {
    const problems = checkDuplicateIds(
      [item('content/social/launch.md', 'social/launch'), item('content/social/new.md', 'social/launch')],
      new Map([['content/social/new.md', at]]),
    );
    expect(problems.map((p) => p.file)).toEqual(['content/social/new.md']);
  });

  it('holds every file when nothing tells the newcomer apart', () => {
    const problems = checkDuplicateIds(
      [item('content/social/a.md', 'launch-day'), item('content/social/b.md', 'launch-day')],
      new Map([
        ['content/social/a.md', at],
        ['content/social/b.md', at],
      ]),
    );
    expect(problems.map((p) => p.file)).toEqual(['content/social/a.md', 'content/social/b.md']);
  });
});

describe('checkBodyImages', () => {
  const image = (src: string, path: string | null, line: number) => ({ src, path, alt: '', at: { line, col: 1 } });
  const post = {
    kind: 'post',
    file: 'content/posts/meals.mdx',
    bodyImages: [
      image('./chart.png', 'content/posts/chart.png', 9),
      image('./gone.png', 'content/posts/gone.png', 10),
      image('/logo.png', 'public/logo.png', 11),
      image('./linked.png', 'content/posts/linked.png', 12),
      image('/clip.mp4', 'public/clip.mp4', 13),
      image('../../../x.png', null, 14),
    ],
  } as unknown as PostItem;
  const facts = new Map<string, ImageFact>([
    ['content/posts/chart.png', { kind: 'file', bytes: 10, type: 'png' }],
    ['content/posts/gone.png', { kind: 'missing' }],
    ['content/posts/linked.png', { kind: 'link' }],
    ['public/clip.mp4', { kind: 'file', bytes: 10, type: null }],
  ]);

  it('holds a post whose body shows a file the repository does not store, at its line', () => {
    const problems = checkBodyImages(post, facts);
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [10, 'error'],
      [11, 'error'],
      [12, 'error'],
    ]);
    expect(problems[0]!.message).toBe('image "./gone.png" not found (looked for content/posts/gone.png)');
    // An address the page loads is served from public/: say so, and how to show a file beside the post.
    expect(problems[1]!.message).toContain('not found (looked for public/logo.png, the folder the site serves;');
    expect(problems[1]!.message).toContain('![alt](./picture.png)');
    expect(problems[2]!.message).toContain('is a symbolic link');
  });
});
