import { type Binding, bindingChanges, boundValues } from '../core/approval-binding.ts';
import { CONFIG_FILE } from '../core/config-schema.ts';
import type { ApprovalVerdict } from '../core/item-state.ts';
import { parseConfig } from '../repo/load-config.ts';
import { type Approval, PullRequestApprovals } from './approvers.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';

/**
 * The approval gate, enforced in code. An item goes out only if enough approvers approved, in a
 * pull request merged into main, a commit at which the item's bytes (its file, its images, the
 * config values it depends on) are exactly what is about to be sent. No diff is trusted: a
 * force-push, a later merge of an unapproved commit, a swapped image or a config pushed to main
 * all leave bytes that no approver saw, and the item is held with what changed.
 *
 * Which pull requests can hold such an approval: those that brought the last change of each bound
 * file to main (an approved image change, an approved config change, the item's own pull request).
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
  isRoot: boolean;
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
  private readonly configs = new Map<string, Promise<Record<string, string> | null>>();

  constructor(gh: GitHubRepo, options: { required: number; approvers: ReadonlySet<string>; ref: string }) {
    this.gh = gh;
    this.required = options.required;
    this.ref = options.ref;
    this.approvals = new PullRequestApprovals(gh, options.approvers);
  }

  /**
   * The config file itself: its last change must be approved like content (its bytes at the
   * reviewed commit are the bytes on main), or be the repository's first commit.
   */
  async checkConfig(currentBlob: string): Promise<ApprovalVerdict> {
    const last = await this.lastChange(CONFIG_FILE);
    if (!last || last.isRoot) return { ok: true };
    const current: Binding = { files: new Map([[CONFIG_FILE, currentBlob]]), values: {} };
    const verdict = await this.verdictFor(CONFIG_FILE, [last], current, false);
    if (verdict.ok) return verdict;
    return {
      ok: false,
      reason: `${CONFIG_FILE} changed in ${last.sha.slice(0, 7)} by ${last.who} without an approval of its final version (${verdict.reason}); nothing is published until a pull request approves it`,
    };
  }

  async check(itemFile: string, current: Binding): Promise<FileApproval> {
    const own = await this.lastChange(itemFile);
    if (!own) return { verdict: { ok: false, reason: `${itemFile} is not on ${this.gh.branch}` }, changedAt: 0 };
    const others = await Promise.all([...current.files.keys(), CONFIG_FILE].map((p) => this.lastChange(p)));
    const changes = [own, ...others.filter((c): c is LastChange => c !== null)];
    const verdict = await this.verdictFor(itemFile, changes, current, true);
    return { verdict, changedAt: own.pull?.mergedAt ?? own.at };
  }

  private async verdictFor(
    file: string,
    changes: LastChange[],
    current: Binding,
    withValues: boolean,
  ): Promise<ApprovalVerdict> {
    const pulls = [...new Map(changes.flatMap((c) => (c.pull ? [[c.pull.number, c.pull]] : []))).keys()];
    const own = changes[0]!;
    if (pulls.length === 0)
      return {
        ok: false,
        reason: `the last change to ${file} (${own.sha.slice(0, 7)} by ${own.who}) was pushed to ${this.gh.branch} without a reviewed pull request`,
      };
    const counted = new Set<string>();
    const refused: string[] = [];
    const changedAfter = new Set<string>();
    for (const number of pulls) {
      const { approvals, notCounted } = await this.approvals.of(number);
      refused.push(...notCounted);
      for (const approval of approvals) {
        const changed = await this.changesSince(approval, current, withValues);
        if (changed.length === 0) counted.add(approval.login);
        else for (const c of changed) changedAfter.add(c);
      }
    }
    if (counted.size >= this.required) return { ok: true };
    const need = `needs ${this.required} approver${this.required === 1 ? '' : 's'}' approval of exactly what goes out (pull request ${pulls.map((p) => `#${p}`).join(', ')})`;
    const found = [
      counted.size > 0 ? `${counted.size} approval${counted.size === 1 ? '' : 's'} counted` : '',
      changedAfter.size > 0 ? `changed after approval: ${[...changedAfter].join(', ')}` : '',
      ...refused,
    ].filter(Boolean);
    return { ok: false, reason: `${need}; ${found.length ? found.join('; ') : 'it has no approving review'}` };
  }

  /** What differs between the bytes at the approved commit and what goes out now. */
  private async changesSince(approval: Approval, current: Binding, withValues: boolean): Promise<string[]> {
    const files = new Map<string, string | null>();
    for (const path of current.files.keys()) files.set(path, await this.blobAt(approval.commit, path));
    const values = withValues ? await this.valuesAt(approval.commit) : {};
    if (values === null) return [`${CONFIG_FILE} (unreadable at the approved commit)`];
    return bindingChanges({ files, values }, current);
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
      isRoot: last.parents.length === 0,
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

  private valuesAt(commit: string): Promise<Record<string, string> | null> {
    let values = this.configs.get(commit);
    if (!values) this.configs.set(commit, (values = this.readValues(commit)));
    return values;
  }

  private async readValues(commit: string): Promise<Record<string, string> | null> {
    try {
      const { data } = await this.gh.octokit.rest.repos.getContent({
        owner: this.gh.owner,
        repo: this.gh.repo,
        path: CONFIG_FILE,
        ref: commit,
        mediaType: { format: 'raw' },
        ...requestOptions(this.gh),
      });
      return boundValues(parseConfig(String(data)));
    } catch (error) {
      if (statusOf(error) === 404) return null;
      if (statusOf(error) !== undefined) throw error;
      return null;
    }
  }
}
