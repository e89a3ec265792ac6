import { createHash } from 'node:crypto';
import { FakeService, jsonBody, type FakeResponse, type RecordedRequest } from './fake-server.ts';
import { FakeIssues } from './fake-github-issues.ts';
import { fakeUserId, FakeRepoSettings } from './fake-github-settings.ts';

/**
 * A stateful fake of the parts of GitHub's REST API that Postgate's gates use, on the shared
 * FakeServer (faults, latency, request log). Underneath is a small git model: commits that carry
 * their full tree (path → text), branches, pull requests and reviews. It behaves like GitHub where
 * Postgate depends on it: the contents API is compare-and-swap on the file's blob sha, `commits?path=`
 * follows git's history simplification (a merge that only brings a branch's change is skipped and the
 * branch commit listed), `commits/{sha}/pulls` finds the merged pull request that brought a commit to
 * main, compare diffs from the merge base, and lists paginate with a Link header (a commit's files
 * too: 300 to a page, 3000 in all). The contents API inlines a file only up to 1 MB (above, `content:
 * ""` and `encoding: "none"`; the blobs API serves it), and every commit carries GitHub's
 * verification: the token's contents API writes are signed by GitHub (web-flow), pushes never are.
 * `GET /activity` lists every update of a branch (push, force push, merge) at GitHub's own time,
 * which the commit's date does not set.
 */
export interface FakePerson {
  /** The GitHub account the commit is linked to; null when its email belongs to nobody (as on GitHub). */
  login: string | null;
  name: string;
  email: string;
  date: string;
}

/** The `commit.verification` object of GitHub's commit JSON. */
export interface FakeVerification {
  verified: boolean;
  reason: 'valid' | 'unsigned';
  signature: string | null;
  payload: string | null;
  verified_at: string | null;
}

export interface FakeCommit {
  sha: string;
  parents: string[];
  author: FakePerson;
  committer: FakePerson;
  /** GitHub's signature check: signed by GitHub itself for web merges and a token's API writes; unsigned for a push. */
  verification: FakeVerification;
  message: string;
  /** The full tree: path → content (text, or the bytes of an image). */
  tree: ReadonlyMap<string, FakeFile>;
  /** Creation order; parents are always created before their children. */
  seq: number;
}

export interface FakePullRequest {
  number: number;
  title: string;
  user: { login: string };
  head: { ref: string; sha: string };
  base: { ref: string };
  state: 'open' | 'closed';
  created_at: string;
  merged_at: string | null;
  merge_commit_sha: string | null;
  merged_by: string | null;
  /** The pull request's commits, oldest first (live while open, frozen when merged). */
  commits: string[];
}

/** One update of a branch, as `GET /repos/{owner}/{repo}/activity` lists it: its time is GitHub's own. */
export interface FakeActivity {
  id: number;
  before: string;
  after: string;
  ref: string;
  timestamp: string;
  activity_type: 'push' | 'force_push' | 'branch_creation' | 'branch_deletion' | 'pr_merge';
  actor: string | null;
}

export type FakeReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';

export interface FakeReview {
  id: number;
  pullNumber: number;
  user: { login: string };
  state: FakeReviewState;
  /** GitHub documents it as nullable: a review whose commit is unknown (e.g. gone after a force-push). */
  commit_id: string | null;
  submitted_at: string;
}

/** A file's content: text, or bytes (an image) that must not be decoded. */
export type FakeFile = string | Buffer;

/** A repository permission as `GET /collaborators/{user}/permission` reports it. */
export type FakePermission = 'admin' | 'write' | 'read' | 'none';

/** A comment on a pull request's conversation or on an issue (GitHub's issue comments). */
export interface FakeIssueComment {
  id: number;
  issueNumber: number;
  user: { login: string };
  body: string;
  created_at: string;
  updated_at: string;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  token?: string;
  /** The first commit on main. */
  files?: Record<string, FakeFile>;
}

const DOCS = 'https://docs.github.com/rest';
// GitHub's paging of a commit's files (GET /commits/{ref}): 300 to a page, 3000 in all.
const COMMIT_FILES_PER_PAGE = 300;
const COMMIT_FILES_LIMIT = 3000;
const WEB_FLOW: Omit<FakePerson, 'date'> = { login: 'web-flow', name: 'GitHub', email: 'noreply@github.com' };
const UNSIGNED: FakeVerification = {
  verified: false,
  reason: 'unsigned',
  signature: null,
  payload: null,
  verified_at: null,
};
/** GitHub's own signature (web-flow's key): on merges in the web UI and on a token's contents API writes. */
const signedByGitHub = (date: string, message: string): FakeVerification => ({
  verified: true,
  reason: 'valid',
  signature: '-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJfake\n-----END PGP SIGNATURE-----\n',
  payload: `committer GitHub <noreply@github.com>\n\n${message}`,
  verified_at: date,
});
/** The contents API inlines a file up to 1 MB (above: `content: ""`, `encoding: "none"`); the blobs API serves up to 100 MB. */
const INLINE_LIMIT = 1024 * 1024;
const BLOB_LIMIT = 100 * 1024 * 1024;

const sha1 = (text: string | Buffer) => createHash('sha1').update(text).digest('hex');
/** Git's blob id of a file's content, as the contents API reports it. */
export const blobSha = (content: FakeFile) =>
  sha1(Buffer.concat([Buffer.from(`blob ${Buffer.byteLength(content)}\0`), Buffer.from(content)]));
/** The same file content (by its bytes, whether held as text or as bytes). */
const sameFile = (a: FakeFile | undefined, b: FakeFile | undefined) =>
  a === b || (a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b)));
const isoDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const emailOf = (login: string) =>
  login === 'github-actions[bot]'
    ? '41898282+github-actions[bot]@users.noreply.github.com'
    : `${login}@users.noreply.github.com`;
const loginOf = (email: string) => /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/.exec(email)?.[1] ?? null;
const decode = (raw: string) => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

export class FakeGitHub extends FakeService {
  readonly owner: string;
  readonly repo: string;
  /** The only token accepted, as `Authorization: token …` or `Bearer …`. */
  readonly token: string;
  /** Who the token belongs to: the login of commits made through the API. */
  actor = 'github-actions[bot]';
  /**
   * Rules per branch that refuse the token's contents API writes, as a ruleset without a bypass for
   * the workflow token does: GitHub answers 409 "Repository rule violations found" and each rule.
   */
  readonly rules = new Map<string, string[]>();
  readonly commits = new Map<string, FakeCommit>();
  /** Branch name → head sha. */
  readonly refs = new Map<string, string>();
  readonly pulls: FakePullRequest[] = [];
  readonly reviews: FakeReview[] = [];
  readonly comments: FakeIssueComment[] = [];
  /**
   * Every update of a branch, oldest first (`GET /activity`), at GitHub's time: never earlier than
   * the one before. A push is at its commit's date unless the test says when it was pushed.
   */
  readonly activities: FakeActivity[] = [];
  /**
   * Repository settings for setup and doctor (rulesets, environments, secret names, Pages, the
   * visibility and plan that decide which GitHub offers): tests/fakes/fake-github-settings.ts.
   */
  readonly settings: FakeRepoSettings = new FakeRepoSettings(this);
  /**
   * Issues (the publishing dashboard), numbered with the pull requests, and the token's `issues`
   * permission: tests/fakes/fake-github-issues.ts.
   */
  readonly issues: FakeIssues = this.issuesOf();
  /** Every file content ever committed, by its git blob id (`GET /git/blobs/{sha}`). */
  private readonly blobs = new Map<string, FakeFile>();
  /**
   * Who has access, by login. The owner is an admin; anyone else not listed reads a public
   * repository ('read'), as GitHub answers for accounts without access.
   */
  readonly collaborators = new Map<string, FakePermission>();
  /**
   * Answer comment writes (POST, PATCH) with 403 "Resource not accessible by integration", as GitHub
   * does for the read-only token of a pull request from a fork. Reads still work.
   */
  refuseCommentWrites = false;
  /** The clock for commits, merges and reviews (epoch ms); by default each call moves one minute on. */
  now: () => number;
  private clockMs = Date.parse('2026-11-02T09:00:00Z');
  private sequence = 0;
  private reviewIds = 80_000_000;
  private commentIds = 1_500_000_000;

  constructor(options: FakeGitHubOptions = {}) {
    super('github');
    this.owner = options.owner ?? 'riverside';
    this.repo = options.repo ?? 'journal';
    this.token = options.token ?? 'ghs_fakeGitHubToken7Qm2Xw9Lp4';
    this.now = () => (this.clockMs += 60_000);
    // As GitHub makes it for a repository created from a template: authored by the owner,
    // committed and signed by GitHub itself.
    const created = isoDate(this.now());
    const root = this.createCommit(
      [],
      new Map(Object.entries(options.files ?? { 'README.md': `# ${this.repo}\n` })),
      this.person(this.owner, created),
      'Initial commit',
      { ...WEB_FLOW, date: created },
      signedByGitHub(created, 'Initial commit'),
    );
    this.refs.set('main', root);
    this.activities.push({
      id: 1,
      before: '0'.repeat(40),
      after: root,
      ref: 'refs/heads/main',
      timestamp: this.commitOf(root).committer.date,
      activity_type: 'branch_creation',
      actor: this.owner,
    });
    this.collaborators.set(this.owner, 'admin');
  }

  // ---- Test-facing helpers (no HTTP) ----

  /**
   * A direct push of one commit on top of `branch` (created from main if missing); null deletes a file.
   * A push is never signed by GitHub, whatever names it carries (`committer: 'web-flow'` claims
   * GitHub's). `asToken` makes the commit as the workflow token's contents API write does instead:
   * authored by `actor`, committed and signed by GitHub (web-flow).
   */
  commit(options: {
    branch?: string;
    /** The branch a missing `branch` starts from (main by default). */
    from?: string;
    files: Record<string, FakeFile | null>;
    author?: string;
    committer?: string;
    asToken?: boolean;
    /** Signed with the committer's own key, registered on their account: GitHub shows it Verified. */
    signed?: boolean;
    message?: string;
    date?: string;
    /** When GitHub received the push (the commit's date says what its author chose); by default its date. */
    pushedAt?: string;
  }): string {
    const branch = options.branch ?? 'main';
    const parent = this.refs.get(branch) ?? this.head(options.from ?? 'main');
    const tree = new Map(this.commitOf(parent).tree);
    for (const [path, content] of Object.entries(options.files)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    const author = this.person(options.asToken ? this.actor : (options.author ?? this.owner), options.date);
    const committer =
      options.asToken || options.committer === 'web-flow'
        ? { ...WEB_FLOW, date: author.date }
        : options.committer
          ? this.person(options.committer, author.date)
          : author;
    const message = options.message ?? `Update ${Object.keys(options.files).join(', ')}`;
    const sha = this.createCommit(
      [parent],
      tree,
      author,
      message,
      committer,
      options.asToken
        ? signedByGitHub(author.date, message)
        : options.signed
          ? { ...signedByGitHub(author.date, message), payload: `committer ${committer.login}\n\n${message}` }
          : UNSIGNED,
    );
    this.advance(branch, sha, {
      type: 'push',
      at: Date.parse(options.pushedAt ?? committer.date),
      actor: options.asToken ? this.actor : author.login,
    });
    return sha;
  }

  /** `git push --force`: moves a branch to any commit, e.g. back to an ancestor after a review. */
  forcePush(branch: string, sha: string): void {
    this.commitOf(sha);
    this.advance(branch, sha, { type: 'force_push', at: this.clockMs, actor: null });
  }

  /**
   * `git merge other` on `branch`, with the result's files as `files` say over the branch's (a merge
   * resolved by hand), pushed by `author`: an ordinary push, unsigned, with two parents.
   */
  pushMerge(options: { branch: string; other: string; files: Record<string, FakeFile>; author: string }): string {
    const head = this.head(options.branch);
    const tree = new Map(this.commitOf(head).tree);
    for (const [path, content] of Object.entries(options.files)) tree.set(path, content);
    const sha = this.createCommit(
      [head, this.head(options.other)],
      tree,
      this.person(options.author),
      `Merge branch '${options.other}' into ${options.branch}`,
    );
    this.advance(options.branch, sha, { type: 'push', at: this.clockMs, actor: options.author });
    return sha;
  }

  /** `git push --delete`: the branch is gone (its commits stay readable by sha, as on GitHub for a while). */
  deleteBranch(branch: string, actor: string | null = null): void {
    const before = this.refs.get(branch);
    if (before === undefined) throw new Error(`unknown branch ${branch}`);
    const last = this.activities.at(-1);
    this.activities.push({
      id: (last?.id ?? 0) + 1,
      before,
      after: '0'.repeat(40),
      ref: `refs/heads/${branch}`,
      timestamp: isoDate(Math.max(this.clockMs, last ? Date.parse(last.timestamp) : 0)),
      activity_type: 'branch_deletion',
      actor,
    });
    this.refs.delete(branch);
  }

  /** Opens a pull request from `branch` into main: its commits are the branch's commits not on main. */
  openPullRequest(options: { author: string; branch: string; title: string; base?: string }): number {
    const base = options.base ?? 'main';
    const headSha = this.head(options.branch);
    const commits = this.commitsBetween(this.head(base), headSha);
    if (commits.length === 0) throw new Error(`No commits between ${base} and ${options.branch}`);
    const pull: FakePullRequest = {
      number: this.issues.nextNumber(),
      title: options.title,
      user: { login: options.author },
      head: { ref: options.branch, sha: headSha },
      base: { ref: base },
      state: 'open',
      created_at: isoDate(this.now()),
      merged_at: null,
      merge_commit_sha: null,
      merged_by: null,
      commits,
    };
    this.pulls.push(pull);
    return pull.number;
  }

  /** A submitted review, by default on the pull request's head as it is now. Returns the review id. */
  review(number: number, options: { user: string; state: FakeReviewState; commitId?: string | null }): number {
    const pull = this.pull(number);
    const review: FakeReview = {
      id: ++this.reviewIds,
      pullNumber: number,
      user: { login: options.user },
      state: options.state,
      commit_id: options.commitId === undefined ? pull.head.sha : options.commitId,
      submitted_at: isoDate(this.now()),
    };
    this.reviews.push(review);
    return review.id;
  }

  /** A comment on a pull request's conversation or an issue, as someone would write it on GitHub. Returns its id. */
  comment(number: number, options: { user: string; body: string }): number {
    if (!this.issues.all.some((i) => i.number === number)) this.pull(number);
    const date = isoDate(this.now());
    const comment: FakeIssueComment = {
      id: ++this.commentIds,
      issueNumber: number,
      user: { login: options.user },
      body: options.body,
      created_at: date,
      updated_at: date,
    };
    this.comments.push(comment);
    return comment.id;
  }

  /** The comments on a pull request or an issue, oldest first. */
  commentsOn(number: number): FakeIssueComment[] {
    return this.comments.filter((c) => c.issueNumber === number);
  }

  /** Dismisses a review, as a maintainer can: its state becomes DISMISSED. */
  dismiss(reviewId: number): void {
    const review = this.reviews.find((r) => r.id === reviewId);
    if (!review) throw new Error(`no review ${reviewId}`);
    review.state = 'DISMISSED';
  }

  /** Merges an open pull request into main: a merge commit (two parents) or one squashed commit. */
  merge(number: number, options: { method?: 'merge' | 'squash'; by?: string } = {}): string {
    const pull = this.pull(number);
    if (pull.state !== 'open') throw new Error(`pull request #${number} is not open`);
    if (pull.commits.length === 0)
      throw new Error(`pull request #${number} has no commits that are not on ${pull.base.ref}`);
    // Named `main` below for the common case: the pull request's base branch.
    const main = this.head(pull.base.ref);
    const forkPoint = this.commitOf(this.commitOf(pull.commits[0]!).parents[0]!).tree;
    const headTree = this.commitOf(pull.head.sha).tree;
    // The pull request's changes, applied to main as it is now (the branch wins any conflict).
    const tree = new Map(this.commitOf(main).tree);
    for (const path of new Set([...forkPoint.keys(), ...headTree.keys()])) {
      const content = headTree.get(path);
      if (sameFile(content, forkPoint.get(path))) continue;
      if (content === undefined) tree.delete(path);
      else tree.set(path, content);
    }
    const by = options.by ?? this.owner;
    const date = this.now();
    const committer = { ...WEB_FLOW, date: isoDate(date) };
    const sha =
      (options.method ?? 'merge') === 'squash'
        ? this.createCommit(
            [main],
            tree,
            this.person(pull.user.login, isoDate(date)),
            `${pull.title} (#${number})`,
            committer,
            signedByGitHub(committer.date, `${pull.title} (#${number})`),
          )
        : this.createCommit(
            [main, pull.head.sha],
            tree,
            this.person(by, isoDate(date)),
            `Merge pull request #${number} from ${this.owner}/${pull.head.ref}\n\n${pull.title}`,
            committer,
            signedByGitHub(committer.date, `Merge pull request #${number}`),
          );
    Object.assign(pull, { state: 'closed', merged_at: isoDate(date), merge_commit_sha: sha, merged_by: by });
    this.advance(pull.base.ref, sha, { type: 'pr_merge', at: date, actor: by });
    return sha;
  }

  /** A file's content at a branch or commit, or null if it does not exist there. */
  fileAt(ref: string, path: string): string | null {
    const sha = this.resolve(ref);
    if (!sha) throw new Error(`unknown ref ${ref}`);
    return this.commitOf(sha).tree.get(path)?.toString() ?? null;
  }

  head(branch = 'main'): string {
    const sha = this.refs.get(branch);
    if (!sha) throw new Error(`no branch ${branch}`);
    return sha;
  }

  /** Commits reachable from `ref`, newest first; with `path`, those that changed it (as `git log -- path`). */
  log(path?: string, ref = 'main'): FakeCommit[] {
    const sha = this.resolve(ref);
    if (!sha) throw new Error(`unknown ref ${ref}`);
    return this.history(sha, path);
  }

  pull(number: number): FakePullRequest {
    const pull = this.pulls.find((p) => p.number === number);
    if (!pull) throw new Error(`no pull request #${number}`);
    return pull;
  }

  private issuesOf(): FakeIssues {
    const gh = this;
    return new FakeIssues({
      get owner() {
        return gh.owner;
      },
      get repo() {
        return gh.repo;
      },
      get url() {
        return gh.url;
      },
      get actor() {
        return gh.actor;
      },
      get pulls() {
        return gh.pulls;
      },
      now: () => gh.now(),
      userJson: (login) => gh.user(login),
      associationOf: (login) => gh.association(login),
      paginate: (request, items) => gh.paginate(request, items),
    });
  }

  // ---- The git model ----

  private person(login: string, date?: string): FakePerson {
    return { login, name: login, email: emailOf(login), date: date ?? isoDate(this.now()) };
  }

  private createCommit(
    parents: string[],
    tree: Map<string, FakeFile>,
    author: FakePerson,
    message: string,
    committer: FakePerson = author,
    verification: FakeVerification = UNSIGNED,
  ): string {
    const seq = this.sequence++;
    const sha = sha1(`fake commit ${seq}\n${parents.join(' ')}\n${message}`);
    this.commits.set(sha, { sha, parents, author, committer, verification, message, tree, seq });
    // The git database, for the blobs API: each content new in this commit, by its blob id.
    const before = parents[0] === undefined ? undefined : this.commits.get(parents[0])?.tree;
    for (const [path, content] of tree) if (before?.get(path) !== content) this.blobs.set(blobSha(content), content);
    return sha;
  }

  private commitOf(sha: string): FakeCommit {
    const commit = this.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    return commit;
  }

  /** Moves a branch; open pull requests from it follow, as on GitHub (their old reviews stay on old commits). */
  private advance(
    branch: string,
    sha: string,
    push: { type: FakeActivity['activity_type']; at: number; actor: string | null },
  ): void {
    const last = this.activities.at(-1);
    const at = Math.max(push.at, last ? Date.parse(last.timestamp) : Number.NEGATIVE_INFINITY);
    this.activities.push({
      id: (last?.id ?? 0) + 1,
      before: this.refs.get(branch) ?? '0'.repeat(40),
      after: sha,
      ref: `refs/heads/${branch}`,
      timestamp: isoDate(Number.isFinite(at) ? at : this.clockMs),
      activity_type: this.refs.has(branch) ? push.type : 'branch_creation',
      actor: push.actor,
    });
    this.refs.set(branch, sha);
    for (const pull of this.pulls) {
      if (pull.state !== 'open') continue;
      if (pull.head.ref === branch) pull.head = { ref: branch, sha };
      pull.commits = this.commitsBetween(this.head(pull.base.ref), pull.head.sha);
    }
  }

  /** A branch name (`main`, `heads/main`, `refs/heads/main`) or a full or abbreviated (7+) commit sha. */
  private resolve(ref: string): string | undefined {
    const branch = this.refs.get(ref.replace(/^refs\//, '').replace(/^heads\//, ''));
    if (branch) return branch;
    if (!/^[0-9a-f]{7,40}$/i.test(ref)) return undefined;
    const matches = [...this.commits.keys()].filter((sha) => sha.startsWith(ref.toLowerCase()));
    return matches.length === 1 ? matches[0] : undefined;
  }

  private ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...this.commitOf(next).parents);
    }
    return seen;
  }

  /** Commits reachable from head but not from base, oldest first. */
  private commitsBetween(base: string, head: string): string[] {
    const excluded = this.ancestors(base);
    return [...this.ancestors(head)]
      .filter((sha) => !excluded.has(sha))
      .sort((a, b) => this.commitOf(a).seq - this.commitOf(b).seq);
  }

  private mergeBase(a: string, b: string): string | undefined {
    const ofA = this.ancestors(a);
    return [...this.ancestors(b)]
      .filter((sha) => ofA.has(sha))
      .sort((x, y) => this.commitOf(y).seq - this.commitOf(x).seq)[0];
  }

  /** git log's default history simplification: follow a parent the path is unchanged from, list the rest. */
  private history(from: string, path?: string): FakeCommit[] {
    const shown: FakeCommit[] = [];
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const commit = this.commitOf(stack.pop()!);
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      if (path === undefined) {
        shown.push(commit);
        stack.push(...commit.parents);
        continue;
      }
      const mine = pathState(commit.tree, path);
      const same = commit.parents.find((p) => pathState(this.commitOf(p).tree, path) === mine);
      if (same) stack.push(same);
      else {
        if (commit.parents.length > 0 || mine !== undefined) shown.push(commit);
        stack.push(...commit.parents);
      }
    }
    return shown.sort((a, b) => b.seq - a.seq);
  }

  // ---- HTTP ----

  protected route(request: RecordedRequest): FakeResponse {
    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(header(request, 'authorization') ?? '');
    if (auth?.[1] !== this.token) return error(401, 'Bad credentials');
    // Who the token is: a person's token says; GitHub Actions' token (an app's) may not ask.
    if (request.path === '/user' && request.method === 'GET')
      return this.actor.endsWith('[bot]')
        ? error(403, 'Resource not accessible by integration')
        : { status: 200, body: this.user(this.actor) };
    const segments = request.path.split('/');
    if (segments[1] !== 'repos' || segments.length < 4) return error(404, 'Not Found');
    if (
      decode(segments[2]!).toLowerCase() !== this.owner.toLowerCase() ||
      decode(segments[3]!).toLowerCase() !== this.repo.toLowerCase()
    )
      return error(404, 'Not Found');
    const rest = segments.slice(4);
    if (rest.at(-1) === '') rest.pop();
    const [section = '', id, sub] = rest;
    const { method } = request;
    // Octokit sends a path parameter as one segment with its slashes encoded (content%2Fledger.jsonl);
    // curl-style clients send them raw. Joining, then decoding, reads both.
    const tail = (from: number) => decode(rest.slice(from).join('/'));

    if (rest.length === 0 && method === 'GET') return { status: 200, body: this.repoJson() };
    if (section === 'git' && (id === 'ref' || id === 'refs') && method === 'GET') return this.getRef(tail(2));
    if (section === 'git' && id === 'refs' && rest.length === 2 && method === 'POST') return this.createRef(request);
    if (section === 'git' && id === 'refs' && method === 'DELETE') return this.deleteRef(tail(2));
    if (section === 'git' && id === 'blobs' && rest.length === 3 && method === 'GET')
      return this.getBlob(request, sub!);
    if (section === 'git' && id === 'trees' && method === 'GET' && rest.length >= 3)
      return this.getTree(request, tail(2));
    if (section === 'contents') {
      if (method === 'GET') return this.getContents(request, tail(1));
      if (method === 'PUT') return this.putContents(request, tail(1));
      if (method === 'DELETE') return this.deleteContents(request, tail(1));
    }
    if (section === 'commits' && method === 'GET') {
      if (rest.length === 1) return this.listCommits(request);
      if (rest.length === 2) return this.getCommit(request, decode(id!));
      if (rest.length === 3 && sub === 'pulls') return this.pullsOfCommit(request, decode(id!));
    }
    if (section === 'pulls' && method === 'GET' && id && /^\d+$/.test(id)) {
      const pull = this.pulls.find((p) => p.number === Number(id));
      if (!pull) return error(404, 'Not Found');
      if (rest.length === 2) return { status: 200, body: this.pullJson(pull) };
      if (rest.length === 3 && sub === 'reviews')
        return this.paginate(
          request,
          this.reviews.filter((r) => r.pullNumber === pull.number).map((r) => this.reviewJson(r)),
        );
      if (rest.length === 3 && sub === 'commits')
        return this.paginate(
          request,
          pull.commits.map((sha) => this.commitJson(this.commitOf(sha))),
        );
      if (rest.length === 3 && sub === 'files') return this.paginate(request, this.pullFiles(pull));
    }
    if (section === 'compare' && method === 'GET' && rest.length >= 2) return this.compare(tail(1));
    if (section === 'activity' && method === 'GET' && rest.length === 1) return this.listActivities(request);
    if (section === 'collaborators' && method === 'GET') {
      if (rest.length === 1) return this.listCollaborators(request);
      if (rest.length === 3 && sub === 'permission') return this.permissionOf(decode(id!));
    }
    if (section === 'issues' && rest.length === 3) {
      if (id === 'comments' && sub && /^\d+$/.test(sub)) return this.issueComment(request, Number(sub));
      if (id && /^\d+$/.test(id) && sub === 'comments') return this.issueComments(request, Number(id));
    }
    const issues = this.issues.route(request, rest);
    if (issues) return issues;
    // ---- Repository settings (setup, doctor): fake-github-settings.ts ----
    const settings = this.settings.route(request, rest);
    if (settings) return settings;
    return error(404, 'Not Found');
  }

  /** GET (paginated, oldest first) and POST `/issues/{number}/comments`; pull requests are issues too. */
  private issueComments(request: RecordedRequest, number: number): FakeResponse {
    const isIssue = this.issues.all.some((i) => i.number === number);
    if (!isIssue && !this.pulls.some((p) => p.number === number)) return error(404, 'Not Found');
    // On an issue (the dashboard), the token's issues permission decides, as GitHub's does.
    if (isIssue && this.issues.permission === 'none') return error(403, 'Resource not accessible by integration');
    if (isIssue && request.method === 'POST' && this.issues.permission !== 'write')
      return error(403, 'Resource not accessible by integration');
    if (request.method === 'GET')
      return this.paginate(
        request,
        this.commentsOn(number).map((c) => this.commentJson(c)),
      );
    if (request.method !== 'POST') return error(404, 'Not Found');
    if (this.refuseCommentWrites) return error(403, 'Resource not accessible by integration');
    const body = jsonBody(request).body;
    const invalid = commentBodyProblem(body);
    if (invalid) return error(422, invalid);
    const id = this.comment(number, { user: this.actor, body: body as string });
    return { status: 201, body: this.commentJson(this.comments.find((c) => c.id === id)!) };
  }

  /** GET and PATCH `/issues/comments/{id}`. */
  private issueComment(request: RecordedRequest, id: number): FakeResponse {
    const comment = this.comments.find((c) => c.id === id);
    if (!comment) return error(404, 'Not Found');
    if (request.method === 'GET') return { status: 200, body: this.commentJson(comment) };
    if (request.method !== 'PATCH') return error(404, 'Not Found');
    if (this.refuseCommentWrites) return error(403, 'Resource not accessible by integration');
    // A token may edit only its own comments.
    if (comment.user.login !== this.actor) return error(403, 'Resource not accessible by integration');
    const body = jsonBody(request).body;
    const invalid = commentBodyProblem(body);
    if (invalid) return error(422, invalid);
    comment.body = body as string;
    comment.updated_at = isoDate(this.now());
    return { status: 200, body: this.commentJson(comment) };
  }

  /** `GET /collaborators?permission=…`: people with at least that permission (GitHub's filter). */
  private listCollaborators(request: RecordedRequest): FakeResponse {
    const order: FakePermission[] = ['none', 'read', 'write', 'admin'];
    const least = order.indexOf((request.query.get('permission') as FakePermission | null) ?? 'read');
    const people = [...this.collaborators].filter(([, p]) => order.indexOf(p) >= Math.max(1, least));
    return this.paginate(
      request,
      people.map(([login, p]) => ({
        ...this.user(login),
        permissions: { admin: p === 'admin', maintain: p === 'admin', push: p !== 'read', triage: true, pull: true },
        role_name: p,
      })),
    );
  }

  private permissionOf(login: string): FakeResponse {
    const permission = this.collaborators.get(login) ?? 'read';
    return { status: 200, body: { permission, role_name: permission, user: this.user(login) } };
  }

  private getRef(ref: string): FakeResponse {
    const branch = /^heads\/(.+)$/.exec(ref)?.[1];
    const sha = branch === undefined ? undefined : this.refs.get(branch);
    if (!sha) return error(404, 'Not Found');
    return {
      status: 200,
      body: {
        ref: `refs/${ref}`,
        url: `${this.apiBase()}/git/refs/${ref}`,
        object: { sha, type: 'commit', url: `${this.apiBase()}/git/commits/${sha}` },
      },
    };
  }

  /** `POST /git/refs`: a new branch at a commit; 422 when it exists (as GitHub says it). */
  private createRef(request: RecordedRequest): FakeResponse {
    const { ref, sha } = jsonBody(request);
    const branch = typeof ref === 'string' ? /^refs\/heads\/(.+)$/.exec(ref)?.[1] : undefined;
    if (branch === undefined || typeof sha !== 'string') return error(422, 'Invalid request.');
    if (this.refs.has(branch)) return error(422, 'Reference already exists');
    if (!this.commits.has(sha)) return error(422, 'Object does not exist');
    this.advance(branch, sha, { type: 'branch_creation', at: this.now(), actor: this.actor });
    return { status: 201, body: JSON.parse(JSON.stringify(this.getRef(`heads/${branch}`).body)) };
  }

  /** `DELETE /git/refs/heads/{branch}`. */
  private deleteRef(ref: string): FakeResponse {
    const branch = /^heads\/(.+)$/.exec(ref)?.[1];
    if (branch === undefined || !this.refs.has(branch)) return error(422, 'Reference does not exist');
    this.deleteBranch(branch, this.actor);
    return { status: 204 };
  }

  /** `GET /git/blobs/{sha}`: any blob up to 100 MB, base64 (or raw bytes with the raw media type). */
  private getBlob(request: RecordedRequest, sha: string): FakeResponse {
    const content = this.blobs.get(sha.toLowerCase());
    if (content === undefined) return error(404, 'Not Found');
    const size = Buffer.byteLength(content);
    if (size > BLOB_LIMIT) return error(403, 'This API returns blobs up to 100 MB in size.');
    if (/\.raw\b/.test(header(request, 'accept') ?? '')) return { status: 200, body: content };
    return {
      status: 200,
      body: {
        sha,
        node_id: `B_${sha}`,
        size,
        url: `${this.apiBase()}/git/blobs/${sha}`,
        content: Buffer.from(content).toString('base64').replace(/.{60}/g, '$&\n'),
        encoding: 'base64',
      },
    };
  }

  private getContents(request: RecordedRequest, path: string): FakeResponse {
    const ref = request.query.get('ref') ?? 'main';
    const sha = this.resolve(ref);
    if (!sha) return error(404, `No commit found for the ref ${ref}`);
    const tree = this.commitOf(sha).tree;
    const content = tree.get(path);
    if (content !== undefined) {
      if (/\.raw\b/.test(header(request, 'accept') ?? '')) return { status: 200, body: content };
      if (Buffer.byteLength(content) > INLINE_LIMIT)
        return { status: 200, body: { ...this.fileJson(path, content, ref), content: '', encoding: 'none' } };
      const encoded = Buffer.from(content).toString('base64').replace(/.{60}/g, '$&\n');
      return { status: 200, body: { ...this.fileJson(path, content, ref), content: encoded, encoding: 'base64' } };
    }
    const prefix = path === '' ? '' : `${path}/`;
    const entries = new Map<string, Record<string, unknown>>();
    for (const [file, text] of tree) {
      if (!file.startsWith(prefix)) continue;
      const [name, ...deeper] = file.slice(prefix.length).split('/');
      const entryPath = prefix + name!;
      if (deeper.length === 0) entries.set(name!, this.fileJson(entryPath, text, ref));
      else if (!entries.has(name!))
        entries.set(name!, {
          type: 'dir',
          name,
          path: entryPath,
          sha: sha1(pathState(tree, entryPath) ?? ''),
          size: 0,
        });
    }
    if (entries.size === 0) return error(404, 'Not Found');
    return { status: 200, body: [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, entry]) => entry) };
  }

  private putContents(request: RecordedRequest, path: string): FakeResponse {
    const body = jsonBody(request);
    if (typeof body.message !== 'string') return error(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
    if (typeof body.content !== 'string') return error(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body.content)) return error(422, 'content is not valid Base64');
    return this.writeFile(body, path, Buffer.from(body.content, 'base64').toString('utf8'));
  }

  private deleteContents(request: RecordedRequest, path: string): FakeResponse {
    const body = jsonBody(request);
    if (typeof body.message !== 'string') return error(422, 'Invalid request.\n\n"message" wasn\'t supplied.');
    if (typeof body.sha !== 'string') return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    return this.writeFile(body, path, null);
  }

  /** The contents API's compare-and-swap: the caller names the blob it read; anything else is a conflict. */
  private writeFile(body: Record<string, unknown>, path: string, content: string | null): FakeResponse {
    const branch = typeof body.branch === 'string' ? body.branch.replace(/^refs\/heads\//, '') : 'main';
    const parent = this.refs.get(branch);
    if (!parent) return error(404, `Branch ${branch} not found`);
    const rules = this.rules.get(branch);
    if (rules?.length)
      return error(409, `Repository rule violations found\n\n${rules.map((r) => `${r}\n\n`).join('')}`);
    const current = this.commitOf(parent).tree.get(path);
    const expected = typeof body.sha === 'string' ? body.sha : undefined;
    if (content === null && current === undefined) return error(404, 'Not Found');
    if (current !== undefined && expected === undefined)
      return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (expected !== undefined && (current === undefined || blobSha(current) !== expected))
      return error(409, `${path} does not match ${expected}`);

    const date = isoDate(this.now());
    const given = (value: unknown) =>
      value && typeof value === 'object' ? (value as { name?: unknown; email?: unknown; date?: unknown }) : undefined;
    const personFrom = (value: ReturnType<typeof given>): FakePerson => {
      if (typeof value?.name !== 'string' || typeof value.email !== 'string') return this.person(this.actor, date);
      return {
        login: loginOf(value.email),
        name: value.name,
        email: value.email,
        date: typeof value.date === 'string' ? value.date : date,
      };
    };
    // As GitHub: a token's write without a custom author or committer is authored by the token's
    // account and committed and signed by GitHub (web-flow); with either given, it is not signed.
    const custom = given(body.committer) !== undefined || given(body.author) !== undefined;
    const committer = custom ? personFrom(given(body.committer)) : { ...WEB_FLOW, date };
    const author = given(body.author)
      ? personFrom(given(body.author))
      : custom
        ? committer
        : this.person(this.actor, date);
    const tree = new Map(this.commitOf(parent).tree);
    if (content === null) tree.delete(path);
    else tree.set(path, content);
    const sha = this.createCommit(
      [parent],
      tree,
      author,
      body.message as string,
      committer,
      custom ? UNSIGNED : signedByGitHub(date, body.message as string),
    );
    this.advance(branch, sha, { type: 'push', at: Date.parse(date), actor: this.actor });
    const commit = this.commitJson(this.commitOf(sha));
    if (content === null) return { status: 200, body: { content: null, commit } };
    return {
      status: current === undefined ? 201 : 200,
      body: { content: this.fileJson(path, content, branch), commit },
    };
  }

  private listCommits(request: RecordedRequest): FakeResponse {
    const ref = request.query.get('sha') ?? 'main';
    const sha = this.resolve(ref);
    if (!sha) return error(404, `No commit found for SHA: ${ref}`);
    const path = request.query.get('path')?.replace(/^\/+|\/+$/g, '') || undefined;
    const since = Date.parse(request.query.get('since') ?? '');
    const until = Date.parse(request.query.get('until') ?? '');
    const commits = this.history(sha, path).filter((c) => {
      const at = Date.parse(c.committer.date);
      return !(at < since) && !(at > until);
    });
    return this.paginate(
      request,
      commits.map((c) => this.commitJson(c)),
    );
  }

  private getCommit(request: RecordedRequest, ref: string): FakeResponse {
    const sha = this.resolve(ref);
    if (!sha) return error(422, `No commit found for SHA: ${ref}`);
    if (/\.sha\b/.test(header(request, 'accept') ?? '')) return { status: 200, body: sha };
    const commit = this.commitOf(sha);
    const parent = commit.parents[0];
    // As GitHub documents: the files 300 to a page (per_page may ask fewer), with Link headers to
    // the other pages, and no more than 3000 files in all; every page repeats the commit itself.
    const files = diffTrees(parent ? this.commitOf(parent).tree : new Map(), commit.tree).slice(0, COMMIT_FILES_LIMIT);
    const perPage = Math.min(COMMIT_FILES_PER_PAGE, Math.max(1, Number(request.query.get('per_page')) || 300));
    const page = Math.max(1, Math.floor(Number(request.query.get('page')) || 1));
    const { headers } = this.paginate(request, files, perPage);
    return {
      status: 200,
      headers,
      body: { ...this.commitJson(commit), files: files.slice((page - 1) * perPage, page * perPage) },
    };
  }

  /** `GET /git/trees/{branch or sha}` (`?recursive=1` for every path below): the tree of that commit. */
  private getTree(request: RecordedRequest, ref: string): FakeResponse {
    const sha = this.resolve(ref);
    if (!sha) return error(404, 'Not Found');
    const recursive = ['1', 'true'].includes(request.query.get('recursive') ?? '');
    const tree = this.commitOf(sha).tree;
    const entries = new Map<string, Record<string, unknown>>();
    for (const [file, text] of tree) {
      const segments = file.split('/');
      const depth = recursive ? segments.length : 1;
      for (let i = 1; i <= depth; i++) {
        const path = segments.slice(0, i).join('/');
        if (entries.has(path)) continue;
        entries.set(
          path,
          i === segments.length
            ? { path, mode: '100644', type: 'blob', sha: blobSha(text), size: Buffer.byteLength(text) }
            : { path, mode: '040000', type: 'tree', sha: sha1(pathState(tree, path) ?? '') },
        );
      }
    }
    return {
      status: 200,
      body: {
        sha: sha1([...tree].sort().join('\n')),
        url: `${this.apiBase()}/git/trees/${sha}`,
        tree: [...entries.values()].sort((a, b) => ((a.path as string) < (b.path as string) ? -1 : 1)),
        truncated: false,
      },
    };
  }

  /** As GitHub: for a commit on main, the merged pull request that brought it; otherwise any that contain it. */
  private pullsOfCommit(request: RecordedRequest, ref: string): FakeResponse {
    const sha = this.resolve(ref);
    if (!sha) return error(422, `No commit found for SHA: ${ref}`);
    const onMain = this.ancestors(this.head('main')).has(sha);
    const pulls = this.pulls.filter(
      (p) => (p.merge_commit_sha === sha || p.commits.includes(sha)) && (!onMain || p.merged_at !== null),
    );
    return this.paginate(
      request,
      pulls.sort((a, b) => b.number - a.number).map((p) => this.pullJson(p)),
    );
  }

  private compare(basehead: string): FakeResponse {
    const match = /^(.+?)\.\.\.?(.+)$/.exec(basehead);
    const base = match && this.resolve(match[1]!);
    const head = match && this.resolve(match[2]!);
    if (!base || !head) return error(404, 'Not Found');
    // Three-dot compare, as GitHub's: the changes on head since it left base.
    const mergeBase = this.mergeBase(base, head);
    const ahead = this.commitsBetween(base, head);
    const behind = this.commitsBetween(head, base);
    const status =
      ahead.length === 0 && behind.length === 0
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged';
    return {
      status: 200,
      body: {
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        base_commit: this.commitJson(this.commitOf(base)),
        merge_base_commit: mergeBase ? this.commitJson(this.commitOf(mergeBase)) : null,
        commits: ahead.map((sha) => this.commitJson(this.commitOf(sha))),
        // GitHub lists at most 300 files in a comparison, without saying that more were left out.
        files: diffTrees(mergeBase ? this.commitOf(mergeBase).tree : new Map(), this.commitOf(head).tree).slice(0, 300),
      },
    };
  }

  /** `GET /activity?ref=&activity_type=&direction=`: newest first unless `direction=asc`. */
  private listActivities(request: RecordedRequest): FakeResponse {
    const ref = request.query.get('ref');
    const full = ref === null ? null : ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
    const type = request.query.get('activity_type');
    const found = this.activities.filter(
      (a) => (full === null || a.ref === full) && (type === null || a.activity_type === type),
    );
    if (request.query.get('direction') !== 'asc') found.reverse();
    return this.paginate(
      request,
      found.map((a) => ({ ...a, node_id: `RA_${a.id}`, actor: this.user(a.actor) })),
    );
  }

  private paginate(request: RecordedRequest, items: unknown[], pageSize?: number): FakeResponse {
    const perPage = pageSize ?? Math.min(100, Math.max(1, Number(request.query.get('per_page')) || 30));
    const page = Math.max(1, Math.floor(Number(request.query.get('page')) || 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const query = new URLSearchParams(request.query);
      query.set('page', String(n));
      return `<${this.url}${request.path}?${query}>; rel="${rel}"`;
    };
    const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return {
      status: 200,
      headers: links.length ? { link: links.join(', ') } : {},
      body: items.slice((page - 1) * perPage, page * perPage),
    };
  }

  // ---- JSON shaped like GitHub's ----

  private apiBase(): string {
    return `${this.url}/repos/${this.owner}/${this.repo}`;
  }

  private user(login: string | null): Record<string, unknown> | null {
    return login === null
      ? null
      : {
          login,
          id: fakeUserId(login),
          type: this.settings.accountType(login),
          html_url: `https://github.com/${login}`,
        };
  }

  private repoJson(): Record<string, unknown> {
    return {
      name: this.repo,
      full_name: `${this.owner}/${this.repo}`,
      owner: this.user(this.owner),
      private: false,
      ...this.settings.repoFields(),
      default_branch: 'main',
      html_url: `https://github.com/${this.owner}/${this.repo}`,
      url: this.apiBase(),
      permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    };
  }

  private fileJson(path: string, content: FakeFile, ref: string): Record<string, unknown> {
    const sha = blobSha(content);
    return {
      type: 'file',
      name: path.split('/').at(-1),
      path,
      sha,
      size: Buffer.byteLength(content),
      url: `${this.apiBase()}/contents/${path}?ref=${encodeURIComponent(ref)}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/blob/${ref}/${path}`,
      git_url: `${this.apiBase()}/git/blobs/${sha}`,
      download_url: `${this.url}/raw/${this.owner}/${this.repo}/${ref}/${path}`,
    };
  }

  private commitJson(commit: FakeCommit): Record<string, unknown> {
    const signature = (p: FakePerson) => ({ name: p.name, email: p.email, date: p.date });
    return {
      sha: commit.sha,
      url: `${this.apiBase()}/commits/${commit.sha}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${commit.sha}`,
      commit: {
        author: signature(commit.author),
        committer: signature(commit.committer),
        message: commit.message,
        tree: { sha: sha1([...commit.tree].sort().join('\n')) },
        verification: { ...commit.verification },
      },
      author: this.user(commit.author.login),
      committer: this.user(commit.committer.login),
      parents: commit.parents.map((sha) => ({ sha, url: `${this.apiBase()}/commits/${sha}` })),
    };
  }

  private pullJson(pull: FakePullRequest): Record<string, unknown> {
    const label = (ref: string) => `${this.owner}:${ref}`;
    return {
      number: pull.number,
      url: `${this.apiBase()}/pulls/${pull.number}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`,
      state: pull.state,
      title: pull.title,
      user: this.user(pull.user.login),
      draft: false,
      created_at: pull.created_at,
      closed_at: pull.merged_at,
      merged_at: pull.merged_at,
      merged: pull.merged_at !== null,
      merged_by: pull.merged_by === null ? null : this.user(pull.merged_by),
      merge_commit_sha: pull.merge_commit_sha,
      head: { ref: pull.head.ref, sha: pull.head.sha, label: label(pull.head.ref) },
      base: { ref: pull.base.ref, sha: this.head(pull.base.ref), label: label(pull.base.ref) },
      author_association: this.association(pull.user.login),
      commits: pull.commits.length,
      changed_files: this.pullFiles(pull).length,
    };
  }

  /** What a pull request changes since its head left the base (GitHub lists up to 3000 files). */
  private pullFiles(pull: FakePullRequest): Record<string, unknown>[] {
    const mergeBase = this.mergeBase(this.head(pull.base.ref), pull.head.sha);
    return diffTrees(mergeBase ? this.commitOf(mergeBase).tree : new Map(), this.commitOf(pull.head.sha).tree).slice(
      0,
      3000,
    );
  }

  private reviewJson(review: FakeReview): Record<string, unknown> {
    return {
      id: review.id,
      user: this.user(review.user.login),
      body: '',
      state: review.state,
      commit_id: review.commit_id,
      submitted_at: review.submitted_at,
      author_association: this.association(review.user.login),
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${review.pullNumber}#pullrequestreview-${review.id}`,
    };
  }

  private commentJson(comment: FakeIssueComment): Record<string, unknown> {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${this.apiBase()}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/${this.issues.all.some((i) => i.number === comment.issueNumber) ? 'issues' : 'pull'}/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${this.apiBase()}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: this.user(comment.user.login),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      author_association: this.association(comment.user.login),
    };
  }

  private association(login: string): string {
    if (login === this.owner) return 'OWNER';
    const permission = this.collaborators.get(login);
    if (permission === 'admin' || permission === 'write') return 'COLLABORATOR';
    return this.history(this.head('main')).some((c) => c.author.login === login) ? 'CONTRIBUTOR' : 'NONE';
  }
}

/** A path's state in a tree: a file's content, a directory's whole subtree, or undefined if absent. */
function pathState(tree: ReadonlyMap<string, FakeFile>, path: string): string | undefined {
  const file = tree.get(path);
  if (file !== undefined) return `file\0${blobSha(file)}`;
  const prefix = `${path}/`;
  const entries = [...tree].filter(([p]) => p.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? `dir\0${JSON.stringify(entries)}` : undefined;
}

function diffTrees(from: ReadonlyMap<string, FakeFile>, to: ReadonlyMap<string, FakeFile>): Record<string, unknown>[] {
  const files: Record<string, unknown>[] = [];
  for (const filename of [...new Set([...from.keys(), ...to.keys()])].sort()) {
    const [before, after] = [from.get(filename), to.get(filename)];
    if (sameFile(before, after)) continue;
    const status = before === undefined ? 'added' : after === undefined ? 'removed' : 'modified';
    files.push({ filename, status, sha: blobSha(after ?? before!) });
  }
  return files;
}

function commentBodyProblem(body: unknown): string | null {
  if (typeof body !== 'string' || body === '') return 'Invalid request.\n\n"body" wasn\'t supplied.';
  if (body.length > 65_536) return 'Validation Failed: body is too long (maximum is 65536 characters)';
  return null;
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function error(status: number, message: string): FakeResponse {
  return { status, body: { message, documentation_url: DOCS, status: String(status) } };
}
