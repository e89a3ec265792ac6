import {
  crisisEntries,
  crisisNearMisses,
  crisisReason,
  isCrisisName,
  type CrisisNearMiss,
  type TreeEntry,
} from '../core/crisis-name.ts';
import { crisisPeriodsOfFiles, type CrisisPeriod } from '../core/crisis-window.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { readRemoteFile } from './contents.ts';

/**
 * CRISIS on the live branch, asked before every single post, so a crisis committed from a phone
 * while a run is under way stops the very next post. A CRISIS is any root entry named like it
 * (src/core/crisis-name.ts): one request lists the root, a second reads the reason when there is one.
 */
export interface LiveCrisis {
  reason: string;
  /** The root entry the reason was read from. */
  path: string;
  /** Who committed it, and when (for the job summary). */
  author: string | null;
  at: string | null;
}

export interface RootEntry {
  path: string;
  type: 'file' | 'dir';
}

/** The root of the branch: one request (`GET /contents/?ref=branch`). */
async function listRoot(gh: GitHubRepo): Promise<RootEntry[]> {
  const { data } = await gh.octokit.rest.repos.getContent({
    owner: gh.owner,
    repo: gh.repo,
    path: '',
    ref: gh.branch,
    ...requestOptions(gh),
  });
  if (!Array.isArray(data)) throw new Error(`the root of ${gh.branch} did not list as a folder`);
  // Submodules and links are files here: what matters is their name.
  return data.map((e) => ({ path: e.name, type: e.type === 'dir' ? 'dir' : 'file' }));
}

/** The root entries of the branch that are CRISIS files (all of them must go for a crisis to end). */
export async function liveCrisisEntries(gh: GitHubRepo): Promise<RootEntry[]> {
  return crisisEntries(await listRoot(gh));
}

/** The CRISIS on the branch, or null; throws when it cannot tell (callers fail closed). */
async function findLiveCrisis(gh: GitHubRepo): Promise<{ path: string; reason: string } | null> {
  const found = await liveCrisisEntries(gh);
  if (found.length === 0) return null;
  // Read the reason from the first file among them; a crisis without a readable reason is still one.
  const file = found.find((e) => e.type === 'file');
  if (!file) return { path: found[0]!.path, reason: 'no reason given' };
  // The listing already showed the crisis: a reason that cannot be read does not undo it.
  const read = await readRemoteFile(gh, file.path).catch(() => null);
  return { path: file.path, reason: read === null ? 'no reason given' : crisisReason(read.text) };
}

export async function readLiveCrisisReason(gh: GitHubRepo): Promise<string | null> {
  return (await findLiveCrisis(gh))?.reason ?? null;
}

export async function readLiveCrisis(gh: GitHubRepo): Promise<LiveCrisis | null> {
  const found = await findLiveCrisis(gh);
  if (found === null) return null;
  const { data } = await gh.octokit.rest.repos.listCommits({
    owner: gh.owner,
    repo: gh.repo,
    sha: gh.branch,
    path: found.path,
    per_page: 1,
    ...requestOptions(gh),
  });
  const commit = data[0];
  return {
    ...found,
    author: commit?.author?.login ?? commit?.commit.author?.name ?? null,
    at: commit?.commit.committer?.date ?? commit?.commit.author?.date ?? null,
  };
}

/**
 * Files on the branch named like CRISIS that stop nothing (misspelled at the root, or in a folder):
 * one request for the whole tree. Asked once per run, not before every post.
 */
export async function readLiveNearMisses(gh: GitHubRepo): Promise<CrisisNearMiss[]> {
  const { data } = await gh.octokit.rest.git.getTree({
    owner: gh.owner,
    repo: gh.repo,
    tree_sha: gh.branch,
    recursive: 'true',
    ...requestOptions(gh),
  });
  const entries: TreeEntry[] = data.tree
    .filter((e) => typeof e.path === 'string')
    .map((e) => ({ path: e.path!, type: e.type === 'tree' ? 'dir' : 'file' }));
  return crisisNearMisses(entries);
}

// The names people type, looked up in the history even when no such file exists now.
const USUAL_NAMES = ['CRISIS', 'Crisis', 'crisis'].flatMap((n) => [n, `${n}.md`, `${n}.txt`]);
// GitHub lists at most 300 files per page of a commit, and 3000 in all.
const MAX_FILE_PAGES = 10;

/**
 * Past and present crises on the branch: a crisis is on while any CRISIS file exists at the root.
 * Read from the history (the last 100 changes) of every such name that exists now, of the usual
 * spellings, of those named in recent commit messages ("Delete crisis.MD"), and of any other CRISIS
 * file touched by the commits found.
 */
export async function readCrisisHistory(gh: GitHubRepo): Promise<CrisisPeriod[]> {
  const [root, recent] = await Promise.all([listRoot(gh), listCommits(gh)]);
  const names = new Set([...USUAL_NAMES, ...root.filter((e) => isCrisisName(e.path)).map((e) => e.path)]);
  const commits = new Map<string, ListedCommit>();
  for (const c of recent) if (/crisis/i.test(c.commit.message)) commits.set(c.sha, c);

  const searched = new Set<string>();
  const changes = new Map<string, Map<string, boolean>>();
  // Two rounds: the names known first, then any others the commits found brought up.
  for (let round = 0; round < 2; round++) {
    const todo = [...names].filter((n) => !searched.has(n));
    for (const name of todo) searched.add(name);
    for (const listed of await Promise.all(todo.map((path) => listCommits(gh, path))))
      for (const c of listed) commits.set(c.sha, c);
    const unread = [...commits.keys()].filter((sha) => !changes.has(sha));
    const read = await Promise.all(unread.map((sha) => crisisChangesOf(gh, sha, [...searched])));
    for (const [i, sha] of unread.entries()) changes.set(sha, read[i]!);
    for (const present of read) for (const path of present.keys()) names.add(path);
  }

  return crisisPeriodsOfFiles(
    [...changes]
      .filter(([, present]) => present.size > 0)
      .map(([sha, present]) => {
        const c = commits.get(sha)!;
        return {
          at: Date.parse(c.commit.committer?.date ?? c.commit.author?.date ?? ''),
          reason: c.commit.message.split('\n')[0] ?? '',
          present,
        };
      })
      .filter((e) => Number.isFinite(e.at)),
  );
}

interface ListedCommit {
  sha: string;
  commit: { message: string; committer?: { date?: string } | null; author?: { date?: string } | null };
}

/** The last 100 commits on the branch, or those that changed `path`. */
async function listCommits(gh: GitHubRepo, path?: string): Promise<ListedCommit[]> {
  const { data } = await gh.octokit.rest.repos.listCommits({
    owner: gh.owner,
    repo: gh.repo,
    sha: gh.branch,
    ...(path === undefined ? {} : { path }),
    per_page: 100,
    ...requestOptions(gh),
  });
  return data;
}

/**
 * Which CRISIS files at the root a commit added or removed: root path → exists after it. Pages
 * through the commit's files (GitHub lists 300 per page). When a name the commit is known to have
 * changed is not among them (GitHub stops at 3000 files), asks whether it exists after the commit.
 */
async function crisisChangesOf(gh: GitHubRepo, sha: string, expected: string[]): Promise<Map<string, boolean>> {
  const present = new Map<string, boolean>();
  let complete = false;
  for (let page = 1; page <= MAX_FILE_PAGES; page++) {
    const response = await gh.octokit.rest.repos.getCommit({
      owner: gh.owner,
      repo: gh.repo,
      ref: sha,
      page,
      ...requestOptions(gh),
    });
    for (const f of response.data.files ?? []) {
      if (f.status === 'renamed' && f.previous_filename && isRootCrisis(f.previous_filename))
        present.set(f.previous_filename, false);
      if (isRootCrisis(f.filename)) present.set(f.filename, f.status !== 'removed');
    }
    if (!/<[^>]*>;\s*rel="next"/.test(response.headers.link ?? '')) {
      complete = true;
      break;
    }
  }
  if (!complete) {
    const unknown = expected.filter((path) => !present.has(path));
    const exists = await Promise.all(unknown.map((path) => existsAt(gh, path, sha)));
    for (const [i, path] of unknown.entries()) if (exists[i] !== null) present.set(path, exists[i]!);
  }
  return present;
}

const isRootCrisis = (path: string) => !path.includes('/') && isCrisisName(path);

/** Whether a root entry exists at a commit; null when it cannot tell. */
async function existsAt(gh: GitHubRepo, path: string, ref: string): Promise<boolean | null> {
  try {
    await gh.octokit.rest.repos.getContent({ owner: gh.owner, repo: gh.repo, path, ref, ...requestOptions(gh) });
    return true;
  } catch (error) {
    return statusOf(error) === 404 ? false : null;
  }
}
