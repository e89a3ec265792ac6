import { describe, expect, it } from 'vitest';
import {
  CREDENTIALS,
  environment,
  freshSettings,
  privateFreeSettings,
  ruleset,
  setUpSettings,
} from '../../../tests/helpers/repo-settings.ts';
import { branchGuard, refPatternMatches } from './branch-guard.ts';
import { doctorFindings, planStatement, type Finding } from './findings.ts';
import { readFailed, readOk, type Environment, type RepoSettings } from './settings.ts';

const findings = (settings: RepoSettings) => doctorFindings(settings, { credentialNames: CREDENTIALS });
const important = (settings: RepoSettings) =>
  findings(settings)
    .filter((f) => f.severity === 'important')
    .map((f) => f.message);
const withSeverity = (list: Finding[], severity: Finding['severity']) =>
  list.filter((f) => f.severity === severity).map((f) => f.message);

describe('doctor on a repository nobody has set up', () => {
  it('names every missing setting, each in words that say what it means', () => {
    const list = important({ ...freshSettings(), repositorySecrets: readOk(['X_API_KEY', 'MASTODON_TOKEN']) });
    expect(list).toEqual([
      'main can be force-pushed or deleted: its history (every approval and every CRISIS recorded in it) can be rewritten',
      "main accepts direct pushes: approvals are advisory. Postgate holds a post nobody approved, but anyone with write access can push a change to the workflows, the gate's code or its config, and that runs unreviewed; run postgate setup",
      'postgate/ledger can be force-pushed or deleted: the record of what went out could be rewritten or lost',
      'there is no publish environment: GitHub creates it, open to any branch, the first time publish runs, and the credentials have no place limited to main',
      'there is no retract environment: GitHub creates it without reviewers the first time retract runs, so anyone who can run workflows can delete posts',
      "no code owners for content/: any writer's approval counts",
      "no code owners for the gate's own files (postgate.config.yaml, .github/, src/, scripts/, package.json, package-lock.json, astro.config.mjs and .nvmrc): a change to the code that decides what is published needs no owner's review",
      'GitHub Pages is off: the blog is built but never deployed',
      "secrets X_API_KEY and MASTODON_TOKEN are repository secrets: any branch's workflow can read them; move them to the publish environment (add each there, then delete the secrets here)",
    ]);
    expect(withSeverity(findings(freshSettings()), 'warning')).toEqual([
      "ledger records are not sealed: a workflow someone adds on a branch could write records on postgate/ledger that pass for the publisher's; postgate ledger --new-key sets seals up (POSTGATE_LEDGER_PUBLIC_KEY and POSTGATE_LEDGER_KEY)",
    ]);
  });

  it('sealed records: said when on, important when the public key has no private key beside it', () => {
    expect(withSeverity(findings(setUpSettings()), 'ok')).toContain(
      'ledger records are sealed (POSTGATE_LEDGER_PUBLIC_KEY, and POSTGATE_LEDGER_KEY in the publish environment)',
    );
    const noKey = { ...setUpSettings(), publish: readOk(environment('publish')) };
    expect(important(noKey)).toEqual([
      'POSTGATE_LEDGER_PUBLIC_KEY is set but the publish environment has no POSTGATE_LEDGER_KEY secret: publish and retract send nothing, since their records could not be sealed',
    ]);
    const unreadable = { ...setUpSettings(), variables: readFailed<string[]>(403, 'Resource not accessible') };
    expect(withSeverity(findings(unreadable), 'warning').join('\n')).toContain('the repository variables');
  });

  it('a main that accepts direct pushes is important even when set up (--allow-direct-pushes), and the ledger need not wait', () => {
    const base = setUpSettings();
    const settings: RepoSettings = {
      ...base,
      rulesets: readOk([
        ruleset(),
        ruleset({ id: 2, name: 'Postgate: ledger', include: ['refs/heads/postgate/ledger'] }),
      ]),
    };
    expect(important(settings)).toEqual([
      "main accepts direct pushes: approvals are advisory. Postgate holds a post nobody approved, but anyone with write access can push a change to the workflows, the gate's code or its config, and that runs unreviewed; run postgate setup",
    ]);
    expect(
      findings(settings)
        .map((f) => f.message)
        .join('\n'),
    ).not.toMatch(/ledger to leave|require-pull-requests/);
  });
});

describe('doctor after setup', () => {
  it('finds nothing important, and says what is in place', () => {
    const list = findings(setUpSettings());
    expect(withSeverity(list, 'important')).toEqual([]);
    expect(withSeverity(list, 'ok')).toEqual(
      expect.arrayContaining([
        'main cannot be force-pushed or deleted (ruleset "Postgate: main")',
        "main takes changes only through pull requests, with 1 approving review and a code owner's",
        'postgate/ledger cannot be force-pushed or deleted',
        'the publish environment accepts jobs from main only',
        'the retract environment waits for riverside to approve a retraction',
        ".github/CODEOWNERS names owners for content/ and for the gate's own files",
      ]),
    );
    expect(planStatement(setUpSettings())).toEqual([]);
  });

  it('a ledger branch that takes merge commits is worth knowing: a merge could rewind it', () => {
    const set = setUpSettings();
    expect(withSeverity(findings(set), 'warning').join('\n')).not.toContain('takes merge commits');
    const rulesets = set.rulesets.ok ? set.rulesets.value : [];
    const withoutLinear = rulesets.map((r) =>
      r.name === 'Postgate: ledger'
        ? ruleset({ ...r, rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }] })
        : r,
    );
    expect(withSeverity(findings({ ...set, rulesets: readOk(withoutLinear) }), 'warning')).toContain(
      'postgate/ledger takes merge commits: a merge resolved to an older ledger could be pushed there (every run checks for one and stops, until an approver reviews the ledger); run postgate setup to require linear history',
    );
  });

  it('with pull requests required, says so, and names who else can bypass them', () => {
    const pr = {
      type: 'pull_request',
      parameters: { required_approving_review_count: 1, require_code_owner_review: true },
    };
    const base = setUpSettings();
    const settings: RepoSettings = {
      ...base,
      rulesets: readOk([
        ruleset({
          rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, pr],
          bypass: [
            { actorType: 'RepositoryRole', actorId: 5, mode: 'always' },
            { actorType: 'RepositoryRole', actorId: 4, mode: 'always' },
          ],
        }),
        ruleset({ id: 2, name: 'Postgate: ledger', include: ['refs/heads/postgate/ledger'] }),
      ]),
    };
    const list = findings(settings);
    expect(withSeverity(list, 'important')).toEqual([]);
    expect(withSeverity(list, 'ok')).toContain(
      "main takes changes only through pull requests, with 1 approving review and a code owner's",
    );
    expect(withSeverity(list, 'warning')).toContain(
      'the write role can bypass the pull request rule on main, and push there directly',
    );
  });
});

describe('what each finding looks at', () => {
  it('an environment open to other branches gives their workflows its secrets', () => {
    const settings = {
      ...setUpSettings(),
      publish: readOk(
        environment('publish', {
          secrets: readOk(['X_API_KEY', 'POSTGATE_LEDGER_KEY']),
          branchPatterns: [
            { id: 1, name: 'main', type: 'branch' },
            { id: 2, name: 'release/*', type: 'branch' },
          ],
        }),
      ),
    };
    expect(important(settings)).toEqual([
      'the publish environment also accepts release/*: a workflow there gets the network credentials',
    ]);
    const open = {
      ...setUpSettings(),
      publish: readOk(environment('publish', { branchPolicy: null, secrets: readOk(['POSTGATE_LEDGER_KEY']) })),
    };
    expect(important(open)).toEqual([
      'the publish environment accepts any branch: a workflow on any branch that names it gets the network credentials',
    ]);
  });

  it('the retract environment without reviewers lets anyone delete posts', () => {
    const settings = { ...setUpSettings(), retract: readOk(environment('retract')) };
    expect(important(settings)).toEqual([
      "the retract environment has no required reviewers: anyone who can run workflows can delete posts without an owner's approval",
    ]);
  });

  it('credentials with an account suffix count, other secrets are only mentioned, organisation secrets too', () => {
    const settings = {
      ...setUpSettings(),
      repositorySecrets: readOk(['BLUESKY_APP_PASSWORD_ALICE', 'NPM_TOKEN']),
      organizationSecrets: readOk(['X_ACCESS_SECRET']),
    };
    const list = findings(settings);
    expect(withSeverity(list, 'important')).toEqual([
      "secret BLUESKY_APP_PASSWORD_ALICE is a repository secret: any branch's workflow can read it; move it to the publish environment (add it there, then delete the secret here)",
      "organisation secret X_ACCESS_SECRET reaches this repository: any branch's workflow can read it; move it to the publish environment (add it there, then delete the secret here)",
    ]);
    expect(withSeverity(list, 'warning')).toContain(
      "NPM_TOKEN: repository secret that any branch's workflow can read (Postgate does not use it)",
    );
  });

  it('names each account whose secrets are nowhere the publish job can read them', () => {
    const accounts = [
      { id: 'mastodon', network: 'Mastodon', secrets: ['MASTODON_TOKEN'] },
      { id: 'jonas-bluesky', network: 'Bluesky', secrets: ['BLUESKY_APP_PASSWORD_JONAS'] },
      { id: 'alice-x', network: 'X', secrets: ['X_API_KEY', 'X_ACCESS_TOKEN_ALICE', 'X_ACCESS_SECRET_ALICE'] },
    ];
    const settings = { ...setUpSettings(), organizationSecrets: readOk(['X_ACCESS_SECRET_ALICE']) };
    const list = doctorFindings(settings, { credentialNames: CREDENTIALS, accounts });
    // The environment holds X_API_KEY and MASTODON_TOKEN; the organisation's secret counts too.
    expect(withSeverity(list, 'warning').filter((m) => / \((Mastodon|Bluesky|X)\): /.test(m))).toEqual([
      'jonas-bluesky (Bluesky): BLUESKY_APP_PASSWORD_JONAS is not a secret of the publish environment: nothing goes out as this account until it is added there',
      'alice-x (X): X_ACCESS_TOKEN_ALICE is not a secret of the publish environment: nothing goes out as this account until it is added there',
    ]);
    expect(withSeverity(list, 'ok').join('\n')).not.toContain("every account's secrets");
    const complete = doctorFindings(settings, { credentialNames: CREDENTIALS, accounts: accounts.slice(0, 1) });
    expect(withSeverity(complete, 'ok')).toContain("every account's secrets are set (mastodon)");
    // An environment whose secrets cannot be read says nothing per account (that is said once, elsewhere).
    const unread = { ...settings, publish: readFailed<Environment | null>(403, 'no') };
    const quiet = doctorFindings(unread, { credentialNames: CREDENTIALS, accounts });
    expect(quiet.map((f) => f.message).join('\n')).not.toContain('jonas-bluesky');
  });

  it('what it could not read is important, never taken for fine', () => {
    const settings = {
      ...setUpSettings(),
      repositorySecrets: readFailed<string[]>(403, 'Resource not accessible by integration'),
    };
    expect(important(settings)).toEqual([
      'could not read the repository secrets (403: Resource not accessible by integration)',
    ]);
  });

  it('a default branch other than main is said', () => {
    const base = setUpSettings();
    const settings = { ...base, repo: { ...base.repo, defaultBranch: 'trunk' } };
    expect(withSeverity(findings(settings), 'warning')).toContain(
      'the default branch is trunk, but Postgate publishes from main: pull requests open against trunk by default',
    );
  });

  it('Pages that builds from a branch does not serve what Postgate built', () => {
    const settings = { ...setUpSettings(), pages: readOk({ buildType: 'legacy' }) };
    expect(important(settings)).toEqual([
      'GitHub Pages builds from a branch, not from the site workflow: what it serves is not the blog Postgate built (its released posts only)',
    ]);
  });
});

describe('what the plan allows', () => {
  it('a private repository on GitHub Free: limits said plainly, not counted as failures', () => {
    const settings = privateFreeSettings();
    const list = findings(settings);
    expect(withSeverity(list, 'important')).toEqual([]);
    expect(withSeverity(list, 'limit')).toEqual([
      'main cannot be protected on this plan (GitHub: "Upgrade to GitHub Pro or make this repository public to enable this feature."): anyone with write access can push to it, force-push it or delete it',
      'environments are not available on this plan: the network credentials must be repository secrets, which a workflow on any branch can read',
      'a retraction cannot wait for an owner on this plan (no environments): anyone who can run workflows can retract posts',
      "no code owners for content/: any writer's approval counts (on this plan code owners can only be asked, not required)",
      "no code owners for the gate's own files (postgate.config.yaml, .github/, src/, scripts/, package.json, package-lock.json, astro.config.mjs and .nvmrc): a change to the code that decides what is published needs no owner's review (on this plan code owners can only be asked, not required)",
      'GitHub Pages is off, and a private repository on GitHub Free cannot turn it on: the blog is not deployed',
      "secrets X_API_KEY and BLUESKY_APP_PASSWORD are repository secrets: any branch's workflow can read them; on this plan there is nowhere else to keep them",
    ]);
    const statement = planStatement(settings).join('\n');
    expect(statement).toContain('private on GitHub Free');
    expect(statement).toContain('nothing goes out unless an approver approved those exact bytes');
    expect(statement).toContain('It cannot guarantee: that main keeps its history');
    expect(statement).toContain('make the repository public, or move its owner to GitHub Pro or Team');
  });

  it('a private repository on a paid plan: reviewers on retract are a limit, not a failure', () => {
    const base = setUpSettings();
    const settings = {
      ...base,
      repo: { ...base.repo, private: true },
      retract: readOk(environment('retract', { reviewers: [] })),
    };
    const list = findings(settings);
    expect(withSeverity(list, 'important')).toEqual([]);
    expect(withSeverity(list, 'limit')).toEqual([
      'the retract environment has no required reviewers: on a private repository they need GitHub Enterprise (then run postgate setup); until then anyone who can run workflows can retract posts',
    ]);
    expect(planStatement(settings).join('\n')).toContain('required reviewers on an environment need GitHub Enterprise');
  });
});

describe('which rules guard a branch', () => {
  it('reads ruleset ref patterns as GitHub does', () => {
    expect(refPatternMatches('~DEFAULT_BRANCH', 'main', 'main')).toBe(true);
    expect(refPatternMatches('~DEFAULT_BRANCH', 'main', 'trunk')).toBe(false);
    expect(refPatternMatches('~ALL', 'postgate/ledger', 'main')).toBe(true);
    expect(refPatternMatches('refs/heads/postgate/*', 'postgate/ledger', 'main')).toBe(true);
    expect(refPatternMatches('refs/heads/*', 'postgate/ledger', 'main')).toBe(false);
    expect(refPatternMatches('refs/heads/**', 'postgate/ledger', 'main')).toBe(true);
    expect(refPatternMatches('refs/tags/main', 'main', 'main')).toBe(false);
  });

  it('combines rulesets and classic protection; an excluded, disabled or evaluate-only ruleset guards nothing', () => {
    const sets = [
      ruleset({ id: 1, name: 'a', include: ['~ALL'], exclude: ['refs/heads/main'] }),
      ruleset({ id: 2, name: 'b', enforcement: 'evaluate' }),
      ruleset({ id: 3, name: 'c', enforcement: 'disabled' }),
    ];
    expect(branchGuard('main', 'main', sets, null).deletionBlocked).toBe(false);
    const classic = {
      requiredReviews: 2,
      codeOwnerReviews: true,
      allowForcePushes: false,
      allowDeletions: true,
      enforceAdmins: false,
    };
    const guard = branchGuard('main', 'main', sets, classic);
    expect(guard).toMatchObject({
      forcePushBlocked: true,
      deletionBlocked: false,
      pullRequest: { approvals: 2, codeOwners: true },
      bypass: ['repository admins'],
      sources: ['branch protection'],
    });
  });

  it('to get past a pull request rule one must be on the bypass list of every ruleset that holds it', () => {
    const pr = { type: 'pull_request', parameters: { required_approving_review_count: 1 } };
    const admin = { actorType: 'RepositoryRole', actorId: 5, mode: 'always' };
    const write = { actorType: 'RepositoryRole', actorId: 4, mode: 'always' };
    const guard = branchGuard(
      'main',
      'main',
      [
        ruleset({ id: 1, name: 'a', rules: [pr], bypass: [admin, write] }),
        ruleset({ id: 2, name: 'b', rules: [pr], bypass: [admin] }),
      ],
      null,
    );
    expect(guard.bypass).toEqual(['repository admins']);
  });
});
