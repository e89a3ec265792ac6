import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shareKitMarker } from '../src/core/share-kit-markdown.ts';
import { exampleRepoCopy, runCli, runCliAsync } from './helpers/cli.ts';
import { startGitHubWorld, type GitHubWorld } from './helpers/github-world.ts';

/**
 * Insider review 6: the LinkedIn channel, share kits for staff and `confirm`, attacked as a staff
 * writer or agency with push access (push, open and merge pull requests, run workflows, edit any
 * file) or an outside contributor (pull requests from forks, reviews, comments). Each test is an
 * attack: one that is stopped pins the defence; one that worked is fixed, and the test pins the fix
 * (the weakness and the file are named beside it).
 */
const NOW = '2030-03-04T09:30:00Z';
const STAFF = `
staff:
  - id: alice
    name: Alice Moreau
    github: alice-m
    networks: [bluesky, linkedin]
`;
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Intern',
  GIT_AUTHOR_EMAIL: 'intern@example.org',
  GIT_COMMITTER_NAME: 'Intern',
  GIT_COMMITTER_EMAIL: 'intern@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};
const social = (text: string, extra = '') =>
  `---\npublishAt: 2030-03-04T09:29:00Z\nchannels: [mastodon]\n${extra}---\n${text}\n`;

let w: GitHubWorld;
beforeEach(async () => {
  w = await startGitHubWorld();
});
afterEach(() => w.stop());

const config = () => readFileSync(join(w.dir, 'postgate.config.yaml'), 'utf8');

describe('share kits', () => {
  // ATTACK (worked, fixed): a file's name is a writer's text too. The run's notes about each kit
  // ("Share kit for <id>: comment on pull request #3 created: …") went into the job summary, which
  // the owner reads, as raw Markdown: a file content/social/www.sign-in-riverside.example.md put a
  // clickable link to that host there, and a folder named "[Sign in again](https:" made a labelled
  // one. Fix: src/publish/share-kits.ts writes the ids and files in the summary's notes as code spans
  // (the log keeps them as they are).
  it('an item id made of Markdown is shown as text in the job summary, not as a link', async () => {
    const phishing = 'content/social/[Sign in again](https:/login.example/x).md';
    const bare = 'content/social/www.sign-in-riverside.example.md';
    w.mergeReviewed(
      {
        'postgate.config.yaml': `${config()}${STAFF}`,
        [phishing]: social('Doors open at 9 tomorrow.'),
        [bare]: social('Soup kitchen on Friday.'),
      },
      'intern',
      ['amira'],
    );
    const summary = join(w.dir, 'summary.md');
    const r = await runCliAsync(['publish'], {
      cwd: w.dir,
      env: { ...w.env, POSTGATE_NOW: NOW, GITHUB_STEP_SUMMARY: summary },
    });
    expect(r.stdout).toMatch(/sent\s+mastodon\s+social\/\[Sign in again\]/);
    expect(r.stdout).toMatch(/sent\s+mastodon\s+social\/www\.sign-in-riverside/);
    const md = readFileSync(summary, 'utf8');
    const notes = md.split('\n').filter((l) => l.startsWith('> Share kit for'));
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      // Each id is a code span: GitHub links nothing inside one.
      expect(note).toMatch(/^> Share kit for `social\/[^`]+`: /);
      const outsideCode = note.replace(/`[^`]*`/g, '');
      expect(outsideCode).not.toMatch(/\]\(|www\.|login\.example/);
    }
    // The kit itself already showed the id as code.
    expect(md).toContain('### Share kit: `social/www.sign-in-riverside.example`');
  });

  // ATTACK (worked, fixed): words for a person that no approver read. A draft's `share.alice` is
  // what Alice's kit hands her as "the approved words", to post under her own name; the pull
  // request's preview, which is what an owner reads to approve, showed the networks' texts but not
  // these, so an agency could slip in words the owner never saw (only the raw YAML diff had them).
  // Fix: src/core/preview-share.ts, shown under the item's texts in src/core/preview.ts.
  it("the pull request's preview shows each person's share words", () => {
    const dir = exampleRepoCopy();
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir, ...GIT_ENV } });
    appendFileSync(join(dir, 'postgate.config.yaml'), STAFF);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Base');
    git('checkout', '-q', '-b', 'pr');
    const file = join(dir, 'content/social/2026-12-01-soup.md');
    mkdirSync(dirname(file), { recursive: true });
    const words = 'Our CEO resigns today, ask me why: https://example.org/posts/soup';
    writeFileSync(file, social('Soup kitchen on Friday.', `share:\n  alice: "${words}"\n`));
    git('add', '-A');
    git('commit', '-q', '-m', 'Soup');
    const r = runCli(['preview', '--base', 'main', '--now', '2026-11-28T09:00:00Z'], { cwd: dir, env: GIT_ENV });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('`share.alice`');
    expect(r.stdout).toContain(`\`\`\`text\n${words}\n\`\`\``);
  });
});
