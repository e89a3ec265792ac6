import { createHash } from 'node:crypto';
import { ContentError } from '../core/errors.ts';
import { LEDGER_FILE } from '../core/ledger.ts';
import { PullRequestApprovals, resolveApprovers } from './approvers.ts';
import { requestOptions, type GitHubRepo } from './client.ts';
import { readRemoteFile } from './contents.ts';

/**
 * Only the publisher writes the ledger: before a run trusts it, every commit on the branch that
 * changed it since the last point known to be good must be either
 *
 * - the publisher's own: made through the contents API with the workflow's token, which GitHub
 *   signs as `web-flow` (verified) with the Actions bot as author. A person can write those names
 *   into a commit, not GitHub's signature; and GitHub signs a bot's API commit only when it carries
 *   no custom author or committer; or
 * - a pull request's, merged into the branch and approved by an approver, as for content
 *   (src/github/approvers.ts: named, with write access, never a bot, the author or a pusher), on
 *   its final version of the ledger. The reviewed state is a new point known to be good: "a
 *   reviewed pull request accepts" whatever the ledger held then.
 *
 * Anything else (a direct push that deletes a `retracted` line, or forges a `sent` one) stops the run.
 *
 * Cost: every publisher commit carries a checkpoint (trailer below): the newest ledger commit its
 * run verified, with the byte length and SHA-256 of the ledger then. The walk stops there, so a run
 * costs 1 request for main's head, 1 page of commits per 100 ledger commits since the last run's
 * check (usually 1), 1 read of the ledger (2 above 1 MB): 3 or 4 requests for an honest history.
 * Each other commit found costs 1 more (at most 5 are looked at); one that came through a pull
 * request about 6 (the pull request, its reviews and commits, the approvers and their access, a
 * compare) and a read of the ledger at it. A history with no checkpoint (the first run after an
 * upgrade) is walked to its start: one request per 100 commits, at most 100.
 *
 * What the walk cannot see (a merge that takes an older ledger leaves no commit in the file's
 * simplified history) the content shows: the ledger must still begin with the checkpoint's exact
 * bytes, and hold exactly one more line per publisher commit after it.
 */
export const PUBLISHER_LOGIN = 'github-actions[bot]';
const PAGE = 100;
const MAX_PAGES = 100;
const MAX_FOREIGN = 5;
const TRAILER = 'Postgate-Ledger-Checked';

export interface LedgerCheckpoint {
  /** The newest commit that changed the ledger when it was checked. */
  commit: string;
  /** The ledger's length in bytes then, and the SHA-256 of those bytes. */
  bytes: number;
  sha256: string;
}

export interface VerifiedLedger {
  text: string;
  checkpoint: LedgerCheckpoint | null;
}

export const checkpointTrailer = (c: LedgerCheckpoint) => `${TRAILER}: ${c.commit} ${c.bytes} ${c.sha256}`;

function parseTrailer(message: string): LedgerCheckpoint | null {
  const m = new RegExp(`^${TRAILER}: ([0-9a-f]{40}) (\\d+) ([0-9a-f]{64})$`, 'm').exec(message);
  return m ? { commit: m[1]!, bytes: Number(m[2]), sha256: m[3]! } : null;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const lineCount = (bytes: Uint8Array) =>
  Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;

/** The ledger texts this process verified, with their checkpoints: a store writing on top of one names it. */
const verified = new Map<string, LedgerCheckpoint>();
export const checkpointOf = (text: string): LedgerCheckpoint | null => verified.get(text) ?? null;

type Listed = Awaited<ReturnType<GitHubRepo['octokit']['rest']['repos']['listCommits']>>['data'][number];
type Account = { login?: string; type?: string } | null | undefined;
const login = (a: Account) => (a && typeof a.login === 'string' ? a.login : null);

export function isPublisherCommit(c: Listed): boolean {
  const author = c.author as Account;
  return (
    c.commit.verification?.verified === true &&
    login(c.committer as Account) === 'web-flow' &&
    login(author) === PUBLISHER_LOGIN &&
    author?.type === 'Bot' &&
    c.parents.length === 1
  );
}

const stop = (message: string) =>
  new ContentError(`${message}. Nothing is sent or retracted until the ledger is trusted again.`, []);

/**
 * The ledger on the branch, after checking that the publisher (or a reviewed pull request) wrote
 * every line of it. `approvers` is POSTGATE_APPROVERS, as for the approval gate.
 */
export async function readVerifiedLedger(gh: GitHubRepo, approvers?: string): Promise<VerifiedLedger> {
  const { octokit, owner, repo } = gh;
  let reviews: Promise<PullRequestApprovals> | undefined;
  const approvals = () =>
    (reviews ??= resolveApprovers(gh, approvers).then((names) => new PullRequestApprovals(gh, names)));
  // One commit for everything below: the history listed and the text read are of the same main.
  const { data: ref } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: `heads/${gh.branch}`,
    ...requestOptions(gh),
  });
  const head = ref.object.sha;

  let newest: string | null = null;
  let target: LedgerCheckpoint | null = null;
  let anchor:
    | { kind: 'checkpoint'; at: LedgerCheckpoint }
    | { kind: 'review'; commit: string }
    | { kind: 'start' }
    | null = null;
  let ours = 0;
  const foreign: Listed[] = [];
  walk: for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await octokit.rest.repos.listCommits({
      owner,
      repo,
      sha: head,
      path: LEDGER_FILE,
      per_page: PAGE,
      page,
      ...requestOptions(gh),
    });
    for (const c of data) {
      newest ??= c.sha;
      if (target && c.sha === target.commit) {
        anchor = { kind: 'checkpoint', at: target };
        break walk;
      }
      if (isPublisherCommit(c)) {
        ours++;
        target ??= parseTrailer(c.commit.message);
        continue;
      }
      // Accepted by a review: what the ledger held then was reviewed; nothing older matters.
      if (await acceptedByReview(gh, c.sha, approvals)) {
        anchor = { kind: 'review', commit: c.sha };
        break walk;
      }
      foreign.push(c);
      if (foreign.length >= MAX_FOREIGN) break walk;
    }
    if (data.length < PAGE) {
      anchor = { kind: 'start' };
      break;
    }
  }

  if (foreign.length) {
    const who = foreign.map(
      (c) => `${c.sha.slice(0, 7)} (${login(c.author as Account) ?? c.commit.author?.name ?? 'unknown'})`,
    );
    throw stop(
      `${LEDGER_FILE} was changed by ${who.join(', ')}${foreign.length >= MAX_FOREIGN ? ' and perhaps more' : ''} outside the publisher: review it in a pull request, or revert it. Only a pull request into ${gh.branch} that changes the ledger (reverting the change, or keeping it) and is approved by an approver other than its author accepts it`,
    );
  }
  if (anchor === null)
    throw stop(
      `${LEDGER_FILE} has more than ${MAX_PAGES * PAGE} commits since the last checkpoint of its history, more than one run checks; a reviewed pull request that changes the ledger sets a new one`,
    );

  const file = await readRemoteFile(gh, LEDGER_FILE, head);
  const text = file?.text ?? '';
  const bytes = Buffer.from(text, 'utf8');
  let base: { bytes: number; sha256: string; where: string };
  if (anchor.kind === 'checkpoint')
    base = { ...anchor.at, where: `the publisher's checkpoint ${anchor.at.commit.slice(0, 7)}` };
  else if (anchor.kind === 'review') {
    const accepted = Buffer.from((await readRemoteFile(gh, LEDGER_FILE, anchor.commit))?.text ?? '', 'utf8');
    base = {
      bytes: accepted.length,
      sha256: sha256(accepted),
      where: `the reviewed commit ${anchor.commit.slice(0, 7)}`,
    };
  } else base = { bytes: 0, sha256: sha256(new Uint8Array()), where: 'its first commit' };

  if (bytes.length < base.bytes || sha256(bytes.subarray(0, base.bytes)) !== base.sha256)
    throw stop(
      `${LEDGER_FILE} on ${gh.branch} no longer begins with what it held at ${base.where}: recorded lines were changed or removed (by a commit made with the workflow's token, or by one the file's history does not list, such as a merge); revert it in a reviewed pull request`,
    );
  const added = lineCount(bytes.subarray(base.bytes));
  if (added !== ours)
    throw stop(
      `${LEDGER_FILE} on ${gh.branch} has ${added} line${added === 1 ? '' : 's'} since ${base.where} but the publisher committed ${ours}: lines it did not write are in it; revert them in a reviewed pull request`,
    );

  const checkpoint = newest === null ? null : { commit: newest, bytes: bytes.length, sha256: sha256(bytes) };
  if (checkpoint) verified.set(text, checkpoint);
  return { text, checkpoint };
}

/**
 * Whether `sha` came to the branch through a merged pull request that an approver approved with
 * the ledger as it was merged (on its last commit, or on an earlier one the ledger has not changed since).
 */
async function acceptedByReview(
  gh: GitHubRepo,
  sha: string,
  approvals: () => Promise<PullRequestApprovals>,
): Promise<boolean> {
  const { octokit, owner, repo } = gh;
  const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: sha,
    ...requestOptions(gh),
  });
  const pull = pulls.find((p) => p.merged_at && p.base.ref === gh.branch);
  if (!pull) return false;
  for (const approval of (await (await approvals()).of(pull.number)).approvals) {
    if (approval.commit === pull.head.sha) return true;
    const { data } = await octokit.rest.repos.compareCommits({
      owner,
      repo,
      base: approval.commit,
      head: pull.head.sha,
      ...requestOptions(gh),
    });
    if (!(data.files ?? []).some((f) => f.filename === LEDGER_FILE || f.previous_filename === LEDGER_FILE)) return true;
  }
  return false;
}
