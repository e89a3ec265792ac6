import { list, unread, type Push } from './finding.ts';
import {
  MAIN_BRANCH,
  PUBLISH_ENVIRONMENT,
  RETRACT_ENVIRONMENT,
  type Environment,
  type PlanTier,
  type Read,
} from './settings.ts';

/**
 * doctor on the two environments: `publish` must admit main only (it holds the network
 * credentials), `retract` must admit main only and wait for an owner.
 */
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

export function publishFindings(read: Read<Environment | null>, tier: PlanTier, push: Push): void {
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

export function retractFindings(read: Read<Environment | null>, tier: PlanTier, push: Push): void {
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
