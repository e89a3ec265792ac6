import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH } from '../src/core/ledger.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { commentBody } from '../src/github/pr-comment.ts';
import { exampleRepoCopy, REPO_ROOT, runCli, runCliAsync } from './helpers/cli.ts';
import { pngBytes } from './helpers/images.ts';
import { MEALS, MEALS_CHART, MEALS_LOGO, MEALS_POST } from './helpers/meals-post.ts';

/**
 * `preview` on sample pull requests: small git repositories in temp folders, the example content
 * committed on main, a branch with the pull request's changes, and the real CLI. The important
 * lines are pinned exactly: times, lengths, warnings. The sticky comment runs against the fake GitHub.
 */
const NOW = '2026-11-28T09:00:00Z'; // Saturday, 10:00 in Berlin
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Intern',
  GIT_AUTHOR_EMAIL: 'intern@example.org',
  GIT_COMMITTER_NAME: 'Intern',
  GIT_COMMITTER_EMAIL: 'intern@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const THREAD = 'content/social/2026-12-02-signups-thread.md';
const FRIDAY = 'content/social/2026-11-27-happy-friday.md';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...GIT_ENV },
    encoding: 'utf8',
  });
}

/** The example content committed on main, and a branch `pr` checked out for the pull request. */
function baseRepo(): string {
  const dir = exampleRepoCopy();
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Base');
  git(dir, 'checkout', '-q', '-b', 'pr');
  return dir;
}

function write(dir: string, path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function commitAll(dir: string, message = 'Pull request'): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

const edit = (dir: string, path: string, change: (text: string) => string) =>
  write(dir, path, change(readFileSync(join(dir, path), 'utf8')));
const preview = (dir: string, args: string[] = [], env: Record<string, string> = {}) =>
  runCli(['preview', '--now', NOW, ...args], { cwd: dir, env: { ...GIT_ENV, ...env } });
/** The item's section of the Markdown: from its heading to the next one. */
const section = (md: string, id: string) => {
  const start = md.indexOf(`### \`${id}\``);
  if (start === -1) throw new Error(`no section for ${id} in:\n${md}`);
  const end = md.indexOf('\n### ', start + 1);
  return md.slice(start, end === -1 ? undefined : end);
};
const warnings = (text: string) => text.split('\n').filter((l) => l.startsWith('- ⚠️') || l.startsWith('- ❌'));

const PANTRY_THREAD = `---
publishAt: 2026-12-01T13:00
channels: [x, bluesky]
images:
  - src: ./volunteer-chart.png
    alt: Bar chart of pantry visits per week, rising from 120 to 310
---
Our second pantry is open. Hours and directions: https://example.org/posts/pantry-opening/

---

It is open on Tuesdays and Thursdays, 10:00 to 18:00. Bring a bag!
`;

const PANTRY_POST = `---
title: "The new pantry: open Tuesdays & Thursdays"
description: A second pantry, closer to the river. Opening hours and how to get there.
publishAt: 2026-12-01T09:00
tags: [news]
author: Amira Haddad
cover:
  src: ./winter-appeal-cover.png
  alt: Shelves of the new pantry, stocked with tins and bread
announce:
  x: "Our second pantry is open: {url}"
  mastodon: "Our second pantry opens on Tuesday, closer to the river."
---

The new pantry is at the river end of Mill Street.
`;

describe('preview of sample pull requests', () => {
  let dir: string;
  beforeEach(() => {
    dir = baseRepo();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('(a) shows a new thread with an image and a new blog post with its announcement', () => {
    write(dir, 'content/social/2026-12-01-pantry-thread.md', PANTRY_THREAD);
    write(dir, 'content/posts/pantry-opening.mdx', PANTRY_POST);
    commitAll(dir);
    const r = preview(dir, ['--base', 'main']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const md = r.stdout;
    expect(md).toContain(
      "This pull request adds 2 items, compared with `main`. Times are in Europe/Berlin (the site's time zone) and UTC, counted from Sat 2026-11-28 10:00 +01:00.",
    );
    expect(md).not.toContain('[!WARNING]');

    const post = section(md, 'posts/pantry-opening');
    expect(post).toContain('### `posts/pantry-opening` · blog post · new');
    expect(post).toContain('- **Title:** The new pantry: open Tuesdays &amp; Thursdays');
    expect(post).toContain(
      '- **Description:** A second pantry, closer to the river. Opening hours and how to get there.',
    );
    expect(post).toContain('- **Address:** <https://example.org/posts/pantry-opening/>');
    expect(post).toContain(
      '- **When:** Tue 2026-12-01 09:00 +01:00 (Europe/Berlin) · 2026-12-01 08:00 UTC · in 3 days',
    );
    expect(post).toContain('- **Where:** the blog');
    expect(post).toContain(
      '- **Cover:** `./winter-appeal-cover.png`, alt text: “Shelves of the new pantry, stocked with tins and bread”',
    );
    expect(post).toContain(
      '**Announcement** on X and Mastodon: goes out once the post is live (not before Tue 2026-12-01 09:00 +01:00).',
    );
    expect(post).toContain('<summary>X · announcement · 50/280</summary>');
    expect(post).toContain(
      '```text\nOur second pantry is open: https://example.org/posts/pantry-opening/?utm_source=x&utm_medium=social&utm_campaign=posts%2Fpantry-opening%2Fannounce\n```',
    );
    // Without {url}, the address is added at the end.
    expect(post).toContain('<summary>Mastodon · announcement · 81/500</summary>');
    expect(post).toContain(
      'Our second pantry opens on Tuesday, closer to the river.\n\nhttps://example.org/posts/pantry-opening/?utm_source=mastodon&utm_medium=social&utm_campaign=posts%2Fpantry-opening%2Fannounce',
    );

    const thread = section(md, 'social/2026-12-01-pantry-thread');
    expect(thread).toContain('### `social/2026-12-01-pantry-thread` · thread of 2 · new');
    expect(thread).toContain(
      '- **When:** Tue 2026-12-01 13:00 +01:00 (Europe/Berlin) · 2026-12-01 12:00 UTC · in 3 days',
    );
    expect(thread).toContain('- **Where:** X and Bluesky');
    expect(thread).toContain(
      '1. `./volunteer-chart.png`, alt text: “Bar chart of pantry visits per week, rising from 120 to 310”',
    );
    expect(thread).toContain('<summary>X · thread of 2 · 72/280, 66/280</summary>');
    expect(thread).toContain('**Part 1 of 2** · 72/280 weighted characters');
    expect(thread).toContain(
      'Our second pantry is open. Hours and directions: https://example.org/posts/pantry-opening/?utm_source=x&utm_medium=social&utm_campaign=social%2F2026-12-01-pantry-thread',
    );
    expect(thread).toContain(
      '**Part 2 of 2** · 66/280 weighted characters\n\n```text\nIt is open on Tuesdays and Thursdays, 10:00 to 18:00. Bring a bag!\n```',
    );
    // Bluesky counts the tagged link in full.
    expect(thread).toContain('<summary>Bluesky · thread of 2 · 174/300, 66/300</summary>');
    expect(thread).not.toContain('Mastodon');
    // The thread links to the post, which is live four hours before: no warning.
    expect(warnings(thread)).toEqual([]);
    // In the order they go out.
    expect(md.indexOf('### `posts/pantry-opening`')).toBeLessThan(md.indexOf('### `social/2026-12-01-pantry-thread`'));
  });

  it('(b) shows an edit of a scheduled item: the time moved, the text changed; and a rename', () => {
    edit(dir, THANKS, (t) =>
      t.replace('publishAt: 2026-12-01T09:30', 'publishAt: 2026-12-02T10:00').replace('48 volunteers', '52 volunteers'),
    );
    git(dir, 'mv', 'content/social/holiday-hours.md', 'content/social/2026-12-20-holiday-hours.md');
    commitAll(dir);
    const md = preview(dir, ['--base', 'main']).stdout;
    expect(md).toContain('This pull request edits 2 items, compared with `main`.');
    const thanks = section(md, 'social/2026-12-01-volunteer-thanks');
    expect(thanks).toContain('### `social/2026-12-01-volunteer-thanks` · social post · edited');
    expect(thanks).toContain(
      '- **When:** Wed 2026-12-02 10:00 +01:00 (Europe/Berlin) · 2026-12-02 09:00 UTC · in 4 days',
    );
    expect(thanks).toContain(
      '- **Changed:** time moved from Tue 2026-12-01 09:30 +01:00 to Wed 2026-12-02 10:00 +01:00; text changed on X, Mastodon and Bluesky',
    );
    expect(thanks).toContain('<summary>X · 1 post · 115/280</summary>');
    expect(thanks).toContain(
      '```text\nThank you to the 52 volunteers who sorted 3.2 tonnes of food last weekend. You are the reason the shelves are full.\n```',
    );
    expect(warnings(thanks)).toEqual([]);

    const renamed = section(md, 'social/2026-12-20-holiday-hours');
    expect(renamed).toContain('### `social/2026-12-20-holiday-hours` · social post · edited');
    expect(renamed).toContain(
      '- **Changed:** renamed from `content/social/holiday-hours.md`; id changed from `social/holiday-hours` to `social/2026-12-20-holiday-hours`',
    );
    expect(renamed).toContain('- **When:** draft: not scheduled (set `publishAt` to schedule it)');
  });

  it('(b) reads the base versions with the base config, and lists what a new time zone moves in unchanged files', () => {
    edit(dir, 'postgate.config.yaml', (t) => t.replace('timeZone: Europe/Berlin', 'timeZone: Europe/London'));
    edit(dir, THANKS, (t) => t.replace('48 volunteers', '52 volunteers'));
    commitAll(dir);
    const r = preview(dir, ['--base', 'main']);
    expect(r.status).toBe(0);
    const md = r.stdout;
    // The edited file: same wall time, now in London, so an hour later; read with Berlin's zone for the base.
    const thanks = section(md, 'social/2026-12-01-volunteer-thanks');
    expect(thanks).toContain(
      '- **Changed:** time moved from Tue 2026-12-01 08:30 +00:00 to Tue 2026-12-01 09:30 +00:00; text changed on X, Mastodon and Bluesky',
    );
    // A file the pull request did not touch, whose time the new zone moves.
    const thread = section(md, 'social/2026-12-02-signups-thread');
    expect(thread).toContain('### `social/2026-12-02-signups-thread` · thread of 4 · edited');
    expect(thread).toContain(
      '- **Changed:** the file is unchanged; postgate.config.yaml changes what it publishes; time moved from Wed 2026-12-02 12:00 +00:00 to Wed 2026-12-02 13:00 +00:00',
    );
    // A draft has no time to move: not listed.
    expect(md).not.toContain('holiday-hours');
  });

  it('(b) counts an image replaced in place as an edit of the items that send it', () => {
    const png = readFileSync(join(dir, 'content/social/volunteer-chart.png'));
    writeFileSync(join(dir, 'content/social/volunteer-chart.png'), Buffer.concat([png, Buffer.from('new chart')]));
    commitAll(dir);
    const md = preview(dir, ['--base', 'main']).stdout;
    expect(md).toContain('This pull request edits 1 item, compared with `main`.');
    expect(section(md, 'social/2026-12-02-signups-thread')).toContain(
      '- **Changed:** image file changed: `./volunteer-chart.png`',
    );
  });

  it("(b) counts a file a post's text shows, replaced in place (in public/ too), as an edit of the post", () => {
    for (const [path, content] of Object.entries({
      [MEALS]: MEALS_POST,
      [MEALS_CHART]: pngBytes(8, 8),
      [MEALS_LOGO]: pngBytes(8, 8),
    }))
      write(dir, path, content);
    commitAll(dir, 'Meals');
    git(dir, 'branch', '-f', 'main', 'HEAD'); // the post and its images are on main already
    write(dir, MEALS_LOGO, pngBytes(8, 8, 100));
    commitAll(dir);
    const md = preview(dir, ['--base', 'main']).stdout;
    expect(md).toContain('This pull request edits 1 item, compared with `main`.');
    expect(section(md, 'posts/meals')).toContain('- **Changed:** image file in the post text changed: `/logo.png`');
  });

  it('(c) shows deleted items: one already published says how to retract it, one never sent says nothing goes out', () => {
    git(dir, 'rm', '-q', FRIDAY, THREAD);
    commitAll(dir);
    // Meanwhile the publisher recorded on main that the Friday post went out on X and Bluesky.
    git(dir, 'checkout', '-q', 'main');
    const sent = (channel: string) =>
      JSON.stringify({
        v: 1,
        type: 'sent',
        item: 'social/2026-11-27-happy-friday',
        channel,
        part: 0,
        parts: 1,
        remoteId: `${channel}-1`,
        url: `https://${channel}.example/1`,
        at: '2026-11-27T08:31:00Z',
        hash: 'h',
      });
    write(dir, 'content/ledger.jsonl', `${sent('x')}\n${sent('bluesky')}\n`);
    commitAll(dir, 'Ledger: published');
    git(dir, 'checkout', '-q', 'pr');

    const r = preview(dir, ['--base', 'main']);
    expect(r.status).toBe(0);
    const md = r.stdout;
    expect(md).toContain('This pull request removes 2 items, compared with `main`.');
    const friday = section(md, 'social/2026-11-27-happy-friday');
    expect(friday).toContain('### `social/2026-11-27-happy-friday` · social post · removed');
    expect(friday).toContain('`content/social/2026-11-27-happy-friday.md` is deleted.');
    expect(friday).toContain('It was scheduled for Fri 2026-11-27 09:30 +01:00 (Europe/Berlin), for X and Bluesky.');
    expect(friday).toContain('```text\nHappy Friday from the warehouse! The soup team is already at it. 🍲\n```');
    expect(friday).toContain(
      '> **Already published** on X and Bluesky (per the ledger) — deleting the file does not delete the posts; use `postgate retract social/2026-11-27-happy-friday`.',
    );

    const thread = section(md, 'social/2026-12-02-signups-thread');
    expect(thread).toContain('### `social/2026-12-02-signups-thread` · thread of 4 · removed');
    expect(thread).toContain(
      'It was scheduled for Wed 2026-12-02 13:00 +01:00 (Europe/Berlin), for X, Mastodon and Bluesky.',
    );
    expect(thread).toContain('Its first part (of 4):');
    expect(thread).toContain('It was never published: nothing of it goes out now.');
    expect(thread).not.toContain('retract');
  });

  it("(c2) reads what went out from the ledger branch (origin/postgate/ledger) when main's copy is older", () => {
    git(dir, 'rm', '-q', FRIDAY);
    commitAll(dir);
    // The publisher recorded the Friday post on its own branch; main's copy never heard of it.
    git(dir, 'checkout', '-q', '-b', 'ledger-side', 'main');
    write(dir, 'content/ledger.jsonl', `${sentRecord('social/2026-11-27-happy-friday', 'x')}\n`);
    commitAll(dir, 'ledger: sent');
    git(dir, 'update-ref', `refs/remotes/origin/${LEDGER_BRANCH}`, 'HEAD');
    git(dir, 'checkout', '-q', 'pr');
    const friday = section(preview(dir, ['--base', 'main']).stdout, 'social/2026-11-27-happy-friday');
    expect(friday).toContain('> **Already published** on X (per the ledger)');
  });

  it('(d) warns about a Saturday night, a time in the past, links to posts that do not exist or are not live yet, and check problems', () => {
    write(
      dir,
      'content/social/2026-12-05-late.md',
      '---\npublishAt: 2026-12-05T23:00\nchannels: [x]\n---\nStill sorting at the warehouse tonight.\n',
    );
    write(
      dir,
      'content/social/2026-11-26-missed.md',
      '---\npublishAt: 2026-11-26T09:30\nchannels: [mastodon]\n---\nThank you for Thursday!\n',
    );
    write(
      dir,
      'content/social/2026-11-28-soon.md',
      '---\npublishAt: 2026-11-28T09:30\nchannels: [mastodon]\n---\nOpen today until noon.\n',
    );
    write(
      dir,
      'content/social/2026-12-02-links.md',
      '---\npublishAt: 2026-12-02T10:00\nchannels: [bluesky]\n---\nOur plan: https://example.org/posts/no-such-post/ and the appeal: https://example.org/posts/winter-appeal/\n',
    );
    write(
      dir,
      'content/social/2026-12-01-long.md',
      `---\npublishAt: 2026-12-01T10:00\nchannels: [x]\n---\n${'Thanks! '.repeat(40).trim()}\n`,
    );
    commitAll(dir);
    const r = preview(dir, ['--base', 'main']);
    expect(r.status).toBe(0);
    const md = r.stdout;
    expect(md).toContain(
      '> [!CAUTION]\n> 1 error and 6 warnings below: read them before approving. A file with errors is held: nothing of it goes out until they are fixed.',
    );

    expect(warnings(section(md, 'social/2026-12-05-late'))).toEqual([
      '- ⚠️ goes out on a Saturday at 23:00 (Europe/Berlin): at the weekend and at night (before 07:00 or from 21:00), when fewer people read and nobody may be there to answer; is that intended?',
    ]);
    expect(warnings(section(md, 'social/2026-11-26-missed'))).toEqual([
      '- ⚠️ the publish time is in the past (2 days ago), beyond its 6h window: it will not be sent at all (stale); choose a time to come',
    ]);
    expect(section(md, 'social/2026-11-26-missed')).toContain(
      '- **When:** Thu 2026-11-26 09:30 +01:00 (Europe/Berlin) · 2026-11-26 08:30 UTC · 2 days ago',
    );
    // Saturday 09:30 is also a weekend.
    expect(warnings(section(md, 'social/2026-11-28-soon'))).toEqual([
      '- ⚠️ the publish time is in the past (30 minutes ago): it goes out at the first publish run after merging',
      '- ⚠️ goes out on a Saturday at 09:30 (Europe/Berlin): at the weekend, when fewer people read and nobody may be there to answer; is that intended?',
    ]);
    expect(warnings(section(md, 'social/2026-12-02-links'))).toEqual([
      '- ⚠️ links to `https://example.org/posts/no-such-post/`, but the site has no post `no-such-post` (no content/posts/no-such-post.mdx or .md): the link leads nowhere',
      '- ⚠️ links to `https://example.org/posts/winter-appeal/`, but that post goes live only at Thu 2026-12-03 08:00 +01:00, 22 hours after this: the link leads nowhere until then',
    ]);
    const long = section(md, 'social/2026-12-01-long');
    expect(warnings(long)).toEqual([
      '- ❌ **error** at line 5, col 1: the post is too long for X: 319 weighted characters, the limit is 280; shorten it, split it into a thread with "---", or set x: { text: ... }',
    ]);
    expect(long).toContain('<details open>\n<summary>X · 1 post · ❌ 319/280</summary>');
    expect(long).toContain('❌ 319/280 weighted characters: 39 over the limit');
  });

  it('says when a pull request changes no content, and writes the job summary and --output', () => {
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'Nothing yet');
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '## Earlier step\n');
    const r = preview(dir, ['--base', 'main', '--output', join(dir, 'preview.md')], { GITHUB_STEP_SUMMARY: summary });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'This pull request changes no blog post or social draft (compared with `main`): it publishes nothing new.',
    );
    expect(readFileSync(summary, 'utf8')).toBe(`## Earlier step\n${r.stdout}`);
    expect(readFileSync(join(dir, 'preview.md'), 'utf8')).toBe(r.stdout);
    expect(r.stderr).toBe('');

    // Locally, before committing: say why the new file is not in the preview.
    write(dir, 'content/social/2026-12-09-idea.md', '---\npublishAt: 2026-12-09T10:00\n---\nAn idea\n');
    const local = preview(dir, ['--base', 'main']);
    expect(local.stdout).toContain('it publishes nothing new.');
    expect(local.stderr).toBe(
      'preview: a content file has uncommitted changes (content/social/2026-12-09-idea.md); the preview lists what is committed: commit them to see them here\n',
    );
  });
});

describe('preview: the base to compare with', () => {
  let dir: string;
  beforeEach(() => {
    dir = baseRepo();
    write(dir, 'content/social/2026-12-01-pantry-thread.md', PANTRY_THREAD);
    commitAll(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses origin/$GITHUB_BASE_REF on GitHub Actions, else origin/main, else main', () => {
    const clone = `${dir}-clone`;
    git(dir, 'clone', '-q', '--branch', 'pr', dir, clone);
    try {
      expect(preview(clone, [], { GITHUB_BASE_REF: 'main' }).stdout).toContain(
        'This pull request adds 1 item, compared with `origin/main`.',
      );
      expect(preview(clone).stdout).toContain('compared with `origin/main`.');
      expect(preview(dir).stdout).toContain('This pull request adds 1 item, compared with `main`.');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('says which base is missing and how to fetch it', () => {
    const r = preview(dir, [], { GITHUB_BASE_REF: 'release', GITHUB_ACTIONS: 'true' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'postgate: the base to compare with, origin/release, is not in this clone; fetch it first: git fetch origin release (in GitHub Actions: actions/checkout with fetch-depth: 0)',
    );
    const named = preview(dir, ['--base', 'origin/main']);
    expect(named.status).toBe(1);
    expect(named.stderr).toContain(
      'the base to compare with, origin/main, is not in this clone; fetch it first: git fetch origin main',
    );
    git(dir, 'branch', '-q', '-m', 'main', 'trunk');
    const none = preview(dir);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain(
      'found neither origin/main nor main to compare with; fetch the base branch (git fetch origin main) or name the base with --base REF',
    );
  });

  it('has --help, and refuses wrong usage with exit 2', () => {
    const help = preview(dir, ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(
      'Usage: postgate preview [--base REF] [--files-from DIR] [--now ISO] [--comment [--pr N]] [--output FILE]',
    );
    expect(preview(dir, ['--comment', '--pr', 'twelve']).stderr).toContain(
      'postgate: preview: --pr expects a pull request number, e.g. --pr 12; received "twelve"',
    );
    expect(preview(dir, ['--comment']).status).toBe(2);
    expect(preview(dir, ['--comment']).stderr).toContain(
      '--comment needs the pull request: --pr N, or GITHUB_EVENT_PATH',
    );
    expect(preview(dir, ['--bogus']).status).toBe(2);
  });
});

describe('the comment body', () => {
  it('starts with the marker, and cuts a preview too long for a comment at an item, pointing to the job summary', () => {
    expect(commentBody('## Postgate preview\n\nShort.', null)).toBe(
      '<!-- postgate-preview -->\n## Postgate preview\n\nShort.\n',
    );
    const item = (i: number) => `### \`social/${i}\` · social post · new\n\n${'x'.repeat(1_000)}`;
    const long = ['## Postgate preview', ...Array.from({ length: 80 }, (_, i) => item(i))].join('\n\n');
    const body = commentBody(long, 'https://github.com/riverside/journal/actions/runs/7');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(
      /x\n\n> \[!NOTE\]\n> The preview is too long for one comment; the rest is in the \[job summary\]\(https:\/\/github\.com\/riverside\/journal\/actions\/runs\/7\)\.\n$/,
    );
    expect(body.split('\n### ').length).toBeLessThan(80);
  });
});

describe('preview --comment: one sticky comment on the pull request', () => {
  let dir: string;
  let gh: FakeGitHub;
  let pr: number;
  let summary: string;
  let env: Record<string, string>;
  const MARKER = '<!-- postgate-preview -->';
  const markerComments = () => gh.commentsOn(pr).filter((c) => c.body.startsWith(MARKER));

  beforeEach(async () => {
    gh = new FakeGitHub();
    await gh.start();
    gh.commit({
      branch: 'pantry',
      files: { 'content/social/2026-12-01-pantry-thread.md': PANTRY_THREAD },
      author: 'intern',
    });
    pr = gh.openPullRequest({ author: 'intern', branch: 'pantry', title: 'Pantry thread' });
    dir = baseRepo();
    write(dir, 'content/social/2026-12-01-pantry-thread.md', PANTRY_THREAD);
    commitAll(dir);
    summary = join(dir, 'summary.md');
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'synchronize', number: pr, pull_request: { number: pr } }));
    env = {
      ...GIT_ENV,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      GITHUB_EVENT_PATH: event,
      GITHUB_STEP_SUMMARY: summary,
      POSTGATE_GITHUB_THROTTLE: 'off',
    };
  });
  afterEach(async () => {
    await gh.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = () => runCliAsync(['preview', '--base', 'main', '--now', NOW, '--comment'], { cwd: dir, env });

  it('creates the comment on the first run and updates the same one afterwards, past a page of other comments', async () => {
    // A busy conversation: the preview's comment lands on the second page of 100.
    for (let i = 0; i < 105; i++) gh.comment(pr, { user: i % 2 ? 'amira' : 'intern', body: `Comment ${i}` });
    const first = await run();
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(
      /^preview: comment created on pull request #1: https:\/\/github\.com\/riverside\/journal\/pull\/1#issuecomment-\d+\n$/,
    );
    expect(markerComments()).toHaveLength(1);
    const [created] = markerComments();
    expect(created!.body).toBe(`${MARKER}\n${first.stdout}`);
    expect(created!.body).toContain('Our second pantry is open. Hours and directions');

    // A reply quoting the preview is not the preview.
    gh.comment(pr, { user: 'amira', body: `> ${MARKER}\n> ## Postgate preview\n\nLooks good` });
    edit(dir, 'content/social/2026-12-01-pantry-thread.md', (t) => t.replace('Bring a bag!', 'Bring a bag, please!'));
    commitAll(dir, 'Polish');
    const second = await run();
    expect(second.status).toBe(0);
    expect(second.stderr).toContain(`preview: comment updated on pull request #1`);
    expect(markerComments()).toHaveLength(1);
    expect(markerComments()[0]!.id).toBe(created!.id);
    expect(
      gh.server.requests.some(
        (q) => q.method === 'GET' && q.path.endsWith(`/issues/${pr}/comments`) && q.query.get('page') === '2',
      ),
    ).toBe(true);
    expect(markerComments()[0]!.body).toContain('Bring a bag, please!');
    expect(gh.commentsOn(pr)).toHaveLength(107);

    const third = await run();
    expect(third.stderr).toContain('preview: comment already up to date on pull request #1');
    expect(gh.server.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    expect(gh.server.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
  });

  it("finds its comment by the token's identity: a contributor's comment with the marker is neither the preview nor overwritten", async () => {
    const decoy = `${MARKER}\n## Postgate preview\n\nThis pull request changes no blog post or social draft: it publishes nothing new.`;
    const intern = gh.comment(pr, { user: 'intern', body: decoy });
    const otherBot = gh.comment(pr, { user: 'dependabot[bot]', body: `${MARKER}\nAll good.` });
    const first = await run();
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('preview: comment created on pull request #1');
    // GitHub Actions' token may not read GET /user: it writes as github-actions[bot].
    expect(gh.server.requests.some((q) => q.method === 'GET' && q.path === '/user')).toBe(true);
    const ours = () => gh.commentsOn(pr).filter((c) => c.user.login === 'github-actions[bot]');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toBe(`${MARKER}\n${first.stdout}`);

    edit(dir, 'content/social/2026-12-01-pantry-thread.md', (t) => t.replace('Bring a bag!', 'Bring a bag, please!'));
    commitAll(dir, 'Polish');
    const second = await run();
    expect(second.stderr).toContain(
      `preview: comment updated on pull request #1: https://github.com/riverside/journal/pull/1#issuecomment-${ours()[0]!.id}`,
    );
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toContain('Bring a bag, please!');
    // Nobody else's comment was written to, or taken for the preview.
    expect(gh.comments.find((c) => c.id === intern)!.body).toBe(decoy);
    expect(gh.comments.find((c) => c.id === otherBot)!.body).toBe(`${MARKER}\nAll good.`);
    const patched = gh.server.requests.filter((q) => q.method === 'PATCH').map((q) => q.path);
    expect(patched).toEqual([`/repos/riverside/journal/issues/comments/${ours()[0]!.id}`]);
  });

  it("with a person's token, finds the comment that person's token wrote, not the bot's", async () => {
    gh.actor = 'amira';
    gh.comment(pr, { user: 'github-actions[bot]', body: `${MARKER}\nAn older preview by the workflow.` });
    const first = await run();
    expect(first.stderr).toContain('preview: comment created on pull request #1');
    const second = await run();
    expect(second.stderr).toContain('preview: comment already up to date on pull request #1');
    expect(gh.commentsOn(pr).map((c) => [c.user.login, c.body.split('\n')[1]])).toEqual([
      ['github-actions[bot]', 'An older preview by the workflow.'],
      ['amira', '## Postgate preview'],
    ]);
  });

  it('leaves the preview in the job summary when the token is read-only (a pull request from a fork), and exits 0', async () => {
    gh.refuseCommentWrites = true;
    const r = await run();
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'preview: this token may not comment on pull request #1 (403: Resource not accessible by integration',
    );
    expect(r.stderr).toContain('pull requests from forks get a read-only token. The preview is in the job summary.');
    expect(gh.commentsOn(pr)).toEqual([]);
    expect(readFileSync(summary, 'utf8')).toContain('### `social/2026-12-01-pantry-thread` · thread of 2 · new');
  });

  it('without a token, says so and still exits 0', async () => {
    const r = await runCliAsync(['preview', '--base', 'main', '--now', NOW, '--comment'], {
      cwd: dir,
      env: { ...env, GITHUB_TOKEN: undefined },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      'preview: no GITHUB_TOKEN, so no comment on pull request #1; the preview is in the job summary',
    );
    expect(gh.server.requests).toEqual([]);
  });
});

const sentRecord = (item: string, channel: string) =>
  JSON.stringify({
    v: 1,
    type: 'sent',
    item,
    channel,
    part: 0,
    parts: 1,
    remoteId: `${channel}-1`,
    url: `https://${channel}.example/1`,
    at: '2026-11-27T08:31:00Z',
    hash: 'h',
  });
/** The red block at the top of the preview: its lines, from the alert to the first blank line. */
const redBlock = (md: string) => {
  const start = md.indexOf('> [!CAUTION]\n> **This pull request changes more than posts');
  if (start === -1) return null;
  return md.slice(start).split('\n\n')[0]!.split('\n');
};

describe('preview: every change outside content/ is flagged in red, at the top', () => {
  let dir: string;
  beforeEach(() => {
    dir = exampleRepoCopy();
    write(dir, 'content/ledger.jsonl', `${sentRecord('social/2026-11-27-happy-friday', 'x')}\n`);
    write(dir, 'src/github/approvals.ts', 'export const approvalsNeeded = (n: number) => n >= 1;\n');
    write(dir, 'package-lock.json', '{ "lockfileVersion": 3 }\n');
    write(dir, '.github/workflows/publish.yml', 'on: schedule\n');
    git(dir, 'init', '-q', '-b', 'main');
    commitAll(dir, 'Base');
    git(dir, 'checkout', '-q', '-b', 'pr');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names the approval code, the lockfile, a workflow, approvals lowered to 0 and an emptied ledger, each with why', () => {
    write(dir, 'src/github/approvals.ts', 'export const approvalsNeeded = (_n: number) => true;\n');
    write(dir, 'package-lock.json', '{ "lockfileVersion": 3, "packages": { "node_modules/evil": {} } }\n');
    edit(dir, '.github/workflows/publish.yml', (t) => `${t}# runs on push too\n`);
    edit(dir, 'postgate.config.yaml', (t) => t.replace('approvals: 1', 'approvals: 0'));
    write(dir, 'content/ledger.jsonl', '');
    commitAll(dir);
    const r = preview(dir, ['--base', 'main']);
    expect(r.status, r.stderr).toBe(0);
    // The first thing a reviewer reads, before anything about posts.
    expect(r.stdout.startsWith('## Postgate preview\n\n> [!CAUTION]\n')).toBe(true);
    expect(redBlock(r.stdout)).toEqual([
      '> [!CAUTION]',
      '> **This pull request changes more than posts: 5 files outside `content/` or in the ledger.** The posts below cannot show what these changes do: read each in the diff before approving.',
      '>',
      '> - **Workflows** (`.github/workflows/publish.yml`): changes the GitHub Actions workflows: what runs, when, and with which credentials (and the review that computes this preview).',
      '> - **Code** (`src/github/approvals.ts`): changes the code that checks approvals and sends posts: review it as code, not as words.',
      '> - **Dependencies** (`package-lock.json`): changes the packages the publisher installs and runs with the network credentials.',
      '> - **Config** (`postgate.config.yaml`): changes the publishing rules.',
      '>   - **weakens a gate:** `policies.approvals` lowered from 1 to 0: a post needs no approving review at all',
      '> - **Ledger** (`content/ledger.jsonl`): edits the ledger: the record of what went out.',
      '>   - **removes 1 record** of what went out',
    ]);
    // Not "publishes nothing new": it changes no post, and what it changes instead is above.
    expect(r.stdout).not.toContain('publishes nothing new');
    expect(r.stdout).toContain(
      'This pull request changes no blog post or social draft (compared with `main`); what it changes instead is flagged above.',
    );
  });

  it('flags UTM turned off and a channel removed, next to the posts the config change moves; and flags nothing for a post alone', () => {
    write(dir, 'content/social/2026-12-01-pantry-thread.md', PANTRY_THREAD);
    commitAll(dir, 'A thread');
    const posts = preview(dir, ['--base', 'main']);
    expect(redBlock(posts.stdout)).toBeNull();
    expect(posts.stdout).not.toContain('[!CAUTION]');

    edit(dir, 'postgate.config.yaml', (t) =>
      t
        .replace('utm: true', 'utm: false')
        .replace('channels: [blog, x, mastodon, bluesky]', 'channels: [blog, mastodon, bluesky]'),
    );
    write(dir, 'README.md', 'Notes\n');
    commitAll(dir, 'Rules');
    const md = preview(dir, ['--base', 'main']).stdout;
    expect(redBlock(md)).toEqual([
      '> [!CAUTION]',
      '> **This pull request changes more than posts: 2 files outside `content/` or in the ledger.** The posts below cannot show what these changes do: read each in the diff before approving.',
      '>',
      '> - **Config** (`postgate.config.yaml`): changes the publishing rules.',
      '>   - **changes what goes out:** `policies.utm` turned off: links to the site go out untagged, so no click can be traced to a post',
      '>   - **changes what goes out:** `channels` removes X: nothing more goes to a removed one',
      '> - **Other files** (`README.md` new): is not a post or a social draft, so nothing below shows it: read it in the diff.',
    ]);
    expect(md).toContain('### `social/2026-12-01-pantry-thread` · thread of 2 · new');
  });
});

/**
 * The review workflow's layout: the base branch's Postgate runs, over a checkout of the pull
 * request in another folder. The pull request below rewrites its own copy of the preview so that
 * it says "publishes nothing new"; run from its own checkout it does, run by the base's code over
 * its files the truth comes out.
 */
describe('preview --files-from: the base branch computes the preview of the pull request', () => {
  let workspace: string;
  let pr: string;
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'postgate-review-'));
    pr = join(workspace, 'pr');
    const example = exampleRepoCopy();
    cpSync(example, pr, { recursive: true });
    rmSync(example, { recursive: true, force: true });
    for (const entry of ['src', 'scripts', 'package.json'])
      cpSync(join(REPO_ROOT, entry), join(pr, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(pr, 'node_modules'));
    write(pr, '.gitignore', 'node_modules\n');
    write(pr, 'content/ledger.jsonl', `${sentRecord('social/2026-11-27-happy-friday', 'x')}\n`);
    git(pr, 'init', '-q', '-b', 'main');
    commitAll(pr, 'Base');
    git(pr, 'checkout', '-q', '-b', 'pr');
  });
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));

  it("shows the base's preview, flags and all, of a pull request that rewrote its own preview code", () => {
    edit(pr, 'src/core/preview.ts', (t) =>
      t.replace(
        'export function renderPreview(inputs: PreviewInputs): string {',
        "export function renderPreview(inputs: PreviewInputs): string {\n  if (inputs) return '## Postgate preview\\n\\nThis pull request changes no blog post or social draft: it publishes nothing new.';",
      ),
    );
    edit(pr, 'postgate.config.yaml', (t) => t.replace('approvals: 1', 'approvals: 0'));
    write(pr, 'content/ledger.jsonl', '');
    write(pr, 'content/social/2026-12-01-pantry-thread.md', PANTRY_THREAD);
    commitAll(pr);

    // The pull request's own code says what the pull request wants said.
    const own = spawnSync(
      process.execPath,
      [join(pr, 'scripts/postgate.mjs'), 'preview', '--base', 'main', '--now', NOW],
      {
        cwd: pr,
        env: { PATH: process.env.PATH ?? '', HOME: pr, ...GIT_ENV },
        encoding: 'utf8',
      },
    );
    expect(own.stdout.trim()).toBe(
      '## Postgate preview\n\nThis pull request changes no blog post or social draft: it publishes nothing new.',
    );

    // The base's code (this checkout's CLI), run from the workspace over the files in pr/.
    const r = runCli(['preview', '--files-from', 'pr', '--base', 'main', '--now', NOW], {
      cwd: workspace,
      env: GIT_ENV,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('publishes nothing new');
    expect(redBlock(r.stdout)).toEqual([
      '> [!CAUTION]',
      '> **This pull request changes more than posts: 3 files outside `content/` or in the ledger.** The posts below cannot show what these changes do: read each in the diff before approving.',
      '>',
      '> - **Code** (`src/core/preview.ts`): changes the code that checks approvals and sends posts: review it as code, not as words.',
      '> - **Config** (`postgate.config.yaml`): changes the publishing rules.',
      '>   - **weakens a gate:** `policies.approvals` lowered from 1 to 0: a post needs no approving review at all',
      '> - **Ledger** (`content/ledger.jsonl`): edits the ledger: the record of what went out.',
      '>   - **removes 1 record** of what went out',
    ]);
    expect(r.stdout).toContain('This pull request adds 1 item, compared with `main`.');
    expect(section(r.stdout, 'social/2026-12-01-pantry-thread')).toContain(
      '<summary>X · thread of 2 · 72/280, 66/280</summary>',
    );
  });

  it('refuses a --files-from that is not a folder, with exit 2', () => {
    const r = runCli(['preview', '--files-from', 'nowhere', '--base', 'main', '--now', NOW], {
      cwd: workspace,
      env: GIT_ENV,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `postgate: preview: --files-from names ${join(workspace, 'nowhere')}, which is not a folder; check out the pull request there first`,
    );
    expect(preview(pr, ['--files-from', '--base']).status).toBe(2);
  });
});
