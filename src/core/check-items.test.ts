import { describe, expect, it } from 'vitest';
import { measureFor } from './channels.ts';
import { checkDuplicateIds, checkLengths } from './check-items.ts';
import { composeParts } from './compose.ts';
import type { SocialItem } from './item.ts';

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
