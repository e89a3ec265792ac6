import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobSha, FakeGitHub } from './fake-github.ts';

let fake: FakeGitHub;
let octokit: Octokit;
let repo: { owner: string; repo: string };

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const client = (auth: string) => new Octokit({ auth, baseUrl: fake.url, log: quiet });

beforeEach(async () => {
  fake = new FakeGitHub({ files: { 'README.md': '# journal\n', 'content/ledger.jsonl': '{"id":"first"}\n' } });
  await fake.start();
  octokit = client(fake.token);
  repo = { owner: fake.owner, repo: fake.repo };
});

afterEach(async () => {
  await fake.stop();
});

/** The HTTP status a call failed with (it must fail). */
async function failure(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { status, message } = error as { status: number; message: string };
    return { status, message };
  }
  throw new Error('expected the request to fail, but it succeeded');
}

async function readFile(path: string, ref?: string): Promise<{ text: string; sha: string }> {
  const { data } = await octokit.rest.repos.getContent({ ...repo, path, ...(ref ? { ref } : {}) });
  if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} is not a file`);
  return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha };
}

function writeFile(path: string, text: string, sha?: string, message = `Update ${path}`) {
  return octokit.rest.repos.createOrUpdateFileContents({
    ...repo,
    path,
    message,
    content: Buffer.from(text).toString('base64'),
    branch: 'main',
    ...(sha ? { sha } : {}),
  });
}

describe('FakeGitHub contents', () => {
  it('serves a file with its git blob sha, at a branch or a commit, and 404 for a missing one', async () => {
    expect(blobSha('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a'); // git hash-object
    const before = fake.head();
    fake.commit({ files: { 'content/social/é launch.md': 'Hello, world\n' }, message: 'Add launch' });

    const file = await readFile('content/social/é launch.md');
    expect(file).toEqual({ text: 'Hello, world\n', sha: blobSha('Hello, world\n') });
    expect((await readFile('content/ledger.jsonl', before)).text).toBe('{"id":"first"}\n');
    expect((await failure(readFile('content/social/é launch.md', before))).status).toBe(404);
    expect((await failure(readFile('nothing/here.md'))).status).toBe(404);

    const listing = await octokit.rest.repos.getContent({ ...repo, path: 'content' });
    expect(Array.isArray(listing.data) && listing.data.map((e) => [e.type, e.path])).toEqual([
      ['file', 'content/ledger.jsonl'],
      ['dir', 'content/social'],
    ]);

    const raw = await octokit.rest.repos.getContent({ ...repo, path: 'README.md', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('# journal\n');
    // Octokit sends the path as one segment with its slashes encoded.
    expect(fake.server.requests.map((r) => r.path)).toContain(
      `/repos/riverside/journal/contents/content%2Fsocial%2F%C3%A9%20launch.md`,
    );
  });

  it('creates (201) and updates (200) with the right sha; a missing sha is 422, a stale one 409', async () => {
    const created = await writeFile('CRISIS', 'Storm warning\n');
    expect(created.status).toBe(201);
    expect(created.data.content?.sha).toBe(blobSha('Storm warning\n'));
    expect(fake.fileAt('main', 'CRISIS')).toBe('Storm warning\n');
    expect(fake.head()).toBe(created.data.commit.sha);

    const { sha } = await readFile('content/ledger.jsonl');
    const updated = await writeFile('content/ledger.jsonl', '{"id":"first"}\n{"id":"second"}\n', sha);
    expect(updated.status).toBe(200);
    expect(fake.commits.get(updated.data.commit.sha!)?.author.login).toBe('github-actions[bot]');

    expect((await failure(writeFile('content/ledger.jsonl', 'overwrite\n'))).status).toBe(422);
    const stale = await failure(writeFile('content/ledger.jsonl', 'overwrite\n', sha));
    expect(stale.status).toBe(409);
    expect(stale.message).toMatch(/does not match/);
    expect(fake.fileAt('main', 'content/ledger.jsonl')).toBe('{"id":"first"}\n{"id":"second"}\n');
  });

  it('lets exactly one of two racing writers win; the loser re-reads and keeps both changes', async () => {
    const { text, sha } = await readFile('content/ledger.jsonl');
    const results = await Promise.allSettled([
      writeFile('content/ledger.jsonl', `${text}{"id":"a"}\n`, sha),
      writeFile('content/ledger.jsonl', `${text}{"id":"b"}\n`, sha),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0]!.reason as { status: number }).status).toBe(409);

    const loser = results[0]!.status === 'rejected' ? 'a' : 'b';
    const again = await readFile('content/ledger.jsonl');
    await writeFile('content/ledger.jsonl', `${again.text}{"id":"${loser}"}\n`, again.sha);
    const lines = fake.fileAt('main', 'content/ledger.jsonl')!.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toEqual(expect.arrayContaining(['{"id":"first"}', '{"id":"a"}', '{"id":"b"}']));
  });

  it('deletes with the same compare-and-swap', async () => {
    fake.commit({ files: { CRISIS: 'Flood\n' } });
    expect(
      (await failure(octokit.rest.repos.deleteFile({ ...repo, path: 'CRISIS', message: 'off', sha: blobSha('old\n') })))
        .status,
    ).toBe(409);
    const deleted = await octokit.rest.repos.deleteFile({
      ...repo,
      path: 'CRISIS',
      message: 'Crisis over',
      sha: blobSha('Flood\n'),
    });
    expect(deleted.status).toBe(200);
    expect(fake.fileAt('main', 'CRISIS')).toBeNull();
    expect(
      (
        await failure(
          octokit.rest.repos.deleteFile({ ...repo, path: 'CRISIS', message: 'again', sha: blobSha('Flood\n') }),
        )
      ).status,
    ).toBe(404);
  });
});

describe('FakeGitHub history', () => {
  it('lists only the commits that touched a path, newest first, paginated', async () => {
    const on = fake.commit({ files: { CRISIS: 'Storm\n' }, author: 'mara', message: 'Crisis: storm' });
    fake.commit({ files: { 'content/posts/a.mdx': 'a' } });
    const off = fake.commit({ files: { CRISIS: null }, author: 'riverside', message: 'Crisis over' });
    fake.commit({ files: { 'content/posts/b.mdx': 'b' } });

    const { data } = await octokit.rest.repos.listCommits({ ...repo, sha: 'main', path: 'CRISIS' });
    expect(data.map((c) => c.sha)).toEqual([off, on]);
    expect(data[1]!.author?.login).toBe('mara');
    expect(data[1]!.commit.message).toBe('Crisis: storm');
    expect(data[0]!.parents.map((p) => p.sha)).toEqual(fake.commits.get(off)!.parents);

    const page2 = await octokit.rest.repos.listCommits({ ...repo, sha: 'main', path: 'CRISIS', per_page: 1, page: 2 });
    expect(page2.data.map((c) => c.sha)).toEqual([on]);
    const all = await octokit.paginate(octokit.rest.repos.listCommits, { ...repo, sha: 'main', per_page: 2 });
    expect(all.map((c) => c.sha)).toEqual(fake.log().map((c) => c.sha));
    expect(all).toHaveLength(5);

    const added = await octokit.rest.repos.getCommit({ ...repo, ref: on });
    expect(added.data.files).toEqual([expect.objectContaining({ filename: 'CRISIS', status: 'added' })]);
    const removed = await octokit.rest.repos.getCommit({ ...repo, ref: off });
    expect(removed.data.files).toEqual([expect.objectContaining({ filename: 'CRISIS', status: 'removed' })]);
  });

  it('answers refs and the repository', async () => {
    fake.commit({ branch: 'feature/launch', files: { 'x.md': 'x' } });
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' })).data.object.sha).toBe(fake.head());
    expect((await octokit.rest.git.getRef({ ...repo, ref: 'heads/feature/launch' })).data.object.sha).toBe(
      fake.head('feature/launch'),
    );
    expect((await failure(octokit.rest.git.getRef({ ...repo, ref: 'heads/nope' }))).status).toBe(404);
    expect((await octokit.rest.repos.get(repo)).data.default_branch).toBe('main');
  });
});

describe('FakeGitHub pull requests', () => {
  function proposeLaunch(): { number: number; branchCommit: string } {
    const branchCommit = fake.commit({
      branch: 'launch',
      files: { 'content/social/launch.md': 'We launched\n' },
      author: 'intern',
    });
    const number = fake.openPullRequest({ author: 'intern', branch: 'launch', title: 'Launch post' });
    fake.review(number, { user: 'riverside', state: 'APPROVED' });
    return { number, branchCommit };
  }

  it.each(['merge', 'squash'] as const)(
    'finds a PR merged by %s from the merge commit and from the last commit to the file',
    async (method) => {
      const { number, branchCommit } = proposeLaunch();
      const mergeSha = fake.merge(number, { method });
      expect(fake.fileAt('main', 'content/social/launch.md')).toBe('We launched\n');
      expect(fake.commits.get(mergeSha)!.parents).toHaveLength(method === 'merge' ? 2 : 1);

      const fromMerge = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: mergeSha,
      });
      expect(fromMerge.data).toHaveLength(1);
      expect(fromMerge.data[0]).toMatchObject({
        number,
        state: 'closed',
        merge_commit_sha: mergeSha,
        user: { login: 'intern' },
        base: { ref: 'main' },
        head: { sha: branchCommit },
      });
      expect(fromMerge.data[0]!.merged_at).toEqual(expect.any(String));

      // As git log does, a merge commit that only brings the branch's change is skipped for the branch commit.
      const [last] = (
        await octokit.rest.repos.listCommits({ ...repo, sha: 'main', path: 'content/social/launch.md', per_page: 1 })
      ).data;
      expect(last!.sha).toBe(method === 'merge' ? branchCommit : mergeSha);
      const fromLast = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: last!.sha,
      });
      expect(fromLast.data.map((p) => p.number)).toEqual([number]);

      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        ...repo,
        pull_number: number,
        per_page: 100,
      });
      expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
        ['riverside', 'APPROVED', branchCommit],
      ]);
      expect((await octokit.rest.pulls.get({ ...repo, pull_number: number })).data.merged).toBe(true);
      expect((await octokit.rest.pulls.listCommits({ ...repo, pull_number: number })).data.map((c) => c.sha)).toEqual([
        branchCommit,
      ]);
    },
  );

  it('finds no pull request for a direct push to main', async () => {
    const pushed = fake.commit({ files: { 'content/social/sneaky.md': 'hi' }, author: 'intern' });
    expect(
      (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: pushed })).data,
    ).toEqual([]);
  });

  it("gives a review the PR head at review time, and moves the PR's head with its branch", async () => {
    const { number, branchCommit } = proposeLaunch();
    const fixup = fake.commit({
      branch: 'launch',
      files: { 'content/social/launch.md': 'We launched!\n' },
      author: 'intern',
    });
    fake.review(number, { user: 'editor', state: 'CHANGES_REQUESTED' });
    fake.review(number, { user: 'editor', state: 'COMMENTED', commitId: branchCommit });

    const { data: reviews } = await octokit.rest.pulls.listReviews({ ...repo, pull_number: number });
    expect(reviews.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ['riverside', 'APPROVED', branchCommit],
      ['editor', 'CHANGES_REQUESTED', fixup],
      ['editor', 'COMMENTED', branchCommit],
    ]);
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
    expect(pull).toMatchObject({ state: 'open', merged_at: null, head: { ref: 'launch', sha: fixup }, commits: 2 });
    // An open PR is found from its commits (they are not on main yet).
    expect(
      (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: fixup })).data.map(
        (p) => p.number,
      ),
    ).toEqual([number]);
  });

  it('compares two commits: exactly the files changed on head since base', async () => {
    const base = fake.commit({ files: { 'a.md': 'a', 'b.md': 'b', 'c.md': 'c' } });
    fake.commit({ files: { 'a.md': 'a2', 'b.md': null, 'd.md': 'd' } });
    const head = fake.commit({ files: { 'c.md': 'c' /* unchanged */, 'e.md': 'e' } });
    fake.commit({ files: { 'e.md': null } });

    const { data } = await octokit.rest.repos.compareCommits({ ...repo, base, head });
    expect(data.files?.map((f) => [f.filename, f.status])).toEqual([
      ['a.md', 'modified'],
      ['b.md', 'removed'],
      ['d.md', 'added'],
      ['e.md', 'added'],
    ]);
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0 });
    expect((await octokit.rest.repos.compareCommits({ ...repo, base: head, head })).data).toMatchObject({
      status: 'identical',
      files: [],
    });

    // Three dots, as GitHub: a branch compared with a main that moved on shows only the branch's changes.
    fake.commit({ branch: 'topic', files: { 't.md': 't' } });
    fake.commit({ files: { 'm.md': 'm' } });
    const diverged = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...topic' });
    expect(diverged.data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1 });
    expect(diverged.data.files?.map((f) => f.filename)).toEqual(['t.md']);
  });

  it('lists at most 300 files in a comparison, as GitHub documents, without saying more were left out', async () => {
    const base = fake.head('main');
    const head = fake.commit({ files: Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`f${i}.md`, 'x'])) });
    const { data } = await octokit.rest.repos.compareCommits({ ...repo, base, head });
    expect(data.files).toHaveLength(300);
  });

  it('answers review and permission questions as GitHub does', async () => {
    fake.collaborators.set('amira', 'write');
    fake.commit({ branch: 'p', files: { 'p.md': 'p' }, author: 'intern' });
    const pr = fake.openPullRequest({ author: 'intern', branch: 'p', title: 'P' });
    fake.review(pr, { user: 'amira', state: 'APPROVED', commitId: null });
    fake.review(pr, { user: 'passer-by', state: 'APPROVED' });
    const { data: reviews } = await octokit.rest.pulls.listReviews({ ...repo, pull_number: pr });
    expect(reviews.map((r) => [r.user?.login, r.commit_id, r.author_association])).toEqual([
      ['amira', null, 'COLLABORATOR'],
      ['passer-by', fake.head('p'), 'NONE'],
    ]);
    const level = async (username: string) =>
      (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username })).data.permission;
    expect([await level('riverside'), await level('amira'), await level('passer-by')]).toEqual([
      'admin',
      'write',
      'read',
    ]);
  });
});

describe('FakeGitHub access and faults', () => {
  it('refuses a bad token with 401 and answers 404 for another repository or an unknown route', async () => {
    expect((await failure(client('ghs_wrong').rest.repos.get(repo))).status).toBe(401);
    expect((await failure(octokit.rest.repos.get({ owner: 'riverside', repo: 'other' }))).status).toBe(404);
    expect(
      (await failure(octokit.rest.repos.getContent({ owner: 'someone', repo: 'journal', path: 'README.md' }))).status,
    ).toBe(404);
    const unknown = await failure(octokit.request('GET /repos/{owner}/{repo}/milestones', repo));
    expect(unknown.status).toBe(404);
    const bearer = await fetch(`${fake.url}/repos/riverside/journal`, {
      headers: { authorization: `Bearer ${fake.token}` },
    });
    expect(bearer.status).toBe(200);
    const missing = await fetch(`${fake.url}/repos/riverside/journal/branches/main`, {
      headers: { authorization: `token ${fake.token}` },
    });
    expect(await missing.json()).toMatchObject({ message: 'Not Found', documentation_url: expect.any(String) });
  });

  it('honours injected faults: a lost success still takes effect', async () => {
    fake.server.inject({
      match: /^PUT \/repos\/riverside\/journal\/contents\/CRISIS$/,
      respondAfterHandling: { status: 502, body: { message: 'Server Error' } },
    });
    expect((await failure(writeFile('CRISIS', 'Storm\n'))).status).toBe(502);
    expect(fake.fileAt('main', 'CRISIS')).toBe('Storm\n');
    fake.server.inject({ match: /^GET /, respond: { status: 503, body: { message: 'Unavailable' } } });
    expect((await failure(readFile('CRISIS'))).status).toBe(503);
    expect((await readFile('CRISIS')).text).toBe('Storm\n');
  });
});
