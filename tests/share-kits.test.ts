import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { shareKitMarker } from '../src/core/share-kit-markdown.ts';
import { REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { startGitHubWorld, type GitHubWorld } from './helpers/github-world.ts';

/**
 * Share kits for staff, in GitHub mode against the fakes: an item goes out, the job summary holds a
 * kit per person (links tagged utm_content=<person>), and the pull request that brought it gets one
 * comment mentioning the staff's logins from the config, edited (never duplicated) by a later run
 * that sends the item somewhere else. A person's own words from the file are theirs alone.
 */
const NOW = '2030-03-04T09:30:00Z';
const STAFF = `
staff:
  - id: alice
    name: Alice Moreau
    github: alice-m
    networks: [bluesky, linkedin, mastodon]
    mastodonInstance: https://mastodon.social
  - id: ben
    name: Ben Okafor
    networks: [x]
`;
const ITEM = `---
publishAt: 2030-03-04T09:29:00Z
channels: [mastodon, bluesky]
share:
  alice: "Proud of our volunteers 🎉 https://example.org/posts/volunteers"
---
Volunteer sign-ups doubled: https://example.org/posts/volunteers
`;
const MARKER = shareKitMarker('social/launch');

let w: GitHubWorld;
let pr: number;
let summary: string;
beforeEach(async () => {
  w = await startGitHubWorld();
  const config = readFileSync(join(w.dir, 'postgate.config.yaml'), 'utf8');
  pr = w.mergeReviewed({ 'postgate.config.yaml': `${config}${STAFF}`, 'content/social/launch.md': ITEM }, 'intern', [
    'amira',
  ]);
  summary = join(w.dir, 'summary.md');
});
afterEach(() => w.stop());

const publish = (args: string[] = [], env: Record<string, string> = {}) =>
  runCliAsync(['publish', ...args], {
    cwd: w.dir,
    env: { ...w.env, POSTGATE_NOW: NOW, GITHUB_STEP_SUMMARY: summary, ...env },
  });
const kitComments = () => w.gh.commentsOn(pr).filter((c) => c.body.startsWith(MARKER));
const enc = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

describe('share kits for staff', () => {
  it('puts a kit per person in the summary and one comment on the pull request, which a later run edits rather than repeats', async () => {
    // Bluesky refuses the login in the first run: the item goes out on Mastodon, and on Bluesky in the next.
    w.n.bluesky.server.inject({
      match: /createSession/,
      times: 5,
      respond: { status: 401, body: { error: 'AuthenticationRequired', message: 'Invalid identifier or password' } },
    });
    const first = await publish();
    expect(first.stdout).toMatch(/sent\s+mastodon\s+social\/launch/);
    expect(first.status).toBe(1);

    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('## Share kits');
    // Alice's own words, tagged for her on each network she uses; Ben gets the approved text on X.
    const aliceLink = `https://example.org/posts/volunteers?utm_source=bluesky&utm_medium=social&utm_campaign=social%2Flaunch&utm_content=alice`;
    expect(md).toContain(
      `[Post as Alice Moreau on Bluesky](https://bsky.app/intent/compose?text=${enc(`Proud of our volunteers 🎉 ${aliceLink}`)})`,
    );
    expect(md).toContain(
      `[Post as Alice Moreau on Mastodon](https://mastodon.social/share?text=${enc(`Proud of our volunteers 🎉 ${aliceLink.replace('bluesky', 'mastodon')}`)})`,
    );
    expect(md).toContain(
      `[Post as Alice Moreau on LinkedIn](https://www.linkedin.com/sharing/share-offsite/?url=${enc(aliceLink.replace('bluesky', 'linkedin'))})`,
    );
    const benText = `Volunteer sign-ups doubled: https://example.org/posts/volunteers?utm_source=x&utm_medium=social&utm_campaign=social%2Flaunch&utm_content=ben`;
    expect(md).toContain(`[Post as Ben Okafor on X](https://x.com/intent/post?text=${enc(benText)})`);

    // One comment on the pull request that brought the item, mentioning only the login the config gives.
    expect(kitComments()).toHaveLength(1);
    const body = kitComments()[0]!.body;
    expect(body).toContain('#### Alice Moreau (@alice-m)');
    expect(body).toContain(`(https://x.com/intent/post?text=${enc(benText)})`);
    expect(body.match(/@[\w-]+/g)).toEqual(['@alice-m']);
    expect(first.stdout).toMatch(new RegExp(`Share kit for social/launch: comment on pull request #${pr} created: `));

    // The next run sends Bluesky: the same comment, not a second one.
    w.n.bluesky.server.clearFaults();
    const second = await publish();
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/sent\s+bluesky\s+social\/launch/);
    expect(second.stdout).toContain(`Share kit for social/launch: comment on pull request #${pr} unchanged`);
    expect(kitComments()).toHaveLength(1);
    expect(kitComments()[0]!.body).toBe(body);
    // Nothing new went out in a third: no kit, no comment work.
    const third = await publish();
    expect(third.stdout).not.toContain('Share kit');
    expect(kitComments()).toHaveLength(1);
  });

  it('a dry run prints the kits and writes nothing to GitHub', async () => {
    const r = await publish(['--dry-run']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: the share kits are not commented on pull requests.');
    expect(r.stdout).toContain('Share kit: social/launch');
    expect(r.stdout).toContain('  Alice Moreau (alice): own words (share.alice)');
    expect(r.stdout).toContain(
      '      | Proud of our volunteers 🎉 https://example.org/posts/volunteers?utm_source=linkedin&',
    );
    expect(r.stdout).toMatch(
      / {4}x {9}\d+\/280 weighted characters\n {6}https:\/\/x\.com\/intent\/post\?text=Volunteer/,
    );
    expect(readFileSync(summary, 'utf8')).toContain('## Share kits (dry run: what staff would get)');
    expect(w.gh.commentsOn(pr)).toEqual([]);
  });

  it('a token that may not comment leaves the kit in the summary, says what to grant, and fails nothing', async () => {
    w.gh.refuseCommentWrites = true;
    const r = await publish();
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /the share kit for social\/launch was not commented on pull request #\d+ \(403: Resource not accessible by integration/,
    );
    expect(r.stdout).toContain('Give the publish job `pull-requests: write`');
    expect(readFileSync(summary, 'utf8')).toContain('[Post as Ben Okafor on X]');
    expect(w.gh.commentsOn(pr)).toEqual([]);
  });
});

describe('share kits: the publish workflow', () => {
  it('lets the jobs that send comment on pull requests (pull-requests: write), saying why', () => {
    const text = readFileSync(join(REPO_ROOT, '.github/workflows/publish.yml'), 'utf8');
    const jobs = (parse(text) as { jobs: Record<string, { permissions?: Record<string, string> }> }).jobs;
    for (const job of ['publish', 'wait']) expect(jobs[job]!.permissions!['pull-requests']).toBe('write');
    expect(text).toContain('its share kit, on the pull request that brought it (README: Share kits for');
  });
});
