import { CODEOWNERS_FILE, codeOwnersWithAreas } from '../../src/core/repo-settings/codeowners.ts';
import {
  LEDGER_RULESET,
  MAIN_RULESET,
  readFailed,
  readOk,
  type Environment,
  type RepoSettings,
  type Ruleset,
} from '../../src/core/repo-settings/settings.ts';

/**
 * Repository settings for the pure rules' tests: `freshSettings()` is a new public repository made
 * from the template (nothing set up), `setUpSettings()` the same after `postgate setup` (pull
 * requests required on main, nobody bypassing).
 */
export const CREDENTIALS = [
  'X_API_KEY',
  'X_API_SECRET',
  'X_ACCESS_TOKEN',
  'X_ACCESS_SECRET',
  'MASTODON_TOKEN',
  'BLUESKY_APP_PASSWORD',
];

export const OWNER = { login: 'riverside', id: 4242, type: 'User' as const };

export function freshSettings(): RepoSettings {
  return {
    repo: {
      fullName: 'riverside/journal',
      owner: 'riverside',
      ownerId: OWNER.id,
      ownerType: 'User',
      private: false,
      defaultBranch: 'main',
      admin: true,
    },
    rulesets: readOk([]),
    mainProtection: readOk(null),
    publish: readOk(null),
    retract: readOk(null),
    codeOwners: readOk(null),
    repositorySecrets: readOk([]),
    variables: readOk([]),
    organizationSecrets: readOk([]),
    pages: readOk(null),
    owners: readOk([OWNER]),
  };
}

export function ruleset(overrides: Partial<Ruleset> = {}): Ruleset {
  return {
    id: 1,
    name: MAIN_RULESET,
    target: 'branch',
    enforcement: 'active',
    sourceType: 'Repository',
    include: ['refs/heads/main'],
    exclude: [],
    rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }],
    bypass: [],
    ...overrides,
  };
}

export function environment(name: string, overrides: Partial<Environment> = {}): Environment {
  return {
    name,
    branchPolicy: { protectedBranches: false, customBranchPolicies: true },
    branchPatterns: [{ id: 11, name: 'main', type: 'branch' }],
    reviewers: [],
    waitTimer: 0,
    secrets: readOk(['X_API_KEY', 'MASTODON_TOKEN']),
    ...overrides,
  };
}

/** The pull request rule setup puts in main's ruleset. */
export const PULL_REQUEST_RULE = {
  type: 'pull_request',
  parameters: {
    required_approving_review_count: 1,
    require_code_owner_review: true,
    dismiss_stale_reviews_on_push: true,
    require_last_push_approval: true,
    required_review_thread_resolution: false,
  },
};

export function setUpSettings(): RepoSettings {
  return {
    ...freshSettings(),
    rulesets: readOk([
      ruleset({ rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, PULL_REQUEST_RULE] }),
      ruleset({
        id: 2,
        name: LEDGER_RULESET,
        include: ['refs/heads/postgate/ledger'],
        rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, { type: 'required_linear_history' }],
      }),
    ]),
    publish: readOk(
      environment('publish', { secrets: readOk(['X_API_KEY', 'MASTODON_TOKEN', 'POSTGATE_LEDGER_KEY']) }),
    ),
    retract: readOk(environment('retract', { reviewers: [OWNER], secrets: readOk([]) })),
    variables: readOk(['POSTGATE_APPROVERS', 'POSTGATE_LEDGER_PUBLIC_KEY']),
    codeOwners: readOk({ path: CODEOWNERS_FILE, text: codeOwnersWithAreas(null, ['@riverside'])!, sha: 'c0de' }),
    pages: readOk({ buildType: 'workflow' }),
  };
}

/** A private repository on GitHub Free, as GitHub's answers show it. */
export function privateFreeSettings(): RepoSettings {
  const upgrade = 'Upgrade to GitHub Pro or make this repository public to enable this feature.';
  const base = freshSettings();
  return {
    ...base,
    repo: { ...base.repo, private: true },
    rulesets: readFailed(403, upgrade),
    mainProtection: readFailed(403, upgrade),
    repositorySecrets: readOk(['X_API_KEY', 'BLUESKY_APP_PASSWORD']),
  };
}
