import { jsonBody, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * The issues part of the fake GitHub (the publishing dashboard): list, read, create and edit issues,
 * as GitHub's REST API answers them. FakeGitHub routes `/issues` and `/issues/{number}` here.
 *
 * Where Postgate depends on GitHub's behaviour, this behaves the same:
 * - Issues and pull requests share one sequence of numbers, and the issues listing returns pull
 *   requests too, each with a `pull_request` key.
 * - `GET /issues` filters by `state` (open by default; `all`), `creator` (a login, any case),
 *   `labels` (comma-separated, all of them), sorts by `created` or `updated` (`direction`, newest
 *   first by default) and paginates (30 a page by default, at most 100) with a Link header.
 * - Anyone who may write issues may edit any issue, whoever opened it (telling ours from another's is
 *   the caller's business). Titles are at most 256 characters and bodies 65,536.
 * - The token's `issues` permission: `write` (the default), `read` (every write answers 403 "Resource
 *   not accessible by integration", as for a workflow without `issues: write`), or `none` (reads too,
 *   as on a private repository).
 * Not modelled: assignees, milestones, locking, and editing a pull request through `/issues/{number}`.
 */
export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  user: { login: string };
  labels: string[];
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

/** What the issues need from the fake GitHub around them. */
export interface FakeIssuesHost {
  readonly owner: string;
  readonly repo: string;
  readonly url: string;
  /** Who the token is: the author of the issues it opens. */
  readonly actor: string;
  /** Pull requests, which are issues too: their numbers, and their place in the listing. */
  readonly pulls: readonly {
    number: number;
    title: string;
    user: { login: string };
    state: string;
    created_at: string;
    merged_at: string | null;
  }[];
  now(): number;
  userJson(login: string): Record<string, unknown> | null;
  associationOf(login: string): string;
  paginate(request: RecordedRequest, items: unknown[]): FakeResponse;
}

const DOCS = 'https://docs.github.com/rest/issues/issues';
const NO_ACCESS = 'Resource not accessible by integration';
const isoDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const error = (status: number, message: string): FakeResponse => ({
  status,
  body: { message, documentation_url: DOCS, status: String(status) },
});

export class FakeIssues {
  readonly all: FakeIssue[] = [];
  /** The token's `issues` permission. */
  permission: 'write' | 'read' | 'none' = 'write';
  private readonly host: FakeIssuesHost;

  constructor(host: FakeIssuesHost) {
    this.host = host;
  }

  /** The next number of an issue or a pull request. */
  nextNumber(): number {
    return Math.max(0, ...this.all.map((i) => i.number), ...this.host.pulls.map((p) => p.number)) + 1;
  }

  /** An issue someone opens on GitHub (a test's outsider, or the owner). Returns its number. */
  open(options: { author: string; title: string; body?: string; labels?: string[] }): number {
    const date = isoDate(this.host.now());
    const issue: FakeIssue = {
      number: this.nextNumber(),
      title: options.title,
      body: options.body ?? null,
      user: { login: options.author },
      labels: options.labels ?? [],
      state: 'open',
      state_reason: null,
      created_at: date,
      updated_at: date,
      closed_at: null,
    };
    this.all.push(issue);
    return issue.number;
  }

  get(number: number): FakeIssue {
    const issue = this.all.find((i) => i.number === number);
    if (!issue) throw new Error(`no issue #${number}`);
    return issue;
  }

  /** Closes an issue, as its page's "Close issue" button does. */
  close(number: number): void {
    const issue = this.get(number);
    const date = isoDate(this.host.now());
    Object.assign(issue, { state: 'closed', state_reason: 'completed', closed_at: date, updated_at: date });
  }

  /** Handles `/issues` and `/issues/{number}` (`rest` is the path after the repository), or null. */
  route(request: RecordedRequest, rest: string[]): FakeResponse | null {
    const [section, id] = rest;
    if (section !== 'issues' || rest.length > 2 || (id !== undefined && !/^\d+$/.test(id))) return null;
    if (this.permission === 'none') return error(403, NO_ACCESS);
    const { method } = request;
    if (id === undefined && method === 'GET') return this.list(request);
    if (id === undefined && method === 'POST') return this.create(request);
    const issue = this.all.find((i) => i.number === Number(id));
    if (method === 'GET') return issue ? { status: 200, body: this.json(issue) } : error(404, 'Not Found');
    if (method === 'PATCH') return issue ? this.edit(request, issue) : error(404, 'Not Found');
    return null;
  }

  private list(request: RecordedRequest): FakeResponse {
    const q = request.query;
    const state = q.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) return error(422, 'Validation Failed');
    const creator = q.get('creator')?.toLowerCase();
    const labels = (q.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const sortBy = q.get('sort') === 'updated' ? 'updated_at' : 'created_at';
    const asc = q.get('direction') === 'asc';
    const entries = [
      ...this.all.map((i) => ({ at: i[sortBy], number: i.number, json: this.json(i), issue: i })),
      ...this.host.pulls.map((p) => ({ at: p.created_at, number: p.number, json: this.pullJson(p), issue: null })),
    ].filter(({ json }) => {
      const login = (json.user as { login: string }).login.toLowerCase();
      const names = (json.labels as { name: string }[]).map((l) => l.name.toLowerCase());
      return (
        (state === 'all' || json.state === state) &&
        (creator === undefined || login === creator) &&
        labels.every((l) => names.includes(l))
      );
    });
    // By the chosen time, then by number (GitHub's times have seconds; numbers keep ties in order).
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.number - b.number) * (asc ? 1 : -1));
    return this.host.paginate(
      request,
      entries.map((e) => e.json),
    );
  }

  private create(request: RecordedRequest): FakeResponse {
    if (this.permission !== 'write') return error(403, NO_ACCESS);
    const body = jsonBody(request);
    if (typeof body.title !== 'string' || body.title === '')
      return error(422, 'Invalid request.\n\n"title" wasn\'t supplied.');
    const invalid = fieldProblem(body);
    if (invalid) return error(422, invalid);
    const number = this.open({
      author: this.host.actor,
      title: body.title,
      ...(typeof body.body === 'string' ? { body: body.body } : {}),
      labels: labelNames(body.labels),
    });
    return { status: 201, body: this.json(this.get(number)) };
  }

  private edit(request: RecordedRequest, issue: FakeIssue): FakeResponse {
    if (this.permission !== 'write') return error(403, NO_ACCESS);
    const body = jsonBody(request);
    const invalid = fieldProblem(body);
    if (invalid) return error(422, invalid);
    if (typeof body.title === 'string') issue.title = body.title;
    if (typeof body.body === 'string' || body.body === null) issue.body = body.body as string | null;
    if (body.labels !== undefined) issue.labels = labelNames(body.labels);
    const date = isoDate(this.host.now());
    if (body.state === 'closed' && issue.state === 'open')
      Object.assign(issue, { state: 'closed', state_reason: body.state_reason ?? 'completed', closed_at: date });
    if (body.state === 'open' && issue.state === 'closed')
      Object.assign(issue, { state: 'open', state_reason: 'reopened', closed_at: null });
    issue.updated_at = date;
    return { status: 200, body: this.json(issue) };
  }

  private json(issue: FakeIssue): Record<string, unknown> {
    const base = `${this.host.url}/repos/${this.host.owner}/${this.host.repo}`;
    const user = this.host.userJson(issue.user.login);
    return {
      id: 2_000_000_000 + issue.number,
      node_id: `I_${issue.number}`,
      number: issue.number,
      url: `${base}/issues/${issue.number}`,
      repository_url: base,
      html_url: `https://github.com/${this.host.owner}/${this.host.repo}/issues/${issue.number}`,
      title: issue.title,
      body: issue.body,
      user,
      labels: issue.labels.map((name, i) => ({ id: 9_000 + i, name, color: 'ededed', default: false })),
      state: issue.state,
      state_reason: issue.state_reason,
      locked: false,
      comments: 0,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      author_association: this.host.associationOf(issue.user.login),
      // Issues a workflow's token opens are GitHub Actions' (an app's) doing.
      performed_via_github_app: issue.user.login === 'github-actions[bot]' ? { slug: 'github-actions' } : null,
    };
  }

  private pullJson(pull: FakeIssuesHost['pulls'][number]): Record<string, unknown> {
    const html = `https://github.com/${this.host.owner}/${this.host.repo}/pull/${pull.number}`;
    return {
      number: pull.number,
      html_url: html,
      title: pull.title,
      body: null,
      user: this.host.userJson(pull.user.login),
      labels: [],
      state: pull.state,
      created_at: pull.created_at,
      updated_at: pull.merged_at ?? pull.created_at,
      closed_at: pull.merged_at,
      author_association: this.host.associationOf(pull.user.login),
      pull_request: {
        url: `${this.host.url}/repos/${this.host.owner}/${this.host.repo}/pulls/${pull.number}`,
        html_url: html,
        merged_at: pull.merged_at,
      },
    };
  }
}

function labelNames(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name ?? ''))).filter(Boolean);
}

function fieldProblem(body: Record<string, unknown>): string | null {
  if (typeof body.title === 'string' && body.title.length > 256)
    return 'Validation Failed: title is too long (maximum is 256 characters)';
  if (typeof body.body === 'string' && body.body.length > 65_536)
    return 'Validation Failed: body is too long (maximum is 65536 characters)';
  return null;
}
