import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH } from '../src/core/ledger.ts';
import { FakeGitHub, type FakeFile } from './fakes/fake-github.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * Security review of the approval gate (round: approvals bind bytes, one commit, the ledger
 * defends itself, CRISIS spelling, queue = publish). Each test is an attack that succeeds today and
 * asserts the safe behaviour, so it fails until the flaw is fixed. Same harness as approvals.test.ts.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const WELCOME = 'content/posts/welcome.mdx';
const CONFIG = 'postgate.config.yaml';
const LEDGER = 'content/ledger.jsonl';
const text = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const DUE_THANKS = '2026-12-01T09:00:00Z';

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { [CONFIG]: text(CONFIG) } });
  gh.collaborators.set('amira', 'write');
  gh.collaborators.set('intern', 'write');
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const githubEnv = () => githubEnvOf(gh);
const publish = (now: string, env: Record<string, string> = {}) =>
  runCliAsync(['publish', '--now', now], { cwd: dir, env: { ...n.env, ...githubEnv(), ...env } });
const queue = (now: string) => runCliAsync(['queue', '--json', '--now', now], { cwd: dir, env: githubEnv() });
const checkOut = (files: Record<string, string | Buffer | null>) => {
  for (const [path, content] of Object.entries(files)) if (content !== null) writeFileSync(join(dir, path), content);
};
const nothingSent = () => expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });

/** A pull request from `author` into `base`, approved by amira on its head, merged. Returns the merge commit. */
function approvedPullRequest(
  files: Record<string, FakeFile | null>,
  author = 'intern',
  branch = `b${Math.random()}`,
  base = 'main',
) {
  gh.commit({ branch, from: base, files, author });
  const pr = gh.openPullRequest({ author, branch, title: 'Change', base });
  gh.review(pr, { user: 'amira', state: 'APPROVED' });
  return gh.merge(pr);
}

/** The fake's git model, for what its helpers do not offer (an orphan commit, a merge of it). */
interface GitModel {
  createCommit(parents: string[], tree: Map<string, FakeFile>, author: unknown, message: string): string;
  person(login: string, date?: string): unknown;
  commits: Map<string, { tree: ReadonlyMap<string, FakeFile> }>;
}
const git = () => gh as unknown as GitModel;

describe('approvals bind bytes', () => {
  it('holds an item pushed straight to main, even after an unrelated pull request (a config tweak) is approved', async () => {
    // The intern pushes an item to main with no pull request: held, as it should be.
    const unreviewed = text(THANKS).replace('48 volunteers', '48 volunteers (and our CEO, who did nothing)');
    gh.commit({ files: { [THANKS]: unreviewed }, author: 'intern', message: 'quick fix' });
    checkOut({ [THANKS]: unreviewed });
    // Then a one-line config change (the accent colour) that amira approves: its diff does not show the item.
    const accent = text(CONFIG).replace('#0b6e4f', '#0b6e50');
    approvedPullRequest({ [CONFIG]: accent });
    checkOut({ [CONFIG]: accent });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(r.stdout).toMatch(/held.*volunteer-thanks/);
  });

  it('does not send a Bluesky link card whose title was pushed to main without approval', async () => {
    // An approved social post that links to the welcome post; the welcome post is on main too.
    const linking =
      '---\npublishAt: 2026-12-01T09:30\nchannels: [bluesky]\n---\nRead why we write here now: https://example.org/posts/welcome/\n';
    approvedPullRequest({ [THANKS]: linking, [WELCOME]: text(WELCOME) });
    // The intern edits the welcome post's title and description straight on main.
    const defaced = text(WELCOME)
      .replace('Welcome to our new journal', 'We are closing for good')
      .replace(/^description: .*$/m, 'description: Donations are no longer needed.');
    gh.commit({ files: { [WELCOME]: defaced }, author: 'intern', message: 'typo' });
    checkOut({ [THANKS]: linking, [WELCOME]: defaced });
    await publish(DUE_THANKS);
    const cards = n.bluesky.livePosts.map((p) => JSON.stringify(p.record.embed ?? null));
    expect(cards.join('\n')).not.toContain('We are closing for good');
  });

  it('holds everything when the config arrives on main through a merge of an unrelated (root) commit', async () => {
    // git checkout --orphan x && commit config; git checkout main && git merge --allow-unrelated-histories x; git push
    const lookAlike = text(CONFIG).replace('https://example.org', 'https://examp1e.org');
    const model = git();
    const orphan = model.createCommit([], new Map([[CONFIG, lookAlike]]), model.person('intern'), 'config');
    const main = gh.head('main');
    const tree = new Map(model.commits.get(main)!.tree);
    tree.set(CONFIG, lookAlike);
    gh.forcePush('main', model.createCommit([main, orphan], tree, model.person('intern'), 'Merge branch x'));
    checkOut({ [CONFIG]: lookAlike });
    // A later item, honestly approved: its pull request's diff shows only the item, not the new address.
    approvedPullRequest({ [THANKS]: text(THANKS) });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(r.stdout).toMatch(/postgate\.config\.yaml changed in [0-9a-f]{7} by intern without an approval/);
  });

  it('does not let an unreviewed file inherit the approval of another file that declares its id', async () => {
    // Approved: a harmless draft-looking post that declares `id: social/b` (nobody checks ids).
    const harmless = `---\nid: social/b\npublishAt: 2026-12-01T09:30\nchannels: [x, mastodon, bluesky]\n---\nThank you, neighbours.\n`;
    approvedPullRequest({ 'content/social/a.md': harmless });
    // Pushed to main with no review: content/social/b.md, whose id (from its path) is social/b.
    const rogue = `---\npublishAt: 2026-12-01T09:30\nchannels: [x, mastodon, bluesky]\n---\nUnreviewed words the owner never saw.\n`;
    gh.commit({ files: { 'content/social/b.md': rogue }, author: 'intern', message: 'add b' });
    checkOut({ 'content/social/a.md': harmless, 'content/social/b.md': rogue });
    await publish(DUE_THANKS);
    expect(n.x.livePosts().map((p) => JSON.stringify(p))).not.toContainEqual(
      expect.stringContaining('Unreviewed words'),
    );
    nothingSent();
  });
});

describe('the ledger defends itself', () => {
  it('does not trust a ledger rewrite merged in a pull request whose approval is on a later commit than its head', async () => {
    approvedPullRequest({ [THANKS]: text(THANKS) });
    expect((await publish(DUE_THANKS)).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    // The owner retracts it: deleted everywhere, recorded as retracted, never to be sent again.
    const retract = await runCliAsync(['retract', 'social/2026-12-01-volunteer-thanks'], {
      cwd: dir,
      env: { ...n.env, ...githubEnv(), POSTGATE_NOW: '2026-12-01T09:05:00Z' },
    });
    expect(retract.status).toBe(0);
    nothingSent();
    const honest = gh.fileAt(LEDGER_BRANCH, LEDGER)!;
    // H1: every record of the item is gone (its send and its retraction). H2 on top restores the
    // ledger; amira approves H2, whose diff shows no ledger change at all. The branch is then
    // force-pushed back to H1 and merged: compare(H2...H1) is empty, since H1 is H2's merge base.
    const forged = `${honest
      .split('\n')
      .filter((l) => l && !l.includes('volunteer-thanks'))
      .join('\n')}\n`;
    const h1 = gh.commit({
      branch: 'tidy',
      from: LEDGER_BRANCH,
      files: { [LEDGER]: forged, 'notes.txt': 'tidy up' },
      author: 'intern',
    });
    gh.commit({ branch: 'tidy', files: { [LEDGER]: honest }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'tidy', title: 'Notes', base: LEDGER_BRANCH });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.forcePush('tidy', h1);
    gh.merge(pr);
    const r = await publish('2026-12-01T09:10:00Z');
    // The retracted post must not come back: the rewrite is not the publisher's, and no approver saw it.
    nothingSent();
    expect(r.stderr).toContain('outside the publisher');
  });
});

describe('the ledger defends itself (2)', () => {
  it('does not let a reviewed pull request vouch for ledger lines pushed before it, which its diff does not show', async () => {
    approvedPullRequest({ [THANKS]: text(THANKS) });
    expect((await publish(DUE_THANKS)).status).toBe(0);
    const retract = await runCliAsync(['retract', 'social/2026-12-01-volunteer-thanks'], {
      cwd: dir,
      env: { ...n.env, ...githubEnv(), POSTGATE_NOW: '2026-12-01T09:05:00Z' },
    });
    expect(retract.status).toBe(0);
    nothingSent();
    const honest = gh.fileAt(LEDGER_BRANCH, LEDGER)!;
    const forged = `${honest
      .split('\n')
      .filter((l) => l && !l.includes('volunteer-thanks'))
      .join('\n')}\n`;
    // A direct push that drops the item's records (its retraction included)...
    gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER]: forged }, author: 'intern', message: 'ledger: compact' });
    // ...then a pull request whose ledger change is one blank line; amira approves what its diff shows.
    approvedPullRequest(
      { [LEDGER]: `${forged}\n`, 'notes.txt': 'notes' },
      'intern',
      `b${Math.random()}`,
      LEDGER_BRANCH,
    );
    const r = await publish('2026-12-01T09:10:00Z');
    nothingSent();
    expect(r.stderr).toContain('outside the publisher');
  });
});

describe('CRISIS', () => {
  it('holds an item that fell due while a CRISIS.markdown was on main, whose commits never say "crisis"', async () => {
    approvedPullRequest({ [THANKS]: text(THANKS) });
    gh.commit({
      files: { 'CRISIS.markdown': 'Storm\n' },
      author: 'amira',
      message: 'stop',
      date: '2026-12-01T08:00:00Z',
    });
    gh.commit({
      files: { 'CRISIS.markdown': null },
      author: 'amira',
      message: 'all clear',
      date: '2026-12-01T10:00:00Z',
    });
    const r = await publish('2026-12-01T10:30:00Z');
    nothingSent();
    expect(r.stdout).toMatch(/held.*volunteer-thanks.*due during the CRISIS/s);
  });

  it('holds an item that fell due while a CRISIS folder was on main', async () => {
    approvedPullRequest({ [THANKS]: text(THANKS) });
    // GitHub's web editor makes a folder by typing "CRISIS/README.md"; the live check obeys it.
    gh.commit({
      files: { 'CRISIS/README.md': 'Storm\n' },
      author: 'amira',
      message: 'Create CRISIS/README.md',
      date: '2026-12-01T08:00:00Z',
    });
    gh.commit({
      files: { 'CRISIS/README.md': null },
      author: 'amira',
      message: 'Delete CRISIS/README.md',
      date: '2026-12-01T10:00:00Z',
    });
    const r = await publish('2026-12-01T10:30:00Z');
    nothingSent();
    expect(r.stdout).toMatch(/held.*volunteer-thanks.*due during the CRISIS/s);
  });

  it('holds an item a run held for CRISIS at its due time, when the CRISIS is removed by a back-dated commit', async () => {
    approvedPullRequest({ [THANKS]: text(THANKS) });
    gh.commit({ files: { CRISIS: 'Storm\n' }, author: 'amira', date: '2026-12-01T08:00:00Z' });
    // The run at the item's due time sees the CRISIS and holds it.
    const during = await publish('2026-12-01T08:35:00Z');
    expect(during.stdout).toContain('Paused by CRISIS: Storm');
    // At 10:00 the intern ends the crisis with a commit dated 08:10 (git commit --date), pushed at 10:00.
    gh.commit({
      files: { CRISIS: null },
      author: 'intern',
      message: 'off',
      date: '2026-12-01T08:10:00Z',
      pushedAt: '2026-12-01T10:00:00Z',
    });
    const r = await publish('2026-12-01T10:30:00Z');
    nothingSent();
    expect(r.stdout).toMatch(/held.*volunteer-thanks/);
  });
});

describe('queue shows what publish does', () => {
  it('does not show as due an item that publish will not send because the ledger was changed outside the publisher', async () => {
    approvedPullRequest({ [THANKS]: text(THANKS) });
    gh.commit({ files: { [LEDGER]: '' }, author: 'intern', message: 'start the ledger' });
    const p = await publish(DUE_THANKS);
    nothingSent();
    expect(p.stderr).toContain('outside the publisher');
    const rows = JSON.parse((await queue(DUE_THANKS)).stdout) as { id: string; state: string }[];
    expect(rows.find((r) => r.id === 'social/2026-12-01-volunteer-thanks')?.state).not.toBe('due');
  });
});
