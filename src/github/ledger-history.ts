import { createHash, type KeyObject } from 'node:crypto';
import { sealHolds, sealIn } from '../core/ledger-seal.ts';
import { ContentError } from '../core/errors.ts';
import { LEDGER_FILE } from '../core/ledger.ts';
import { PullRequestApprovals, resolveApprovers } from './approvers.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { gitBlobSha, readRemoteFile } from './contents.ts';

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
 *   exactly the ledger bytes that were merged (its blob at the approved commit is the one merged),
 *   and only for what its approver saw: the change from the ledger at the pull request's merge
 *   base with the branch (as merged) to those bytes. So that merge base's ledger must itself be
 *   trusted: byte for byte the ledger the branch held, as the publisher wrote it, just before the
 *   merge (or, after commits outside the publisher, just before the first of them). A pull request
 *   whose bytes are exactly that trusted ledger (a revert) also accepts those commits.
 *
 * Anything else (a direct push that deletes a `retracted` line, or forges a `sent` one, and a
 * reviewed pull request whose diff does not show it) stops the run. The walk does not stop at a
 * reviewed pull request: it goes on to a checkpoint, or to the ledger's first commit.
 *
 * Cost: every publisher commit carries a checkpoint (trailer below): the newest ledger commit its
 * run verified, with the byte length and SHA-256 of the ledger then. The walk stops there, so a run
 * costs 1 request for main's head, 1 page of commits per 100 ledger commits since the last run's
 * check (usually 1), 1 read of the ledger (2 above 1 MB): 3 or 4 requests for an honest history.
 * Each other commit found costs 1 more (at most 10 are looked at); one that came through a pull
 * request about 10 (the pull request, its reviews and commits, the approvers and their access, the
 * ledger's blob at it and at the approved commit, the merge commit, a compare for the merge base
 * and its blob) and up to 2 reads of the ledger. A history with no checkpoint (the first run after
 * an upgrade) is walked to its start: one request per 100 commits, at most 100.
 *
 * What the walk cannot see (a merge that takes an older ledger leaves no commit in the file's
 * simplified history) the content shows: the ledger must still begin with the last trusted bytes
 * (the checkpoint's, or an accepted pull request's), and hold exactly one more line per publisher
 * commit after them.
 */
export const PUBLISHER_LOGIN = 'github-actions[bot]';
const PAGE = 100;
const MAX_PAGES = 100;
/** Commits not the publisher's looked at, at most (each costs a request, a pull request's about 10). */
const MAX_EXAMINED = 10;
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
  /** The branch's commit everything was read at. */
  head: string;
  /**
   * What the walk vouched for since `anchor`: the publisher's commits, and the commits that merged an
   * accepted pull request. `anchor` is the commit trust starts from: the merge of the newest pull
   * request accepted, else the checkpoint's commit (null: the ledger's first commit). An update of the
   * branch since, to any other commit, must not have changed the ledger (src/github/ledger-branch.ts).
   */
  vouched: { commits: ReadonlySet<string>; anchor: string | null; reviewedAt: string | null };
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

/** The ledger cannot be trusted: the run stops, loudly, crisis or not. */
export const untrustedLedger = (message: string) =>
  new ContentError(`${message}. Nothing is sent or retracted until the ledger is trusted again.`, []);

/**
 * The ledger on the branch, after checking that the publisher (or a reviewed pull request) wrote
 * every line of it. `approvers` is POSTGATE_APPROVERS, as for the approval gate.
 */
export async function readVerifiedLedger(
  gh: GitHubRepo,
  approvers?: string,
  seal: SealCheck | null = null,
): Promise<VerifiedLedger> {
  const { octokit, owner, repo } = gh;
  let reviews: Promise<PullRequestApprovals> | undefined;
  const approvals = () =>
    (reviews ??= resolveApprovers(gh, approvers).then((names) => new PullRequestApprovals(gh, names)));
  const at = new LedgerAt(gh);
  // One commit for everything below: the history listed and the text read are of the same main.
  const { data: ref } = await octokit.rest.git.getRef({
    owner,
    repo,
    ref: `heads/${gh.branch}`,
    ...requestOptions(gh),
  });
  const head = ref.object.sha;

  // The ledger's commits since the anchor, newest first.
  let newest: string | null = null;
  let target: LedgerCheckpoint | null = null;
  let anchor: { kind: 'checkpoint'; at: LedgerCheckpoint } | { kind: 'start' } | null = null;
  const found: Entry[] = [];
  const reviewed = new Set<number>();
  let examined = 0;
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
        found.push({ kind: 'ours', c });
        target ??= parseTrailer(c.commit.message);
        continue;
      }
      if (++examined > MAX_EXAMINED) break walk;
      const review = await reviewOf(gh, c.sha, approvals, reviewed, at);
      // An earlier commit of a pull request already found: what counts is the bytes it merged.
      if (review === 'earlier') continue;
      if (review) reviewed.add(review.pull);
      found.push(review ? { kind: 'reviewed', c, review } : { kind: 'foreign', c });
    }
    if (data.length < PAGE) {
      anchor = { kind: 'start' };
      break;
    }
  }

  const outside = (commits: readonly Listed[], more: boolean) => {
    const who = commits.map(
      (c) => `${c.sha.slice(0, 7)} (${login(c.author as Account) ?? c.commit.author?.name ?? 'unknown'})`,
    );
    return untrustedLedger(
      `${LEDGER_FILE} was changed by ${who.join(', ')}${more ? ' and perhaps more' : ''} outside the publisher: review it in a pull request, or revert it. A pull request into ${gh.branch} accepts it only by putting back the ledger byte for byte as it was before, approved on those bytes by an approver other than its author; an approval vouches only for the change its diff shows, so make any change you meant afterwards, in a pull request of its own`,
    );
  };
  if (anchor === null) {
    const foreign = found.filter((e) => e.kind !== 'ours').map((e) => e.c);
    if (examined > MAX_EXAMINED) throw outside(foreign, true);
    throw untrustedLedger(
      `${LEDGER_FILE} has more than ${MAX_PAGES * PAGE} commits since the last checkpoint of its history, more than one run checks; a run of the publisher on a trusted ledger sets a new one`,
    );
  }

  // Oldest first: what the ledger is trusted to hold (`base`), and the publisher's lines since.
  let base: { bytes: number; sha256: string; where: string } =
    anchor.kind === 'checkpoint'
      ? { ...anchor.at, where: `the publisher's checkpoint ${anchor.at.commit.slice(0, 7)}` }
      : { bytes: 0, sha256: sha256(new Uint8Array()), where: 'its first commit' };
  let ours = 0;
  // The publisher's commits since `base`, oldest first: the k-th wrote the k-th line after it.
  const oursSinceBase: Listed[] = [];
  const vouched = new Set<string>();
  let trustFrom = anchor.kind === 'checkpoint' ? anchor.at.commit : null;
  // When the newest accepted pull request was merged: an approver reviewed the ledger as it was then.
  let reviewedAt: string | null = null;
  // Commits outside the publisher since `base`, the commit just before the first, and `ours` then.
  let pending: Listed[] = [];
  let before: { commit: string | null; ours: number } | null = null;
  const extends_ = (bytes: Uint8Array, lines: number) =>
    bytes.length >= base.bytes &&
    sha256(bytes.subarray(0, base.bytes)) === base.sha256 &&
    lineCount(bytes.subarray(base.bytes)) === lines;
  for (const e of found.reverse()) {
    if (e.kind === 'ours') {
      ours++;
      vouched.add(e.c.sha);
      oursSinceBase.push(e.c);
      continue;
    }
    if (e.kind === 'reviewed') {
      // The trusted ledger the pull request may start from: main's just before it was merged, or
      // just before the commits outside the publisher it would accept; with no publisher line since.
      const trusted: { commit: string | null; ours: number } = before ?? { commit: e.review.mergedFrom, ours };
      const start = trusted.commit === null ? null : await at.bytes(trusted.commit);
      if (start !== null && ours === trusted.ours && extends_(start, trusted.ours)) {
        const startBlob = gitBlobSha(start);
        const mergedBlob = await at.blob(e.c.sha);
        if (mergedBlob === startBlob || (await at.blob(await mergeBase(gh, e.review))) === startBlob) {
          const merged = await at.bytes(e.c.sha);
          base = { bytes: merged.length, sha256: sha256(merged), where: `the reviewed commit ${e.c.sha.slice(0, 7)}` };
          vouched.add(e.c.sha).add(e.review.merged);
          trustFrom = e.review.merged;
          reviewedAt = e.review.mergedAt;
          ours = 0;
          oursSinceBase.length = 0;
          pending = [];
          before = null;
          continue;
        }
      }
    }
    if (pending.length === 0)
      before = { commit: e.kind === 'reviewed' ? e.review.mergedFrom : (e.c.parents[0]?.sha ?? null), ours };
    pending.push(e.c);
  }
  if (pending.length) throw outside(pending, false);

  const file = await readRemoteFile(gh, LEDGER_FILE, head);
  const text = file?.text ?? '';
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length < base.bytes || sha256(bytes.subarray(0, base.bytes)) !== base.sha256)
    throw untrustedLedger(
      `${LEDGER_FILE} on ${gh.branch} no longer begins with what it held at ${base.where}: recorded lines were changed or removed (by a commit made with the workflow's token, or by one the file's history does not list, such as a merge); revert it in a reviewed pull request`,
    );
  const added = lineCount(bytes.subarray(base.bytes));
  if (added !== ours)
    throw untrustedLedger(
      `${LEDGER_FILE} on ${gh.branch} has ${added} line${added === 1 ? '' : 's'} since ${base.where} but the publisher committed ${ours}: lines it did not write are in it; revert them in a reviewed pull request`,
    );

  if (seal) checkSeals(gh, seal, bytes, base, oursSinceBase);

  const checkpoint = newest === null ? null : { commit: newest, bytes: bytes.length, sha256: sha256(bytes) };
  if (checkpoint) verified.set(text, checkpoint);
  return { text, checkpoint, head, vouched: { commits: vouched, anchor: trustFrom, reviewedAt } };
}

/** How seals are checked (src/core/ledger-seal.ts): the public key, and the last commit that may lack one. */
export interface SealCheck {
  key: KeyObject;
  /** POSTGATE_LEDGER_UNSEALED_UNTIL: the publisher's commits up to this one were made before seals. */
  unsealedUntil: string | null;
}

/**
 * Every publisher commit since `base` must carry a seal that holds for the line it added (the k-th
 * line after base for the k-th commit; the line count is checked before), its position, and the
 * checkpoint trailer its message names: a commit made with another workflow's token has none.
 */
function checkSeals(
  gh: GitHubRepo,
  seal: SealCheck,
  bytes: Buffer,
  base: { bytes: number },
  commits: readonly Listed[],
): void {
  const before = lineCount(bytes.subarray(0, base.bytes));
  const lines = Buffer.from(bytes.subarray(base.bytes))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const lastUnsealed = seal.unsealedUntil === null ? -1 : commits.findIndex((c) => c.sha === seal.unsealedUntil);
  for (const [k, c] of commits.entries()) {
    const found = sealIn(c.commit.message);
    const trailer = /^Postgate-Ledger-Checked: .*$/m.exec(c.commit.message)?.[0] ?? '';
    if (found !== null && sealHolds(seal.key, found, before + k, lines[k]!, trailer)) continue;
    if (found === null && k <= lastUnsealed) continue;
    throw untrustedLedger(
      `${LEDGER_FILE} on ${gh.branch}: commit ${c.sha.slice(0, 7)} looks like the publisher's but ${found === null ? 'carries no seal' : 'carries a seal that does not hold for the record it wrote'} (records are sealed with POSTGATE_LEDGER_KEY, and POSTGATE_LEDGER_PUBLIC_KEY is set): another workflow's token wrote it. Revert it in a pull request into ${gh.branch} that an approver reviews. If the publisher wrote it before seals were turned on, set the repository variable POSTGATE_LEDGER_UNSEALED_UNTIL to the last such commit`,
    );
  }
}

/** A pull request that changed the ledger, approved on exactly the ledger bytes it merged. */
interface Review {
  pull: number;
  /** The commit the approval names. */
  approved: string;
  /** The branch just before the merge (the merge commit's first parent). */
  mergedFrom: string;
  /** The commit that merged it, and when. */
  merged: string;
  mergedAt: string;
}

type Entry =
  | { kind: 'ours'; c: Listed }
  | { kind: 'foreign'; c: Listed }
  | { kind: 'reviewed'; c: Listed; review: Review };

/** The ledger at commits, read once each: its bytes (missing reads as empty), or only its blob id. */
class LedgerAt {
  private readonly gh: GitHubRepo;
  private readonly texts = new Map<string, Promise<Buffer>>();
  private readonly blobs = new Map<string, Promise<string>>();

  constructor(gh: GitHubRepo) {
    this.gh = gh;
  }

  bytes(commit: string): Promise<Buffer> {
    let read = this.texts.get(commit);
    if (!read)
      this.texts.set(
        commit,
        (read = readRemoteFile(this.gh, LEDGER_FILE, commit).then((f) => Buffer.from(f?.text ?? '', 'utf8'))),
      );
    return read;
  }

  /** Git's blob id of the ledger at a commit (the empty blob's when there is none): one request at any size. */
  blob(commit: string): Promise<string> {
    let read = this.blobs.get(commit);
    if (!read) {
      read = this.gh.octokit.rest.repos
        .getContent({
          owner: this.gh.owner,
          repo: this.gh.repo,
          path: LEDGER_FILE,
          ref: commit,
          ...requestOptions(this.gh),
        })
        .then(
          ({ data }) => {
            if (Array.isArray(data) || data.type !== 'file')
              throw new Error(`${LEDGER_FILE} at ${commit} is not a file`);
            return data.sha;
          },
          (error: unknown) => {
            if (statusOf(error) === 404) return gitBlobSha(new Uint8Array());
            throw error;
          },
        );
      this.blobs.set(commit, read);
    }
    return read;
  }
}

/**
 * The merged pull request that brought `sha` to the branch, if an approver approved it on exactly
 * the ledger it merged (the ledger's blob at the approved commit is the blob at `sha`); `earlier`
 * for another commit of a pull request already found.
 */
async function reviewOf(
  gh: GitHubRepo,
  sha: string,
  approvals: () => Promise<PullRequestApprovals>,
  seen: ReadonlySet<number>,
  at: LedgerAt,
): Promise<Review | 'earlier' | null> {
  const { octokit, owner, repo } = gh;
  const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: sha,
    ...requestOptions(gh),
  });
  const pull = pulls.find((p) => p.merged_at && p.base.ref === gh.branch);
  if (!pull?.merge_commit_sha) return null;
  if (seen.has(pull.number)) return 'earlier';
  const merged = await at.blob(sha);
  let approved: string | null = null;
  for (const approval of (await (await approvals()).of(pull.number)).approvals)
    if ((await at.blob(approval.commit)) === merged) {
      approved = approval.commit;
      break;
    }
  if (approved === null) return null;
  const { data: merge } = await octokit.rest.repos.getCommit({
    owner,
    repo,
    ref: pull.merge_commit_sha,
    per_page: 1,
    ...requestOptions(gh),
  });
  const mergedFrom = merge.parents[0]?.sha;
  return mergedFrom
    ? { pull: pull.number, approved, mergedFrom, merged: pull.merge_commit_sha, mergedAt: pull.merged_at ?? '' }
    : null;
}

/** What the approver saw the ledger change from: the merge base of the approved commit with the branch as merged. */
async function mergeBase(gh: GitHubRepo, review: Review): Promise<string> {
  const { data } = await gh.octokit.rest.repos.compareCommits({
    owner: gh.owner,
    repo: gh.repo,
    base: review.mergedFrom,
    head: review.approved,
    per_page: 1,
    ...requestOptions(gh),
  });
  return data.merge_base_commit.sha;
}
