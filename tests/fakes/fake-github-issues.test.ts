import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.ts';

let fake: FakeGitHub;
let octokit: Octokit;
let repo: { owner: string; repo: string };

beforeEach(async () => {
  fake = new FakeGitHub();
  await fake.start();
  octokit = new Octokit({ auth: fake.token, baseUrl: fake.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
  repo = { owner: fake.owner, repo: fake.repo };
});
afterEach(() => fake.stop());

async function status(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { status: (error as { status: number }).status, message: (error as Error).message };
  }
  throw new Error('expected the request to fail');
}

describe('FakeGitHub issues', () => {
  it('numbers issues and pull requests in one sequence, and lists pull requests as issues with a pull_request key', async () => {
    const first = fake.issues.open({ author: 'outsider', title: 'Question' });
    fake.commit({ branch: 'p', files: { 'p.md': 'p' }, author: 'intern' });
    const pr = fake.openPullRequest({ author: 'intern', branch: 'p', title: 'P' });
    const { data: created } = await octokit.rest.issues.create({ ...repo, title: 'Dashboard', body: 'hello' });
    expect([first, pr, created.number]).toEqual([1, 2, 3]);
    expect(created).toMatchObject({
      user: { login: 'github-actions[bot]', type: 'Bot' },
      state: 'open',
      body: 'hello',
    });

    const { data: open } = await octokit.rest.issues.listForRepo(repo);
    // Newest first by default; the pull request is there, marked as one.
    expect(open.map((i) => [i.number, Boolean(i.pull_request)])).toEqual([
      [3, false],
      [2, true],
      [1, false],
    ]);
  });

  it('filters by creator (any case), state and labels, sorts and paginates', async () => {
    const mine = [1, 2, 3].map(() => fake.issues.open({ author: 'github-actions[bot]', title: 'bot' }));
    fake.issues.open({ author: 'outsider', title: 'theirs', labels: ['postgate'] });
    fake.issues.close(mine[0]!);
    const list = async (query: Record<string, string | number>) =>
      (await octokit.rest.issues.listForRepo({ ...repo, ...query })).data.map((i) => i.number);
    expect(await list({ creator: 'GitHub-Actions[bot]' })).toEqual([3, 2]);
    expect(await list({ creator: 'github-actions[bot]', state: 'all', direction: 'asc' })).toEqual([1, 2, 3]);
    expect(await list({ state: 'closed' })).toEqual([1]);
    expect(await list({ labels: 'postgate' })).toEqual([4]);
    expect(await list({ labels: 'postgate,other' })).toEqual([]);
    const pages = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'all', per_page: 2 });
    expect(pages.map((i) => i.number)).toEqual([4, 3, 2, 1]);
  });

  it('edits any issue, whoever opened it; refuses writes without issues: write, and reads too without any access', async () => {
    const theirs = fake.issues.open({ author: 'outsider', title: 'theirs', body: 'x' });
    const { data } = await octokit.rest.issues.update({
      ...repo,
      issue_number: theirs,
      body: 'edited',
      state: 'closed',
    });
    expect(data).toMatchObject({ body: 'edited', state: 'closed', state_reason: 'completed' });
    expect((await status(octokit.rest.issues.update({ ...repo, issue_number: 99, body: 'y' }))).status).toBe(404);
    expect((await status(octokit.rest.issues.create({ ...repo, title: 'x'.repeat(257) }))).status).toBe(422);

    fake.issues.permission = 'read';
    const refused = await status(octokit.rest.issues.create({ ...repo, title: 'Dashboard' }));
    expect(refused).toMatchObject({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration'),
    });
    expect((await status(octokit.rest.issues.update({ ...repo, issue_number: theirs, body: 'z' }))).status).toBe(403);
    expect((await octokit.rest.issues.listForRepo({ ...repo, state: 'all' })).data).toHaveLength(1);
    fake.issues.permission = 'none';
    expect((await status(octokit.rest.issues.listForRepo(repo))).status).toBe(403);
    expect(fake.issues.get(theirs).body).toBe('edited');
  });
});
