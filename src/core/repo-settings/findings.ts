import { branchGuard, rulesetCovers, type BranchGuard } from './branch-guard.ts';
import { CONTENT_AREA, GATE_AREAS, unownedAreas } from './codeowners.ts';
import { credentialSecrets } from './secrets.ts';
import {
  LEDGER_BRANCH,
  MAIN_BRANCH,
  planTier,
  PUBLISH_ENVIRONMENT,
  RETRACT_ENVIRONMENT,
  type Environment,
  type PlanTier,
  type Read,
  type RepoSettings,
} from './settings.ts';

/**
 * `doctor`'s verdict on the repository's settings: one plain line per thing Postgate depends on,
 * saying what is missing and what that means for the promise "nothing goes out unless an approver
 * approved those exact bytes". Pure: settings in, findings out.
 *
 * - important: missing, and it weakens a guarantee; `setup` (or the owner) can fix it. doctor exits 1.
 * - warning: worth knowing, or waiting on something else (the ledger's own branch).
 * - limit: GitHub's plan does not offer it here; said plainly, not counted as a failure.
 * - ok: in place.
 */
export type Severity = 'important' | 'warning' | 'limit' | 'ok';

export interface Finding {
  severity: Severity;
  message: string;
}

type Push = (severity: Severity, message: string) => void;

const unread = (what: string, read: Read<unknown>) =>
  read.ok ? '' : `could not read ${what} (${read.status ?? 'no answer'}: ${read.message})`;

const list = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

export function doctorFindings(settings: RepoSettings, options: { credentialNames: readonly string[] }): Finding[] {
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
  reviewFindings(settings, guard, push);
}

function reviewFindings(settings: RepoSettings, guard: BranchGuard, push: Push): void {
  const ledgerMoved = settings.ledgerBranchExists.ok && settings.ledgerBranchExists.value;
  if (guard.pullRequest === null) {
    const meaning = `${MAIN_BRANCH} accepts direct pushes: approvals are advisory. Postgate holds a post nobody approved, but anyone with write access can push a change to the workflows, the gate's code or its config, and that runs unreviewed`;
    if (ledgerMoved) push('important', `${meaning}; run postgate setup --require-pull-requests`);
    else
      push(
        'warning',
        `${meaning}. Requiring pull requests waits for the ledger to leave ${MAIN_BRANCH} (the publisher still commits it there, and the workflow's token cannot bypass a ruleset): then run postgate setup --require-pull-requests`,
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
    return;
  }
  const moved = settings.ledgerBranchExists.ok && settings.ledgerBranchExists.value;
  push(
    moved ? 'important' : 'warning',
    `${LEDGER_BRANCH}${moved ? '' : ' (where the ledger is moving)'} can be force-pushed or deleted: the record of what went out could be rewritten or lost`,
  );
}

/** Whether an environment admits `main` only: a custom policy whose patterns are exactly `main`. */
function mainOnly(env: Environment): boolean {
  return (
    env.branchPolicy?.customBranchPolicies === true &&
    env.branchPatterns.length > 0 &&
    env.branchPatterns.every((p) => p.name === MAIN_BRANCH && p.type !== 'tag')
  );
}

function branchPolicyFinding(env: Environment, push: Push, secretsHere: string): void {
  if (mainOnly(env)) {
    push('ok', `the ${env.name} environment accepts jobs from ${MAIN_BRANCH} only`);
    return;
  }
  if (env.branchPolicy === null) {
    push(
      'important',
      `the ${env.name} environment accepts any branch: a workflow on any branch that names it ${secretsHere}`,
    );
    return;
  }
  if (env.branchPolicy.protectedBranches) {
    push(
      'warning',
      `the ${env.name} environment accepts every protected branch, not only ${MAIN_BRANCH}: a branch protected later would get in too`,
    );
    return;
  }
  const others = env.branchPatterns.filter((p) => p.name !== MAIN_BRANCH || p.type === 'tag').map((p) => p.name);
  push(
    'important',
    env.branchPatterns.length === 0
      ? `the ${env.name} environment names no branch, so no job can use it`
      : `the ${env.name} environment also accepts ${list(others)}: a workflow there ${secretsHere}`,
  );
}

function publishFindings(read: Read<Environment | null>, tier: PlanTier, push: Push): void {
  const name = PUBLISH_ENVIRONMENT;
  if (tier === 'private-free') {
    push(
      'limit',
      `environments are not available on this plan: the network credentials must be repository secrets, which a workflow on any branch can read`,
    );
    return;
  }
  if (!read.ok) {
    push('important', unread(`the ${name} environment`, read));
    return;
  }
  const env = read.value;
  if (env === null) {
    push(
      'important',
      `there is no ${name} environment: GitHub creates it, open to any branch, the first time publish runs, and the credentials have no place limited to ${MAIN_BRANCH}`,
    );
    return;
  }
  branchPolicyFinding(env, push, 'gets the network credentials');
  if (env.reviewers.length)
    push(
      'warning',
      `the ${name} environment has required reviewers (${list(env.reviewers.map((r) => r.login))}): every scheduled run waits for one of them; posts are approved in their pull requests`,
    );
}

function retractFindings(read: Read<Environment | null>, tier: PlanTier, push: Push): void {
  const name = RETRACT_ENVIRONMENT;
  if (tier === 'private-free') {
    push(
      'limit',
      'a retraction cannot wait for an owner on this plan (no environments): anyone who can run workflows can retract posts',
    );
    return;
  }
  if (!read.ok) {
    push('important', unread(`the ${name} environment`, read));
    return;
  }
  const env = read.value;
  if (env === null) {
    push(
      'important',
      `there is no ${name} environment: GitHub creates it without reviewers the first time retract runs, so anyone who can run workflows can delete posts`,
    );
    return;
  }
  branchPolicyFinding(env, push, 'can start a retraction');
  if (env.reviewers.length)
    push('ok', `the ${name} environment waits for ${list(env.reviewers.map((r) => r.login))} to approve a retraction`);
  else if (tier === 'private-paid')
    push(
      'limit',
      `the ${name} environment has no required reviewers: on a private repository they need GitHub Enterprise (then run postgate setup); until then anyone who can run workflows can retract posts`,
    );
  else
    push(
      'important',
      `the ${name} environment has no required reviewers: anyone who can run workflows can delete posts without an owner's approval`,
    );
}

function codeOwnerFindings(settings: RepoSettings, tier: PlanTier, push: Push): void {
  const read = settings.codeOwners;
  if (!read.ok) {
    push('important', unread('CODEOWNERS', read));
    return;
  }
  const text = read.value?.text ?? null;
  const missing = unownedAreas(text);
  // Without a ruleset code owners only ask for reviews; on this plan nothing can require them.
  const severity: Severity = tier === 'private-free' ? 'limit' : 'important';
  const advisory = tier === 'private-free' ? ' (on this plan code owners can only be asked, not required)' : '';
  if (missing.includes(CONTENT_AREA))
    push(severity, `no code owners for content/: any writer's approval counts${advisory}`);
  const gate = GATE_AREAS.filter((a) => missing.includes(a));
  if (gate.length)
    push(
      severity,
      `no code owners for the gate's own files (${list(gate.map((a) => a.label))}): a change to the code that decides what is published needs no owner's review${advisory}`,
    );
  if (missing.length === 0) push('ok', `${read.value!.path} names owners for content/ and for the gate's own files`);
}

function pagesFindings(settings: RepoSettings, tier: PlanTier, push: Push): void {
  const read = settings.pages;
  if (!read.ok) {
    if (read.limit || tier === 'private-free') {
      push('limit', `GitHub Pages is not available for this repository on this plan: the blog is not deployed`);
      return;
    }
    push('important', unread('the GitHub Pages settings', read));
    return;
  }
  if (read.value === null) {
    if (tier === 'private-free')
      push(
        'limit',
        'GitHub Pages is off, and a private repository on GitHub Free cannot turn it on: the blog is not deployed',
      );
    else push('important', 'GitHub Pages is off: the blog is built but never deployed');
    return;
  }
  if (read.value.buildType !== 'workflow') {
    push(
      'important',
      'GitHub Pages builds from a branch, not from the site workflow: what it serves is not the blog Postgate built (its released posts only)',
    );
    return;
  }
  push('ok', 'GitHub Pages deploys the site workflow’s build');
}

function secretFindings(settings: RepoSettings, tier: PlanTier, credentialNames: readonly string[], push: Push): void {
  const severity: Severity = tier === 'private-free' ? 'limit' : 'important';
  const move = (names: readonly string[]) => {
    const them = names.length === 1 ? 'it' : 'them';
    return tier === 'private-free'
      ? `on this plan there is nowhere else to keep ${them}`
      : `move ${them} to the ${PUBLISH_ENVIRONMENT} environment (add ${names.length === 1 ? 'it' : 'each'} there, then delete the ${names.length === 1 ? 'secret' : 'secrets'} here)`;
  };
  const { repositorySecrets, organizationSecrets } = settings;
  if (!repositorySecrets.ok) push('important', unread('the repository secrets', repositorySecrets));
  else {
    const credentials = credentialSecrets(repositorySecrets.value, credentialNames);
    if (credentials.length)
      push(
        severity,
        credentials.length === 1
          ? `secret ${credentials[0]} is a repository secret: any branch's workflow can read it; ${move(credentials)}`
          : `secrets ${list(credentials)} are repository secrets: any branch's workflow can read them; ${move(credentials)}`,
      );
    else push('ok', 'no network credentials are repository secrets');
    const others = repositorySecrets.value.filter((n) => !credentials.includes(n));
    if (others.length)
      push(
        'warning',
        `${list(others)}: repository secret${others.length === 1 ? '' : 's'} that any branch's workflow can read (Postgate does not use ${others.length === 1 ? 'it' : 'them'})`,
      );
  }
  if (organizationSecrets.ok) {
    const credentials = credentialSecrets(organizationSecrets.value, credentialNames);
    if (credentials.length)
      push(
        severity,
        `organisation secret${credentials.length === 1 ? '' : 's'} ${list(credentials)} ${credentials.length === 1 ? 'reaches' : 'reach'} this repository: any branch's workflow can read ${credentials.length === 1 ? 'it' : 'them'}; ${move(credentials)}`,
      );
  }
  const publish = settings.publish.ok ? settings.publish.value : null;
  if (publish?.secrets.ok && credentialSecrets(publish.secrets.value, credentialNames).length === 0)
    push(
      'warning',
      `the ${PUBLISH_ENVIRONMENT} environment holds no network credentials: publish runs as a dry run until they are added there`,
    );
}

/**
 * What Postgate can and cannot guarantee on this repository's plan, said plainly. Empty for a public
 * repository, where GitHub offers everything Postgate uses.
 */
export function planStatement(settings: RepoSettings): string[] {
  const tier = planTier(settings);
  if (tier === 'public') return [];
  const always = [
    'Postgate still guarantees, on any plan: nothing goes out unless an approver approved those exact bytes in a merged pull request; CRISIS on main stops every send and every deploy; the ledger is checked before every run, so it cannot be edited into resending.',
  ];
  if (tier === 'private-free')
    return [
      'This repository is private on GitHub Free: GitHub offers no rulesets, no branch protection and no environments here.',
      ...always,
      "It cannot guarantee: that main keeps its history (it can be force-pushed or deleted); that the workflows, the gate's code and its config change only through a reviewed pull request (a writer can push them, and they run at the next scheduled run); that the network credentials are out of reach of other branches (they must be repository secrets, which any branch's workflow can read); that a retraction waits for an owner.",
      'To close these gaps: make the repository public, or move its owner to GitHub Pro or Team (rulesets, environments); required reviewers on a private repository need GitHub Enterprise.',
    ];
  return [
    'This repository is private: rulesets and environments work, but required reviewers on an environment need GitHub Enterprise.',
    ...always,
    'Without GitHub Enterprise it cannot guarantee that a retraction waits for an owner: anyone who can run workflows can start one.',
  ];
}
