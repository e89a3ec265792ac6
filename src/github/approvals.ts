import type { ApprovalVerdict } from '../core/item-state.ts';
import { requestOptions, type GitHubRepo } from './client.ts';

/**
 * The approval gate, enforced in code: an item goes out only if the last change to its file on the
 * branch came through a merged pull request with enough approving reviews, from people other than
 * the pull request's author, made on the final version of that file. A direct push, an approval
 * by the author alone, or an approval given before the file changed again all hold the item.
 */
export interface FileApproval {
  verdict: ApprovalVerdict;
  /** When the file last changed on the branch (epoch ms), e.g. to tell re-approval after a crisis. */
  changedAt: number;
}

export class ApprovalChecker {
  private readonly gh: GitHubRepo;
  private readonly required: number;
  /** Within a run, each file and each commit is looked up once. */
  private readonly byFile = new Map<string, Promise<FileApproval>>();
  private readonly byCommit = new Map<string, Promise<{ verdict: ApprovalVerdict; mergedAt: number | null }>>();

  constructor(gh: GitHubRepo, required: number) {
    this.gh = gh;
    this.required = required;
  }

  check(file: string): Promise<FileApproval> {
    let result = this.byFile.get(file);
    if (!result) this.byFile.set(file, (result = this.lookUp(file)));
    return result;
  }

  private async lookUp(file: string): Promise<FileApproval> {
    const { octokit, owner, repo } = this.gh;
    const { data: commits } = await octokit.rest.repos.listCommits({
      owner,
      repo,
      sha: this.gh.branch,
      path: file,
      per_page: 1,
      ...requestOptions(this.gh),
    });
    const last = commits[0];
    if (!last) return { verdict: { ok: false, reason: `${file} is not on ${this.gh.branch}` }, changedAt: 0 };
    const committedAt = Date.parse(last.commit.committer?.date ?? last.commit.author?.date ?? '') || 0;
    let review = this.byCommit.get(last.sha);
    if (!review)
      this.byCommit.set(
        last.sha,
        (review = this.reviewOf(last.sha, file, last.author?.login ?? last.commit.author?.name ?? 'someone')),
      );
    const { verdict, mergedAt } = await review;
    // A change arrives on the branch when its pull request is merged, not when it was written.
    return { verdict: this.required === 0 ? { ok: true } : verdict, changedAt: mergedAt ?? committedAt };
  }

  private async reviewOf(
    sha: string,
    file: string,
    pusher: string,
  ): Promise<{ verdict: ApprovalVerdict; mergedAt: number | null }> {
    const { pull, verdict } = await this.pullAndVerdict(sha, file, pusher);
    return { verdict, mergedAt: pull?.merged_at ? Date.parse(pull.merged_at) : null };
  }

  private async pullAndVerdict(sha: string, file: string, pusher: string) {
    const { octokit, owner, repo } = this.gh;
    const short = sha.slice(0, 7);
    const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: sha,
      ...requestOptions(this.gh),
    });
    const pull = pulls.find((p) => p.merged_at && p.base.ref === this.gh.branch);
    if (!pull)
      return {
        pull,
        verdict: {
          ok: false as const,
          reason: `the last change to ${file} (${short} by ${pusher}) was pushed to ${this.gh.branch} without a reviewed pull request`,
        },
      };
    const author = pull.user?.login ?? '';
    const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
      owner,
      repo,
      pull_number: pull.number,
      per_page: 100,
      ...requestOptions(this.gh),
    });
    // A reviewer's latest decision counts: an approval later replaced by "changes requested" or dismissed does not.
    const latest = new Map<string, (typeof reviews)[number]>();
    for (const review of reviews) {
      const login = review.user?.login;
      if (!login || review.state === 'COMMENTED' || review.state === 'PENDING') continue;
      latest.set(login, review);
    }
    const approvals = [...latest.values()].filter((r) => r.state === 'APPROVED');
    const byOthers = approvals.filter((r) => r.user?.login !== author);
    const onFinal: string[] = [];
    for (const review of byOthers) {
      if (
        !review.commit_id ||
        review.commit_id === pull.head.sha ||
        !(await this.changedSince(review.commit_id, pull.head.sha, file))
      )
        onFinal.push(review.user!.login);
    }
    if (onFinal.length >= this.required) return { pull, verdict: { ok: true as const } };
    const need = `needs ${this.required} approving review${this.required === 1 ? '' : 's'} on the final version of ${file} from someone other than ${author} (pull request #${pull.number})`;
    const found =
      approvals.length === 0
        ? 'it has none'
        : byOthers.length === 0
          ? `only ${author}, its author, approved it`
          : `${byOthers.length - onFinal.length} approval${byOthers.length - onFinal.length === 1 ? ' was' : 's were'} given before the file changed again`;
    return { pull, verdict: { ok: false as const, reason: `${need}; ${found}` } };
  }

  private async changedSince(base: string, head: string, file: string): Promise<boolean> {
    const { data } = await this.gh.octokit.rest.repos.compareCommits({
      owner: this.gh.owner,
      repo: this.gh.repo,
      base,
      head,
      ...requestOptions(this.gh),
    });
    return (data.files ?? []).some((f) => f.filename === file || f.previous_filename === file);
  }
}
