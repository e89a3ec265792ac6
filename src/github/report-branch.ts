import { REPORTS_BRANCH, REPORTS_DIR, sameReport } from '../core/report-file.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { readRemoteFile, writeRemoteFile } from './contents.ts';
import { branchExists, createBranch } from './ledger-branch.ts';

/**
 * The weekly reports, kept on a branch of their own (`postgate/reports`), written through the
 * contents API as the ledger is: main stays protected (reviewed pull requests only) and nothing
 * needs to push to it. The branch is made from main's head the first time.
 */
export type SaveOutcome =
  | { saved: 'created' | 'updated'; url: string }
  | { saved: 'unchanged' | 'kept'; url: string; why: string };

export const reportsRepo = (main: GitHubRepo): GitHubRepo => ({ ...main, branch: REPORTS_BRANCH });

/** The file's address on GitHub, for people (the dashboard links it). */
export function reportUrl(main: GitHubRepo, path: string, serverUrl = 'https://github.com'): string {
  const branch = REPORTS_BRANCH.split('/').map(encodeURIComponent).join('/');
  return `${serverUrl.replace(/\/+$/, '')}/${main.owner}/${main.repo}/blob/${branch}/${path}`;
}

/**
 * Writes `text` at `path` unless the branch has the same report (generated at another time) there.
 * A report with missing parts does not replace one already kept: a rerun on a day the tool is down
 * must not overwrite a complete week with question marks.
 */
export async function saveReport(
  main: GitHubRepo,
  path: string,
  text: string,
  options: { missing: number; serverUrl?: string },
): Promise<SaveOutcome> {
  const reports = reportsRepo(main);
  const url = reportUrl(main, path, options.serverUrl);
  if (!(await branchExists(reports))) await createBranch(reports, await headOf(main), path);
  const existing = await readRemoteFile(reports, path);
  if (existing && sameReport(existing.text, text))
    return { saved: 'unchanged', url, why: 'the same report is there already' };
  if (existing && options.missing > 0)
    return { saved: 'kept', url, why: 'this run has missing parts; the report already there is kept' };
  const week = path.slice(REPORTS_DIR.length + 1).replace(/\.md$/, '');
  const result = await writeRemoteFile(reports, path, text, existing?.sha ?? null, `Outcomes report ${week}`);
  if (!result.ok) throw new Error(`${path} on ${REPORTS_BRANCH} changed while this run wrote it; run the report again`);
  return { saved: existing ? 'updated' : 'created', url };
}

/** The newest `reports/YYYY-Www.md` on the branch, or null when there is none (or no branch). */
export async function latestReport(main: GitHubRepo): Promise<string | null> {
  const reports = reportsRepo(main);
  try {
    const { data } = await main.octokit.rest.repos.getContent({
      owner: main.owner,
      repo: main.repo,
      path: REPORTS_DIR,
      ref: reports.branch,
      ...requestOptions(main),
    });
    if (!Array.isArray(data)) return null;
    const names = data.map((f) => f.path).filter((p) => /^reports\/\d{4}-W\d{2}\.md$/.test(p));
    return names.sort().at(-1) ?? null;
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

async function headOf(main: GitHubRepo): Promise<string> {
  const { data } = await main.octokit.rest.git.getRef({
    owner: main.owner,
    repo: main.repo,
    ref: `heads/${main.branch}`,
    ...requestOptions(main),
  });
  return data.object.sha;
}
