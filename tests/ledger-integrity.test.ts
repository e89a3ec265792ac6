import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH } from '../src/core/ledger.ts';
import { blobSha, FakeGitHub } from './fakes/fake-github.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The ledger is the only answer to "is this live?": it is read whole at any size, every line of it
 * must be readable, and on GitHub every line must have been written by the publisher (or accepted
 * by a reviewed pull request). The real CLI against the fake GitHub and the three fake networks.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const LEDGER = 'content/ledger.jsonl';
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

const githubEnv = () => githubEnvOf(gh);
const run = (args: string[], github = true) =>
  runCliAsync(args, { cwd: dir, env: { ...n.env, ...(github ? githubEnv() : {}) } });
const publish = (now: string, github = true) => run(['publish', '--now', now], github);
/** The ledger the publisher keeps: on its branch, once a run has written a record. */
const ledgerBranch = () =>
  gh.activities.some((a) => a.ref === `refs/heads/${LEDGER_BRANCH}`) ? LEDGER_BRANCH : 'main';
const ledgerNow = () => gh.fileAt(ledgerBranch(), LEDGER) ?? '';
const records = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; item: string; channel: string; remoteId: string; url: string });
const networkWrites = () =>
  [n.x.server, n.mastodon.server, n.bluesky.server].flatMap((s) =>
    s.requests.filter((q) => q.method === 'POST' || q.method === 'DELETE'),
  ).length;

/** A pull request by `author` bringing `files` into `base`, approved by amira, merged. */
function mergeReviewed(files: Record<string, string | Buffer>, author = 'intern', base = 'main') {
  const branch = `pr-${Math.random().toString(36).slice(2, 8)}`;
  gh.commit({ branch, from: base, files, author, message: 'Change' });
  const pr = gh.openPullRequest({ author, branch, title: 'Change', base });
  gh.review(pr, { user: 'amira', state: 'APPROVED' });
  gh.merge(pr, { by: 'riverside' });
}

/** The thanks, approved and sent on three networks by the publisher. */
async function thanksSent() {
  mergeReviewed({ [THANKS]: source(THANKS) });
  const r = await publish('2026-12-01T09:00:00Z');
  // The whole output in the message: a failure here must say why without a rerun.
  expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: '' });
  expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
}

const sentLine = (i: number) =>
  JSON.stringify({
    v: 1,
    type: 'sent',
    item: `social/2024-archive-${String(i).padStart(4, '0')}`,
    channel: 'mastodon',
    part: 0,
    parts: 1,
    remoteId: `11${String(i).padStart(16, '0')}`,
    url: `https://mastodon.example/@riverside/11${String(i).padStart(16, '0')}`,
    at: '2025-01-01T09:00:00.000Z',
    hash: `${i}`.padStart(64, 'a'),
    commit: 'f'.repeat(40),
    run: `1234567890.1-${String(i).padStart(8, '0')}`,
  });

describe('the fake GitHub, as GitHub documents it', () => {
  it('inlines a file up to 1 MB only; raw and the blobs API give the bytes of a larger one', async () => {
    const octokit = new Octokit({ auth: gh.token, baseUrl: gh.url });
    const repo = { owner: gh.owner, repo: gh.repo };
    const big = `${'é'.repeat(600_000)}\n`;
    gh.commit({ files: { 'big.txt': big } });
    const { data } = await octokit.rest.repos.getContent({ ...repo, path: 'big.txt' });
    expect(data).toMatchObject({ type: 'file', content: '', encoding: 'none', sha: blobSha(big), size: 1_200_001 });
    const raw = await octokit.rest.repos.getContent({ ...repo, path: 'big.txt', mediaType: { format: 'raw' } });
    expect(raw.data).toBe(big);
    const blob = await octokit.rest.git.getBlob({ ...repo, file_sha: blobSha(big) });
    expect(blob.data.encoding).toBe('base64');
    expect(Buffer.from(blob.data.content, 'base64').toString('utf8')).toBe(big);
  });

  it("signs the token's contents API writes as GitHub (web-flow), and never a push, whatever names it carries", async () => {
    const octokit = new Octokit({ auth: gh.token, baseUrl: gh.url });
    const repo = { owner: gh.owner, repo: gh.repo };
    await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: 'a.txt',
      message: 'by the token',
      content: Buffer.from('a\n').toString('base64'),
    });
    gh.commit({ files: { 'b.txt': 'b\n' }, author: 'github-actions[bot]', committer: 'web-flow', message: 'claimed' });
    const { data } = await octokit.rest.repos.listCommits({ ...repo, sha: 'main', per_page: 2 });
    const shape = (c: (typeof data)[number]) => ({
      message: c.commit.message,
      author: c.author && 'login' in c.author ? [c.author.login, c.author.type] : null,
      committer: c.committer && 'login' in c.committer ? c.committer.login : null,
      verified: c.commit.verification?.verified,
    });
    expect(data.map(shape)).toEqual([
      { message: 'claimed', author: ['github-actions[bot]', 'Bot'], committer: 'web-flow', verified: false },
      { message: 'by the token', author: ['github-actions[bot]', 'Bot'], committer: 'web-flow', verified: true },
    ]);
  });
});

describe('a ledger over 1 MB', () => {
  it('survives an append with every line intact (3,300 records)', async () => {
    const big = `${Array.from({ length: 3300 }, (_, i) => sentLine(i)).join('\n')}\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    // Brought in by a reviewed pull request (a migration), so its history is trusted.
    mergeReviewed({ [LEDGER]: big }, 'riverside');
    await thanksSent();
    const after = ledgerNow();
    expect(after.startsWith(big)).toBe(true);
    const added = records(after.slice(big.length));
    expect(
      added
        .filter((r) => r.type === 'sent')
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['bluesky', 'mastodon', 'x']);
    expect(after.split('\n').filter(Boolean)).toHaveLength(3300 + added.length);
    // And the next run reads all of it: nothing is sent twice.
    expect((await publish('2026-12-01T09:30:00Z')).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect(ledgerNow().startsWith(big)).toBe(true);
  }, 120_000); // two runs, each reading and writing back 1.3 MB several times: slow on a loaded CI machine

  it('stops, and writes nothing, when GitHub answers with content it cannot decode', async () => {
    await thanksSent();
    const before = ledgerNow();
    const writes = networkWrites();
    gh.server.inject({
      match: /^GET \/repos\/riverside\/journal\/contents\/content%2Fledger\.jsonl$/,
      times: 1000,
      respond: {
        status: 200,
        body: { type: 'file', path: LEDGER, sha: blobSha(before), encoding: 'base64', content: 'e30K!!not base64' },
      },
    });
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain('not valid base64');
    expect(networkWrites()).toBe(writes);
    expect(ledgerNow()).toBe(before);
  });
});

describe('a ledger line that cannot be read', () => {
  const corrupt = () => {
    appendFileSync(join(dir, LEDGER), `${sentLine(1)}\n{"v":1,"type":"retracted","item":"social/x\n${sentLine(2)}\n`);
  };

  it('stops a local publish before anything is sent, naming the line', async () => {
    corrupt();
    const r = await publish('2026-12-01T09:00:00Z', false);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('content/ledger.jsonl:2:1: error: this ledger line is not valid JSON');
    expect(r.stderr).toContain('nothing is sent or retracted');
    expect(r.stdout).not.toContain('has errors and is held');
    expect(networkWrites()).toBe(0);
  });

  it('stops a local retract, and shows as an error in queue and check', async () => {
    corrupt();
    const retract = await run(['retract', 'social/2024-archive-0001'], false);
    expect(retract.status).toBe(1);
    expect(retract.stderr).toContain('content/ledger.jsonl:2:1: error:');
    expect(networkWrites()).toBe(0);
    const queue = await run(['queue', '--now', '2026-12-01T09:00:00Z'], false);
    expect(queue.status).toBe(1);
    expect(queue.stdout).toContain('content/ledger.jsonl:2:1: error: this ledger line is not valid JSON');
    const json = await run(['queue', '--json', '--now', '2026-12-01T09:00:00Z'], false);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toBeInstanceOf(Array);
    expect(json.stderr).toContain('content/ledger.jsonl:2:1: error:');
    const check = await run(['check'], false);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('content/ledger.jsonl:2:1: error:');
  });

  it('stops a GitHub run too, even when a reviewed pull request brought it', async () => {
    mergeReviewed({ [LEDGER]: `${sentLine(1)}\n{"v":1,"type":"sent","item":"social/x"}\n` }, 'riverside');
    mergeReviewed({ [THANKS]: source(THANKS) });
    const r = await publish('2026-12-01T09:00:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/content\/ledger\.jsonl:2:1: error: this ledger line is not a record Postgate wrote/);
    expect(networkWrites()).toBe(0);
  });
});

describe('lines on the ledger branch that the publisher did not write', () => {
  it('a retraction deleted by a direct push: the run stops and sends nothing again', async () => {
    await thanksSent();
    expect((await run(['retract', THANKS_ID])).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    const full = ledgerNow();
    const withoutRetraction = `${full
      .split('\n')
      .filter((l) => l && !l.includes('"type":"retracted"'))
      .join('\n')}\n`;
    const pushed = gh.commit({
      branch: LEDGER_BRANCH,
      files: { [LEDGER]: withoutRetraction },
      author: 'intern',
      message: 'tidy ledger',
    });
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `content/ledger.jsonl was changed by ${pushed.slice(0, 7)} (intern) outside the publisher: review it in a pull request, or revert it`,
    );
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    // Retract stops too.
    expect((await run(['retract', THANKS_ID])).status).toBe(1);

    // Reverted in a reviewed pull request into the ledger's branch: trusted again, and the item stays retracted.
    mergeReviewed({ [LEDGER]: full }, 'riverside', LEDGER_BRANCH);
    const after = await publish('2026-12-01T10:00:00Z');
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('a forged sent line (even under the names of the bot and GitHub): retract stops and deletes nothing', async () => {
    await thanksSent();
    const real = records(ledgerNow()).find((r) => r.type === 'sent' && r.channel === 'mastodon')!;
    const forged = JSON.stringify({
      v: 1,
      type: 'sent',
      item: 'social/decoy',
      channel: 'mastodon',
      part: 0,
      parts: 1,
      remoteId: real.remoteId,
      url: real.url,
      at: '2026-12-01T08:00:00.000Z',
      hash: 'x',
    });
    const pushed = gh.commit({
      branch: LEDGER_BRANCH,
      files: { [LEDGER]: `${ledgerNow()}${forged}\n` },
      author: 'github-actions[bot]',
      committer: 'web-flow',
      message: 'ledger: sent social/decoy on mastodon',
    });
    const r = await run(['retract', 'social/decoy']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`changed by ${pushed.slice(0, 7)} (github-actions[bot]) outside the publisher`);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect((await publish('2026-12-01T09:30:00Z')).status).toBe(1);
  });

  it('a rewrite made with the workflow token (not an append) is caught by the content check', async () => {
    await thanksSent();
    // The first records had no history to check; from the retraction on, each names a checkpoint.
    expect((await run(['retract', THANKS_ID])).status).toBe(0);
    expect(gh.log(LEDGER, LEDGER_BRANCH)[0]!.message).toMatch(
      /\n\nPostgate-Ledger-Checked: [0-9a-f]{40} \d+ [0-9a-f]{64}$/,
    );
    const lines = ledgerNow().split('\n').filter(Boolean);
    gh.commit({
      branch: LEDGER_BRANCH,
      files: { [LEDGER]: `${lines.slice(1).join('\n')}\n` },
      asToken: true,
      message: 'another workflow',
    });
    const writes = networkWrites();
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /content\/ledger\.jsonl on postgate\/ledger no longer begins with what it held at the publisher's checkpoint/,
    );
    expect(networkWrites()).toBe(writes);
  });

  it("never trips on the publisher's own appends over several runs; after the first, a run reads one page of history", async () => {
    // 250 records from before checkpoints existed, each its own commit, as the publisher makes them.
    let text = '';
    for (let i = 0; i < 250; i++) {
      text += `${sentLine(i)}\n`;
      gh.commit({
        files: { [LEDGER]: text },
        asToken: true,
        message: `ledger: sent social/2024-archive-${i} on mastodon`,
      });
    }
    mergeReviewed({
      [THANKS]: source(THANKS),
      'content/social/2026-12-02-signups-thread.md': source('content/social/2026-12-02-signups-thread.md'),
      'content/social/volunteer-chart.png': readFileSync(join(REPO_ROOT, 'content/social/volunteer-chart.png')),
    });
    const pagesRead: number[] = [];
    for (const [args, sent] of [
      [['publish', '--now', '2026-12-01T09:00:00Z'], { x: 1, mastodon: 1, bluesky: 1 }],
      [['publish', '--now', '2026-12-02T12:30:00Z'], { x: 5, mastodon: 4, bluesky: 5 }],
      [['retract', THANKS_ID], { x: 4, mastodon: 3, bluesky: 4 }],
      [['publish', '--now', '2026-12-02T13:00:00Z'], { x: 4, mastodon: 3, bluesky: 4 }],
    ] as const) {
      const from = gh.server.requests.length;
      const head = gh.log(LEDGER, ledgerBranch())[0]!.sha;
      const r = await run([...args]);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect({ counts: liveCounts(n), stdout: r.stdout }).toMatchObject({ counts: sent });
      pagesRead.push(
        gh.server.requests
          .slice(from)
          .filter((q) => q.method === 'GET' && /\/commits$/.test(q.path) && q.query.get('path') === LEDGER).length,
      );
      // What this run wrote names the newest ledger commit it checked: the next run stops there.
      for (const c of gh.log(LEDGER, LEDGER_BRANCH).filter((c) => c.seq > gh.commits.get(head)!.seq))
        expect(c.message).toContain(`\n\nPostgate-Ledger-Checked: ${head} `);
    }
    expect(pagesRead).toEqual([3, 1, 1, 1]);
    for (const c of gh.log(LEDGER, LEDGER_BRANCH)) {
      expect(c.verification.verified).toBe(true);
      expect([c.author.login, c.committer.login]).toEqual(['github-actions[bot]', 'web-flow']);
    }
  });
});
