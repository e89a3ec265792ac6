import type { Env } from '../channels/channel.ts';
import { mainRuleNotes } from '../core/repo-settings/run-notes.ts';
import { MAIN_BRANCH } from '../core/repo-settings/settings.ts';
import { githubFromEnv, requestOptions, statusOf } from './client.ts';
import { failureMessage } from './repo-settings.ts';

/**
 * For a publish run's job summary: what main's rules leave open (src/core/repo-settings/run-notes.ts),
 * from two requests the workflow's token may make (`metadata: read`). Nothing in local mode; a
 * reading that fails is said, and never stops the run.
 */
export async function settingsNotes(env: Env): Promise<string[]> {
  const gh = githubFromEnv(env, { timeoutMs: 10_000 });
  if (!gh) return [];
  const args = { owner: gh.owner, repo: gh.repo, ...requestOptions(gh) };
  try {
    const [{ data: repo }, { data: rules }] = await Promise.all([
      gh.octokit.rest.repos.get(args),
      gh.octokit.rest.repos.getBranchRules({ ...args, branch: MAIN_BRANCH, per_page: 100 }),
    ]);
    return mainRuleNotes({ private: repo.private, rules: rules.map((r) => ({ type: r.type })) });
  } catch (error) {
    return [
      `could not read the rules on ${MAIN_BRANCH} (${statusOf(error) ?? 'no answer'}: ${failureMessage(error)}); postgate doctor says what they leave open`,
    ];
  }
}
