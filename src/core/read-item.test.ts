import { describe, expect, it } from 'vitest';
import type { AnnounceItem, PostItem, SocialItem } from './item.ts';
import { readItemText, type ItemContext } from './read-item.ts';

const HOUR = 3_600_000;
const ctx: ItemContext = {
  timeZone: 'Europe/Berlin',
  siteUrl: 'https://example.org',
  socialChannels: ['x', 'mastodon', 'bluesky'],
  staleAfterMs: 6 * HOUR,
  defaultAuthor: 'The editors',
};
const DEC1_0930 = Date.UTC(2026, 11, 1, 8, 30);

function readSocial(text: string, file = 'content/social/2026-12-01-launch.md') {
  const { items, problems } = readItemText(file, 'social', text, ctx);
  expect(problems).toEqual([]);
  expect(items).toHaveLength(1);
  return items[0] as SocialItem;
}

function readPost(text: string, file = 'content/posts/launch.mdx') {
  const { items, problems } = readItemText(file, 'post', text, ctx);
  expect(problems).toEqual([]);
  return items as [PostItem, AnnounceItem?];
}

describe('readItemText: social drafts', () => {
  it('reads a draft with the site defaults, its id derived from its path', () => {
    const item = readSocial('---\ndraft: true\n---\nHello world\n');
    expect(item).toMatchObject({
      id: 'social/2026-12-01-launch',
      kind: 'social',
      file: 'content/social/2026-12-01-launch.md',
      publishAt: null,
      draft: true,
      staleAfterMs: 6 * HOUR,
      channels: ['x', 'mastodon', 'bluesky'],
      overrides: {},
      images: [],
    });
    expect(item.parts).toEqual([{ text: 'Hello world', at: { line: 4, col: 1 } }]);
  });
  it('reads the schedule, channels, staleness and images it sets', () => {
    const item = readSocial(
      '---\npublishAt: 2026-12-01T09:30\nchannels: [bluesky, x]\nstaleAfter: 2h\nimages:\n  - src: ./chart.png\n    alt: A chart\n---\nText\n',
    );
    expect(item).toMatchObject({
      publishAt: DEC1_0930,
      draft: false,
      staleAfterMs: 2 * HOUR,
      channels: ['bluesky', 'x'],
    });
    expect(item.images).toEqual([
      { src: './chart.png', path: 'content/social/chart.png', alt: 'A chart', at: { line: 6, col: 10 } },
    ]);
    expect(readSocial('---\npublishAt: 2026-12-01T09:30\nstaleAfter: never\n---\nText').staleAfterMs).toBeNull();
  });
  it('reads the same file with CRLF line ends and a BOM', () => {
    const item = readSocial('\uFEFF---\r\npublishAt: 2026-12-01T08:30:00Z\r\n---\r\nHello\r\n');
    expect(item.publishAt).toBe(DEC1_0930);
    expect(item.parts[0]).toEqual({ text: 'Hello', at: { line: 4, col: 1 } });
  });
  it('splits a thread into parts located at their lines in the file', () => {
    const item = readSocial('---\npublishAt: 2026-12-01T09:30\n---\nOne\n\n---\n\nTwo\nstill two\n---\nThree\n');
    expect(item.parts.map((p) => p.text)).toEqual(['One', 'Two\nstill two', 'Three']);
    expect(item.parts.map((p) => p.at.line)).toEqual([4, 8, 11]);
  });
  it('reads a per-channel override, itself possibly a thread, pointing at its text', () => {
    const item = readSocial(
      '---\npublishAt: 2026-12-01T09:30\nx:\n  text: |\n    Short one\n    ---\n    Short two\n---\nThe long version\n',
    );
    expect(item.overrides.x?.map((p) => p.text)).toEqual(['Short one', 'Short two']);
    expect(item.overrides.x?.[0]?.at).toEqual({ line: 4, col: 9 });
    expect(item.overrides.mastodon).toBeUndefined();
    expect(item.parts.map((p) => p.text)).toEqual(['The long version']);
  });
  it('takes the id from front matter when it sets one', () => {
    expect(readSocial('---\nid: launch-2026\ndraft: true\n---\nHi').id).toBe('launch-2026');
  });
  it('warns, without failing, about a channel the site does not publish to', () => {
    const { items, problems } = readItemText(
      'content/social/a.md',
      'social',
      '---\ndraft: true\nchannels: [x, bluesky]\n---\nHi',
      {
        ...ctx,
        socialChannels: ['x'],
      },
    );
    expect(items).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 3,
        col: 15,
        message: expect.stringContaining('Bluesky is not among the channels'),
      }),
    ]);
  });
});

describe('readItemText: blog posts', () => {
  const HEAD = '---\ntitle: Launch\ndescription: We launched\npublishAt: 2026-12-01T09:30\n';

  it('reads a post, its id and slug derived from its path', () => {
    const [post, announce] = readPost(`${HEAD}tags: [news]\n---\n\nThe body.\n`);
    expect(announce).toBeUndefined();
    expect(post).toMatchObject({
      id: 'posts/launch',
      kind: 'post',
      slug: 'launch',
      title: 'Launch',
      description: 'We launched',
      tags: ['news'],
      author: 'The editors',
      publishAt: DEC1_0930,
      staleAfterMs: null,
      cover: null,
    });
  });
  it('brings along an announce item that links to the post on every site channel', () => {
    const [post, announce] = readPost(`${HEAD}announce: New on the blog\n---\nBody\n`);
    expect(announce).toMatchObject({
      id: 'posts/launch/announce',
      kind: 'announce',
      file: 'content/posts/launch.mdx',
      postId: post.id,
      publishAt: DEC1_0930,
      draft: false,
      staleAfterMs: 6 * HOUR,
      channels: ['x', 'mastodon', 'bluesky'],
    });
    expect(announce!.texts.x).toEqual({
      text: 'New on the blog\n\nhttps://example.org/posts/launch/',
      at: { line: 5, col: 11 },
    });
  });
  it('puts the link where {url} stands, per channel when announce is a mapping', () => {
    const [, announce] = readPost(`${HEAD}announce:\n  mastodon: "Read {url} now"\n  bluesky: Out now\n---\nBody\n`);
    expect(announce!.channels).toEqual(['mastodon', 'bluesky']);
    expect(announce!.texts.mastodon?.text).toBe('Read https://example.org/posts/launch/ now');
    expect(announce!.texts.bluesky?.text).toBe('Out now\n\nhttps://example.org/posts/launch/');
    expect(announce!.texts.x).toBeUndefined();
  });
  it('takes the id from front matter, for the post and its announcement', () => {
    const [post, announce] = readPost(`${HEAD}id: launch-2026\nannounce: Hi\n---\nBody\n`);
    expect(post.id).toBe('launch-2026');
    expect(post.slug).toBe('launch');
    expect(announce).toMatchObject({ id: 'launch-2026/announce', postId: 'launch-2026' });
  });
  it("keeps a draft post's announcement a draft too", () => {
    const [post, announce] = readPost(
      '---\ntitle: T\ndescription: D\ndraft: true\nannounce: Hi\n---\nBody\n',
      'content/posts/nested/t.md',
    );
    expect(post).toMatchObject({ id: 'posts/nested/t', draft: true, publishAt: null });
    expect(announce).toMatchObject({ draft: true, publishAt: null });
  });
  it('lists the files its body shows, on their file lines, and reports one outside the repository', () => {
    const [post] = readPost(`${HEAD}---\n\n![Chart](./chart.png)\n\n<img src="/logo.png" alt="Logo" />\n`);
    expect(post.bodyImages).toEqual([
      { src: './chart.png', path: 'content/posts/chart.png', alt: 'Chart', at: { line: 7, col: 1 } },
      { src: '/logo.png', path: 'public/logo.png', alt: 'Logo', at: { line: 9, col: 1 } },
    ]);
    const { problems } = readItemText('content/posts/launch.md', 'post', `${HEAD}---\n![A](../../../a.png)\n`, ctx);
    expect(problems).toMatchObject([
      { line: 6, col: 1, severity: 'error', message: expect.stringContaining('is outside the repository') },
    ]);
  });
});

describe('readItemText: front matter it refuses', () => {
  it('refuses JavaScript front matter at line 1 without running it', () => {
    const g = globalThis as { __pwned?: number };
    const text = "---js\n({ publishAt: (globalThis.__pwned = 1, '2026-12-01') })\n---\nHello\n";
    for (const kind of ['social', 'post'] as const) {
      const { items, problems } = readItemText('content/social/a.md', kind, text, ctx);
      expect(items).toEqual([]);
      expect(problems).toEqual([
        {
          file: 'content/social/a.md',
          line: 1,
          col: 4,
          severity: 'error',
          message: expect.stringContaining('line 1 marks the front matter as "js"'),
        },
      ]);
    }
    expect(g.__pwned).toBeUndefined();
  });
  it('refuses ---yaml, and a closing line that is not exactly "---", where they are', () => {
    const yamlTagged = readItemText('content/social/a.md', 'social', '---yaml\ndraft: true\n---\nHi', ctx);
    expect(yamlTagged.problems).toEqual([expect.objectContaining({ line: 1, col: 4, severity: 'error' })]);
    const dashes = readItemText('content/social/a.md', 'social', '---\ndraft: true\n----\nOne\n---\nTwo', ctx);
    expect(dashes.items).toEqual([]);
    expect(dashes.problems).toEqual([
      expect.objectContaining({ line: 3, col: 1, message: expect.stringContaining('that line is "----"') }),
    ]);
  });
  it('reads the same text afresh each time: changing one reading changes no other', () => {
    const text = '---\npublishAt: 2026-12-01T09:30\nchannels: [x, mastodon]\n---\nHello\n';
    const first = readSocial(text);
    first.channels.push('bluesky');
    first.parts[0]!.text = 'changed';
    const second = readSocial(text);
    expect(second.channels).toEqual(['x', 'mastodon']);
    expect(second.parts).toEqual([{ text: 'Hello', at: { line: 5, col: 1 } }]);
  });
});

describe('files the site would read otherwise than check', () => {
  const post = '---\ntitle: T\ndescription: D\npublishAt: 2026-12-01T09:30\n---\n\nBody.\n';
  it('refuses old Mac line ends (a lone CR), at the first one', () => {
    const { items, problems } = readItemText('content/posts/a.mdx', 'post', post.replaceAll('\n', '\r'), ctx);
    expect(items).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringMatching(/lone CR .* save it with LF/) }),
    ]);
    expect(readItemText('content/posts/a.mdx', 'post', post.replaceAll('\n', '\r\n'), ctx).problems).toEqual([]);
  });
  it('refuses a fence followed by a tab, which the site does not take for one', () => {
    const { problems } = readItemText('content/posts/a.mdx', 'post', post.replace('\n---\n\n', '\n---\t\n\n'), ctx);
    expect(problems[0]?.message).toMatch(/but that line is "---\\t": make it exactly "---"/);
  });
  it('refuses an upper-case extension, which the site never builds', () => {
    const { problems } = readItemText('content/posts/a.MDX', 'post', post, ctx);
    expect(problems).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/rename the file to end in \.mdx/) }),
    ]);
  });
});
