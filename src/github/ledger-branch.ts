import { LEDGER_BRANCH, LEDGER_FILE } from '../core/ledger.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { readRemoteFile, RuleViolation, ruleViolationOf } from './contents.ts';
import {
  PUBLISHER_LOGIN,
  readVerifiedLedger,
  untrustedLedger,
  type SealCheck,
  type VerifiedLedger,
} from './ledger-history.ts';

/**
 * The ledger on its own branch, `postgate/ledger`, which only the publisher writes, so that `main`
 * can require a reviewed pull request for everything (the workflow's token cannot bypass a ruleset).
 *
 * Moving there is automatic: while the branch does not exist, the ledger is main's (its history
 * checked as always), and the first record a run writes creates the branch at the main commit that
 * was checked. The branch then carries main's history, so the checkpoints of that history hold.
 *
 * On top of the history check (src/github/ledger-history.ts), what the branch's commits cannot show,
 * read from GitHub's activity list of the branch (every update, with the commit it was at before):
 * - a force push or a deletion leaves no commit behind, and can put back a ledger cut short by a
 *   commit the history then no longer lists: any since an approver last reviewed the ledger stops
 *   the run (and a deleted branch does not send it back to main's older copy);
 * - an ordinary push of a merge whose result takes an older ledger (resolved by hand) leaves the
 *   later ledger commits out of the file's history, so the history check sees an older, consistent
 *   ledger: every update since the last checkpoint to a commit the history check did not vouch for
 *   must leave the ledger's bytes as they were;
 * - a branch created from an older main would forget what was recorded on main since: every line of
 *   main's copy, while there is one, must be on the branch.
 */
export const ledgerRepo = (main: GitHubRepo): GitHubRepo => ({ ...main, branch: LEDGER_BRANCH });

export interface LedgerOnGitHub {
  text: string;
  /** While the ledger is still on main: the commit whose (checked) ledger the branch starts from. */
  moveFrom: string | null;
}

/** The ledger as it is on GitHub now, once it is known that only the publisher wrote it. */
export async function readLedgerOnGitHub(
  main: GitHubRepo,
  approvers?: string,
  seals: SealCheck | null = null,
): Promise<LedgerOnGitHub> {
  const ledger = ledgerRepo(main);
  if (!(await branchExists(ledger))) {
    // A branch deleted after the ledger moved would send the run back to main's older copy.
    await checkNeverMade(ledger);
    const onMain = await readVerifiedLedger(main, approvers);
    return { text: onMain.text, moveFrom: onMain.head };
  }
  const [verified, mainCopy] = await Promise.all([
    // Seals are checked on the branch only: main's history predates them.
    readVerifiedLedger(ledger, approvers, seals),
    readRemoteFile(main, LEDGER_FILE),
  ]);
  await checkNothingRewound(ledger, verified.vouched.reviewedAt);
  await checkEveryUpdate(ledger, verified.vouched, verified.head);
  if (mainCopy) checkMainCopyKept(verified.text, mainCopy.text, main.branch);
  return { text: verified.text, moveFrom: null };
}

export async function branchExists(gh: GitHubRepo): Promise<boolean> {
  try {
    await gh.octokit.rest.git.getRef({
      owner: gh.owner,
      repo: gh.repo,
      ref: `heads/${gh.branch}`,
      ...requestOptions(gh),
    });
    return true;
  } catch (error) {
    if (statusOf(error) === 404) return false;
    throw error;
  }
}

/**
 * Creates the ledger's branch at `commit` of main. False when it exists already (another run made
 * it first): what it holds is then checked like any later version, by the store's own reads.
 */
export async function createLedgerBranch(ledger: GitHubRepo, commit: string): Promise<boolean> {
  try {
    return await createBranch(ledger, commit, LEDGER_FILE);
  } catch (error) {
    if (error instanceof RuleViolation)
      throw new Error(
        `${error.message.replace(/\.$/, '')}. The publisher creates ${ledger.branch} once, to keep the ledger there; let it (a ruleset may restrict deleting or force-pushing it, not creating it)`,
      );
    throw error;
  }
}

/**
 * Creates `gh.branch` at `commit`; false when it exists already. A rule that forbids it is a
 * RuleViolation naming `path`, the file the branch is made for.
 */
export async function createBranch(gh: GitHubRepo, commit: string, path: string): Promise<boolean> {
  try {
    await gh.octokit.rest.git.createRef({
      owner: gh.owner,
      repo: gh.repo,
      ref: `refs/heads/${gh.branch}`,
      sha: commit,
      ...requestOptions(gh),
    });
    return true;
  } catch (error) {
    const violation = ruleViolationOf(error, path, gh.branch);
    if (violation) throw violation;
    if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) return false;
    throw error;
  }
}

const messageOf = (error: unknown) =>
  String((error as { response?: { data?: { message?: unknown } } }).response?.data?.message ?? '');

type Update = Awaited<ReturnType<GitHubRepo['octokit']['rest']['repos']['listActivities']>>['data'][number];
/** The ledger's activity of one kind, newest first. */
async function activityOf(ledger: GitHubRepo, activity_type?: 'force_push' | 'branch_deletion'): Promise<Update[]> {
  const found: Update[] = [];
  for await (const { data } of ledger.octokit.paginate.iterator(ledger.octokit.rest.repos.listActivities, {
    owner: ledger.owner,
    repo: ledger.repo,
    ref: `refs/heads/${ledger.branch}`,
    direction: 'desc',
    per_page: 100,
    ...(activity_type ? { activity_type } : {}),
    ...requestOptions(ledger),
  })) {
    found.push(...data);
    if (!activity_type) break; // whether there is any: one page
  }
  return found;
}

/**
 * No force push and no deletion of the branch since an approver last reviewed the ledger (in a pull
 * request into the branch; ever, if none did). Each can put back a ledger cut short by a commit the
 * history no longer lists, however the result looks, so no comparison of ledgers can clear one: only
 * a review can. The ruleset setup puts on the branch makes both impossible. Two requests.
 */
async function checkNothingRewound(ledger: GitHubRepo, reviewedAt: string | null): Promise<void> {
  const rewinds = [
    ...(await activityOf(ledger, 'force_push')),
    ...(await activityOf(ledger, 'branch_deletion')),
  ].filter((u) => reviewedAt === null || Date.parse(u.timestamp) > Date.parse(reviewedAt));
  const rewind = rewinds.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))[0];
  if (rewind) throw rewound(ledger, rewind);
}

/** The stop for a force push or a deletion of the branch: no comparison of ledgers clears one. */
const rewound = (ledger: GitHubRepo, rewind: Update) =>
  untrustedLedger(
    `${ledger.branch} was ${rewind.activity_type === 'force_push' ? 'force-pushed' : 'deleted'} by ${rewind.actor?.login ?? 'someone'} at ${rewind.timestamp} (it was at ${rewind.before.slice(0, 7)}): whatever it holds now, records may have been cut away in between. ${REPAIR(rewind.before)}`,
  );

/** The branch is missing: only because it was never made. Deleted, runs would read main's older copy. */
async function checkNeverMade(ledger: GitHubRepo): Promise<void> {
  const last = (await activityOf(ledger))[0];
  if (!last) return;
  throw untrustedLedger(
    `${ledger.branch} was deleted (last update by ${last.actor?.login ?? 'someone'} at ${last.timestamp}), and main's copy of the ledger is older than what it recorded. Make it again where it was (git push origin ${last.before.slice(0, 7)}:refs/heads/${ledger.branch}), then have an approver review the ledger in a pull request into it`,
  );
}

/** Updates of the branch read back to the last checkpoint, at most (100 to a page). */
const MAX_UPDATE_PAGES = 10;

/**
 * Each update of the branch since trust starts (`vouched.anchor`: the publisher's own push of its
 * checkpoint commit, or the merge of the newest accepted pull request; else since the branch was
 * made), oldest first:
 * - the publisher's push of a commit the history check vouched for, or the merge of an accepted
 *   pull request: fine;
 * - any other push or merge must leave the ledger's blob as it was (a merge resolved to an older
 *   ledger leaves the later commits out of the file's history, so only this shows it);
 * - a force push or a deletion stops the run, as in checkNothingRewound (which sees every one after
 *   the last review; this also catches one in the same second as that review's merge); a branch
 *   creation after the anchor follows a deletion, which stops it already.
 * One request when every update is the publisher's; two more (blob ids) per other update.
 */
async function checkEveryUpdate(ledger: GitHubRepo, vouched: VerifiedLedger['vouched'], head: string): Promise<void> {
  const updates: Update[] = []; // newest first
  let pages = 0;
  let complete = false;
  collect: for await (const { data } of ledger.octokit.paginate.iterator(ledger.octokit.rest.repos.listActivities, {
    owner: ledger.owner,
    repo: ledger.repo,
    ref: `refs/heads/${ledger.branch}`,
    direction: 'desc',
    per_page: 100,
    ...requestOptions(ledger),
  })) {
    for (const update of data) {
      if (update.after === vouched.anchor && (isPublisherPush(update) || update.activity_type === 'pr_merge')) {
        complete = true;
        break collect;
      }
      updates.push(update);
    }
    if (++pages >= MAX_UPDATE_PAGES) break;
  }
  if (!complete && pages >= MAX_UPDATE_PAGES)
    throw untrustedLedger(
      `GitHub's activity list of ${ledger.branch} does not reach back to the last checked commit within ${MAX_UPDATE_PAGES * 100} updates, so the updates since cannot be checked`,
    );
  // Updates after the one that made the head the history was read at are another run's writes
  // since (two runs at once): not part of the ledger this run goes by, and the next read checks
  // them. When the list does not show that update (it may lag behind the branch), all are checked.
  const atHead = updates.findIndex((u) => u.after === head);
  if (atHead > 0) updates.splice(0, atHead);
  // Oldest first, and someone else's updates before the publisher's: when a merge pruned the
  // publisher's later commits from the file's history, the merge is what the message names.
  updates.reverse();
  const byOthers = (u: Update) => !isPublisherPush(u);
  for (const update of [...updates.filter(byOthers), ...updates.filter((u) => !byOthers(u))]) {
    if (update.activity_type === 'force_push' || update.activity_type === 'branch_deletion')
      throw rewound(ledger, update);
    if (update.activity_type === 'branch_creation') continue;
    const vouchedFor =
      vouched.commits.has(update.after) && (isPublisherPush(update) || update.activity_type === 'pr_merge');
    if (vouchedFor) continue;
    const [before, after] = await Promise.all([
      ledgerBlobAt(ledger, update.before),
      ledgerBlobAt(ledger, update.after),
    ]);
    if (before !== after)
      throw untrustedLedger(
        `${ledger.branch} was ${update.activity_type === 'pr_merge' ? 'merged into' : 'updated'} by ${update.actor?.login ?? 'someone'} at ${update.timestamp} to ${update.after.slice(0, 7)}, which the publisher did not write, and that update changed ${LEDGER_FILE} without a commit its history lists (such as a merge that took an older ledger). ${REPAIR(update.before)}`,
      );
  }
}

const isPublisherPush = (update: Update) => update.activity_type === 'push' && update.actor?.login === PUBLISHER_LOGIN;

const REPAIR = (commit: string) =>
  `Put the ledger back as it was at ${commit.slice(0, 7)} (git show ${commit.slice(0, 7)}:${LEDGER_FILE}) in a pull request into ${LEDGER_BRANCH} that an approver reviews, and protect the branch: postgate setup`;

/** Git's blob id of the ledger at a commit ('none' when it has none there): one request at any size. */
async function ledgerBlobAt(gh: GitHubRepo, commit: string): Promise<string> {
  try {
    const { data } = await gh.octokit.rest.repos.getContent({
      owner: gh.owner,
      repo: gh.repo,
      path: LEDGER_FILE,
      ref: commit,
      ...requestOptions(gh),
    });
    if (Array.isArray(data) || data.type !== 'file') throw new Error(`${LEDGER_FILE} at ${commit} is not a file`);
    return data.sha;
  } catch (error) {
    if (statusOf(error) === 404) return 'none';
    throw error;
  }
}

/** Main's copy, frozen when the ledger moved: a branch that lacks any of its lines forgot posts. */
function checkMainCopyKept(text: string, mainText: string, main: string): void {
  const have = new Set(text.split('\n'));
  const missing = mainText.split('\n').filter((line) => line.trim() !== '' && !have.has(line));
  if (missing.length === 0) return;
  throw untrustedLedger(
    `${LEDGER_FILE} on ${main} records ${missing.length} line${missing.length === 1 ? '' : 's'} that ${LEDGER_BRANCH} does not (the first: ${missing[0]!.slice(0, 160)}): the branch was created from an older ${main}, or ${main}'s copy was edited after the ledger moved. If the branch is the older one, bring it up to ${main}'s in a pull request into ${LEDGER_BRANCH} that an approver reviews; if ${main}'s copy was edited, revert that in a pull request`,
  );
}
