import type { Env } from '../channels/channel.ts';
import { EnvironmentError, MainMovedError } from '../core/errors.ts';
import { LEDGER_FILE } from '../core/ledger.ts';
import { requestOptions, type GitHubRepo } from './client.ts';

/** More publisher commits than this since the checkout: something is wrong; a rerun is cheap. */
const MAX_LEDGER_COMMITS = 50;

/**
 * One commit. A publish run on GitHub sends the files it checked out, so it must be the commit
 * the gates read: `main` (never a branch a workflow was dispatched on), at GITHUB_SHA. If main has
 * moved since the checkout, only the publisher's own ledger commits may lie between (each changes
 * the ledger file alone); anything else means the files on disk are not main's, and the run stops
 * and says to rerun. Costs one request when main has not moved, one more per ledger commit.
 */
export async function verifyRunCommit(gh: GitHubRepo, env: Env): Promise<void> {
  const ref = env.GITHUB_REF;
  if (ref && ref !== `refs/heads/${gh.branch}`)
    throw new EnvironmentError(
      `publish runs only on ${gh.branch}, and this run is on ${ref}: what it checked out is not what was approved there. Run the workflow on ${gh.branch}.`,
    );
  const checkedOut = env.GITHUB_SHA;
  if (!checkedOut) {
    if (env.GITHUB_ACTIONS === 'true')
      throw new EnvironmentError(
        'GITHUB_SHA is not set: the commit this run checked out is unknown, so nothing is sent',
      );
    return; // outside Actions (a dry run from a laptop with a token): the gates read main itself
  }
  const { octokit, owner, repo } = gh;
  const { data: head } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: `heads/${gh.branch}`,
    ...requestOptions(gh),
  });
  if (head.object.sha === checkedOut) return;
  const short = checkedOut.slice(0, 7);
  const rerun = `rerun the workflow: it checks out ${gh.branch} as it is now`;
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
    owner,
    repo,
    basehead: `${checkedOut}...${head.object.sha}`,
    per_page: MAX_LEDGER_COMMITS,
    ...requestOptions(gh),
  });
  if (data.status !== 'ahead' || data.total_commits > MAX_LEDGER_COMMITS)
    throw new MainMovedError(
      `${gh.branch} is no longer a continuation of ${short}, the commit this run checked out (${data.status}); ${rerun}`,
    );
  for (const commit of data.commits) {
    const { data: full } = await octokit.rest.repos.getCommit({ owner, repo, ref: commit.sha, ...requestOptions(gh) });
    const files = (full.files ?? []).map((f) => f.filename);
    if (files.length !== 1 || files[0] !== LEDGER_FILE)
      throw new MainMovedError(
        `${gh.branch} moved on since this run checked out ${short}: ${commit.sha.slice(0, 7)} changed ${files.slice(0, 3).join(', ') || 'nothing'}${files.length > 3 ? ', …' : ''}; ${rerun}`,
      );
  }
}
