import { crisisPeriods, type CrisisPeriod } from '../core/crisis-window.ts';
import { crisisReason, CRISIS_FILE } from '../repo/crisis-file.ts';
import { requestOptions, type GitHubRepo } from './client.ts';
import { readRemoteFile } from './contents.ts';

/**
 * CRISIS on the live branch: one cheap request, asked before every single post, so a crisis
 * committed from a phone while a run is under way stops the very next post.
 */
export interface LiveCrisis {
  reason: string;
  /** Who committed it, and when (for the job summary). */
  author: string | null;
  at: string | null;
}

export async function readLiveCrisisReason(gh: GitHubRepo): Promise<string | null> {
  const file = await readRemoteFile(gh, CRISIS_FILE);
  return file === null ? null : crisisReason(file.text);
}

export async function readLiveCrisis(gh: GitHubRepo): Promise<LiveCrisis | null> {
  const reason = await readLiveCrisisReason(gh);
  if (reason === null) return null;
  const { data } = await gh.octokit.rest.repos.listCommits({
    owner: gh.owner,
    repo: gh.repo,
    sha: gh.branch,
    path: CRISIS_FILE,
    per_page: 1,
    ...requestOptions(gh),
  });
  const commit = data[0];
  return {
    reason,
    author: commit?.author?.login ?? commit?.commit.author?.name ?? null,
    at: commit?.commit.committer?.date ?? commit?.commit.author?.date ?? null,
  };
}

/** Past and present crises, from the history of the CRISIS file on the branch (the last 100 changes). */
export async function readCrisisHistory(gh: GitHubRepo): Promise<CrisisPeriod[]> {
  const { data: commits } = await gh.octokit.rest.repos.listCommits({
    owner: gh.owner,
    repo: gh.repo,
    sha: gh.branch,
    path: CRISIS_FILE,
    per_page: 100,
    ...requestOptions(gh),
  });
  const events = await Promise.all(
    commits.map(async (c) => {
      const { data } = await gh.octokit.rest.repos.getCommit({
        owner: gh.owner,
        repo: gh.repo,
        ref: c.sha,
        ...requestOptions(gh),
      });
      const status = data.files?.find((f) => f.filename === CRISIS_FILE)?.status;
      const change: 'added' | 'removed' | 'modified' =
        status === 'removed' ? 'removed' : status === 'added' ? 'added' : 'modified';
      return {
        at: Date.parse(data.commit.committer?.date ?? data.commit.author?.date ?? ''),
        change,
        reason: c.commit.message.split('\n')[0] ?? '',
      };
    }),
  );
  return crisisPeriods(events.filter((e) => Number.isFinite(e.at)));
}
