import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS,
  environment,
  freshSettings,
  OWNER,
  privateFreeSettings,
  PULL_REQUEST_RULE,
  ruleset,
  setUpSettings,
} from '../../../tests/helpers/repo-settings.ts';
import type { RulesetBody, SetupAction, SetupStep } from './setup-actions.ts';
import { planSetup } from './setup-plan.ts';
import { readOk, type RepoSettings } from './settings.ts';

const plan = (settings: RepoSettings, flags: { allowDirectPushes?: boolean; adminBypass?: boolean } = {}) =>
  planSetup(settings, {
    allowDirectPushes: flags.allowDirectPushes ?? false,
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

  it("main: no deletion, no force push, a pull request with a code owner's review, nobody bypasses", () => {
    const main = step(plan(freshSettings()), 'Ruleset on main');
    expect(main.summary).toBe(
      `create ruleset "Postgate: main": restrict deletions, block force pushes, require a pull request (1 approving review, a code owner's review); nobody may bypass it`,
    );
    expect(rulesetBody(main)).toEqual({
      name: 'Postgate: main',
      target: 'branch',
      enforcement: 'active',
      conditions: { ref_name: { include: ['refs/heads/main'], exclude: [] } },
      rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, PULL_REQUEST_RULE],
      bypass_actors: [],
    });
  });

  it('says what a lone owner loses without a bypass, and what --admin-bypass gives back', () => {
    const nobody = step(plan(freshSettings()), 'Ruleset on main').details.join('\n');
    expect(nobody).toContain('Bypass: nobody. An owner alone then cannot merge their own pull requests');
    expect(nobody).toContain('GitHub refuses self-approval');
    expect(nobody).toContain('nor commit CRISIS straight to main');
    expect(nobody).toContain('--admin-bypass lets repository admins do both');
    const main = step(plan(freshSettings(), { adminBypass: true }), 'Ruleset on main');
    expect(rulesetBody(main).bypass_actors).toEqual([
      { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
    ]);
    expect(rulesetBody(main).rules).toContainEqual(PULL_REQUEST_RULE);
    expect(main.details).toContain(
      'Bypass: repository admins, so an owner alone can still merge their own pull requests and commit CRISIS straight to main from the GitHub app on a phone.',
    );
  });

  it('with --allow-direct-pushes: no pull request rule, and it says what that leaves open', () => {
    const main = step(plan(freshSettings(), { allowDirectPushes: true }), 'Ruleset on main');
    expect(rulesetBody(main).rules).toEqual([{ type: 'deletion' }, { type: 'non_fast_forward' }]);
    expect(main.summary).toBe(
      'create ruleset "Postgate: main": restrict deletions, block force pushes; nobody may bypass it',
    );
    expect(main.details).toContain(
      "Not added (--allow-direct-pushes): require a pull request before merging. main then accepts direct pushes: anyone with write access can change the workflows, the gate's code or its config without a review, and the next run uses the change, so approvals are advisory. Run setup without the flag to add it.",
    );
    expect(main.details.join('\n')).not.toContain('self-approval');
  });

  it('the ledger ruleset says why its history must not be rewritten', () => {
    const ledger = step(plan(freshSettings()), 'Ruleset on postgate/ledger');
    expect(rulesetBody(ledger).rules).toEqual([
      { type: 'deletion' },
      { type: 'non_fast_forward' },
      { type: 'required_linear_history' },
    ]);
    expect(ledger.details.join('\n')).toContain('that record can only grow');
    expect(ledger.details.join('\n')).toContain(
      'a force push back to an older ledger, deleting the branch, or pushing a merge resolved to an older ledger would make it forget posts it sent',
    );
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

  it('never removes a pull request rule, even with --allow-direct-pushes', () => {
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
    const ledger = ruleset({ id: 2, name: 'Postgate: ledger', include: ['refs/heads/postgate/ledger'] });
    const ours = ruleset({ rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, pr] });
    const settings = { ...base, rulesets: readOk([ours, ledger]) };
    expect(step(plan(settings), 'Ruleset on main').status).toBe('ok');
    const main = step(plan(settings, { allowDirectPushes: true }), 'Ruleset on main');
    expect(main.status).toBe('ok');
    expect(main.summary).toBe(
      'already so (ruleset "Postgate: main"); its pull request rule stays (setup never removes a rule)',
    );
    expect(main.details).toContain(
      'Kept, despite --allow-direct-pushes: the pull request rule already in the ruleset (setup never removes a rule).',
    );
    // Where the ruleset changes for another reason, the rule goes along, as it was.
    const writers = [{ actorType: 'RepositoryRole', actorId: 4, mode: 'always' }];
    const widened = { ...settings, rulesets: readOk([{ ...ours, bypass: writers }, ledger]) };
    const update = step(plan(widened, { allowDirectPushes: true }), 'Ruleset on main');
    expect(update.status).toBe('change');
    expect(rulesetBody(update).rules).toContainEqual(pr);
    expect(rulesetBody(update).bypass_actors).toEqual([]);
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
    expect(body.rules).toEqual([{ type: 'deletion' }, { type: 'non_fast_forward' }, PULL_REQUEST_RULE, signatures]);
    expect(body.bypass_actors).toEqual([]);
  });

  it("someone else's ruleset that already holds main is enough; without a pull request rule, only with --allow-direct-pushes", () => {
    const base = setUpSettings();
    const others = (rules: { type: string }[]) => ({
      ...base,
      rulesets: readOk([
        ruleset({ name: 'Protect default', include: ['~DEFAULT_BRANCH'], rules }),
        ruleset({ id: 2, name: 'Postgate: ledger', include: ['refs/heads/postgate/ledger'] }),
      ]),
    });
    const held = others([{ type: 'deletion' }, { type: 'non_fast_forward' }, PULL_REQUEST_RULE]);
    expect(step(plan(held), 'Ruleset on main')).toMatchObject({
      status: 'ok',
      summary: 'already so (ruleset "Protect default")',
    });
    const open = others([{ type: 'deletion' }, { type: 'non_fast_forward' }]);
    expect(step(plan(open, { allowDirectPushes: true }), 'Ruleset on main').status).toBe('ok');
    const main = step(plan(open), 'Ruleset on main');
    expect(main.status).toBe('change');
    expect(main.actions[0]).toMatchObject({ kind: 'create-ruleset' });
    expect(rulesetBody(main).rules).toContainEqual(PULL_REQUEST_RULE);
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
