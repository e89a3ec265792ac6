import {
  crisisEntries,
  crisisNearMisses,
  crisisReason,
  type CrisisNearMiss,
  type TreeEntry,
} from '../core/crisis-name.ts';
import { crisisPeriodsOfStates, type CrisisPeriod, type CrisisState } from '../core/crisis-window.ts';
import { requestOptions, type GitHubRepo } from './client.ts';
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

/** Updates of the branch looked at, at most: each costs one request, for the root it left. */
const MAX_UPDATES = 100;
const BATCH = 8;
const NO_COMMIT = /^0+$/;

export interface CrisisHistoryOptions {
  /**
   * The earliest moment a crisis still matters to (epoch ms), e.g. the oldest due time that could
   * still be sent: the history is read back to the first update of the branch before it.
   */
  since?: number;
}

type Update = Awaited<ReturnType<GitHubRepo['octokit']['rest']['repos']['listActivities']>>['data'][number];

/**
 * Past and present crises on the branch: a crisis is on while any entry named like CRISIS
 * (src/core/crisis-name.ts: any case or extension, a file or a folder) is at the root.
 *
 * Read from the branch's activity (`GET /repos/{owner}/{repo}/activity`): every update of the
 * branch (a push, a merge, a force push, a write through the API) with the commit it left the
 * branch at, and the time GitHub made it. The root of each such commit is listed
 * (`GET /git/trees/{commit}`, not recursive), so a crisis is found whatever its name and whatever
 * the commit messages say, and it starts and ends when it was put on and taken off the branch, not
 * at the dates its commits claim (an author chooses those: `git commit --date`). Commits pushed
 * together were never on the branch on their own and do not count.
 *
 * Cost: one request per 100 updates and one per update (once per commit), newest first, back to the
 * first update before `since`, or to the branch's creation; at most 100 updates. When that bound
 * is reached first, or GitHub keeps no older activity, what came before is unknown and counts as a
 * crisis (fail closed): an item due then is held until it is approved again.
 */
export async function readCrisisHistory(gh: GitHubRepo, options: CrisisHistoryOptions = {}): Promise<CrisisPeriod[]> {
  const { since } = options;
  const updates: Update[] = []; // newest first
  let complete = false;
  pages: for await (const { data } of gh.octokit.paginate.iterator(gh.octokit.rest.repos.listActivities, {
    owner: gh.owner,
    repo: gh.repo,
    ref: `refs/heads/${gh.branch}`,
    direction: 'desc',
    per_page: 100,
    ...requestOptions(gh),
  })) {
    for (const update of data) {
      if (updates.length >= MAX_UPDATES) break pages;
      updates.push(update);
      if (NO_COMMIT.test(update.before) || (since !== undefined && Date.parse(update.timestamp) < since)) {
        complete = true;
        break pages;
      }
    }
  }
  updates.reverse();
  const known = updates.filter((u) => !NO_COMMIT.test(u.after) && Number.isFinite(Date.parse(u.timestamp)));
  if (known.length === 0)
    throw new Error(`GitHub lists no activity of ${gh.branch}, so its past crises cannot be read`);

  const roots = new Map<string, Promise<RootEntry[]>>();
  const rootOf = (commit: string) => {
    let read = roots.get(commit);
    if (!read) roots.set(commit, (read = rootCrisisEntries(gh, commit)));
    return read;
  };
  const entries: RootEntry[][] = [];
  for (let i = 0; i < known.length; i += BATCH)
    entries.push(...(await Promise.all(known.slice(i, i + BATCH).map((u) => rootOf(u.after)))));

  const states: CrisisState[] = [];
  if (!complete)
    states.push({
      at: since ?? 0,
      crisis: true,
      reason: `unknown: the activity of ${gh.branch} before ${known[0]!.timestamp} was not read`,
    });
  for (const [i, update] of known.entries())
    states.push({ at: Date.parse(update.timestamp), crisis: entries[i]!.length > 0, reason: '' });
  // The reason of each crisis that starts: its CRISIS file, as the live check reads it.
  const offset = states.length - known.length;
  await Promise.all(
    known.map(async (update, i) => {
      const state = states[offset + i]!;
      if (!state.crisis || states[offset + i - 1]?.crisis) return;
      const file = entries[i]!.find((e) => e.type === 'file');
      const read = file ? await readRemoteFile(gh, file.path, update.after).catch(() => null) : null;
      state.reason = read ? crisisReason(read.text) : 'no reason given';
    }),
  );
  return crisisPeriodsOfStates(states);
}

/** The CRISIS entries at the root of a commit (files, folders, links), the exact name first. */
async function rootCrisisEntries(gh: GitHubRepo, commit: string): Promise<RootEntry[]> {
  const { data } = await gh.octokit.rest.git.getTree({
    owner: gh.owner,
    repo: gh.repo,
    tree_sha: commit,
    ...requestOptions(gh),
  });
  return crisisEntries(
    data.tree
      .filter((e) => typeof e.path === 'string')
      .map((e): RootEntry => ({ path: e.path!, type: e.type === 'tree' ? 'dir' : 'file' })),
  );
}
