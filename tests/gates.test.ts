import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH } from '../src/core/ledger.ts';
import { THIS_RUNNER } from '../src/publish/this-runner.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The gates in GitHub mode: the real CLI, the real Octokit, a stateful fake GitHub and the three
 * fake networks. On the fake GitHub, main starts with the config only; each test brings content
 * in the way it wants (a reviewed pull request, a direct push...).
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const THREAD = 'content/social/2026-12-02-signups-thread.md';
const CHART = 'content/social/volunteer-chart.png';
const source = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const image = (path: string) => readFileSync(join(REPO_ROOT, path));

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { 'postgate.config.yaml': source('postgate.config.yaml') } });
  // Amira approves: named in the POSTGATE_APPROVERS variable, with write access.
  gh.collaborators.set('amira', 'write');
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

// Writes to GitHub are spaced a second apart by default, as GitHub asks; the first test keeps
// that, the others lift it to stay fast.
const githubEnv = (throttle = false) => ({
  GITHUB_TOKEN: gh.token,
  GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
  GITHUB_API_URL: gh.url,
  POSTGATE_APPROVERS: 'amira',
  ...(throttle ? {} : { POSTGATE_GITHUB_THROTTLE: 'off' }),
});
const run = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  runCliAsync(args, { cwd: options.cwd ?? dir, env: { ...n.env, ...githubEnv(), ...options.env } });
const publish = (now: string, options: { cwd?: string; env?: Record<string, string> } = {}) =>
  run(['publish', '--now', now], options);
const remoteLedger = () =>
  (gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl') ?? '')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** A pull request by `author` bringing `files`, reviewed as told, then merged. */
function mergeReviewed(
  files: Record<string, string | Buffer>,
  author: string,
  reviewers: { user: string; state?: 'APPROVED' | 'CHANGES_REQUESTED' }[],
  branch = `add-${Object.keys(files).length}-${Math.random().toString(36).slice(2, 7)}`,
) {
  gh.commit({ branch, files, author, message: 'Add content' });
  const pr = gh.openPullRequest({ author, branch, title: 'New content' });
  for (const r of reviewers) gh.review(pr, { user: r.user, state: r.state ?? 'APPROVED' });
  gh.merge(pr, { by: 'riverside' });
  return pr;
}

describe('approvals, enforced in code', () => {
  it('sends an item approved by someone other than its author, and records it on the ledger branch', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    const r = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], {
      cwd: dir,
      env: { ...n.env, ...githubEnv(true) },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('GitHub mode (riverside/journal)');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    const sent = remoteLedger().filter((rec) => rec.type === 'sent');
    expect(sent.map((rec) => `${rec.item}:${rec.channel}`).sort()).toEqual([
      'social/2026-12-01-volunteer-thanks:bluesky',
      'social/2026-12-01-volunteer-thanks:mastodon',
      'social/2026-12-01-volunteer-thanks:x',
    ]);
    // The checkout's copy follows the ledger's branch; main is not written at all.
    expect(readFileSync(join(dir, 'content/ledger.jsonl'), 'utf8')).toBe(
      gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl'),
    );
    expect(gh.log(undefined, 'main').filter((c) => c.author.login === 'github-actions[bot]')).toEqual([]);
    expect(r.stdout).toContain(`The ledger now lives on ${LEDGER_BRANCH}, started from main at`);
    // The welcome post is not on main at all: held, not released.
    expect(r.stdout).toMatch(/held\s+-\s+posts\/welcome\s+content\/posts\/welcome\.mdx is not on main/);
  });

  it('holds a change pushed to main without a pull request, and says so in the job summary', async () => {
    gh.commit({ files: { [THANKS]: source(THANKS) }, author: 'intern', message: 'quick fix' });
    const summary = join(dir, 'summary.md');
    const r = await publish('2026-12-01T09:00:00Z', { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.stdout).toMatch(
      /held\s+-\s+social\/2026-12-01-volunteer-thanks\s+the last change to .* by intern\) was pushed to main without a reviewed pull request/,
    );
    expect(readFileSync(summary, 'utf8')).toMatch(
      /\| held \| `social\/2026-12-01-volunteer-thanks` \| the last change .* without a reviewed pull request \|/,
    );
    // And what made it possible, in every run's summary until main's rules change (doctor says more).
    expect(readFileSync(summary, 'utf8')).toContain('Warning: main accepts direct pushes');
  });

  it('holds a pull request approved only by its own author', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'intern' }]);
    const r = await publish('2026-12-01T09:00:00Z');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.stdout).toContain("intern's approval does not count: the pull request is theirs");
  });

  it('holds an item whose approval was given before the file changed again', async () => {
    gh.commit({ branch: 'thanks', files: { [THANKS]: source(THANKS) }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'thanks', title: 'Thanks' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    const changed = source(THANKS).replace('48 volunteers', '480 volunteers');
    gh.commit({ branch: 'thanks', files: { [THANKS]: changed }, author: 'intern' });
    gh.merge(pr, { by: 'intern' });
    writeFileSync(join(dir, THANKS), changed); // the run checks out main
    const r = await publish('2026-12-01T09:00:00Z');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(r.stdout).toContain(`changed after approval: ${THANKS}`);
  });

  it('counts an approval on the final version even if other files changed after it', async () => {
    gh.commit({ branch: 'thanks', files: { [THANKS]: source(THANKS) }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'thanks', title: 'Thanks' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.commit({ branch: 'thanks', files: { 'content/social/other-note.txt': 'unrelated' }, author: 'intern' });
    gh.merge(pr, { method: 'squash', by: 'amira' });
    expect((await publish('2026-12-01T09:00:00Z')).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });
});

describe('CRISIS on the live main', () => {
  it('sends nothing, blog included, while CRISIS is on main, and names who and when', async () => {
    mergeReviewed(
      { [THANKS]: source(THANKS), 'content/posts/welcome.mdx': source('content/posts/welcome.mdx') },
      'intern',
      [{ user: 'amira' }],
    );
    gh.commit({ files: { CRISIS: 'Flooding in the city\n' }, author: 'amira', message: 'CRISIS' });
    const summary = join(dir, 'summary.md');
    const r = await publish('2026-12-01T09:00:00Z', { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Paused by CRISIS: Flooding in the city \(amira, 2026-11-\d\dT/);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(gh.fileAt('main', 'content/ledger.jsonl')).toBeNull();
    expect(readFileSync(summary, 'utf8')).toMatch(/> Paused by CRISIS: Flooding in the city \(amira/);
  });

  it('stops a thread between two parts when CRISIS is committed mid-run', async () => {
    mergeReviewed({ [THREAD]: source(THREAD), [CHART]: image(CHART) }, 'intern', [{ user: 'amira' }]);
    for (const fake of [n.x, n.mastodon, n.bluesky]) fake.server.latencyMs = 250;
    const r = await runCliAsync(['publish', '--now', '2026-12-02T12:30:00Z'], {
      cwd: dir,
      env: { ...n.env, ...githubEnv() },
      started: () => {
        const poll = setInterval(() => {
          if (n.x.livePosts().length + n.mastodon.statuses.length + n.bluesky.records.length > 0) {
            clearInterval(poll);
            gh.commit({ files: { CRISIS: 'Breaking news\n' }, author: 'amira' });
          }
        }, 5);
      },
    });
    expect(r.stdout).toContain('CRISIS: Breaking news');
    const counts = liveCounts(n);
    expect(counts.x).toBeLessThan(4);
    expect(counts.mastodon).toBeLessThan(3);
    expect(counts.bluesky).toBeLessThan(4);
  });

  it('sends nothing when GitHub cannot be reached, and fails the run', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    gh.server.inject({ times: 1000, respond: { status: 503, body: { message: 'Service unavailable' } } });
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('could not check for a CRISIS');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('holds what fell due during a crisis until a pull request approves it again', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    // The thanks were due at 08:30 UTC, inside a crisis from 08:00 to 10:00.
    gh.commit({ files: { CRISIS: 'Storm\n' }, author: 'amira', date: '2026-12-01T08:00:00Z' });
    gh.commit({ files: { CRISIS: null }, author: 'amira', date: '2026-12-01T10:00:00Z' });
    const held = await publish('2026-12-01T10:30:00Z');
    expect(held.stdout).toMatch(
      /held\s+-\s+social\/2026-12-01-volunteer-thanks\s+due during the CRISIS of 2026-12-01 09:00 \+01:00/,
    );
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });

    gh.now = () => Date.parse('2026-12-01T10:40:00Z');
    const reworded = source(THANKS).replace('last weekend', 'last weekend, and through the storm');
    mergeReviewed({ [THANKS]: reworded }, 'intern', [{ user: 'amira' }]);
    // The run checks out main as it now is.
    writeFileSync(join(dir, THANKS), reworded);
    expect((await publish('2026-12-01T10:45:00Z')).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it('turns a crisis on and off on the live main with the crisis command', async () => {
    const on = await run(['crisis', 'on', 'Flooding in the city']);
    expect(on.status).toBe(0);
    expect(on.stdout).toContain('CRISIS is on: committed to riverside/journal main');
    expect(gh.fileAt('main', 'CRISIS')).toBe('Flooding in the city\n');
    expect((await run(['crisis', 'status'])).stdout).toMatch(
      /Live main on GitHub: CRISIS: Flooding in the city \(github-actions\[bot\]|Live main on GitHub: CRISIS: Flooding in the city/,
    );
    const off = await run(['crisis', 'off']);
    expect(off.status).toBe(0);
    expect(gh.fileAt('main', 'CRISIS')).toBeNull();
    expect((await run(['crisis', 'status'])).stdout).toContain('Live main on GitHub: no CRISIS');
  });
});

describe('the ledger on its branch', () => {
  it('lets two runs race without sending anything twice or losing a record', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    const other = exampleRepoCopy();
    const [a, b] = await Promise.all([
      publish('2026-12-01T09:00:00Z'),
      publish('2026-12-01T09:00:00Z', { cwd: other }),
    ]);
    expect([a.status, b.status], a.stdout + a.stderr + b.stdout + b.stderr).toEqual([0, 0]);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    // Not merely deduplicated by the networks: only one run ever asked each network to post.
    expect(n.x.server.requests.filter((q) => q.method === 'POST' && q.path === '/2/tweets')).toHaveLength(1);
    expect(n.mastodon.server.requests.filter((q) => q.method === 'POST' && q.path === '/api/v1/statuses')).toHaveLength(
      1,
    );
    const records = remoteLedger();
    for (const channel of ['x', 'mastodon', 'bluesky']) {
      expect(records.filter((rec) => rec.channel === channel && rec.type === 'attempt')).toHaveLength(1);
      expect(records.filter((rec) => rec.channel === channel && rec.type === 'sent')).toHaveLength(1);
    }
  });

  /** Another run's open claim on X's part of the thanks, as that run's own ledger commit made it. */
  const openAttemptOnX = (runner: string, machineAt: Date) => {
    const attempt = {
      v: 1,
      type: 'attempt',
      item: 'social/2026-12-01-volunteer-thanks',
      channel: 'x',
      part: 0,
      parts: 1,
      remoteId: '',
      url: '',
      at: '2026-12-01T09:00:00.000Z',
      machineAt: machineAt.toISOString(),
      hash: '',
      run: 'another-run',
      runner,
    };
    gh.commit({
      branch: LEDGER_BRANCH,
      files: { 'content/ledger.jsonl': `${JSON.stringify(attempt)}\n` },
      asToken: true,
      message: 'ledger: attempt social/2026-12-01-volunteer-thanks on x',
    });
  };
  const xPosts = () => n.x.server.requests.filter((q) => q.method === 'POST' && q.path === '/2/tweets').length;

  // Found by CI: a run that read the ledger just after another run's claim looked for that post
  // before it reached the network, and would have sent it again. What another live run is sending is left to it.
  it('leaves a part another live run is sending to it, and sends it once that run has ended', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    try {
      openAttemptOnX(`${THIS_RUNNER.machine}:${other.pid}`, new Date());
      const first = await publish('2026-12-01T09:00:00Z');
      expect(first.status, first.stdout + first.stderr).toBe(0);
      expect(first.stdout).toMatch(
        /x\s+social\/2026-12-01-volunteer-thanks\s+held: another run is sending part 1 right now; left to it/,
      );
      expect(xPosts()).toBe(0);
      expect(liveCounts(n)).toEqual({ x: 0, mastodon: 1, bluesky: 1 });
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    // That run has ended without an outcome: it stopped. The next run looks, finds nothing, sends.
    const second = await publish('2026-12-01T09:05:00Z');
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(xPosts()).toBe(1);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(remoteLedger().filter((rec) => rec.channel === 'x' && rec.type === 'sent')).toHaveLength(1);
  });

  it('leaves a part another machine claimed a moment ago to it', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    openAttemptOnX('0123456789ab:4242', new Date(Date.now() - 60_000));
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /held: another run is sending part 1 right now; left to it \(if that run stopped, a run from \S+Z on looks/,
    );
    expect(xPosts()).toBe(0);
    expect(n.x.server.requests.filter((q) => q.method === 'GET' && q.path.includes('/tweets'))).toHaveLength(0);
  });

  it('looks for, then sends, a part another machine claimed longer ago than any live send takes', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    openAttemptOnX('0123456789ab:4242', new Date(Date.now() - 30 * 60_000));
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(xPosts()).toBe(1);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it('retracts an item on all three networks and records it on the ledger branch', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    await publish('2026-12-01T09:00:00Z');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    const r = await run(['retract', 'social/2026-12-01-volunteer-thanks']);
    expect(r.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(
      remoteLedger()
        .filter((rec) => rec.type === 'retracted')
        .map((rec) => rec.channel)
        .sort(),
    ).toEqual(['bluesky', 'mastodon', 'x']);
    // And it never goes out again, even with its file still there and approved.
    await publish('2026-12-01T09:30:00Z');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });
});

describe('a main whose rules refuse the workflow token', () => {
  const RULE = 'Changes must be made through a pull request.';

  it('crisis on says which rule refused it and the way from a phone, at once, without retrying', async () => {
    gh.rules.set('main', [RULE]);
    const on = await run(['crisis', 'on', 'Flooding in the city']);
    expect(on.status).not.toBe(0);
    expect(on.stderr).toContain(`GitHub refused the commit to riverside/journal main: "${RULE}"`);
    expect(on.stderr).toMatch(/From a phone: GitHub app/);
    expect(on.stderr).not.toMatch(/kept changing|try again/);
    expect(gh.server.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
    expect(gh.fileAt('main', 'CRISIS')).toBeNull();
  });

  it('crisis off says the same', async () => {
    gh.commit({ files: { CRISIS: 'Storm\n' }, author: 'amira' });
    gh.rules.set('main', [RULE]);
    const off = await run(['crisis', 'off']);
    expect(off.status).not.toBe(0);
    expect(off.stderr).toContain(`crisis off: GitHub refused the commit to riverside/journal main: "${RULE}"`);
    expect(gh.fileAt('main', 'CRISIS')).toBe('Storm\n');
  });

  it('publish still works when main requires pull requests: it writes only the ledger branch', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    gh.rules.set('main', [RULE]);
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(remoteLedger().filter((rec) => rec.type === 'sent')).toHaveLength(3);
  });

  it('publish sends nothing when it cannot record a claim, and says which rule blocks the ledger', async () => {
    mergeReviewed({ [THANKS]: source(THANKS) }, 'intern', [{ user: 'amira' }]);
    gh.rules.set(LEDGER_BRANCH, [RULE]);
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain(
      `GitHub refused to write content/ledger.jsonl on ${LEDGER_BRANCH}: ${RULE}`,
    );
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/kept changing under this run/);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    // One refused write per claim, not twenty retries each.
    expect(gh.server.requests.filter((q) => q.method === 'PUT').length).toBeLessThanOrEqual(3);
  });
});
