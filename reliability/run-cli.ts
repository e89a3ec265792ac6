import { runCliAsync } from '../tests/helpers/cli.ts';
import { FakeGitHub } from '../tests/fakes/fake-github.ts';
import type { Networks } from '../tests/helpers/networks.ts';
import { FakeSite } from '../tests/fakes/fake-site.ts';
import { NOW, read, scenarioFiles } from './scenario.ts';

let site: Promise<FakeSite> | null = null;

/**
 * The deployed blog, as GitHub Pages serves it once the site job has run: the scenario's post
 * answers at its address. In GitHub mode a post's announcements wait for that answer, and nothing
 * here may ask the real site.url.
 */
function deployedSite(): Promise<FakeSite> {
  site ??= (async () => {
    const pages = new FakeSite();
    await pages.start();
    pages.deployPost('launch', 'Reliability launch');
    return pages;
  })();
  return site;
}

/** Stops the deployed site, if a run started it. */
export async function stopDeployedSite(): Promise<void> {
  if (site) await (await site).stop();
}

/** `publish` against the fakes, as the workflow runs it; GitHub mode when a fake GitHub is given. */
export async function publishOnce(dir: string, n: Networks, gh: FakeGitHub | null, extra: Record<string, string> = {}) {
  const pages = gh ? await deployedSite() : null;
  const github = gh
    ? {
        POSTGATE_SITE_URL: pages!.siteUrl,
        POSTGATE_LIVE_RETRY_MS: '10',
        GITHUB_TOKEN: gh.token,
        GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
        GITHUB_API_URL: gh.url,
        POSTGATE_GITHUB_THROTTLE: 'off',
        // The scenario's approver (see approvedGitHub): named as the repository variable names them.
        POSTGATE_APPROVERS: 'owner',
      }
    : {};
  return runCliAsync(['publish'], {
    cwd: dir,
    env: { ...n.env, ...github, POSTGATE_NOW: NOW, POSTGATE_TIMEOUT_MS: '3000', ...extra },
  });
}

/** Reruns publish until a run finishes cleanly (at most `tries`); returns how many it took. */
export async function publishToCompletion(dir: string, n: Networks, gh: FakeGitHub | null, tries = 4): Promise<number> {
  for (let i = 1; i <= tries; i++) {
    const r = await publishOnce(dir, n, gh);
    if (r.status === 0) return i;
  }
  return -1;
}

/** Runs `tasks` with at most `limit` at once (the machine has two cores). */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]!();
      }
    }),
  );
  return results;
}

/**
 * A fake GitHub whose main holds the scenario, merged from a pull request approved by the owner
 * and by Alice (what goes out on her own accounts needs her own approval too).
 */
export async function approvedGitHub(dir: string): Promise<FakeGitHub> {
  const gh = new FakeGitHub({ files: { 'postgate.config.yaml': read(dir, 'postgate.config.yaml') } });
  await gh.start();
  gh.commit({ branch: 'content', files: scenarioFiles(dir), author: 'writer' });
  const pr = gh.openPullRequest({ author: 'writer', branch: 'content', title: 'Content' });
  gh.collaborators.set('owner', 'write');
  gh.collaborators.set('alice', 'write');
  gh.review(pr, { user: 'owner', state: 'APPROVED' });
  gh.review(pr, { user: 'alice', state: 'APPROVED' });
  gh.merge(pr);
  return gh;
}
