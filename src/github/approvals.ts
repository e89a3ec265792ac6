import type { Binding } from '../core/approval-binding.ts';
import { CONFIG_FILE } from '../core/config-schema.ts';
import type { ApprovalVerdict } from '../core/item-state.ts';
import { PullRequestApprovals } from './approvers.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';

/**
 * The approval gate, enforced in code. An item goes out only if every file it sends (its own file,
 * its images or cover) came to main, in its current bytes, through a merged pull request in which
 * enough approvers approved a commit holding exactly those bytes. No diff is trusted: a force-push,
 * a later merge of an unapproved commit, a swapped image, a file renamed or copied on main all leave
 * bytes that no approver saw, and the item is held with what changed. Each file answers for itself:
 * an approval in one pull request never vouches for a file another change brought.
 *
 * The config is approved the same way, apart (checkConfig): so the values an item is sent with
 * (site address, time zone, channels, UTM, approval policy) are always ones an approver approved.
 */
export interface FileApproval {
  verdict: ApprovalVerdict;
  /** When the item's file last changed on the branch (epoch ms): a re-approval after a crisis. */
  changedAt: number;
}

interface LastChange {
  sha: string;
  who: string;
  at: number;
  /** A repository's first commit as GitHub made it (parentless, committed and signed by GitHub). */
  createdByGitHub: boolean;
  pull: { number: number; mergedAt: number } | null;
}

export class ApprovalChecker {
  private readonly gh: GitHubRepo;
  private readonly required: number;
  /** The commit whose history is the truth (the run's checkout on main). */
  private readonly ref: string;
  private readonly approvals: PullRequestApprovals;
  private readonly lastChanges = new Map<string, Promise<LastChange | null>>();
  private readonly blobs = new Map<string, Promise<string | null>>();

  constructor(gh: GitHubRepo, options: { required: number; approvers: ReadonlySet<string>; ref: string }) {
    this.gh = gh;
    this.required = options.required;
    this.ref = options.ref;
    this.approvals = new PullRequestApprovals(gh, options.approvers);
  }

  /**
   * The config file: its last change must be approved like content, or be the repository's first
   * commit as GitHub made it from the template (an orphan commit merged in later is not).
   */
  async checkConfig(currentBlob: string): Promise<ApprovalVerdict> {
    const last = await this.lastChange(CONFIG_FILE);
    if (!last || last.createdByGitHub) return { ok: true };
    const verdict = await this.fileVerdict(CONFIG_FILE, last, new Map([[CONFIG_FILE, currentBlob]]), CONFIG_FILE);
    if (verdict.ok) return verdict;
    return {
      ok: false,
      reason: `${CONFIG_FILE} changed in ${last.sha.slice(0, 7)} by ${last.who} without an approval of its final version (${verdict.reason}); nothing is published until a pull request approves it`,
    };
  }

  async check(itemFile: string, current: Binding): Promise<FileApproval> {
    const own = await this.lastChange(itemFile);
    if (!own) return { verdict: { ok: false, reason: `${itemFile} is not on ${this.gh.branch}` }, changedAt: 0 };
    const reasons: string[] = [];
    for (const path of current.files.keys()) {
      const change = path === itemFile ? own : await this.lastChange(path);
      const verdict = change
        ? await this.fileVerdict(path, change, current.files, itemFile)
        : { ok: false as const, reason: `${path} is not on ${this.gh.branch}` };
      if (!verdict.ok) reasons.push(verdict.reason);
    }
    const verdict: ApprovalVerdict = reasons.length ? { ok: false, reason: reasons.join('; ') } : { ok: true };
    return { verdict, changedAt: own.pull?.mergedAt ?? own.at };
  }

  /**
   * A person's own consent to what goes out on their account (README: Accounts): for every file the
   * item sends, the pull request that last changed it holds an approving review by them of a commit
   * with exactly those bytes, or they opened it and wrote and pushed every commit in it (nobody else
   * changed their words), each commit signed and verified by GitHub: an unsigned commit's names are
   * whatever its pusher typed, so anyone with push access could write as them (insider review 7).
   * The organisation's approvers decide for the organisation, not for them.
   */
  async consent(itemFile: string, current: Binding, login: string): Promise<ApprovalVerdict> {
    const person = login.toLowerCase();
    const reasons: string[] = [];
    for (const path of current.files.keys()) {
      const change = await this.lastChange(path);
      if (!change?.pull) {
        reasons.push(`${path} did not come through a pull request`);
        continue;
      }
      const number = change.pull.number;
      const { reviews, author, pushers, allVerified } = await this.approvals.of(number);
      const alone = author === person && [...pushers].every((p) => p === person);
      if (alone && allVerified) continue;
      const theirs = reviews.filter((r) => r.login.toLowerCase() === person);
      let approved = false;
      for (const review of theirs) approved ||= await this.sameBytes(review.commit, [path, itemFile], current.files);
      if (!approved)
        reasons.push(
          `${path} (pull request #${number}) has no approval by @${login} of exactly what goes out${theirs.length ? ': it changed after their approval' : alone ? ' (their own pull request counts only when every commit in it is signed and verified)' : ''}`,
        );
    }
    return reasons.length
      ? {
          ok: false,
          reason: `needs @${login}'s approval, since it goes out on their own account: ${reasons.join('; ')}`,
        }
      : { ok: true };
  }

  private async sameBytes(commit: string, paths: string[], current: ReadonlyMap<string, string | null>) {
    for (const p of new Set(paths)) if ((await this.blobAt(commit, p)) !== current.get(p)) return false;
    return true;
  }

  /**
   * One file's last change: its pull request must hold enough approvals of commits at which this
   * file, and the item's own file, are exactly the bytes that go out.
   */
  private async fileVerdict(
    path: string,
    change: LastChange,
    current: ReadonlyMap<string, string | null>,
    itemFile: string,
  ): Promise<ApprovalVerdict> {
    if (!change.pull)
      return {
        ok: false,
        reason: `the last change to ${path} (${change.sha.slice(0, 7)} by ${change.who}) was pushed to ${this.gh.branch} without a reviewed pull request`,
      };
    const number = change.pull.number;
    const { approvals, notCounted } = await this.approvals.of(number);
    const counted = new Set<string>();
    const changedAfter = new Set<string>();
    for (const approval of approvals) {
      const changed: string[] = [];
      for (const p of new Set([path, itemFile]))
        if ((await this.blobAt(approval.commit, p)) !== current.get(p)) changed.push(p);
      if (changed.length === 0) counted.add(approval.login);
      else for (const c of changed) changedAfter.add(c);
    }
    if (counted.size >= this.required) return { ok: true };
    const need = `${path} needs ${this.required} approver${this.required === 1 ? '' : 's'}' approval of exactly what goes out (pull request #${number})`;
    const found = [
      counted.size > 0 ? `${counted.size} approval${counted.size === 1 ? '' : 's'} counted` : '',
      changedAfter.size > 0 ? `changed after approval: ${[...changedAfter].join(', ')}` : '',
      ...notCounted,
    ].filter(Boolean);
    return { ok: false, reason: `${need}; ${found.length ? found.join('; ') : 'it has no approving review'}` };
  }

  private lastChange(path: string): Promise<LastChange | null> {
    let found = this.lastChanges.get(path);
    if (!found) this.lastChanges.set(path, (found = this.findLastChange(path)));
    return found;
  }

  private async findLastChange(path: string): Promise<LastChange | null> {
    const { octokit, owner, repo } = this.gh;
    const { data } = await octokit.rest.repos.listCommits({
      owner,
      repo,
      sha: this.ref,
      path,
      per_page: 1,
      ...requestOptions(this.gh),
    });
    const last = data[0];
    if (!last) return null;
    const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: last.sha,
      ...requestOptions(this.gh),
    });
    const pull = pulls.find((p) => p.merged_at && p.base.ref === this.gh.branch);
    return {
      sha: last.sha,
      who: last.author?.login ?? last.commit.author?.name ?? 'someone',
      at: Date.parse(last.commit.committer?.date ?? last.commit.author?.date ?? '') || 0,
      createdByGitHub:
        last.parents.length === 0 &&
        last.commit.verification?.verified === true &&
        last.committer?.login === 'web-flow',
      pull: pull ? { number: pull.number, mergedAt: Date.parse(pull.merged_at!) } : null,
    };
  }

  private blobAt(commit: string, path: string): Promise<string | null> {
    const key = `${commit}\0${path}`;
    let blob = this.blobs.get(key);
    if (!blob) this.blobs.set(key, (blob = this.readBlobId(commit, path)));
    return blob;
  }

  private async readBlobId(commit: string, path: string): Promise<string | null> {
    try {
      const { data } = await this.gh.octokit.rest.repos.getContent({
        owner: this.gh.owner,
        repo: this.gh.repo,
        path,
        ref: commit,
        ...requestOptions(this.gh),
      });
      return Array.isArray(data) || data.type !== 'file' ? null : data.sha;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }
}
