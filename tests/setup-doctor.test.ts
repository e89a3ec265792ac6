import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settingsNotes } from '../src/github/settings-notes.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { fakeUserId } from './fakes/fake-github-settings.ts';
import { REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { PULL_REQUEST_RULE } from './helpers/repo-settings.ts';

/**
 * `setup` and `doctor`: the real CLI and the real Octokit against the fake GitHub's repository
 * settings (rulesets, environments, secret names, Pages, CODEOWNERS on main), on each plan.
 */
let gh: FakeGitHub;

beforeEach(async () => {
  gh = new FakeGitHub({ files: { 'postgate.config.yaml': 'site:\n  url: https://example.org\n' } });
  await gh.start();
});
afterEach(async () => {
  await gh.stop();
});

const env = (extra: Record<string, string> = {}) => ({
  GITHUB_TOKEN: gh.token,
  GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
  GITHUB_API_URL: gh.url,
  POSTGATE_GITHUB_THROTTLE: 'off',
  ...extra,
});
const run = async (args: string[], extra: Record<string, string> = {}) => {
  const r = await runCliAsync(args, { cwd: REPO_ROOT, env: env(extra) });
  // The token never appears in what a person (or a job log) sees.
  expect(`${r.stdout}${r.stderr}`).not.toContain(gh.token);
  return r;
};
/** The requests that change something, from the n-th request on. */
const writesSince = (n: number) =>
  gh.server.requests
    .slice(n)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);

describe('setup', () => {
  it('--dry-run prints the whole plan, with the CODEOWNERS text, and changes nothing', async () => {
    const r = await run(['setup', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Postgate setup for riverside/journal (public): dry run, nothing is changed.');
    for (const line of [
      '1. Code owners\n   → would create .github/CODEOWNERS (a commit to main through the API)',
      `2. Ruleset on main\n   → would create ruleset "Postgate: main": restrict deletions, block force pushes, require a pull request (1 approving review, a code owner's review); nobody may bypass it`,
      '3. Ruleset on postgate/ledger\n   → would create ruleset "Postgate: ledger": restrict deletions, block force pushes, require linear history; nobody may bypass it',
      '4. The publish environment\n   → would create the publish environment, admit jobs from main only',
      '5. The retract environment\n   → would create the retract environment, admit jobs from main only, make the owners its required reviewers',
      '6. GitHub Pages\n   → would turn on Pages, source GitHub Actions',
      '7. Network credentials\n   ✓ already so',
    ])
      expect(out).toContain(line);
    expect(out).toMatch(/^ {7}\/content\/ +@riverside$/m);
    expect(out).toMatch(/^ {7}\/\.github\/ +@riverside$/m);
    // What a lone owner gives up without --admin-bypass, said where it is decided.
    expect(out).toContain('   Bypass: nobody. An owner alone then cannot merge their own pull requests');
    expect(out).toContain('that record can only grow');
    expect(out).toContain('6 steps would change; run without --dry-run to apply.');
    expect(writesSince(0)).toEqual([]);
    expect(gh.settings.rulesets).toEqual([]);
    expect(gh.settings.environments.size).toBe(0);
    expect(gh.settings.pages).toBeNull();
    expect(gh.fileAt('main', '.github/CODEOWNERS')).toBeNull();
  });

  it('applies every setting, and a second run changes nothing', async () => {
    const first = await run(['setup']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.match(/✓ done/g)).toHaveLength(6);
    expect(first.stdout).toContain('Done. "postgate doctor" checks it.');

    const [main, ledger] = gh.settings.rulesets;
    expect(main).toMatchObject({
      name: 'Postgate: main',
      target: 'branch',
      enforcement: 'active',
      conditions: { ref_name: { include: ['refs/heads/main'], exclude: [] } },
      rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, PULL_REQUEST_RULE],
      bypass_actors: [],
    });
    expect(ledger).toMatchObject({
      name: 'Postgate: ledger',
      conditions: { ref_name: { include: ['refs/heads/postgate/ledger'], exclude: [] } },
      rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, { type: 'required_linear_history' }],
    });
    for (const name of ['publish', 'retract']) {
      const environment = gh.settings.environments.get(name)!;
      expect(environment.deployment_branch_policy).toEqual({ protected_branches: false, custom_branch_policies: true });
      expect(environment.branchPolicies.map((p) => `${p.type}:${p.name}`)).toEqual(['branch:main']);
    }
    expect(gh.settings.environments.get('publish')!.reviewers).toEqual([]);
    expect(gh.settings.environments.get('retract')!.reviewers).toEqual(['riverside']);
    expect(gh.settings.pages).toEqual({ build_type: 'workflow' });
    const codeOwners = gh.fileAt('main', '.github/CODEOWNERS')!;
    for (const path of ['/content/', '/postgate.config.yaml', '/.github/', '/src/', '/scripts/', '/package.json'])
      expect(codeOwners).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')} +@riverside$`, 'm'));
    expect(gh.log('.github/CODEOWNERS')[0]!.message).toBe(
      "Code owners for content/ and for the gate's own files (postgate setup)",
    );

    const before = gh.server.requests.length;
    const second = await run(['setup']);
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain('→');
    expect(second.stdout.match(/✓ already so/g)).toHaveLength(7);
    expect(second.stdout).toContain('Everything was already so.');
    expect(writesSince(before)).toEqual([]);
  });

  it('--allow-direct-pushes leaves the pull request rule out, says what that leaves open, and never takes one away', async () => {
    const open = await run(['setup', '--allow-direct-pushes']);
    expect(open.status).toBe(0);
    expect(open.stdout).toContain(
      '→ create ruleset "Postgate: main": restrict deletions, block force pushes; nobody may bypass it',
    );
    expect(open.stdout).toContain(
      "   Not added (--allow-direct-pushes): require a pull request before merging. main then accepts direct pushes: anyone with write access can change the workflows, the gate's code or its config without a review",
    );
    expect(gh.settings.rulesets[0]!.rules).toEqual([{ type: 'deletion' }, { type: 'non_fast_forward' }]);
    const doctor = await run(['doctor']);
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toContain(
      "✗ main accepts direct pushes: approvals are advisory. Postgate holds a post nobody approved, but anyone with write access can push a change to the workflows, the gate's code or its config, and that runs unreviewed; run postgate setup",
    );

    const closed = await run(['setup']);
    expect(closed.stdout).toContain(
      `→ update ruleset "Postgate: main": restrict deletions, block force pushes, require a pull request (1 approving review, a code owner's review); nobody may bypass it`,
    );
    const before = gh.server.requests.length;
    const again = await run(['setup', '--allow-direct-pushes']);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(
      '2. Ruleset on main\n   ✓ already so (ruleset "Postgate: main"); its pull request rule stays (setup never removes a rule)',
    );
    expect(again.stdout).toContain('Everything was already so.');
    expect(writesSince(before)).toEqual([]);
    expect(gh.settings.rulesets[0]!.rules).toContainEqual(PULL_REQUEST_RULE);
  });

  it('--admin-bypass: admins may bypass; --require-pull-requests is still accepted, and changes nothing', async () => {
    const r = await run(['setup', '--admin-bypass']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `→ create ruleset "Postgate: main": restrict deletions, block force pushes, require a pull request (1 approving review, a code owner's review); repository admins may bypass it`,
    );
    expect(r.stdout).toContain(
      '   Bypass: repository admins, so an owner alone can still merge their own pull requests and commit CRISIS straight to main',
    );
    expect(gh.settings.rulesets[0]!.rules).toContainEqual(PULL_REQUEST_RULE);
    expect(gh.settings.rulesets[0]!.bypass_actors).toEqual([
      { actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'always' },
    ]);
    // An older script's flag: the same as the default (the bypass goes, as setup was not asked for it).
    const old = await run(['setup', '--require-pull-requests']);
    expect(old.status).toBe(0);
    expect(old.stdout).toContain(
      `→ update ruleset "Postgate: main": restrict deletions, block force pushes, require a pull request (1 approving review, a code owner's review); nobody may bypass it`,
    );
    expect(gh.settings.rulesets[0]!.rules).toContainEqual(PULL_REQUEST_RULE);
    expect(gh.settings.rulesets[0]!.bypass_actors).toEqual([]);
    const before = gh.server.requests.length;
    expect((await run(['setup', '--require-pull-requests'])).stdout).toContain('Everything was already so.');
    expect(writesSince(before)).toEqual([]);
    const both = await run(['setup', '--allow-direct-pushes', '--require-pull-requests']);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('setup: --allow-direct-pushes and --require-pull-requests contradict each other');
  });

  it('narrows an environment someone opened to other branches', async () => {
    gh.settings.addEnvironment('publish', {
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      branchPolicies: [
        { id: 1, name: 'main', type: 'branch' },
        { id: 2, name: 'feature/*', type: 'branch' },
      ],
    });
    const r = await run(['setup']);
    expect(r.stdout).toContain('→ admit jobs from main only, remove the branch patterns feature/*');
    expect(gh.settings.environments.get('publish')!.branchPolicies.map((p) => p.name)).toEqual(['main']);
  });
});

describe('doctor', () => {
  it('on a fresh repository lists every problem and exits 1; after setup exits 0', async () => {
    const before = await run(['doctor']);
    expect(before.stderr).toBe('');
    expect(before.status).toBe(1);
    const lines = before.stdout.split('\n');
    for (const expected of [
      '✗ main can be force-pushed or deleted: its history (every approval and every CRISIS recorded in it) can be rewritten',
      '✗ there is no publish environment: GitHub creates it, open to any branch, the first time publish runs, and the credentials have no place limited to main',
      '✗ there is no retract environment: GitHub creates it without reviewers the first time retract runs, so anyone who can run workflows can delete posts',
      "✗ no code owners for content/: any writer's approval counts",
      '✗ GitHub Pages is off: the blog is built but never deployed',
    ])
      expect(lines).toContain(expected);
    expect(lines).toContain(
      "✗ main accepts direct pushes: approvals are advisory. Postgate holds a post nobody approved, but anyone with write access can push a change to the workflows, the gate's code or its config, and that runs unreviewed; run postgate setup",
    );
    expect(lines).toContain(
      '✗ postgate/ledger can be force-pushed or deleted: the record of what went out could be rewritten or lost',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^✗ no code owners for the gate's own files \(postgate\.config\.yaml, \.github\/, src\//),
    );
    expect(before.stdout).toContain('8 important problems. "postgate setup" fixes what it can');

    await run(['setup']);
    const after = await run(['doctor']);
    expect(after.status).toBe(0);
    expect(after.stdout).not.toMatch(/^✗/m);
    expect(after.stdout).toContain('✓ the retract environment waits for riverside to approve a retraction');
    expect(after.stdout).toContain(
      "✓ main takes changes only through pull requests, with 1 approving review and a code owner's",
    );
    expect(after.stdout).toContain('Nothing important is missing.');
    // Seals are the owner's to set up (setup cannot write a secret's value): said, not counted.
    expect(after.stdout).toContain('! ledger records are not sealed');
    gh.settings.variables.push('POSTGATE_LEDGER_PUBLIC_KEY');
    const half = await run(['doctor']);
    expect(half.status).toBe(1);
    expect(half.stdout).toContain(
      '✗ POSTGATE_LEDGER_PUBLIC_KEY is set but the publish environment has no POSTGATE_LEDGER_KEY secret',
    );
    gh.settings.environments.get('publish')!.secrets.push('POSTGATE_LEDGER_KEY');
    expect((await run(['doctor'])).stdout).toContain('✓ ledger records are sealed');
  });

  it('reports repository secrets named like the network credentials, and setup says it cannot move them', async () => {
    gh.settings.secrets.push('X_API_KEY', 'X_API_SECRET', 'BLUESKY_APP_PASSWORD_ALICE', 'DEPLOY_HOOK');
    await run(['setup']);
    const doctor = await run(['doctor']);
    expect(doctor.status).toBe(1);
    expect(doctor.stdout).toContain(
      "✗ secrets X_API_KEY, X_API_SECRET and BLUESKY_APP_PASSWORD_ALICE are repository secrets: any branch's workflow can read them; move them to the publish environment (add each there, then delete the secrets here)",
    );
    expect(doctor.stdout).toContain(
      "! DEPLOY_HOOK: repository secret that any branch's workflow can read (Postgate does not use it)",
    );
    const setup = await run(['setup']);
    expect(setup.status).toBe(1);
    expect(setup.stdout).toContain(
      "7. Network credentials\n   ✗ cannot: X_API_KEY, X_API_SECRET and BLUESKY_APP_PASSWORD_ALICE can be read by a workflow on any branch; GitHub never reveals a secret's value, so setup cannot move them",
    );
    // Moved: in the environment, gone from the repository.
    gh.settings.secrets.splice(0, 3);
    gh.settings.environments.get('publish')!.secrets.push('X_API_KEY', 'X_API_SECRET');
    const moved = await run(['doctor']);
    expect(moved.status).toBe(0);
    // Read from the example's postgate.config.yaml beside it: each account whose secrets the job lacks.
    expect(moved.stdout).toContain(
      '! jonas-bluesky (Bluesky): BLUESKY_APP_PASSWORD_JONAS is not a secret of the publish environment: nothing goes out as this account until it is added there',
    );
    expect(moved.stdout).toContain(
      '! x (X): X_ACCESS_TOKEN and X_ACCESS_SECRET are not secrets of the publish environment',
    );
    gh.settings.environments
      .get('publish')!
      .secrets.push(
        'X_ACCESS_TOKEN',
        'X_ACCESS_SECRET',
        'MASTODON_TOKEN',
        'BLUESKY_APP_PASSWORD',
        'BLUESKY_APP_PASSWORD_JONAS',
      );
    expect((await run(['doctor'])).stdout).toContain(
      "✓ every account's secrets are set (jonas-bluesky, x, mastodon and bluesky)",
    );
  });
});

describe('what the plan allows', () => {
  it('a private repository on GitHub Free: doctor says what Postgate can and cannot guarantee, setup what it cannot do', async () => {
    gh.settings.visibility = 'private';
    gh.settings.plan = 'free';
    gh.settings.secrets.push('MASTODON_TOKEN');
    const doctor = await run(['doctor']);
    expect(doctor.stderr).toBe('');
    expect(doctor.status).toBe(0);
    expect(doctor.stdout).toContain('Postgate doctor: riverside/journal (private)');
    expect(doctor.stdout).toContain(
      '– main cannot be protected on this plan (GitHub: "Upgrade to GitHub Pro or make this repository public to enable this feature."): anyone with write access can push to it, force-push it or delete it',
    );
    expect(doctor.stdout).toContain(
      "– secret MASTODON_TOKEN is a repository secret: any branch's workflow can read it; on this plan there is nowhere else to keep it",
    );
    expect(doctor.stdout).toContain('What Postgate can and cannot guarantee on this plan:');
    expect(doctor.stdout).toContain('nothing goes out unless an approver approved those exact bytes');
    expect(doctor.stdout).toContain('It cannot guarantee: that main keeps its history');
    expect(doctor.stdout).toContain('make the repository public, or move its owner to GitHub Pro or Team');

    const setup = await run(['setup']);
    expect(setup.status).toBe(1);
    expect(setup.stdout).toContain(
      '2. Ruleset on main\n   ✗ cannot: rulesets are not available for this repository on its plan (GitHub: "Upgrade to GitHub Pro or make this repository public to enable this feature.")',
    );
    expect(setup.stdout).toContain(
      '4. The publish environment\n   ✗ cannot: environments are not available for a private repository on GitHub Free',
    );
    expect(setup.stdout).toContain(
      '✗ cannot: not available for this repository on its plan (GitHub: "Your current plan does not support GitHub Pages for this repository.")',
    );
    // What the plan allows is still done.
    expect(gh.fileAt('main', '.github/CODEOWNERS')).toContain('/content/');
    expect(gh.settings.rulesets).toEqual([]);
  });

  it('a private repository on GitHub Team: environments work, required reviewers do not, and that is said', async () => {
    gh.settings.visibility = 'private';
    gh.settings.plan = 'team';
    const setup = await run(['setup']);
    expect(setup.status).toBe(1);
    expect(setup.stdout).toContain(
      '✗ cannot: not available for this repository on its plan (GitHub: "Failed to create the environment protection rule. Please ensure the billing plan supports the required reviewers protection rule.") (2 of its 3 changes were made before that)',
    );
    // The environment and its branch rule are there all the same.
    const retract = gh.settings.environments.get('retract')!;
    expect(retract.branchPolicies.map((p) => p.name)).toEqual(['main']);
    expect(retract.reviewers).toEqual([]);
    const doctor = await run(['doctor']);
    expect(doctor.status).toBe(0);
    expect(doctor.stdout).toContain(
      '– the retract environment has no required reviewers: on a private repository they need GitHub Enterprise (then run postgate setup); until then anyone who can run workflows can retract posts',
    );
    expect(doctor.stdout).toContain(
      'Without GitHub Enterprise it cannot guarantee that a retraction waits for an owner',
    );
  });

  it("an organisation's repository: its admins are the code owners and the retract reviewers", async () => {
    gh.settings.ownerType = 'Organization';
    gh.collaborators.delete(gh.owner);
    gh.collaborators.set('amira', 'admin');
    gh.collaborators.set('bo', 'admin');
    gh.collaborators.set('intern', 'write');
    expect((await run(['setup'])).status).toBe(0);
    expect(gh.fileAt('main', '.github/CODEOWNERS')).toMatch(/^\/content\/ +@amira @bo$/m);
    expect(gh.settings.environments.get('retract')!.reviewers).toEqual(['amira', 'bo']);
    expect(fakeUserId('amira')).not.toBe(fakeUserId('bo'));
  });
});

describe("a publish run's summary", () => {
  it("repeats what main's rules leave open, from two requests the workflow's token may make", async () => {
    const before = gh.server.requests.length;
    expect(await settingsNotes(env())).toEqual([
      'main can be force-pushed or deleted: its history can be rewritten (postgate setup blocks it)',
      "main accepts direct pushes: approvals are advisory (a push can change the gate's code, workflows and config without a review); run postgate setup",
    ]);
    expect(gh.server.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/riverside/journal',
      'GET /repos/riverside/journal/rules/branches/main',
    ]);
    await run(['setup', '--allow-direct-pushes']);
    expect(await settingsNotes(env())).toEqual([
      "main accepts direct pushes: approvals are advisory (a push can change the gate's code, workflows and config without a review); run postgate setup",
    ]);
    await run(['setup']);
    expect(await settingsNotes(env())).toEqual([]);
    expect(await settingsNotes({})).toEqual([]);
  });

  it('says when it cannot read them, and on a private repository on GitHub Free what that means', async () => {
    gh.server.inject({
      match: /rules\/branches/,
      respond: { status: 500, body: { message: 'Server Error' } },
      times: 3,
    });
    expect(await settingsNotes(env())).toEqual([
      'could not read the rules on main (500: Server Error); postgate doctor says what they leave open',
    ]);
    gh.settings.visibility = 'private';
    expect(await settingsNotes(env())).toEqual([
      expect.stringMatching(/^main has no rules: GitHub offers none to a private repository on GitHub Free/),
    ]);
  });
});

describe('the command line', () => {
  it('--help for both, and both are listed', async () => {
    for (const name of ['setup', 'doctor']) {
      const r = await runCliAsync([name, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: postgate ${name}`));
    }
    const setup = (await runCliAsync(['setup', '--help'])).stdout;
    expect(setup).toMatch(/^Usage: postgate setup \[--dry-run\] \[--allow-direct-pushes\] \[--admin-bypass\]/);
    expect(setup).toMatch(/^ {2}--allow-direct-pushes +leave the pull request rule off main/m);
    expect(setup).toMatch(/^ {2}--require-pull-requests +the default now; still accepted/m);
    expect(setup).toContain('an owner alone cannot\n');
    expect(setup).toContain('merge their own pull requests (GitHub refuses self-approval) nor commit CRISIS');
    expect(setup).not.toContain('ledger lives on');
    const overview = await runCliAsync(['--help']);
    expect(overview.stdout).toMatch(/^ {2}setup +apply the repository settings/m);
    expect(overview.stdout).toMatch(/^ {2}doctor +say which of those settings are missing/m);
  });

  it('without a token, or with a malformed --repo, says what it needs (exit 2)', async () => {
    const r = await runCliAsync(['doctor']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('set GITHUB_TOKEN to a token of a repository admin');
    const bad = await run(['setup', '--repo', 'not a repo']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('setup: --repo expects owner/name, received "not a repo"');
  });

  it('--repo names the repository instead of GITHUB_REPOSITORY', async () => {
    const r = await run(['doctor', '--repo', 'riverside/journal'], { GITHUB_REPOSITORY: 'someone/else' });
    expect(r.stdout).toContain('Postgate doctor: riverside/journal (public)');
    const missing = await run(['doctor', '--repo', 'someone/else']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('someone/else was not found, or the token cannot see it');
  });
});
