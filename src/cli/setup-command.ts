import { SECRET_VARIABLES } from '../channels/credentials.ts';
import type { SetupStep } from '../core/repo-settings/setup-actions.ts';
import { UsageError } from '../core/errors.ts';
import { parseCommandArgs } from './args.ts';
import { EXIT, type Command, type Io } from './command.ts';
import { settingsRepo } from './repo-settings-access.ts';

export const setupCommand: Command = {
  name: 'setup',
  usage: `Usage: postgate setup [--dry-run] [--allow-direct-pushes] [--admin-bypass] [--repo owner/name]

Applies the repository settings Postgate relies on, through the GitHub API, one step at a time:
"✓" already so, "→" changing (in a dry run: would change), "✗" cannot, and why. Running it again
changes nothing; it never weakens a setting.

  1. Code owners: .github/CODEOWNERS names the owners for content/ and for the gate's own files
     (the config, .github/, src/, scripts/, package.json, package-lock.json, astro.config.mjs, .nvmrc);
     committed to main through the API, or completed when a CODEOWNERS file leaves some unowned.
  2. Ruleset "Postgate: main": restrict deletions, block force pushes, and a pull request with 1
     approving review and a code owner's review (unless --allow-direct-pushes). Nobody may bypass it,
     unless --admin-bypass.
  3. Ruleset "Postgate: ledger": restrict deletions, block force pushes on postgate/ledger, where the
     publisher records what went out: that record can only grow.
  4. The publish environment: jobs from main only (where the network credentials live).
  5. The retract environment: jobs from main only, the owners as required reviewers.
  6. GitHub Pages: source GitHub Actions.
  7. Network credentials: says which are repository secrets (any branch's workflow can read them);
     GitHub never reveals a secret's value, so moving them is yours to do.

Options:
  --dry-run                 print the whole plan, with the CODEOWNERS text it would commit; change nothing
  --allow-direct-pushes     leave the pull request rule off main: anyone with write access can then push
                            a change to the workflows, the gate's code or its config without a review.
                            A pull request rule already in the ruleset stays.
  --admin-bypass            let repository admins bypass main's ruleset. Without it, an owner alone cannot
                            merge their own pull requests (GitHub refuses self-approval) nor commit CRISIS
                            straight to main from the GitHub app on a phone.
  --require-pull-requests   the default now; still accepted, so older scripts keep working
  --repo owner/name         the repository (default: GITHUB_REPOSITORY)
  -h, --help                show this help

Environment:
  GITHUB_TOKEN        a repository admin's token (never printed), e.g. GITHUB_TOKEN=$(gh auth token);
                      fine-grained: Administration, Contents, Environments, Pages (write), Secrets (read)
  GITHUB_REPOSITORY   owner/name, unless --repo
  GITHUB_API_URL      default https://api.github.com

Exit status: 0 every step is so, 1 a step could not be done, 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('setup', args, {
      'dry-run': { type: 'boolean' },
      'allow-direct-pushes': { type: 'boolean' },
      'require-pull-requests': { type: 'boolean' },
      'admin-bypass': { type: 'boolean' },
      repo: { type: 'string' },
    });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    const allowDirectPushes = values['allow-direct-pushes'] === true;
    if (allowDirectPushes && values['require-pull-requests'])
      throw new UsageError('setup: --allow-direct-pushes and --require-pull-requests contradict each other');
    const gh = await settingsRepo('setup', io, values.repo);
    const { readRepoSettings } = await import('../github/repo-settings.ts');
    const { planSetup } = await import('../core/repo-settings/setup-plan.ts');
    const settings = await readRepoSettings(gh);
    const dryRun = values['dry-run'] === true;
    const steps = planSetup(settings, {
      allowDirectPushes,
      adminBypass: values['admin-bypass'] === true,
      credentialNames: SECRET_VARIABLES.filter((name) => name !== 'GITHUB_TOKEN'),
    });
    io.out(
      `Postgate setup for ${settings.repo.fullName} (${settings.repo.private ? 'private' : 'public'})${dryRun ? ': dry run, nothing is changed' : ''}.`,
    );
    let failed = 0;
    for (const [index, step] of steps.entries()) {
      io.out('');
      if (!(await runStep(io, gh, step, index + 1, dryRun))) failed++;
    }
    io.out('');
    const changes = steps.filter((s) => s.status === 'change').length;
    if (dryRun)
      io.out(
        changes === 0
          ? 'Nothing to change.'
          : `${changes} step${changes === 1 ? '' : 's'} would change; run without --dry-run to apply.`,
      );
    if (failed)
      io.out(
        `${failed} step${failed === 1 ? '' : 's'} could not be done (✗ above). "postgate doctor" says what that leaves open.`,
      );
    else if (!dryRun) io.out(changes === 0 ? 'Everything was already so.' : 'Done. "postgate doctor" checks it.');
    return failed ? EXIT.problems : EXIT.ok;
  },
};

type Gh = Awaited<ReturnType<typeof settingsRepo>>;

/** Prints one step as it goes; false when it could not be done. */
async function runStep(io: Io, gh: Gh, step: SetupStep, number: number, dryRun: boolean): Promise<boolean> {
  io.out(`${number}. ${step.title}`);
  const details = () => {
    for (const line of step.details) io.out(`   ${line}`);
  };
  if (step.status === 'ok') {
    io.out(`   ✓ ${step.summary}`);
    return true;
  }
  if (step.status === 'cannot') {
    io.out(`   ✗ cannot: ${step.summary}`);
    details();
    return false;
  }
  io.out(`   → ${dryRun ? 'would ' : ''}${step.summary}`);
  details();
  if (dryRun) return true;
  const { applySetupAction, refusalReason } = await import('../github/repo-settings-apply.ts');
  for (const [index, action] of step.actions.entries()) {
    try {
      await applySetupAction(gh, action);
    } catch (error) {
      const made = index === 0 ? '' : ` (${index} of its ${step.actions.length} changes were made before that)`;
      io.out(`   ✗ cannot: ${refusalReason(error)}${made}`);
      return false;
    }
  }
  io.out('   ✓ done');
  return true;
}
