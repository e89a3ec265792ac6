import { DASHBOARD_MARKER, sameDashboard } from '../core/dashboard.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { tokenLogin } from './pr-comment.ts';

/**
 * The dashboard issue on GitHub: found, then created once or edited in place. Two or three requests
 * a run: who the token is (`GET /user`; GitHub Actions' token may not ask, and is github-actions[bot]),
 * one listing of that account's issues, then one create or one edit, or none when nothing but the
 * "updated" line would change (an edit every 15 minutes that says nothing new is noise in the issue's
 * history and costs a write against GitHub's limits).
 *
 * Ours is an issue created by the token's own account (for the Actions token a Bot) whose body
 * starts with the marker. Anyone can write the marker into an issue; an outsider who does must
 * neither have their issue adopted (and then edited by every run) nor keep ours from being found.
 * Open or closed: closing it is the owner's choice and is kept; runs keep the closed issue current
 * and never open a second one (`dashboard.enabled: false` turns it off).
 */
export type DashboardIssueResult =
  | {
      kind: 'created' | 'updated' | 'unchanged';
      number: number;
      url: string;
      closed: boolean;
      /** The body before this run's edit; null when this run created the issue. */
      previousBody: string | null;
    }
  /** The token may not read or write issues (403, 404), or the repository has them turned off (410). */
  | { kind: 'no-access'; status: number; message: string };

/** Pages of the token's issues looked through, oldest first; the dashboard is among its first. */
const MAX_PAGES = 10;

type Listed = Awaited<ReturnType<GitHubRepo['octokit']['rest']['issues']['listForRepo']>>['data'][number];

export async function upsertDashboardIssue(
  gh: GitHubRepo,
  /** The body, or how to make it from the one there (null when there is none yet). */
  issue: { title: string; body: string | ((previous: string | null) => string) },
): Promise<DashboardIssueResult> {
  const target = { owner: gh.owner, repo: gh.repo };
  try {
    const me = await tokenLogin(gh);
    const found = await findDashboard(gh, me);
    if (found === 'too-many')
      throw new Error(
        `no dashboard among the first ${MAX_PAGES * 100} issues ${me} created; a new one is not opened, lest it be one more every run`,
      );
    if (found) {
      const closed = found.state === 'closed';
      const previousBody = found.body ?? '';
      const body = typeof issue.body === 'string' ? issue.body : issue.body(previousBody);
      if (found.title === issue.title && sameDashboard(previousBody, body))
        return { kind: 'unchanged', number: found.number, url: found.html_url, closed, previousBody };
      const { data } = await gh.octokit.rest.issues.update({
        ...target,
        issue_number: found.number,
        title: issue.title,
        body,
        ...requestOptions(gh),
      });
      return { kind: 'updated', number: data.number, url: data.html_url, closed, previousBody };
    }
    const body = typeof issue.body === 'string' ? issue.body : issue.body(null);
    const { data } = await gh.octokit.rest.issues.create({
      ...target,
      title: issue.title,
      body,
      ...requestOptions(gh),
    });
    return { kind: 'created', number: data.number, url: data.html_url, closed: false, previousBody: null };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404 || status === 410)
      return { kind: 'no-access', status, message: (error as Error).message.split('\n')[0] ?? '' };
    throw error;
  }
}

/** The oldest issue that is ours, 'too-many' when the listing was cut short, or null. */
async function findDashboard(gh: GitHubRepo, me: string): Promise<Listed | 'too-many' | null> {
  const pages = gh.octokit.paginate.iterator(gh.octokit.rest.issues.listForRepo, {
    owner: gh.owner,
    repo: gh.repo,
    creator: me,
    state: 'all',
    sort: 'created',
    direction: 'asc',
    per_page: 100,
    ...requestOptions(gh),
  });
  let seen = 0;
  for await (const { data } of pages) {
    const ours = data.find((i) => isOurs(i, me));
    if (ours) return ours;
    if (++seen === MAX_PAGES) return data.length === 100 ? 'too-many' : null;
  }
  return null;
}

function isOurs(issue: Listed, me: string): boolean {
  // The listing holds pull requests too (GitHub's issues include them).
  if (issue.pull_request) return false;
  const login = issue.user?.login ?? '';
  if (login.toLowerCase() !== me.toLowerCase()) return false;
  // An app's account is a Bot; a person's token writes as that person.
  if (me.endsWith('[bot]') && issue.user?.type !== 'Bot') return false;
  return (issue.body ?? '').startsWith(DASHBOARD_MARKER);
}

/**
 * A comment on the dashboard issue (src/core/dashboard-notice.ts says when): an edit notifies no one,
 * a comment notifies the repository's watchers, the issue's subscribers and whom it mentions.
 */
export async function commentOnDashboard(gh: GitHubRepo, number: number, body: string): Promise<string> {
  const { data } = await gh.octokit.rest.issues.createComment({
    owner: gh.owner,
    repo: gh.repo,
    issue_number: number,
    body,
    ...requestOptions(gh),
  });
  return data.html_url;
}
