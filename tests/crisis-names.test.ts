import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubFromEnv, type GitHubRepo } from '../src/github/client.ts';
import { readCrisisHistory } from '../src/github/live-crisis.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * CRISIS is forgiving to write and strict to obey: any root entry named crisis, in any case, with
 * or without an extension, with stray whitespace, stops everything; near misses stop nothing and
 * are warned about. In the working tree and on the live main, and in the crisis history.
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;
const source = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { 'postgate.config.yaml': source('postgate.config.yaml') } });
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const githubEnv = () => ({
  GITHUB_TOKEN: gh.token,
  GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
  GITHUB_API_URL: gh.url,
  POSTGATE_GITHUB_THROTTLE: 'off',
});
const local = (args: string[], env: Record<string, string> = {}) =>
  runCliAsync(args, { cwd: dir, env: { ...n.env, ...env } });
const live = (args: string[], env: Record<string, string> = {}) =>
  runCliAsync(args, { cwd: dir, env: { ...n.env, ...githubEnv(), ...env } });

const SPELLINGS = ['crisis', 'Crisis', 'CRISIS.md', 'CRISIS.txt', 'crisis.MD', 'CRISIS ', ' CRISIS'];
const NEAR_MISSES = ['CRSIS', 'CRIISIS', 'CRISES', 'content/CRISIS'];

describe('CRISIS in the working tree', () => {
  it('stops everything for every spelling of the name at the root', async () => {
    for (const name of SPELLINGS) {
      const d = exampleRepoCopy();
      writeFileSync(join(d, name), `Storm ${name.trim()}\n`);
      const r = await runCliAsync(['queue', '--now', '2026-12-01T09:00:00Z'], { cwd: d });
      expect(r.stdout, JSON.stringify(name)).toContain(`— CRISIS: Storm ${name.trim()}`);
    }
    writeFileSync(join(dir, 'crisis.MD'), '\n# Flooding in the city\n\nAll posts paused.\n');
    const r = await local(['publish', '--now', '2026-12-01T09:00:00Z']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Paused by CRISIS: Flooding in the city');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('warns about near misses in check, crisis status and the publish summary, and they stop nothing', async () => {
    mkdirSync(join(dir, 'content'), { recursive: true });
    for (const path of NEAR_MISSES) writeFileSync(join(dir, path), 'Storm\n');

    const check = await local(['check']);
    for (const path of NEAR_MISSES)
      expect(check.stdout).toMatch(new RegExp(`^${path}:1:1: warning: .*stops nothing`, 'm'));

    const status = await local(['crisis', 'status']);
    expect(status.stdout).toContain('This checkout: no CRISIS.');
    for (const path of NEAR_MISSES) expect(status.stdout).toMatch(new RegExp(`warning: ${path}: .*stops nothing`));

    const summary = join(dir, 'summary.md');
    const r = await local(['publish', '--now', '2026-12-01T09:00:00Z'], { GITHUB_STEP_SUMMARY: summary });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('Paused by CRISIS');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    for (const path of NEAR_MISSES) expect(readFileSync(summary, 'utf8')).toMatch(new RegExp(`> Warning: ${path}: `));
  });

  it('crisis off removes every CRISIS at the root', async () => {
    writeFileSync(join(dir, 'CRISIS'), 'Storm\n');
    writeFileSync(join(dir, 'crisis.md'), 'Storm\n');
    const off = await local(['crisis', 'off']);
    expect(off.stdout).toContain('Removed CRISIS, crisis.md.');
    expect((await local(['crisis', 'status'])).stdout).toContain('This checkout: no CRISIS.');
  });
});

describe('CRISIS on the live main', () => {
  const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
  const approve = () => {
    gh.collaborators.set('amira', 'write');
    gh.commit({ branch: 'thanks', files: { [THANKS]: source(THANKS) }, author: 'intern' });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'thanks', title: 'Thanks' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr, { by: 'riverside' });
  };

  it('stops on any spelling at the root of the live main, and reads a Markdown reason', async () => {
    approve();
    gh.commit({ files: { 'Crisis.md': '# Flooding in the city\n' }, author: 'amira', message: 'Create Crisis.md' });
    const r = await live(['publish', '--now', '2026-12-01T09:00:00Z'], { POSTGATE_APPROVERS: 'amira' });
    expect(r.stdout).toMatch(/Paused by CRISIS: Flooding in the city \(amira, /);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });

    // A trailing space, as a phone keyboard leaves it.
    gh.commit({ files: { 'Crisis.md': null, 'CRISIS ': 'Storm\n' }, author: 'amira' });
    const status = await live(['crisis', 'status']);
    expect(status.stdout).toContain('Live main on GitHub: CRISIS: Storm ("CRISIS ")');
    const off = await live(['crisis', 'off']);
    expect(off.status).toBe(0);
    expect(gh.fileAt('main', 'CRISIS ')).toBeNull();
    expect((await live(['crisis', 'status'])).stdout).toContain('Live main on GitHub: no CRISIS');
  });

  it('warns about near misses on the live main in the job summary and crisis status; they stop nothing', async () => {
    approve();
    gh.commit({ files: { CRSIS: 'Storm\n', 'content/CRISIS': 'Storm\n' }, author: 'amira' });
    const summary = join(dir, 'summary.md');
    const r = await live(['publish', '--now', '2026-12-01T09:00:00Z'], {
      POSTGATE_APPROVERS: 'amira',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.stdout).not.toContain('Paused by CRISIS');
    expect(r.stdout).toMatch(/Warning: CRSIS: looks like a misspelled CRISIS: it stops nothing/);
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/> Warning: CRSIS: looks like a misspelled CRISIS/);
    expect(text).toMatch(/> Warning: content\/CRISIS: a CRISIS file counts only at the root/);
    const status = await live(['crisis', 'status']);
    expect(status.stdout).toContain('Live main on GitHub: no CRISIS');
    expect(status.stdout).toMatch(/warning: content\/CRISIS: a CRISIS file counts only at the root/);
  });
});

describe('the crisis history on GitHub', () => {
  const repo = (): GitHubRepo => githubFromEnv(githubEnv())!;
  const at = (iso: string) => Date.parse(iso);

  it('follows every spelling: a crisis lasts while any CRISIS file is at the root', async () => {
    gh.commit({ files: { 'Crisis.md': 'Storm\n' }, message: 'Storm', date: '2026-12-01T08:00:00Z' });
    gh.commit({ files: { 'crisis.MD': 'Still\n' }, message: 'Create crisis.MD', date: '2026-12-01T09:00:00Z' });
    gh.commit({ files: { 'Crisis.md': null }, message: 'Delete Crisis.md', date: '2026-12-01T09:30:00Z' });
    gh.commit({ files: { 'crisis.MD': null }, message: 'Delete crisis.MD', date: '2026-12-01T10:00:00Z' });
    gh.commit({ files: { 'CRISIS ': 'Again\n' }, message: 'Again', date: '2026-12-02T08:00:00Z' });
    expect(await readCrisisHistory(repo())).toEqual([
      { start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T10:00:00Z'), reason: 'Storm' },
      { start: at('2026-12-02T08:00:00Z'), end: null, reason: 'Again' },
    ]);
  });

  it('ends a crisis removed in a commit that touches 301 files (GitHub pages them 300 at a time)', async () => {
    gh.commit({ files: { CRISIS: 'Storm\n' }, message: 'Storm', date: '2026-12-01T08:00:00Z' });
    // 300 paths that sort before "CRISIS", so that it is on the second page of the commit's files.
    const many: Record<string, string | null> = { CRISIS: null };
    for (let i = 0; i < 300; i++) many[`ARCHIVE/${String(i).padStart(3, '0')}.md`] = `${i}\n`;
    const sha = gh.commit({ files: many, message: 'Archive, and end of the storm', date: '2026-12-01T10:00:00Z' });

    // The fake pages a commit's files as GitHub documents it.
    const get = (query: string) =>
      fetch(`${gh.url}/repos/${gh.owner}/${gh.repo}/commits/${sha}${query}`, {
        headers: { authorization: `token ${gh.token}` },
      });
    const first = await get('');
    expect(((await first.json()) as { files: unknown[] }).files).toHaveLength(300);
    expect(first.headers.get('link')).toMatch(/page=2>; rel="next"/);
    const second = await get('?page=2');
    expect(((await second.json()) as { files: { filename: string; status: string }[] }).files).toEqual([
      expect.objectContaining({ filename: 'CRISIS', status: 'removed' }),
    ]);

    expect(await readCrisisHistory(repo())).toEqual([
      { start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T10:00:00Z'), reason: 'Storm' },
    ]);
  });

  it('dates a crisis by when GitHub saw it on main, and counts what it did not read as one', async () => {
    gh.commit({ files: { 'CRISIS/README.md': 'Storm\n' }, date: '2026-12-01T08:00:00Z' });
    // Removed at 10:00 by a commit that claims 08:10.
    gh.commit({ files: { 'CRISIS/README.md': null }, date: '2026-12-01T08:10:00Z', pushedAt: '2026-12-01T10:00:00Z' });
    expect(await readCrisisHistory(repo())).toEqual([
      { start: at('2026-12-01T08:00:00Z'), end: at('2026-12-01T10:00:00Z'), reason: 'no reason given' },
    ]);
    // 99 more updates of main: with the removal, the 100 it reads at most.
    for (let i = 0; i < 99; i++) gh.commit({ files: { 'notes.txt': `${i}\n` }, date: '2026-12-01T11:00:00Z' });
    expect(await readCrisisHistory(repo(), { since: at('2026-12-01T10:30:00Z') })).toEqual([]);
    expect(await readCrisisHistory(repo())).toEqual([
      {
        start: 0,
        end: at('2026-12-01T10:00:00Z'),
        reason: expect.stringMatching(/^unknown: the activity of main before/),
      },
    ]);
  });
});
