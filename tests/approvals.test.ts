import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fakes/fake-github.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The approval gate, attacked as a writer with push access, an agency or an outsider would. Each
 * attack must leave the item held with a reason that names the cause; the honest paths (an
 * approver's approval of the final bytes, an approved image change, an approved config change)
 * must go out. The real CLI, Octokit and client libraries run against the fakes.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const THREAD = 'content/social/2026-12-02-signups-thread.md';
const CHART = 'content/social/volunteer-chart.png';
const CONFIG = 'postgate.config.yaml';
const text = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const bytes = (path: string) => readFileSync(join(REPO_ROOT, path));
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

const publish = (now: string, env: Record<string, string> = {}) =>
  runCliAsync(['publish', '--now', now], {
    cwd: dir,
    env: { ...n.env, ...githubEnvOf(gh, env) },
  });
/** What the run's checkout holds: main as it is after the test's pushes and merges. */
const checkOut = (files: Record<string, string | Buffer>) => {
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
};
const nothingSent = () => expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
const heldLine = (stdout: string, id: string) => stdout.split('\n').find((l) => l.startsWith('held') && l.includes(id));

/** A pull request from `author`; returns its number (not merged). */
function open(files: Record<string, string | Buffer>, author = 'intern', branch = 'change') {
  gh.commit({ branch, files, author });
  return gh.openPullRequest({ author, branch, title: 'Content' });
}

describe('who may approve', () => {
  it('does not count an approval from an account with no access to the repository', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'passer-by', state: 'APPROVED' });
    gh.merge(pr);
    const r = await publish(DUE_THANKS, { POSTGATE_APPROVERS: 'amira passer-by' });
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain(
      "passer-by's approval does not count: they no longer have write access",
    );
  });

  it('does not count a reviewer who is not an approver, nor a bot', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'agency-lead', state: 'APPROVED' });
    gh.review(pr, { user: 'helper[bot]', state: 'APPROVED' });
    gh.merge(pr);
    const r = await publish(DUE_THANKS, { POSTGATE_APPROVERS: 'amira,helper[bot]' });
    nothingSent();
    const line = heldLine(r.stdout, 'volunteer-thanks')!;
    expect(line).toContain("agency-lead's approval does not count: not an approver");
    expect(line).toContain("helper[bot]'s approval does not count: a bot never approves");
  });

  it('does not count an approver who pushed a commit into the pull request she approves', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.commit({ branch: 'change', files: { [THANKS]: text(THANKS).replace('48', '480') }, author: 'amira' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    checkOut({ [THANKS]: text(THANKS).replace('48', '480') });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain(
      "amira's approval does not count: they wrote or pushed a commit in the pull request",
    );
  });

  it('does not count a review whose commit is unknown (commit_id null)', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED', commitId: null });
    gh.merge(pr);
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain('the review names no commit');
  });

  it('does not count an approver whose write access was taken away', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    gh.collaborators.set('amira', 'read');
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain('no longer have write access');
  });

  it("by default counts the repository owner's approval, and nobody else's", async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const held = await publish(DUE_THANKS, { POSTGATE_APPROVERS: '' });
    nothingSent();
    expect(heldLine(held.stdout, 'volunteer-thanks')).toContain('not an approver (approvers: riverside)');

    const again = open({ [THANKS]: text(THANKS).replace('48', '49') }, 'intern', 'again');
    gh.review(again, { user: 'riverside', state: 'APPROVED' });
    gh.merge(again);
    checkOut({ [THANKS]: text(THANKS).replace('48', '49') });
    expect((await publish(DUE_THANKS, { POSTGATE_APPROVERS: '' })).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });
});

describe('what is approved is bytes', () => {
  it('holds a branch force-pushed back to an earlier commit after the approval', async () => {
    const draft = text(THANKS).replace('48 volunteers', 'our volunteers (numbers TBC)');
    const pr = open({ [THANKS]: draft });
    const early = gh.head('change');
    gh.commit({ branch: 'change', files: { [THANKS]: text(THANKS) }, author: 'intern' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.forcePush('change', early);
    gh.merge(pr);
    checkOut({ [THANKS]: draft });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain(`changed after approval: ${THANKS}`);
  });

  it('holds a change hidden behind 300 other files after the approval', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    const noise = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`notes/n${i}.txt`, `${i}`]));
    const swapped = text(THANKS).replace('48 volunteers', '4,800 volunteers');
    gh.commit({ branch: 'change', files: { ...noise, [THANKS]: swapped }, author: 'intern' });
    gh.merge(pr);
    checkOut({ [THANKS]: swapped });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain(`changed after approval: ${THANKS}`);
  });

  it('holds an item whose image was swapped after approval, and sends an approved image change', async () => {
    const pr = open({ [THREAD]: text(THREAD), [CHART]: bytes(CHART) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    // Another valid PNG, pushed straight to main.
    const other = bytes('content/posts/winter-appeal-cover.png');
    gh.commit({ files: { [CHART]: other }, author: 'intern', message: 'better chart' });
    checkOut({ [CHART]: other });
    const held = await publish('2026-12-02T12:30:00Z');
    nothingSent();
    expect(heldLine(held.stdout, 'signups-thread')).toMatch(
      /the last change to content\/social\/volunteer-chart\.png \([0-9a-f]{7} by intern\) was pushed to main without a reviewed pull request/,
    );

    // The honest way: the new chart in a pull request an approver approves.
    const reviewed = Buffer.concat([other, Buffer.from('trailing bytes after IEND: a new file')]);
    const approved = open({ [CHART]: reviewed }, 'intern', 'chart');
    gh.review(approved, { user: 'amira', state: 'APPROVED' });
    gh.merge(approved);
    checkOut({ [CHART]: reviewed });
    const sent = await publish('2026-12-02T12:30:00Z');
    expect(sent.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 4, mastodon: 3, bluesky: 4 });
  });

  it('holds everything when the config is pushed to main without approval (a look-alike site address)', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const lookAlike = text(CONFIG).replace('https://example.org', 'https://examp1e.org');
    gh.commit({ files: { [CONFIG]: lookAlike }, author: 'intern', message: 'typo' });
    checkOut({ [CONFIG]: lookAlike });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toMatch(
      /postgate\.config\.yaml changed in [0-9a-f]{7} by intern without an approval of its final version/,
    );
  });

  it('refuses approvals: 0 on GitHub, even when the config change was approved', async () => {
    const pr = open({ [THANKS]: text(THANKS), [CONFIG]: text(CONFIG).replace('approvals: 1', 'approvals: 0') });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    checkOut({ [CONFIG]: text(CONFIG).replace('approvals: 1', 'approvals: 0') });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'volunteer-thanks')).toContain('sets policies.approvals to 0');
  });

  it('lets an approved config change take effect: items approved before it go out under the new values', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const noUtm = text(CONFIG).replace('utm: true', 'utm: false');
    const change = open({ [CONFIG]: noUtm }, 'intern', 'config');
    gh.review(change, { user: 'amira', state: 'APPROVED' });
    gh.merge(change);
    checkOut({ [CONFIG]: noUtm });
    expect((await publish(DUE_THANKS)).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it('holds a file on another branch: only what is on main can be approved', async () => {
    gh.commit({ branch: 'sneaky', files: { 'content/social/sneaky.md': text(THANKS) }, author: 'intern' });
    checkOut({ 'content/social/sneaky.md': text(THANKS).replace('---\npublishAt', '---\nid: sneaky\npublishAt') });
    const r = await publish(DUE_THANKS);
    nothingSent();
    expect(heldLine(r.stdout, 'sneaky')).toContain('content/social/sneaky.md is not on main');
  });
});

describe('one commit: the checkout is what the gates read', () => {
  const actions = (sha: string, ref = 'refs/heads/main') => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_REF: ref,
    GITHUB_SHA: sha,
  });

  it('refuses a run dispatched on another branch, and sends nothing', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const sneaky = gh.commit({ branch: 'sneaky', files: { 'notes.txt': 'x' }, author: 'intern' });
    const r = await publish(DUE_THANKS, actions(sneaky, 'refs/heads/sneaky'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('publish runs only on main, and this run is on refs/heads/sneaky');
    nothingSent();
  });

  it('refuses a checkout that main has moved on from, and says to rerun', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    const checkedOut = gh.merge(pr);
    gh.commit({ files: { [THANKS]: text(THANKS).replace('48', '4800') }, author: 'intern' });
    const r = await publish(DUE_THANKS, actions(checkedOut));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /main moved on since this run checked out [0-9a-f]{7}: [0-9a-f]{7} changed content\/social/,
    );
    expect(r.stderr).toContain('rerun the workflow');
    nothingSent();
  });

  it("runs on after an earlier run's records: they went to the ledger's branch, and main did not move", async () => {
    const pr = open({ [THANKS]: text(THANKS), 'content/posts/welcome.mdx': text('content/posts/welcome.mdx') });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    const checkedOut = gh.merge(pr);
    // An earlier run released the welcome post: its records are on postgate/ledger, not main.
    expect((await publish('2026-11-20T09:30:00Z', actions(checkedOut))).status).toBe(0);
    expect(gh.head('main')).toBe(checkedOut);
    const r = await publish(DUE_THANKS, actions(checkedOut));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });
});

describe('queue tells the truth in GitHub mode', () => {
  const queue = () =>
    runCliAsync(['queue', '--json', '--now', DUE_THANKS], {
      cwd: dir,
      env: githubEnvOf(gh),
    });
  const stateOf = async (id: string) =>
    (JSON.parse((await queue()).stdout) as { id: string; state: string; reason?: string }[]).find((r) => r.id === id);

  it('shows as held what publish would hold (a direct push, a self-approval), with the reason', async () => {
    gh.commit({ files: { [THANKS]: text(THANKS) }, author: 'intern', message: 'quick fix' });
    expect(await stateOf('social/2026-12-01-volunteer-thanks')).toMatchObject({
      state: 'held',
      reason: expect.stringContaining('was pushed to main without a reviewed pull request'),
    });
    const pr = open({ [THANKS]: text(THANKS).replace('48', '49') });
    gh.review(pr, { user: 'intern', state: 'APPROVED' });
    gh.merge(pr);
    checkOut({ [THANKS]: text(THANKS).replace('48', '49') });
    expect(await stateOf('social/2026-12-01-volunteer-thanks')).toMatchObject({
      state: 'held',
      reason: expect.stringContaining("intern's approval does not count: the pull request is theirs"),
    });
  });

  it('shows a CRISIS on the live main, not on the checkout, and due what publish would send', async () => {
    const pr = open({ [THANKS]: text(THANKS) });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    expect((await stateOf('social/2026-12-01-volunteer-thanks'))?.state).toBe('due');
    gh.commit({ files: { 'Crisis.md': '# Storm warning\n' }, author: 'amira' });
    expect(await stateOf('social/2026-12-01-volunteer-thanks')).toMatchObject({
      state: 'held',
      reason: 'CRISIS: Storm warning',
    });
  });
});
