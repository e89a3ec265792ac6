import { branchGuard, rulesetCovers, type BranchGuard } from './branch-guard.ts';
import { list, unread, type Finding, type Push } from './finding.ts';
import { publishFindings, retractFindings } from './findings-environments.ts';
import { sealFindings } from './findings-seal.ts';
import { accountSecretFindings, type AccountSecrets, secretFindings } from './findings-secrets.ts';
import { codeOwnerFindings, pagesFindings } from './findings-site.ts';
import { LEDGER_BRANCH, MAIN_BRANCH, planTier, type RepoSettings } from './settings.ts';

export type { Finding, Severity } from './finding.ts';
export { planStatement } from './plan-statement.ts';

/**
 * `doctor`'s verdict on the repository's settings: one plain line per thing Postgate depends on,
 * saying what is missing and what that means for the promise "nothing goes out unless an approver
 * approved those exact bytes". Pure: settings in, findings out (severities: finding.ts). Here: the
 * branches; the environments, CODEOWNERS and Pages, and the secrets each have a file of their own.
 */
export function doctorFindings(
  settings: RepoSettings,
  options: {
    credentialNames: readonly string[];
    /** The config's accounts on enabled networks, when doctor found a config to read. */
    accounts?: readonly AccountSecrets[];
  },
): Finding[] {
  const findings: Finding[] = [];
  const push: Push = (severity, message) => findings.push({ severity, message });
  const tier = planTier(settings);
  if (settings.repo.defaultBranch !== MAIN_BRANCH)
    push(
      'warning',
      `the default branch is ${settings.repo.defaultBranch}, but Postgate publishes from ${MAIN_BRANCH}: pull requests open against ${settings.repo.defaultBranch} by default`,
    );
  mainFindings(settings, push);
  ledgerFindings(settings, push);
  publishFindings(settings.publish, tier, push);
  retractFindings(settings.retract, tier, push);
  codeOwnerFindings(settings, tier, push);
  pagesFindings(settings, tier, push);
  secretFindings(settings, tier, options.credentialNames, push);
  accountSecretFindings(settings, options.accounts ?? [], push);
  sealFindings(settings, push);
  return findings;
}

function mainFindings(settings: RepoSettings, push: Push): void {
  if (!settings.rulesets.ok && settings.rulesets.limit) {
    push(
      'limit',
      `${MAIN_BRANCH} cannot be protected on this plan (GitHub: "${settings.rulesets.message}"): anyone with write access can push to it, force-push it or delete it`,
    );
    return;
  }
  if (!settings.rulesets.ok) {
    push('important', unread('the rulesets', settings.rulesets));
    return;
  }
  const classic = settings.mainProtection.ok ? settings.mainProtection.value : null;
  const guard = branchGuard(MAIN_BRANCH, settings.repo.defaultBranch, settings.rulesets.value, classic);
  const history: string[] = [];
  if (!guard.forcePushBlocked) history.push('force-pushed');
  if (!guard.deletionBlocked) history.push('deleted');
  if (history.length)
    push(
      'important',
      `${MAIN_BRANCH} can be ${history.join(' or ')}: its history (every approval and every CRISIS recorded in it) can be rewritten`,
    );
  else push('ok', `${MAIN_BRANCH} cannot be force-pushed or deleted (${guard.sources.join(', ')})`);
  reviewFindings(guard, push);
}

function reviewFindings(guard: BranchGuard, push: Push): void {
  if (guard.pullRequest === null) {
    push(
      'important',
      `${MAIN_BRANCH} accepts direct pushes: approvals are advisory. Postgate holds a post nobody approved, but anyone with write access can push a change to the workflows, the gate's code or its config, and that runs unreviewed; run postgate setup`,
    );
    return;
  }
  if (guard.pullRequest.approvals < 1)
    push('important', `${MAIN_BRANCH} requires a pull request but no approving review: anyone can merge their own`);
  else if (!guard.pullRequest.codeOwners)
    push(
      'warning',
      `${MAIN_BRANCH} requires ${guard.pullRequest.approvals} approving review${guard.pullRequest.approvals === 1 ? '' : 's'} but not a code owner's: any writer's approval merges a change to the gate's own files`,
    );
  else
    push(
      'ok',
      `${MAIN_BRANCH} takes changes only through pull requests, with ${guard.pullRequest.approvals} approving review${guard.pullRequest.approvals === 1 ? '' : 's'} and a code owner's`,
    );
  const others = guard.bypass.filter((name) => !/admins/.test(name));
  if (others.length)
    push('warning', `${list(others)} can bypass the pull request rule on ${MAIN_BRANCH}, and push there directly`);
  else if (guard.bypass.length)
    push(
      'ok',
      `only ${list(guard.bypass)} can bypass the rules on ${MAIN_BRANCH} (e.g. to commit CRISIS from the GitHub app)`,
    );
}

function ledgerFindings(settings: RepoSettings, push: Push): void {
  if (!settings.rulesets.ok) return; // said for main: the same reading
  const covering = settings.rulesets.value.filter((r) => rulesetCovers(r, LEDGER_BRANCH, settings.repo.defaultBranch));
  const protectedHistory =
    covering.some((r) => r.rules.some((rule) => rule.type === 'non_fast_forward')) &&
    covering.some((r) => r.rules.some((rule) => rule.type === 'deletion'));
  if (protectedHistory) {
    push('ok', `${LEDGER_BRANCH} cannot be force-pushed or deleted`);
    if (!covering.some((r) => r.rules.some((rule) => rule.type === 'required_linear_history')))
      push(
        'warning',
        `${LEDGER_BRANCH} takes merge commits: a merge resolved to an older ledger could be pushed there (every run checks for one and stops, until an approver reviews the ledger); run postgate setup to require linear history`,
      );
    return;
  }
  push(
    'important',
    `${LEDGER_BRANCH} can be force-pushed or deleted: the record of what went out could be rewritten or lost`,
  );
}
