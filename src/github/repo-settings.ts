import { CODEOWNERS_PATHS } from '../core/repo-settings/codeowners.ts';
import {
  MAIN_BRANCH,
  PUBLISH_ENVIRONMENT,
  readFailed,
  readOk,
  RETRACT_ENVIRONMENT,
  type ClassicProtection,
  type CodeOwnersFile,
  type Environment,
  type Person,
  type Read,
  type RepoMeta,
  type RepoSettings,
  type Ruleset,
} from '../core/repo-settings/settings.ts';
import { EnvironmentError } from '../core/errors.ts';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';
import { readRemoteFile } from './contents.ts';

/**
 * Reads the settings `setup` and `doctor` judge (src/core/repo-settings/), through GitHub's REST API:
 * about a dozen requests, made side by side. Each reading that fails is kept as a failure (a plan's
 * limit, a missing permission), never taken for "not set".
 */
export function failureMessage(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } }).response?.data;
  if (typeof data?.message === 'string' && data.message) return data.message.split('\n')[0]!;
  return error instanceof Error ? error.message : String(error);
}

/** The reading, or its failure; `absent` statuses (404) read as `fallback`. */
async function attempt<T>(read: () => Promise<T>, fallback?: { status: number; value: T }): Promise<Read<T>> {
  try {
    return readOk(await read());
  } catch (error) {
    const status = statusOf(error) ?? null;
    if (fallback && status === fallback.status) return readOk(fallback.value);
    return readFailed(status, failureMessage(error));
  }
}

const repoArgs = (gh: GitHubRepo) => ({ owner: gh.owner, repo: gh.repo, ...requestOptions(gh) });

async function readMeta(gh: GitHubRepo): Promise<RepoMeta> {
  try {
    const { data } = await gh.octokit.rest.repos.get(repoArgs(gh));
    return {
      fullName: data.full_name,
      owner: data.owner.login,
      ownerId: data.owner.id,
      ownerType: data.owner.type === 'Organization' ? 'Organization' : 'User',
      private: data.private,
      defaultBranch: data.default_branch,
      admin: data.permissions?.admin === true,
    };
  } catch (error) {
    const status = statusOf(error);
    throw new EnvironmentError(
      status === 404
        ? `${gh.owner}/${gh.repo} was not found, or the token cannot see it`
        : `could not read ${gh.owner}/${gh.repo} (${status ?? 'no answer'}: ${failureMessage(error)})`,
    );
  }
}

async function readRulesets(gh: GitHubRepo): Promise<Ruleset[]> {
  // The list names each ruleset; its conditions, rules and bypass list come one by one.
  const list = await gh.octokit.paginate(gh.octokit.rest.repos.getRepoRulesets, {
    ...repoArgs(gh),
    includes_parents: true,
    per_page: 100,
  });
  const branchRulesets = list.filter((r) => (r.target ?? 'branch') === 'branch');
  return Promise.all(
    branchRulesets.map(async ({ id }) => {
      const { data } = await gh.octokit.rest.repos.getRepoRuleset({
        ...repoArgs(gh),
        ruleset_id: id,
        includes_parents: true,
      });
      const refName = (data.conditions as { ref_name?: { include?: string[]; exclude?: string[] } } | null)?.ref_name;
      return {
        id: data.id,
        name: data.name,
        target: data.target ?? 'branch',
        enforcement: data.enforcement,
        sourceType: data.source_type ?? 'Repository',
        include: refName?.include ?? [],
        exclude: refName?.exclude ?? [],
        rules: (data.rules ?? []).map((r) => ({
          type: r.type,
          ...('parameters' in r && r.parameters ? { parameters: r.parameters as Record<string, unknown> } : {}),
        })),
        bypass: (data.bypass_actors ?? []).map((b) => ({
          actorType: b.actor_type,
          actorId: b.actor_id ?? null,
          mode: b.bypass_mode ?? 'always',
        })),
      };
    }),
  );
}

async function readClassicProtection(gh: GitHubRepo): Promise<ClassicProtection> {
  const { data } = await gh.octokit.rest.repos.getBranchProtection({ ...repoArgs(gh), branch: MAIN_BRANCH });
  const reviews = data.required_pull_request_reviews;
  return {
    requiredReviews: reviews ? (reviews.required_approving_review_count ?? 0) : null,
    codeOwnerReviews: reviews?.require_code_owner_reviews === true,
    allowForcePushes: data.allow_force_pushes?.enabled === true,
    allowDeletions: data.allow_deletions?.enabled === true,
    enforceAdmins: data.enforce_admins?.enabled === true,
  };
}

async function readEnvironment(gh: GitHubRepo, name: string): Promise<Environment | null> {
  let data: Awaited<ReturnType<typeof gh.octokit.rest.repos.getEnvironment>>['data'];
  try {
    ({ data } = await gh.octokit.rest.repos.getEnvironment({ ...repoArgs(gh), environment_name: name }));
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
  const policy = data.deployment_branch_policy ?? null;
  const [patterns, secrets] = await Promise.all([
    policy?.custom_branch_policies
      ? gh.octokit.paginate(gh.octokit.rest.repos.listDeploymentBranchPolicies, {
          ...repoArgs(gh),
          environment_name: name,
          per_page: 100,
        })
      : Promise.resolve([]),
    attempt(async () =>
      (
        await gh.octokit.paginate(gh.octokit.rest.actions.listEnvironmentSecrets, {
          ...repoArgs(gh),
          environment_name: name,
          per_page: 100,
        })
      ).map((s) => s.name),
    ),
  ]);
  const reviewers: Person[] = [];
  let waitTimer = 0;
  for (const rule of data.protection_rules ?? []) {
    if ('wait_timer' in rule && typeof rule.wait_timer === 'number') waitTimer = rule.wait_timer;
    if (!('reviewers' in rule)) continue;
    for (const r of rule.reviewers ?? []) {
      const who = r.reviewer as { login?: string; slug?: string; name?: string; id?: number } | undefined;
      if (!who || typeof who.id !== 'number') continue;
      reviewers.push({
        login: who.login ?? who.slug ?? who.name ?? String(who.id),
        id: who.id,
        type: r.type === 'Team' ? 'Team' : 'User',
      });
    }
  }
  return {
    name,
    branchPolicy: policy
      ? { protectedBranches: policy.protected_branches, customBranchPolicies: policy.custom_branch_policies }
      : null,
    branchPatterns: patterns.map((p) => ({ id: p.id ?? 0, name: p.name ?? '', type: p.type ?? 'branch' })),
    reviewers,
    waitTimer,
    secrets,
  };
}

/** The CODEOWNERS file GitHub reads: the first of .github/, the root, docs/. */
async function readCodeOwners(gh: GitHubRepo): Promise<CodeOwnersFile | null> {
  for (const path of CODEOWNERS_PATHS) {
    const file = await readRemoteFile(gh, path);
    if (file) return { path, text: file.text, sha: file.sha };
  }
  return null;
}

/** The owners: the owner of a personal repository, or the admins of an organisation's. */
async function readOwners(gh: GitHubRepo, meta: RepoMeta): Promise<Person[]> {
  if (meta.ownerType === 'User') return [{ login: meta.owner, id: meta.ownerId, type: 'User' }];
  const admins = await gh.octokit.paginate(gh.octokit.rest.repos.listCollaborators, {
    ...repoArgs(gh),
    permission: 'admin',
    affiliation: 'all',
    per_page: 100,
  });
  return admins.filter((a) => a.type !== 'Bot').map((a) => ({ login: a.login, id: a.id, type: 'User' as const }));
}

export async function readRepoSettings(gh: GitHubRepo): Promise<RepoSettings> {
  const meta = await readMeta(gh);
  const [
    rulesets,
    mainProtection,
    publish,
    retract,
    codeOwners,
    repositorySecrets,
    variables,
    organizationSecrets,
    pages,
    owners,
  ] = await Promise.all([
    attempt(() => readRulesets(gh)),
    attempt(() => readClassicProtection(gh), { status: 404, value: null }),
    attempt(() => readEnvironment(gh, PUBLISH_ENVIRONMENT)),
    attempt(() => readEnvironment(gh, RETRACT_ENVIRONMENT)),
    attempt(() => readCodeOwners(gh)),
    attempt(async () =>
      (await gh.octokit.paginate(gh.octokit.rest.actions.listRepoSecrets, { ...repoArgs(gh), per_page: 100 })).map(
        (s) => s.name,
      ),
    ),
    attempt(async () =>
      (await gh.octokit.paginate(gh.octokit.rest.actions.listRepoVariables, { ...repoArgs(gh), per_page: 30 })).map(
        (v) => v.name,
      ),
    ),
    meta.ownerType === 'Organization'
      ? attempt(async () =>
          (
            await gh.octokit.paginate(gh.octokit.rest.actions.listRepoOrganizationSecrets, {
              ...repoArgs(gh),
              per_page: 100,
            })
          ).map((s) => s.name),
        )
      : Promise.resolve(readOk<string[]>([])),
    attempt(
      async () => {
        const { data } = await gh.octokit.rest.repos.getPages(repoArgs(gh));
        return { buildType: data.build_type ?? null };
      },
      { status: 404, value: null },
    ),
    attempt(() => readOwners(gh, meta)),
  ]);
  return {
    repo: meta,
    rulesets,
    mainProtection,
    publish,
    retract,
    codeOwners,
    repositorySecrets,
    variables,
    organizationSecrets,
    pages,
    owners,
  };
}
