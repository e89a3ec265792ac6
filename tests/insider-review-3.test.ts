import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { FakeGitHub, type FakeCommit, type FakePerson } from './fakes/fake-github.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * Insider review 3: the ledger on its own branch, postgate/ledger, attacked by a writer with push
 * access (any branch but main, which takes reviewed pull requests only) and by an outsider.
 *
 * Each test states what must hold; the attacks found here (a merge pushed onto the branch that takes
 * an older ledger, hidden by a deletion or by force pushes) were fixed the same day, and these pin it.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;

const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const THANKS_ID = 'social/2026-12-01-volunteer-thanks';
const source = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { 'postgate.config.yaml': source('postgate.config.yaml') } });
  gh.collaborators.set('amira', 'write');
  gh.collaborators.set('intern', 'write');
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const run = (args: string[]) => runCliAsync(args, { cwd: dir, env: { ...n.env, ...githubEnvOf(gh) } });
const publish = (now: string, ...more: string[]) => run(['publish', '--now', now, ...more]);

function mergeReviewed(files: Record<string, string | Buffer>) {
  const branch = `pr-${Math.random().toString(36).slice(2, 8)}`;
  gh.commit({ branch, files, author: 'intern', message: 'Change' });
  const pr = gh.openPullRequest({ author: 'intern', branch, title: 'Change' });
  gh.review(pr, { user: 'amira', state: 'APPROVED' });
  gh.merge(pr, { by: 'riverside' });
}

/** The fake's git model, for what its helpers do not offer: a commit with two parents, pushed. */
interface FakeGit {
  person(login: string, date?: string): FakePerson;
  createCommit(parents: string[], tree: Map<string, unknown>, author: FakePerson, message: string): string;
  commitOf(sha: string): FakeCommit;
  advance(branch: string, sha: string, push: { type: 'push'; at: number; actor: string | null }): void;
}

/**
 * `git commit-tree -p <branch head> -p <older> <older's tree>` and a plain `git push` (a fast
 * forward: no force push, no deletion, so a ruleset that blocks those lets it through). The merge
 * takes the older commit's ledger, so git's history simplification (which GitHub's
 * `commits?path=` follows) lists the older commit's history only: the commits in between vanish
 * from the ledger's history.
 */
function pushMergeTakingOlderLedger(branch: string, older: string, by = 'intern'): string {
  const git = gh as unknown as FakeGit;
  const head = gh.head(branch);
  const tree = new Map(git.commitOf(older).tree);
  const sha = git.createCommit([head, older], tree, git.person(by), `Merge ${older.slice(0, 7)} into ${branch}`);
  git.advance(branch, sha, { type: 'push', at: Date.parse(git.commitOf(sha).committer.date), actor: by });
  return sha;
}

/** An archive record, as the publisher wrote them on main before the ledger moved. */
const archiveLine = (i: number) =>
  JSON.stringify({
    v: 1,
    type: 'sent',
    item: `social/2025-archive-${i}`,
    channel: 'mastodon',
    part: 0,
    parts: 1,
    remoteId: `11${i}`,
    url: `https://mastodon.example/@riverside/11${i}`,
    at: '2025-01-01T09:00:00.000Z',
    hash: `${i}`.padStart(64, 'a'),
    run: `r${i}`,
  });

const ledgerNow = () => gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '';

/** Thanks sent on every network by the publisher, then retracted; returns the main commit the ledger moved from. */
async function thanksSentAndRetracted() {
  mergeReviewed({ [THANKS]: source(THANKS) });
  const moveFrom = gh.head('main');
  const sent = await publish('2026-12-01T09:00:00Z');
  expect({ status: sent.status, stderr: sent.stderr }, sent.stdout).toEqual({ status: 0, stderr: '' });
  const beforeRetract = gh.head(LEDGER_BRANCH);
  const retract = await run(['retract', THANKS_ID]);
  expect(retract.status, retract.stdout + retract.stderr).toBe(0);
  expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  return { moveFrom, beforeRetract };
}

// These attacks succeeded against the code up to 7545048; the activity check of every update since
// the last checkpoint (checkEveryUpdate in src/github/ledger-branch.ts) stops each, and these pin it.
describe('a merge pushed onto postgate/ledger that takes an older ledger (history simplification)', () => {
  // ATTACK (stopped since 2026-12-02: src/github/ledger-branch.ts checkEveryUpdate): the writer pushes, as a fast forward, a merge commit whose second parent is
  // the main commit the ledger moved from (no ledger there) and whose tree is that commit's. The
  // ledger's simplified history from the new head then lists nothing at all: no checkpoint, no
  // foreign commit, "its first commit" as the base, zero lines expected and zero found. No force
  // push or deletion is in the activity list, and main has no copy. So the run trusts an empty
  // ledger and sends the retracted post again, on every network.
  it('a merge back to the commit the ledger moved from resends a retracted post', async () => {
    const { moveFrom } = await thanksSentAndRetracted();
    pushMergeTakingOlderLedger(LEDGER_BRANCH, moveFrom);
    expect(ledgerNow()).toBe('');

    const r = await publish('2026-12-01T09:30:00Z');
    // What should hold: the run stops and nothing is sent again.
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.status).toBe(1);
  });

  // ATTACK (stopped since 2026-12-02: src/github/ledger-branch.ts checkEveryUpdate): the same with the second parent an older publisher commit (here, the last
  // one before the retraction). The walk follows it, finds its checkpoint trailer and anchors there;
  // the ledger then begins with the checkpoint's bytes and holds one more line per publisher commit
  // listed, so it passes. The retraction is gone from what publish, retract and the site read.
  it('a merge back to an older publisher commit drops the retraction, for publish and the site build', async () => {
    const { beforeRetract } = await thanksSentAndRetracted();
    const retracted = ledgerNow();
    expect(retracted).toContain('"type":"retracted"');
    pushMergeTakingOlderLedger(LEDGER_BRANCH, beforeRetract);
    expect(ledgerNow()).not.toContain('"type":"retracted"');

    // The site build's step: postgate ledger writes what it read, "history checked".
    rmSync(join(dir, LEDGER_FILE), { force: true });
    const read = await runCliAsync(['ledger'], { cwd: dir, env: githubEnvOf(gh) });
    // What should hold: the ledger cannot be trusted, nothing is written.
    expect(read.status, read.stdout).toBe(1);
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
  });

  // ATTACK (stopped since 2026-12-02: src/github/ledger-branch.ts checkEveryUpdate): without any retraction: the post is live, the writer rewinds the ledger to
  // before it was sent, and the next run (inside the item's window) posts it a second time.
  it('a merge back to before a post was sent makes the next run send it twice', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) });
    const moveFrom = gh.head('main');
    const sent = await publish('2026-12-01T09:00:00Z');
    expect(sent.status, sent.stdout + sent.stderr).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });

    pushMergeTakingOlderLedger(LEDGER_BRANCH, moveFrom);
    // Two hours on (still inside the item's 6h window): Mastodon has forgotten the Idempotency-Key.
    // X refuses a duplicate text and Bluesky's record key is the item's, so those two hold by luck.
    const later = Date.now() + 2 * 3_600_000;
    n.mastodon.now = () => later;
    await publish('2026-12-01T10:30:00Z');
    // What should hold: exactly once.
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });
});

describe('the same rewind, then covered by a deletion or by force pushes that each look harmless', () => {
  // ATTACK (stopped since 2026-12-02: src/github/ledger-branch.ts checkEveryUpdate): the merge of the first describe, then the branch deleted and pushed again at
  // that merge. The deletion's "before" is the merge, whose (empty) ledger the ledger now begins
  // with; the re-creation is a branch_creation, before which nothing is looked at. This also passes
  // an activity check that walks updates back to the last branch_creation only.
  it('merge to an empty ledger, delete the branch, push it again: the retracted post is resent', async () => {
    const { moveFrom } = await thanksSentAndRetracted();
    const merged = pushMergeTakingOlderLedger(LEDGER_BRANCH, moveFrom);
    gh.deleteBranch(LEDGER_BRANCH, 'intern');
    gh.forcePush(LEDGER_BRANCH, merged); // the branch is missing: GitHub lists a branch_creation
    expect(gh.activities.at(-1)?.activity_type).toBe('branch_creation');

    const r = await publish('2026-12-01T09:30:00Z');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.status).toBe(1);
  });

  // ATTACK (stopped since 2026-12-02: src/github/ledger-branch.ts checkEveryUpdate): an upgraded repository (main keeps its copy; the history has checkpoints).
  // The merge takes the ledger of the publisher's first commit of the run that sent the post (a
  // claim on x, checkpoint trailer naming main's last ledger commit). Then two force pushes: back to
  // that checkpoint commit, and forward to the merge again. Each force push passes "the ledger now
  // begins with what it held before" (the merge's ledger, then the checkpoint's), main's lines are
  // all there, and an activity check that stops at the update that moved the branch to the
  // checkpoint commit never reaches the merge's push.
  it('merge, force push to the checkpoint commit and back: the retracted post is resent', async () => {
    let text = '';
    let anchor = '';
    for (let i = 0; i < 2; i++) {
      text += `${archiveLine(i)}\n`;
      anchor = gh.commit({ files: { [LEDGER_FILE]: text }, asToken: true, message: `ledger: sent archive ${i}` });
    }
    await thanksSentAndRetracted();
    // The run's first record: a claim on x, its trailer naming main's last ledger commit.
    const claim = gh.log(LEDGER_FILE, LEDGER_BRANCH).find((c) => c.message.startsWith('ledger: '))!;
    const firstOfRun = gh
      .log(LEDGER_FILE, LEDGER_BRANCH)
      .filter((c) => c.message.includes(`Postgate-Ledger-Checked: ${anchor}`))
      .at(-1)!;
    expect(claim).toBeDefined();
    expect(firstOfRun.tree.get(LEDGER_FILE)?.toString().split('\n').filter(Boolean)).toHaveLength(3);

    const merged = pushMergeTakingOlderLedger(LEDGER_BRANCH, firstOfRun.sha);
    gh.forcePush(LEDGER_BRANCH, anchor);
    gh.forcePush(LEDGER_BRANCH, merged);

    const r = await publish('2026-12-01T09:30:00Z');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.status).toBe(1);
  });
});

describe('defences that hold', () => {
  // DEFENCE (holds): a pull request into postgate/ledger that drops the retraction, approved by a
  // writer who is not in POSTGATE_APPROVERS and by an outside account, merged by its author.
  it('a pull request into the ledger branch approved by non-approvers stops the run', async () => {
    gh.collaborators.set('bob', 'write');
    await thanksSentAndRetracted();
    const kept = ledgerNow()
      .split('\n')
      .filter((l) => l !== '' && !l.includes('"type":"retracted"'))
      .map((l) => `${l}\n`)
      .join('');
    gh.commit({ branch: 'tidy-ledger', from: LEDGER_BRANCH, files: { [LEDGER_FILE]: kept }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'tidy-ledger', title: 'Tidy', base: LEDGER_BRANCH });
    gh.review(pr, { user: 'bob', state: 'APPROVED' });
    gh.review(pr, { user: 'stranger', state: 'APPROVED' });
    gh.merge(pr, { by: 'intern' });
    expect(ledgerNow()).toBe(kept);

    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('outside the publisher');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  // DEFENCE (holds): the approver approved a harmless commit; the author pushes one that drops the
  // retraction after the approval and merges: the merged bytes are not the approved ones.
  it('a commit pushed after an approver approved a ledger pull request stops the run', async () => {
    await thanksSentAndRetracted();
    const now = ledgerNow();
    gh.commit({ branch: 'restore', from: LEDGER_BRANCH, files: { 'NOTES.md': 'ledger notes\n' }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'restore', title: 'Notes', base: LEDGER_BRANCH });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    const kept = now
      .split('\n')
      .filter((l) => l !== '' && !l.includes('"type":"retracted"'))
      .map((l) => `${l}\n`)
      .join('');
    gh.commit({ branch: 'restore', files: { [LEDGER_FILE]: kept }, author: 'intern' });
    gh.merge(pr, { by: 'intern' });

    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });
});
