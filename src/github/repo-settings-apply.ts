import type { SetupAction } from '../core/repo-settings/setup-actions.ts';
import { isPlanLimit } from '../core/repo-settings/settings.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { RuleViolation, writeRemoteFile } from './contents.ts';
import { failureMessage } from './repo-settings.ts';

/**
 * Carries out one of setup's planned requests. Each either does exactly what the plan printed, or
 * throws a SetupRefused that says why in a person's words (GitHub's own message included).
 */
export class SetupRefused extends Error {
  override name = 'SetupRefused';
}

/** Why GitHub refused, for the "✗ cannot: …" line. */
export function refusalReason(error: unknown): string {
  if (error instanceof SetupRefused || error instanceof RuleViolation) return error.message;
  const status = statusOf(error);
  const message = failureMessage(error);
  if (isPlanLimit(message)) return `not available for this repository on its plan (GitHub: "${message}")`;
  if (status === 403 || status === 404)
    return `GitHub refused (${status}: ${message}); the token must be a repository admin's, with the repo scope (or, fine-grained: Administration, Contents, Environments, Pages and Secrets)`;
  return `GitHub answered ${status ?? 'nothing'}: ${message}`;
}

export async function applySetupAction(gh: GitHubRepo, action: SetupAction): Promise<void> {
  const repo = { owner: gh.owner, repo: gh.repo, ...requestOptions(gh) };
  const { rest } = gh.octokit;
  type RulesetParams = NonNullable<Parameters<typeof rest.repos.createRepoRuleset>[0]>;
  switch (action.kind) {
    case 'create-ruleset':
      await rest.repos.createRepoRuleset({ ...(action.body as unknown as RulesetParams), ...repo });
      return;
    case 'update-ruleset':
      await rest.repos.updateRepoRuleset({
        ...(action.body as unknown as RulesetParams),
        ...repo,
        ruleset_id: action.id,
      });
      return;
    case 'put-environment': {
      const { data } = await rest.repos.createOrUpdateEnvironment({
        ...repo,
        environment_name: action.name,
        ...action.body,
      });
      // GitHub may accept the request and keep no reviewers where the plan has none to offer.
      const kept = (data.protection_rules ?? []).some(
        (rule) => 'reviewers' in rule && (rule.reviewers?.length ?? 0) > 0,
      );
      if (action.expectReviewers && !kept)
        throw new SetupRefused(
          `GitHub kept no required reviewers on the ${action.name} environment: on a private repository they need GitHub Enterprise`,
        );
      return;
    }
    case 'add-branch-policy':
      await rest.repos.createDeploymentBranchPolicy({
        ...repo,
        environment_name: action.environment,
        name: action.pattern,
        type: 'branch',
      });
      return;
    case 'delete-branch-policy':
      await rest.repos.deleteDeploymentBranchPolicy({
        ...repo,
        environment_name: action.environment,
        branch_policy_id: action.id,
      });
      return;
    case 'write-file': {
      const written = await writeRemoteFile(gh, action.path, action.text, action.sha, action.message);
      if (!written.ok)
        throw new SetupRefused(`${action.path} changed on ${gh.branch} while setup ran: run setup again`);
      return;
    }
    case 'create-pages':
      await rest.repos.createPagesSite({ ...repo, build_type: 'workflow' });
      return;
    case 'update-pages':
      await rest.repos.updateInformationAboutPagesSite({ ...repo, build_type: 'workflow' });
      return;
  }
}
