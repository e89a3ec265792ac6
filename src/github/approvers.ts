import { requestOptions, type GitHubRepo } from './client.ts';

/**
 * Whose approval counts, per pull request. Only an approver's (named where a pull request cannot
 * change it: the POSTGATE_APPROVERS repository variable, or by default the repository's owner or
 * its admins), only while they have write access, never a bot, never the pull request's author or
 * anyone who authored or pushed a commit in it, and only a review that names its commit.
 */
export interface Approval {
  login: string;
  /** The commit the approval was given on. */
  commit: string;
}

export interface PullRequestVerdicts {
  approvals: Approval[];
  /** Why approving reviews did not count, one sentence each. */
  notCounted: string[];
  /**
   * Every latest approving review that names its commit, approver or not (never a bot's): a
   * person's consent to what goes out on their own account (src/github/consent.ts).
   */
  reviews: Approval[];
  /** Who opened the pull request, and who authored or committed its commits (lower case). */
  author: string;
  pushers: ReadonlySet<string>;
  /**
   * Every commit's signature is one GitHub verified (the committer's own key, or GitHub's for web
   * edits and merges). A commit's author and committer are names anyone can write: Bob can push a
   * commit naming Alice as both to her branch. Only a verified one says who made it.
   */
  allVerified: boolean;
}

const WRITE = new Set(['admin', 'maintain', 'write']);
/** GitHub's committer of merges and web edits: not a person who pushed to the branch. */
const GITHUB_ITSELF = new Set(['web-flow', 'GitHub']);

export class PullRequestApprovals {
  private readonly gh: GitHubRepo;
  private readonly approvers: ReadonlySet<string>;
  private readonly byPull = new Map<number, Promise<PullRequestVerdicts>>();
  private readonly access = new Map<string, Promise<boolean>>();

  constructor(gh: GitHubRepo, approvers: ReadonlySet<string>) {
    this.gh = gh;
    this.approvers = new Set([...approvers].map((a) => a.toLowerCase()));
  }

  of(number: number): Promise<PullRequestVerdicts> {
    let verdicts = this.byPull.get(number);
    if (!verdicts) this.byPull.set(number, (verdicts = this.look(number)));
    return verdicts;
  }

  private async look(number: number): Promise<PullRequestVerdicts> {
    const { octokit, owner, repo } = this.gh;
    const base = { owner, repo, pull_number: number, per_page: 100, ...requestOptions(this.gh) };
    const [{ data: pull }, reviews, commits] = await Promise.all([
      octokit.rest.pulls.get({ owner, repo, pull_number: number, ...requestOptions(this.gh) }),
      octokit.paginate(octokit.rest.pulls.listReviews, base),
      octokit.paginate(octokit.rest.pulls.listCommits, base),
    ]);
    const author = pull.user?.login ?? '';
    const pushers = new Set<string>();
    const allVerified = commits.every((c) => c.commit.verification?.verified === true);
    for (const c of commits)
      for (const login of [c.author?.login, c.committer?.login])
        if (login && !GITHUB_ITSELF.has(login)) pushers.add(login.toLowerCase());

    // A reviewer's latest decision counts: an approval later replaced by "changes requested" or dismissed does not.
    const latest = new Map<string, (typeof reviews)[number]>();
    for (const review of reviews) {
      const login = review.user?.login;
      if (!login || review.state === 'COMMENTED' || review.state === 'PENDING') continue;
      latest.set(login, review);
    }
    const approvals: Approval[] = [];
    const notCounted: string[] = [];
    const approving: Approval[] = [];
    for (const [login, review] of latest) {
      if (review.state !== 'APPROVED') continue;
      if (review.user?.type !== 'Bot' && review.commit_id) approving.push({ login, commit: review.commit_id });
      const why = await this.refusal(login, review.user?.type, author, pushers, review.commit_id);
      if (why) notCounted.push(`${login}'s approval does not count: ${why}`);
      else approvals.push({ login, commit: review.commit_id! });
    }
    return { approvals, notCounted, reviews: approving, author: author.toLowerCase(), pushers, allVerified };
  }

  private async refusal(
    login: string,
    type: string | undefined,
    author: string,
    pushers: ReadonlySet<string>,
    commit: string | null | undefined,
  ): Promise<string | null> {
    const key = login.toLowerCase();
    if (type === 'Bot' || key.endsWith('[bot]')) return 'a bot never approves';
    if (login === author) return 'the pull request is theirs';
    if (pushers.has(key)) return 'they wrote or pushed a commit in the pull request';
    if (!this.approvers.has(key)) return `not an approver (approvers: ${[...this.approvers].join(', ')})`;
    if (!commit) return 'the review names no commit, so what it approved is unknown';
    if (!(await this.canWrite(login))) return 'they no longer have write access to the repository';
    return null;
  }

  private canWrite(login: string): Promise<boolean> {
    let result = this.access.get(login);
    if (!result) {
      result = this.gh.octokit.rest.repos
        .getCollaboratorPermissionLevel({
          owner: this.gh.owner,
          repo: this.gh.repo,
          username: login,
          ...requestOptions(this.gh),
        })
        .then(({ data }) => WRITE.has(data.permission) || WRITE.has(data.role_name ?? ''));
      this.access.set(login, result);
    }
    return result;
  }
}

/**
 * The approvers: POSTGATE_APPROVERS (comma- or space-separated logins, from the repository variable
 * of the same name, which only admins can change and no pull request can), else the repository's
 * owner when it is a person, else the admins of the organisation's repository.
 */
export async function resolveApprovers(gh: GitHubRepo, configured: string | undefined): Promise<Set<string>> {
  const named = (configured ?? '')
    .split(/[\s,]+/)
    .map((s) => s.replace(/^@/, '').trim())
    .filter(Boolean);
  if (named.length) return new Set(named);
  const { octokit, owner, repo } = gh;
  const { data } = await octokit.rest.repos.get({ owner, repo, ...requestOptions(gh) });
  if (data.owner.type !== 'Organization') return new Set([data.owner.login]);
  const admins = await octokit.paginate(octokit.rest.repos.listCollaborators, {
    owner,
    repo,
    permission: 'admin',
    per_page: 100,
    ...requestOptions(gh),
  });
  return new Set(admins.filter((a) => a.type !== 'Bot').map((a) => a.login));
}
