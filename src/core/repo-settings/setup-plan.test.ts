import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS,
  environment,
  freshSettings,
  OWNER,
  privateFreeSettings,
  ruleset,
  setUpSettings,
} from '../../../tests/helpers/repo-settings.ts';
import type { RulesetBody, SetupAction, SetupStep } from './setup-actions.ts';
import { planSetup } from './setup-plan.ts';
import { readOk, type RepoSettings } from './settings.ts';

const plan = (settings: RepoSettings, flags: { requirePullRequests?: boolean; adminBypass?: boolean } = {}) =>
  planSetup(settings, {
    requirePullRequests: flags.requirePullRequests ?? false,
    adminBypass: flags.adminBypass ?? false,
    credentialNames: CREDENTIALS,
  });
const step = (steps: SetupStep[], title: string) => steps.find((s) => s.title === title)!;
const rulesetBody = (s: SetupStep): RulesetBody => {
  const action = s.actions[0] as Extract<SetupAction, { body: RulesetBody }>;
  return action.body;
};

describe('setup on a repository nobody has set up', () => {
  it('plans every step, in an order where CODEOWNERS is committed before main gets its ruleset', () => {
    const steps = plan(freshSettings());
    expect(steps.map((s) => [s.title, s.status])).toEqual([
      ['Code owners', 'change'],
      ['Ruleset on main', 'change'],
      ['Ruleset on postgate/ledger', 'change'],
      ['The publish environment', 'change'],
      ['The retract environment', 'change'],
      ['GitHub Pages', 'change'],
      ['Network credentials', 'ok'],
    ]);
  });

  it('main: no deletion, no force push, nobody bypasses; no pull request rule unless asked, and says why', () => {
    const main = step(plan(freshSettings()), 'Ruleset on main');
    expect(rulesetBody(main)).toEqual({
      name: 'Postgate: main',
      target: 'branch',
      enforcement: 'active',
      conditions: { ref_name: { include: ['refs/heads/main'], exclude: [] } },
      rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }],
      bypass_actors: [],
    });
    expect(main.details.join('\n')).toContain('Not added: require a pull request before merging');
    expect(main.details.join('\n')).toContain('--require-pull-requests once the ledger lives on postgate/ledger');
  });

  it('once the ledger has its own branch, says the pull request rule can be added now', () => {
    const main = step(plan({ ...freshSettings(), ledgerBranchExists: readOk(true) }), 'Ruleset on main');
    expect(main.details).toContain(
      'Not added: require a pull request before merging. The ledger lives on postgate/ledger now, so nothing needs to push to main: add it with --require-pull-requests.',
    );
  });

  it('with --require-pull-requests and --admin-bypass: 1 approval, code owners, admins on the bypass list', () => {
    const main = step(plan(freshSettings(), { requirePullRequests: true, adminBypass: true }), 'Ruleset on main');
    const body = rulesetBody(main);
    expect(body.rules).toContainEqual({
      type: 'pull_request',
      parameters: {
        required_approving_review_count: 1,
        require_code_owner_review: true,
        dismiss_stale_reviews_on_push: true,
        require_last_push_approval: true,
        required_review_thread_resolution: false,
      },
    });
    expect(body.bypass_actors).toEqual([{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' }]);
    expect(main.details.join('\n')).toMatch(/Bypass: repository admins, so an owner can still commit CRISIS/);
  });

  it('the environments: main only; retract gets the owner as reviewer, in a request of its own, last', () => {
    const steps = plan(freshSettings());
    expect(step(steps, 'The publish environment').actions).toEqual([
      {
        kind: 'put-environment',
        name: 'publish',
        body: {
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
          reviewers: [],
          wait_timer: 0,
        },
        expectReviewers: false,
      },
      { kind: 'add-branch-policy', environment: 'publish', pattern: 'main' },
    ]);
    const retract = step(steps, 'The retract environment').actions;
    expect(retract.map((a) => a.kind)).toEqual(['put-environment', 'add-branch-policy', 'put-environment']);
    expect(retract[2]).toMatchObject({ expectReviewers: true, body: { reviewers: [{ type: 'User', id: OWNER.id }] } });
  });

  it('CODEOWNERS: a new .github/CODEOWNERS naming the owner, shown in full', () => {
    const owners = step(plan(freshSettings()), 'Code owners');
    expect(owners.actions).toEqual([
      expect.objectContaining({ kind: 'write-file', path: '.github/CODEOWNERS', sha: null }),
    ]);
    expect(owners.details.join('\n')).toMatch(/^ {4}\/content\/ +@riverside$/m);
  });
});

describe('setup where everything is so', () => {
  it('changes nothing', () => {
    const steps = plan(setUpSettings());
    expect(steps.filter((s) => s.status !== 'ok').map((s) => s.title)).toEqual([]);
    expect(steps.flatMap((s) => s.actions)).toEqual([]);
  });

  it('never removes a pull request rule, even without --require-pull-requests', () => {
    const pr = {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: 2,
        require_code_owner_review: true,
        dismiss_stale_reviews_on_push: true,
        require_last_push_approval: true,
        required_review_thread_resolution: true,
        allowed_merge_methods: ['squash'],
      },
    };
    const base = setUpSettings();
    const settings = {
      ...base,
      rulesets: readOk([
        ruleset({ rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, pr] }),
        ruleset({ id: 2, name: 'Postgate: ledger', include: ['refs/heads/postgate/ledger'] }),
      ]),
    };
    const main = step(plan(settings), 'Ruleset on main');
    expect(main.status).toBe('ok');
    expect(step(plan(settings, { requirePullRequests: true }), 'Ruleset on main').status).toBe('ok');
  });

  it('tightens what it finds in its own ruleset: a bypass not asked for goes, rules someone added stay', () => {
    const signatures = { type: 'required_signatures' };
    const base = setUpSettings();
    const settings = {
      ...base,
      rulesets: readOk([
        ruleset({
          rules: [{ type: 'deletion' }, signatures],
          bypass: [{ actorType: 'RepositoryRole', actorId: 4, mode: 'always' }],
        }),
      ]),
    };
    const main = step(plan(settings), 'Ruleset on main');
    expect(main.status).toBe('change');
    expect(main.actions[0]).toMatchObject({ kind: 'update-ruleset', id: 1 });
    const body = rulesetBody(main);
    expect(body.rules).toEqual([{ type: 'deletion' }, { type: 'non_fast_forward' }, signatures]);
    expect(body.bypass_actors).toEqual([]);
  });

  it("someone else's ruleset that already holds main is enough", () => {
    const base = setUpSettings();
    const settings = {
      ...base,
      rulesets: readOk([
        ruleset({ name: 'Protect default', include: ['~DEFAULT_BRANCH'] }),
        ruleset({ id: 2, name: 'Postgate: ledger', include: ['refs/heads/postgate/ledger'] }),
      ]),
    };
    expect(step(plan(settings), 'Ruleset on main')).toMatchObject({
      status: 'ok',
      summary: 'already so (ruleset "Protect default")',
    });
  });

  it('removes branch patterns other than main from an environment, and keeps reviewers someone chose', () => {
    const amira = { login: 'amira', id: 77, type: 'User' as const };
    const settings = {
      ...setUpSettings(),
      publish: readOk(
        environment('publish', {
          branchPatterns: [
            { id: 11, name: 'main', type: 'branch' },
            { id: 12, name: '*', type: 'branch' },
          ],
        }),
      ),
      retract: readOk(environment('retract', { reviewers: [amira] })),
    };
    const steps = plan(settings);
    expect(step(steps, 'The publish environment').actions).toEqual([
      { kind: 'delete-branch-policy', environment: 'publish', id: 12, pattern: '*' },
    ]);
    expect(step(steps, 'The retract environment').status).toBe('ok');
  });

  it('completes a CODEOWNERS file that leaves the gate unowned, where GitHub reads it', () => {
    const settings = {
      ...setUpSettings(),
      codeOwners: readOk({ path: 'docs/CODEOWNERS', text: '/content/ @amira\n', sha: 'abc' }),
    };
    const owners = step(plan(settings), 'Code owners');
    expect(owners.actions[0]).toMatchObject({ kind: 'write-file', path: 'docs/CODEOWNERS', sha: 'abc' });
    expect(owners.summary).toBe('complete docs/CODEOWNERS (a commit to main through the API)');
  });

  it('reports credentials kept as repository secrets: it cannot move them', () => {
    const settings = { ...setUpSettings(), repositorySecrets: readOk(['X_API_KEY']) };
    expect(step(plan(settings), 'Network credentials')).toMatchObject({
      status: 'cannot',
      summary:
        "X_API_KEY can be read by a workflow on any branch; GitHub never reveals a secret's value, so setup cannot move it",
    });
  });
});

describe('setup where it cannot', () => {
  it('on a private repository on GitHub Free: no rulesets, no environments, and it says why', () => {
    const steps = plan(privateFreeSettings());
    expect(steps.map((s) => [s.title, s.status])).toEqual([
      ['Code owners', 'change'],
      ['Ruleset on main', 'cannot'],
      ['Ruleset on postgate/ledger', 'cannot'],
      ['The publish environment', 'cannot'],
      ['The retract environment', 'cannot'],
      ['GitHub Pages', 'change'],
      ['Network credentials', 'cannot'],
    ]);
    expect(step(steps, 'Ruleset on main').summary).toBe(
      'rulesets are not available for this repository on its plan (GitHub: "Upgrade to GitHub Pro or make this repository public to enable this feature.")',
    );
  });

  it("with a token that is not an admin's", () => {
    const base = freshSettings();
    const steps = plan({ ...base, repo: { ...base.repo, admin: false } });
    for (const title of ['Ruleset on main', 'The publish environment', 'GitHub Pages'])
      expect(step(steps, title).summary).toMatch(/^the token is not an admin's of riverside\/journal/);
  });
});
