import { describe, expect, it } from 'vitest';
import { configSchema } from './config-schema.ts';
import type { Item } from './item.ts';
import { summarizeLedger, type LedgerRecord } from './ledger.ts';
import { escapeText, fenced, inlineCode, relativeTime } from './preview-format.ts';
import { renderPreview, type ItemChange, type PreviewInputs } from './preview.ts';
import { readItemText, type ItemFileKind } from './read-item.ts';
import { problem } from './problem.ts';

// Saturday 28 November 2026, 10:00 in Berlin.
const NOW = Date.parse('2026-11-28T09:00:00Z');
const config = configSchema.parse({
  site: { title: 'Riverside', url: 'https://example.org', timeZone: 'Europe/Berlin', author: 'Team' },
});
const ctx = {
  timeZone: 'Europe/Berlin',
  siteUrl: 'https://example.org',
  socialChannels: ['x', 'mastodon', 'bluesky'] as const,
  staleAfterMs: 6 * 3_600_000,
  defaultAuthor: 'Team',
};

function read(file: string, text: string): Item[] {
  const kind: ItemFileKind = file.startsWith('content/posts/') ? 'post' : 'social';
  const result = readItemText(file, kind, text, { ...ctx, socialChannels: [...ctx.socialChannels] });
  if (result.items.length === 0) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.items;
}

const social = (front: string, body: string) => `---\n${front}\n---\n${body}\n`;

function added(file: string, text: string): ItemChange {
  return {
    change: 'added',
    file,
    kind: file.startsWith('content/posts/') ? 'post' : 'social',
    before: null,
    after: read(file, text),
    afterText: text,
    problems: [],
  };
}

function preview(changes: ItemChange[], over: Partial<PreviewInputs> = {}): string {
  const items = changes.flatMap((c) => c.after ?? []);
  return renderPreview({ changes, config, now: NOW, items, ledger: summarizeLedger([]), base: 'origin/main', ...over });
}

const sent = (item: string, channel: string): LedgerRecord => ({
  v: 1,
  type: 'sent',
  item,
  channel,
  part: 0,
  parts: 1,
  remoteId: '1',
  url: `https://${channel}.example/1`,
  at: '2026-11-20T09:00:00Z',
  hash: '',
});

describe('preview formatting', () => {
  it('says when relative to now, in words', () => {
    expect(relativeTime(NOW + 3 * 86_400_000 - 30 * 60_000, NOW)).toBe('in 3 days');
    expect(relativeTime(NOW - 2 * 3_600_000, NOW)).toBe('2 hours ago');
    expect(relativeTime(NOW + 45 * 60_000, NOW)).toBe('in 45 minutes');
    expect(relativeTime(NOW + 20_000, NOW)).toBe('now');
    expect(relativeTime(NOW - 86_400_000 * 1.2, NOW)).toBe('29 hours ago');
  });

  it('escapes what Markdown would mangle, and keeps any text intact in a fence', () => {
    expect(escapeText('a *b* <i>x</i> @amira [c](d) #1 | e & f')).toBe(
      'a \\*b\\* \\<i\\>x\\</i\\> @\u200bamira \\[c\\](d) \\#1 \\| e &amp; f',
    );
    expect(inlineCode('a `b` c')).toBe('``a `b` c``');
    expect(fenced('see ```code```')).toBe('````text\nsee ```code```\n````');
  });
});

describe('renderPreview', () => {
  it('shows a new thread: when, where, each part per network with its length, images', () => {
    const text = social(
      'publishAt: 2026-12-01T13:00\nchannels: [x, bluesky]\nimages:\n  - src: ./chart.png\n    alt: Sign-ups per week, rising',
      'First part: https://example.org/posts/launch/\n\n---\n\nSecond part.',
    );
    const md = preview([
      added('content/social/launch.md', text),
      added(
        'content/posts/launch.mdx',
        '---\ntitle: Launch\ndescription: We launched\npublishAt: 2026-11-30T09:00\n---\nBody\n',
      ),
    ]);
    expect(md).toContain('This pull request adds 2 items, compared with `origin/main`.');
    expect(md).toContain('counted from Sat 2026-11-28 10:00 +01:00');
    expect(md).toContain('### `social/launch` · thread of 2 · new');
    expect(md).toContain('- **When:** Tue 2026-12-01 13:00 +01:00 (Europe/Berlin) · 2026-12-01 12:00 UTC · in 3 days');
    expect(md).toContain('- **Where:** X and Bluesky');
    expect(md).toContain('1. `./chart.png`, alt text: “Sign-ups per week, rising”');
    expect(md).toContain('<summary>X · thread of 2 · 35/280, 12/280</summary>');
    expect(md).toContain('**Part 1 of 2** · 35/280 weighted characters');
    expect(md).toContain(
      '```text\nFirst part: https://example.org/posts/launch/?utm_source=x&utm_medium=social&utm_campaign=social%2Flaunch\n```',
    );
    expect(md).toContain(
      'First part: https://example.org/posts/launch/?utm_source=bluesky&utm_medium=social&utm_campaign=social%2Flaunch',
    );
    expect(md).not.toContain('Mastodon');
    // In the order things go out: the post (30 Nov) before the thread (1 Dec).
    expect(md.indexOf('### `posts/launch`')).toBeLessThan(md.indexOf('### `social/launch`'));
    expect(md).not.toContain('[!WARNING]');
  });

  it('marks a text over the limit and shows it open', () => {
    const md = preview([
      added('content/social/long.md', social('publishAt: 2026-12-01T10:00\nchannels: [x, mastodon]', 'a'.repeat(290))),
    ]);
    expect(md).toContain('<details open>\n<summary>X · 1 post · ❌ 290/280</summary>');
    expect(md).toContain('❌ 290/280 weighted characters: 10 over the limit');
    expect(md).toContain('<details>\n<summary>Mastodon · 1 post · 290/500</summary>');
  });

  it('marks a text X refuses whatever its length, and says why', () => {
    const md = preview([
      added(
        'content/social/bom.md',
        social('publishAt: 2026-12-01T10:00\nchannels: [x, mastodon]', 'Hello\uFEFF world'),
      ),
    ]);
    expect(md).toContain('<details open>\n<summary>X · 1 post · ❌ 13/280, refused</summary>');
    expect(md).toContain('❌ 13/280 weighted characters; X refuses it: it contains U+FEFF');
    expect(md).toContain('<details>\n<summary>Mastodon · 1 post · 12/500</summary>');
  });

  it('shows a blog post with its announcement, which waits for the post', () => {
    const text =
      '---\ntitle: "Winter *appeal*"\ndescription: Warm meals\npublishAt: 2026-12-03T08:00\ncover:\n  src: ./cover.png\n  alt: A winter sun\nannounce:\n  x: "It is live: {url}"\n---\nBody\n';
    const md = preview([added('content/posts/winter.mdx', text)]);
    expect(md).toContain('### `posts/winter` · blog post · new');
    expect(md).toContain('- **Title:** Winter \\*appeal\\*');
    expect(md).toContain('- **Address:** <https://example.org/posts/winter/>');
    expect(md).toContain('- **When:** Thu 2026-12-03 08:00 +01:00 (Europe/Berlin) · 2026-12-03 07:00 UTC · in 5 days');
    expect(md).toContain('- **Cover:** `./cover.png`, alt text: “A winter sun”');
    expect(md).toContain(
      '**Announcement** on X: goes out once the post is live (not before Thu 2026-12-03 08:00 +01:00).',
    );
    expect(md).toContain('<summary>X · announcement · 35/280</summary>');
    expect(md).toContain(
      'It is live: https://example.org/posts/winter/?utm_source=x&utm_medium=social&utm_campaign=posts%2Fwinter%2Fannounce',
    );
  });

  it('says a draft is not scheduled', () => {
    const md = preview([
      added('content/social/hours.md', social('draft: true\nchannels: [mastodon]', 'Opening hours')),
    ]);
    expect(md).toContain('- **When:** draft: not scheduled (set `publishAt` to schedule it)');
  });

  it('sums up an edit: time moved, text changed on one network, channels added and removed, alt text', () => {
    const before = social(
      'publishAt: 2026-12-01T09:30\nchannels: [x, mastodon]\nimages:\n  - src: ./a.png\n    alt: Old alt',
      'Hello',
    );
    const after = social(
      'publishAt: 2026-12-02T10:00\nchannels: [x, bluesky]\nimages:\n  - src: ./a.png\n    alt: New alt\nx:\n  text: Hello X',
      'Hello',
    );
    const file = 'content/social/hello.md';
    const md = preview([
      { change: 'edited', file, kind: 'social', before: read(file, before), after: read(file, after), problems: [] },
    ]);
    expect(md).toContain('### `social/hello` · social post · edited');
    expect(md).toContain(
      '- **Changed:** time moved from Tue 2026-12-01 09:30 +01:00 to Wed 2026-12-02 10:00 +01:00; channels added: Bluesky; channels removed: Mastodon; text changed on X; alt text changed for `./a.png`',
    );
  });

  it('says when an edit changes nothing that is published, and notes a rename', () => {
    const text = social('id: social/kept\npublishAt: 2026-12-01T09:30', 'Same');
    const md = preview([
      {
        change: 'edited',
        file: 'content/social/new-name.md',
        previousFile: 'content/social/old-name.md',
        kind: 'social',
        before: read('content/social/old-name.md', text),
        after: read('content/social/new-name.md', `${text}\n`),
        problems: [],
      },
    ]);
    expect(md).toContain('- **Changed:** renamed from `content/social/old-name.md`');
    const same = preview([
      {
        change: 'edited',
        file: 'content/social/a.md',
        kind: 'social',
        before: read('content/social/a.md', text),
        after: read('content/social/a.md', text),
        problems: [],
      },
    ]);
    expect(same).toContain('- **Changed:** no change to what is published (formatting only)');
  });

  it('says what changed in a blog post: title, body, cover alt text, announcement', () => {
    const file = 'content/posts/p.mdx';
    const before =
      '---\ntitle: Old\ndescription: d\npublishAt: 2026-12-01T10:00\ncover:\n  src: ./c.png\n  alt: Old alt\nannounce:\n  x: "Read {url}"\n---\nBody\n';
    const after = before
      .replace('title: Old', 'title: New')
      .replace('Old alt', 'New alt')
      .replace('Read {url}', 'Read it: {url}')
      .replace('Body', 'Body, longer');
    const md = preview([
      {
        change: 'edited',
        file,
        kind: 'post',
        before: read(file, before),
        after: read(file, after),
        beforeText: before,
        afterText: after,
        problems: [],
      },
    ]);
    expect(md).toContain(
      '- **Changed:** title changed; post text changed; cover alt text changed for `./c.png`; announcement text changed on X',
    );
  });

  it('says an edited item is already published, without warning about its past time', () => {
    const file = 'content/social/old.md';
    const text = social('publishAt: 2026-11-20T10:00\nchannels: [x]', 'Old news');
    const md = preview(
      [
        {
          change: 'edited',
          file,
          kind: 'social',
          before: read(file, text),
          after: read(file, text.replace('Old', 'Older')),
          problems: [],
        },
      ],
      { ledger: summarizeLedger([sent('social/old', 'x')]) },
    );
    expect(md).toContain(
      '- **Already published** on X (per the ledger): editing the file neither changes nor resends those posts.',
    );
    expect(md).not.toContain('in the past');
  });

  it('warns when a published file is renamed without an id: the ledger knows it by its old id', () => {
    const text = social('publishAt: 2026-11-20T10:00\nchannels: [x]', 'Old news');
    const md = preview(
      [
        {
          change: 'edited',
          file: 'content/social/new.md',
          previousFile: 'content/social/old.md',
          kind: 'social',
          before: read('content/social/old.md', text),
          after: read('content/social/new.md', text.replace('Old', 'Older')),
          problems: [],
        },
      ],
      {
        ledger: summarizeLedger([sent('social/old', 'x')]),
      },
    );
    expect(md).toContain(
      '- ⚠️ it is already published on X as `social/old`, and its id changes to `social/new`: the publisher recognises it only while its text and images stay exactly the same, otherwise it sends it again; add `id: social/old` to its front matter to keep it',
    );
  });

  it('tells a removed item that is live to be retracted, and one that never went out that nothing goes out', () => {
    const live = 'content/social/2026-11-27-happy-friday.md';
    const never = 'content/social/holiday.md';
    const md = preview(
      [
        {
          change: 'removed',
          file: live,
          kind: 'social',
          before: read(live, social('publishAt: 2026-11-27T09:30\nchannels: [x, bluesky]', 'Happy Friday!')),
          after: null,
          problems: [],
        },
        {
          change: 'removed',
          file: never,
          kind: 'social',
          before: read(never, social('draft: true\nchannels: [mastodon]', 'Holiday hours')),
          after: null,
          problems: [],
        },
      ],
      {
        ledger: summarizeLedger([
          sent('social/2026-11-27-happy-friday', 'x'),
          sent('social/2026-11-27-happy-friday', 'bluesky'),
        ]),
      },
    );
    expect(md).toContain('This pull request removes 2 items');
    expect(md).toContain('### `social/2026-11-27-happy-friday` · social post · removed');
    expect(md).toContain('It was scheduled for Fri 2026-11-27 09:30 +01:00 (Europe/Berlin), for X and Bluesky.');
    expect(md).toContain(
      '> **Already published** on X and Bluesky (per the ledger) — deleting the file does not delete the posts; use `postgate retract social/2026-11-27-happy-friday`.',
    );
    expect(md).toContain('### `social/holiday` · social post · removed');
    expect(md).toContain('It was a draft, for Mastodon.');
    expect(md).toContain('It was never published: nothing of it goes out now.');
    expect(md).toContain('> 1 warning below');
  });

  it('counts a released blog post as published when its file is removed', () => {
    const file = 'content/posts/old.mdx';
    const md = preview(
      [
        {
          change: 'removed',
          file,
          kind: 'post',
          before: read(file, '---\ntitle: Old\ndescription: d\npublishAt: 2026-11-01T10:00\n---\nBody\n'),
          after: null,
          problems: [],
        },
      ],
      {
        ledger: summarizeLedger([sent('posts/old', 'blog')]),
      },
    );
    expect(md).toContain(
      '**Already published** on the blog (per the ledger) — deleting the file does not delete the posts; use `postgate retract posts/old`.',
    );
  });
});

describe('renderPreview warnings', () => {
  const warn = (md: string) => md.split('\n').filter((l) => l.startsWith('- ⚠️') || l.startsWith('- ❌'));

  it('warns about a weekend night', () => {
    const md = preview([added('content/social/late.md', social('publishAt: 2026-12-05T23:00', 'Late'))]);
    expect(warn(md)).toEqual([
      '- ⚠️ goes out on a Saturday at 23:00 (Europe/Berlin): at the weekend and at night (before 07:00 or from 21:00), when fewer people read and nobody may be there to answer; is that intended?',
    ]);
    expect(md).toContain('> [!WARNING]\n> 1 warning below: read them before approving.');
    const early = preview([added('content/social/early.md', social('publishAt: 2026-12-01T06:30', 'Early'))]);
    expect(warn(early)[0]).toContain(
      'goes out on a Tuesday at 06:30 (Europe/Berlin): at night (before 07:00 or from 21:00)',
    );
  });

  it('warns about a time in the past: sent at once within its window, never beyond it', () => {
    const soon = preview([added('content/social/soon.md', social('publishAt: 2026-11-28T09:30', 'Soon'))]);
    expect(warn(soon)).toContain(
      '- ⚠️ the publish time is in the past (30 minutes ago): it goes out at the first publish run after merging',
    );
    const stale = preview([added('content/social/stale.md', social('publishAt: 2026-11-26T09:30', 'Stale'))]);
    expect(warn(stale)).toContain(
      '- ⚠️ the publish time is in the past (2 days ago), beyond its 6h window: it will not be sent at all (stale); choose a time to come',
    );
  });

  it('warns about links to posts that do not exist, are drafts, or go live later', () => {
    const posts = [
      added('content/posts/later.mdx', '---\ntitle: Later\ndescription: d\npublishAt: 2026-12-10T09:00\n---\nBody\n'),
      added('content/posts/draft.mdx', '---\ntitle: Draft\ndescription: d\ndraft: true\n---\nBody\n'),
    ];
    const item = added(
      'content/social/links.md',
      social(
        'publishAt: 2026-12-01T10:00\nchannels: [x]',
        'See https://example.org/posts/nope/ and https://example.org/posts/later/ and https://www.example.org/posts/draft/ and https://other.org/posts/nope/',
      ),
    );
    const md = preview([item], { items: [...item.after!, ...posts.flatMap((p) => p.after!)] });
    expect(warn(md)).toEqual([
      '- ⚠️ links to `https://example.org/posts/nope/`, but the site has no post `nope` (no content/posts/nope.mdx or .md): the link leads nowhere',
      '- ⚠️ links to `https://example.org/posts/later/`, but that post goes live only at Thu 2026-12-10 09:00 +01:00, 9 days after this: the link leads nowhere until then',
      '- ⚠️ links to `https://www.example.org/posts/draft/`, but that post is a draft: the link leads nowhere until it is published',
    ]);
  });

  it('finds links to posts in a blog post body, relative or absolute, and does not count a released post as missing', () => {
    const body =
      'Read [the appeal](/posts/appeal/), <a href="https://example.org/posts/old/">old</a> and [nothing](/posts/none/).';
    const post = added(
      'content/posts/new.mdx',
      `---\ntitle: New\ndescription: d\npublishAt: 2026-12-01T10:00\n---\n${body}\n`,
    );
    const appeal = read(
      'content/posts/appeal.mdx',
      '---\ntitle: Appeal\ndescription: d\npublishAt: 2026-12-03T08:00\n---\nBody\n',
    );
    const old = read(
      'content/posts/old.mdx',
      '---\ntitle: Old\ndescription: d\npublishAt: 2026-12-20T08:00\n---\nBody\n',
    );
    // The old post's time says 20 December, but the ledger says it went live already.
    const md = preview([post], {
      items: [...post.after!, ...appeal, ...old],
      ledger: summarizeLedger([{ ...sent('posts/old', 'blog'), at: '2026-11-01T08:00:00Z' }]),
    });
    expect(warn(md)).toEqual([
      '- ⚠️ links to `/posts/appeal/`, but that post goes live only at Thu 2026-12-03 08:00 +01:00, 2 days after this: the link leads nowhere until then',
      '- ⚠️ links to `/posts/none/`, but the site has no post `none` (no content/posts/none.mdx or .md): the link leads nowhere',
    ]);
  });

  it("lists check's problems for the file, located, errors first, and counts them", () => {
    const change = added('content/social/bad.md', social('publishAt: 2026-12-01T10:00\nchannels: [x]', 'Hi'));
    change.problems = [
      problem(change.file, { line: 3, col: 1 }, 'warning', 'x text is set but <x> is off'),
      problem(
        change.file,
        { line: 5, col: 1 },
        'error',
        'the post is too long for X: 300 weighted characters, the limit is 280',
      ),
    ];
    const md = preview([change]);
    expect(warn(md)).toEqual([
      '- ❌ **error** at line 5, col 1: the post is too long for X: 300 weighted characters, the limit is 280',
      '- ⚠️ **warning** at line 3, col 1: x text is set but \\<x\\> is off',
    ]);
    expect(md).toContain(
      '> [!CAUTION]\n> 1 error and 1 warning below: read them before approving. A file with errors is held: nothing of it goes out until they are fixed.',
    );
  });

  it('shows a file that cannot be read, with its errors', () => {
    const file = 'content/social/broken.md';
    const md = preview([
      {
        change: 'added',
        file,
        kind: 'social',
        before: null,
        after: [],
        problems: [problem(file, { line: 1, col: 1 }, 'error', 'expected front matter')],
      },
    ]);
    expect(md).toContain('### `social/broken` · social draft · new');
    expect(md).toContain('This version of the file cannot be read, so nothing of it goes out until it is fixed.');
    expect(md).toContain('- ❌ **error** at line 1, col 1: expected front matter');
  });

  it('says when a pull request changes no content', () => {
    expect(preview([])).toContain(
      'This pull request changes no blog post or social draft (compared with `origin/main`): it publishes nothing new.',
    );
  });
});
