import { requestOptions, type GitHubRepo } from './client.ts';
import { type CommentResult, upsertPreviewComment } from './pr-comment.ts';

/**
 * Where a share kit is delivered on GitHub: a comment on the pull request that brought the item, the
 * one whose approval let it go out (the last change to its file on main), which the people it
 * mentions are notified of. One comment per item, found again by its marker and edited in place, so a
 * thread finished by a later run, or a run that sends an item's other networks, never adds a second.
 */
export async function pullRequestThatBrought(gh: GitHubRepo, file: string, ref: string): Promise<number | null> {
  const { octokit, owner, repo } = gh;
  const { data: commits } = await octokit.rest.repos.listCommits({
    owner,
    repo,
    sha: ref,
    path: file,
    per_page: 1,
    ...requestOptions(gh),
  });
  const last = commits[0];
  if (!last) return null;
  const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: last.sha,
    ...requestOptions(gh),
  });
  return pulls.find((pull) => pull.merged_at && pull.base.ref === gh.branch)?.number ?? null;
}

export type ShareKitDelivery = CommentResult | { kind: 'no-pull-request' };

export async function commentShareKit(
  gh: GitHubRepo,
  kit: { file: string; ref: string; marker: string; body: string },
): Promise<ShareKitDelivery & { pull?: number }> {
  const pull = await pullRequestThatBrought(gh, kit.file, kit.ref);
  if (pull === null) return { kind: 'no-pull-request' };
  return { ...(await upsertPreviewComment(gh, pull, kit.body, kit.marker)), pull };
}
