import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import type { FakeResponse, RecordedRequest } from './fakes/fake-server.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The ledger on its own branch, as an owner upgrading and as an insider would meet it: the move
 * from main, and what a force push, a deletion or a branch made from an older main cannot do.
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
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const run = (args: string[]) => runCliAsync(args, { cwd: dir, env: { ...n.env, ...githubEnvOf(gh) } });
const publish = (now: string, ...more: string[]) => run(['publish', '--now', now, ...more]);
const branchExists = () => {
  const last = gh.activities.filter((a) => a.ref === `refs/heads/${LEDGER_BRANCH}`).at(-1);
  return last !== undefined && last.activity_type !== 'branch_deletion';
};
const createRefs = () => gh.server.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/git/refs'));

function mergeReviewed(files: Record<string, string | Buffer>) {
  const branch = `pr-${Math.random().toString(36).slice(2, 8)}`;
  gh.commit({ branch, files, author: 'intern', message: 'Change' });
  const pr = gh.openPullRequest({ author: 'intern', branch, title: 'Change' });
  gh.review(pr, { user: 'amira', state: 'APPROVED' });
  gh.merge(pr, { by: 'riverside' });
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

/** Main's ledger as an older Postgate left it: `count` records, each the publisher's commit. Returns each commit. */
function ledgerOnMainBeforeTheMove(count: number): string[] {
  let text = '';
  const commits: string[] = [];
  for (let i = 0; i < count; i++) {
    text += `${archiveLine(i)}\n`;
    commits.push(gh.commit({ files: { [LEDGER_FILE]: text }, asToken: true, message: `ledger: sent archive ${i}` }));
  }
  return commits;
}

async function thanksSentAndRetracted() {
  mergeReviewed({ [THANKS]: source(THANKS) });
  const sent = await publish('2026-12-01T09:00:00Z');
  expect({ status: sent.status, stderr: sent.stderr }, sent.stdout).toEqual({ status: 0, stderr: '' });
  const beforeRetract = gh.head(LEDGER_BRANCH);
  const retract = await run(['retract', THANKS_ID]);
  expect(retract.status, retract.stdout + retract.stderr).toBe(0);
  expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  return beforeRetract;
}

describe('moving the ledger from main', () => {
  it('moves on the first record: the branch starts at the main commit checked, and main is never written again', async () => {
    ledgerOnMainBeforeTheMove(3);
    mergeReviewed({ [THANKS]: source(THANKS) });
    const mainBefore = gh.head('main');
    const onMain = gh.fileAt('main', LEDGER_FILE);

    const r = await publish('2026-12-01T09:00:00Z');
    expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain(
      `The ledger now lives on ${LEDGER_BRANCH}, started from main at ${mainBefore.slice(0, 7)}`,
    );
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    // main is as it was; the branch holds main's records, then this run's.
    expect(gh.head('main')).toBe(mainBefore);
    const ledger = gh.fileAt(LEDGER_BRANCH, LEDGER_FILE)!;
    expect(ledger.startsWith(onMain!)).toBe(true);
    expect(ledger.slice(onMain!.length)).toContain(`"item":"${THANKS_ID}"`);
    // The branch carries main's history: the records main had are the publisher's commits there too.
    expect(gh.log(LEDGER_FILE, LEDGER_BRANCH).map((c) => c.message)).toContain('ledger: sent archive 0');

    // The next run reads the branch: nothing is sent twice, and the branch is not created again.
    const again = await publish('2026-12-01T09:30:00Z');
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toContain('The ledger now lives on');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(createRefs()).toHaveLength(1);
    // And queue, on GitHub, reads it from there too.
    const rows = JSON.parse(
      (await runCliAsync(['queue', '--json', '--now', '2026-12-01T09:30:00Z'], { cwd: dir, env: githubEnvOf(gh) }))
        .stdout,
    ) as { id: string; state: string }[];
    expect(rows.find((row) => row.id === THANKS_ID)?.state).toBe('published');
  });

  it('a dry run moves nothing', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) });
    const r = await publish('2026-12-01T09:00:00Z', '--dry-run');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(branchExists()).toBe(false);
    expect(createRefs()).toHaveLength(0);
  });

  it('does not move a ledger whose history on main is not the publisher’s', async () => {
    ledgerOnMainBeforeTheMove(2);
    gh.commit({ files: { [LEDGER_FILE]: `${archiveLine(0)}\n` }, author: 'intern', message: 'tidy' });
    mergeReviewed({ [THANKS]: source(THANKS) });
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('outside the publisher');
    expect(branchExists()).toBe(false);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });
});

describe('two runs at once', () => {
  it("a run whose reads straddle another run's records is not stopped by them, and sends nothing twice", async () => {
    mergeReviewed({ [THANKS]: source(THANKS) });
    expect((await publish('2026-12-01T09:00:00Z')).status).toBe(0);
    const SECOND = 'content/social/2026-12-01-second-shift.md';
    const second = '---\npublishAt: 2026-12-01T09:45\nchannels: [mastodon]\n---\nThe second shift starts now.\n';
    mergeReviewed({ [SECOND]: second });
    writeFileSync(join(dir, SECOND), second);
    // The other run does all its work between this run's read of the ledger's history and its read
    // of the branch's updates: every record it makes is newer than the head this run checked.
    const other = exampleRepoCopy();
    writeFileSync(join(other, SECOND), second);
    const route = (gh as unknown as { route: (q: RecordedRequest) => Promise<FakeResponse> }).route.bind(gh);
    let interleaved = false;
    Object.assign(gh, {
      route: async (q: RecordedRequest) => {
        if (!interleaved && q.method === 'GET' && q.path.endsWith('/activity') && !q.query.get('activity_type')) {
          interleaved = true;
          const r = await runCliAsync(['publish', '--now', '2026-12-01T09:46:00Z'], {
            cwd: other,
            env: { ...n.env, ...githubEnvOf(gh) },
          });
          expect(r.status, r.stdout + r.stderr).toBe(0);
        }
        return route(q);
      },
    });
    const r = await publish('2026-12-01T09:46:00Z');
    expect(interleaved).toBe(true);
    expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: '' });
    expect(n.mastodon.statuses.filter((st) => st.text.startsWith('The second shift'))).toHaveLength(1);
  });
});

describe('what an insider cannot do to the ledger branch', () => {
  it('a force push back to before a retraction stops the run, even once put back, until an approver reviews the ledger', async () => {
    const beforeRetract = await thanksSentAndRetracted();
    const retracted = gh.head(LEDGER_BRANCH);
    gh.forcePush(LEDGER_BRANCH, beforeRetract);
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `${LEDGER_BRANCH} was force-pushed by someone at .*: whatever it holds now, records may have been cut away`,
      ),
    );
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });

    // Put back by another force push: the first one is still on record, so runs stay stopped.
    gh.forcePush(LEDGER_BRANCH, retracted);
    expect((await publish('2026-12-01T09:45:00Z')).status).toBe(1);
    // An approver reviews the ledger as it is, in a pull request into the branch: trusted again.
    const branch = 'ledger-review';
    gh.commit({
      branch,
      from: LEDGER_BRANCH,
      files: { [LEDGER_FILE]: `${gh.fileAt(LEDGER_BRANCH, LEDGER_FILE)}\n` },
      author: 'riverside',
      message: 'Ledger checked after the force push',
    });
    const pr = gh.openPullRequest({ author: 'riverside', branch, title: 'Ledger checked', base: LEDGER_BRANCH });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'riverside' });
    const resumed = await publish('2026-12-01T10:00:00Z');
    expect({ status: resumed.status, stderr: resumed.stderr }, resumed.stdout).toEqual({ status: 0, stderr: '' });
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('a merge that takes an older ledger stops the run (the file’s history then lists only the older commits)', async () => {
    const beforeRetract = await thanksSentAndRetracted();
    // A branch from before the retraction, with one unrelated commit; merged into the ledger's
    // branch with the older ledger as the merge's result: an ordinary push, no force.
    gh.forcePush('side', beforeRetract);
    gh.commit({ branch: 'side', files: { 'notes.txt': 'tidy\n' }, author: 'intern' });
    gh.pushMerge({
      branch: LEDGER_BRANCH,
      other: 'side',
      files: { [LEDGER_FILE]: gh.fileAt('side', LEDGER_FILE)! },
      author: 'intern',
    });
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /postgate\/ledger was updated by intern at .*, which the publisher did not write, and that update changed content\/ledger\.jsonl/,
    );
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('a deleted branch does not send the run back to main’s older copy', async () => {
    await thanksSentAndRetracted();
    gh.deleteBranch(LEDGER_BRANCH, 'intern');
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`${LEDGER_BRANCH} was deleted \\(last update by intern at .*main's copy of the ledger is older`),
    );
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(branchExists()).toBe(false);
  });

  it('a branch made from an older main, before the publisher moved there, stops the run until an approver brings it up to main’s', async () => {
    const commits = ledgerOnMainBeforeTheMove(3);
    mergeReviewed({ [THANKS]: source(THANKS) });
    // Someone creates the branch at main as it was two records ago.
    gh.forcePush(LEDGER_BRANCH, commits[0]!);
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`content/ledger.jsonl on main records 2 lines that ${LEDGER_BRANCH} does not`);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });

    // Brought up to main's in a pull request an approver reviews, as the message says: trusted again.
    gh.commit({
      branch: 'catch-up',
      from: LEDGER_BRANCH,
      files: { [LEDGER_FILE]: gh.fileAt('main', LEDGER_FILE)! },
      author: 'riverside',
      message: "The ledger's branch catches up with main's copy",
    });
    const pr = gh.openPullRequest({ author: 'riverside', branch: 'catch-up', title: 'Catch up', base: LEDGER_BRANCH });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'riverside', method: 'squash' });
    const after = await publish('2026-12-01T09:10:00Z');
    expect({ status: after.status, stderr: after.stderr }, after.stdout).toEqual({ status: 0, stderr: '' });
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(gh.fileAt(LEDGER_BRANCH, LEDGER_FILE)!.startsWith(gh.fileAt('main', LEDGER_FILE)!)).toBe(true);
  });

  it('a person’s commit on the branch stops retract as well as publish', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) });
    expect((await publish('2026-12-01T09:00:00Z')).status).toBe(0);
    const text = gh.fileAt(LEDGER_BRANCH, LEDGER_FILE)!;
    gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER_FILE]: `${text}\n` }, author: 'intern', message: 'blank' });
    const r = await run(['retract', THANKS_ID]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('outside the publisher');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });
});

describe('postgate ledger (the site build reads the ledger with it)', () => {
  const ledgerCommand = (env: Record<string, string>) => runCliAsync(['ledger'], { cwd: dir, env });

  it('writes the checked ledger from the branch into the checkout, and nothing when it cannot be trusted', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) });
    expect((await publish('2026-12-01T09:00:00Z')).status).toBe(0);
    rmSync(join(dir, LEDGER_FILE));
    const r = await ledgerCommand(githubEnvOf(gh));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^Wrote the ledger from postgate\/ledger to content\/ledger\.jsonl: 6 records, history checked\.$/m,
    );
    expect(readFileSync(join(dir, LEDGER_FILE), 'utf8')).toBe(gh.fileAt(LEDGER_BRANCH, LEDGER_FILE));

    const text = gh.fileAt(LEDGER_BRANCH, LEDGER_FILE)!;
    gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER_FILE]: `${text}{"v":1}\n` }, author: 'intern' });
    rmSync(join(dir, LEDGER_FILE));
    const refused = await ledgerCommand(githubEnvOf(gh));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('outside the publisher');
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
  });

  it('without a token, says how to read it with git instead', async () => {
    const r = await ledgerCommand({});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`git fetch origin ${LEDGER_BRANCH} && git show FETCH_HEAD:${LEDGER_FILE}`);
  });
});
