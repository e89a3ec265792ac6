import type { EnvironmentBody, SetupAction, SetupStep } from './setup-actions.ts';
import {
  MAIN_BRANCH,
  MAX_REVIEWERS,
  planTier,
  PUBLISH_ENVIRONMENT,
  RETRACT_ENVIRONMENT,
  type Environment,
  type Person,
  type RepoSettings,
} from './settings.ts';

/**
 * The two environments: `publish` holds the network credentials and admits jobs from main only;
 * `retract` admits main only too and waits for an owner's approval. setup sets the branch policy to
 * "selected branches: main", removes any other pattern (each would let that branch's workflows in),
 * and gives `retract` the owners as required reviewers when it has none. Reviewers someone already
 * chose are left as they are (on `publish` they are said to hold every scheduled run).
 */
const list = (names: readonly string[]) => names.join(', ');

function branchActions(name: string, env: Environment | null): { put: boolean; actions: SetupAction[] } {
  const custom = env?.branchPolicy?.customBranchPolicies === true && !env.branchPolicy.protectedBranches;
  const patterns = custom ? env!.branchPatterns : [];
  const actions: SetupAction[] = [];
  if (!patterns.some((p) => p.name === MAIN_BRANCH && p.type !== 'tag'))
    actions.push({ kind: 'add-branch-policy', environment: name, pattern: MAIN_BRANCH });
  for (const p of patterns)
    if (p.name !== MAIN_BRANCH || p.type === 'tag')
      actions.push({ kind: 'delete-branch-policy', environment: name, id: p.id, pattern: p.name });
  return { put: !custom, actions };
}

function body(env: Environment | null, reviewers: readonly Person[]): EnvironmentBody {
  return {
    deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    reviewers: reviewers.map((r) => ({ type: r.type, id: r.id })),
    wait_timer: env?.waitTimer ?? 0,
  };
}

function describe(actions: readonly SetupAction[], created: boolean, name: string): string {
  const parts: string[] = [];
  if (created) parts.push(`create the ${name} environment`);
  const added = actions.filter((a) => a.kind === 'add-branch-policy');
  const removed = actions.flatMap((a) => (a.kind === 'delete-branch-policy' ? [a.pattern] : []));
  if (added.length || removed.length || actions.some((a) => a.kind === 'put-environment'))
    parts.push(`admit jobs from ${MAIN_BRANCH} only`);
  if (removed.length) parts.push(`remove the branch patterns ${list(removed)}`);
  const reviewers = actions.find((a) => a.kind === 'put-environment' && a.expectReviewers);
  if (reviewers) parts.push('make the owners its required reviewers');
  return parts.join(', ');
}

function unavailable(settings: RepoSettings, title: string, name: string): SetupStep | null {
  if (planTier(settings) === 'private-free')
    return {
      title,
      status: 'cannot',
      summary: 'environments are not available for a private repository on GitHub Free',
      details: [],
      actions: [],
    };
  const read = name === PUBLISH_ENVIRONMENT ? settings.publish : settings.retract;
  if (!read.ok)
    return {
      title,
      status: 'cannot',
      summary: `could not read the ${name} environment (${read.status ?? 'no answer'}: ${read.message})`,
      details: [],
      actions: [],
    };
  if (!settings.repo.admin)
    return {
      title,
      status: 'cannot',
      summary: `the token is not an admin's of ${settings.repo.fullName}: GitHub lets only admins change environments`,
      details: [],
      actions: [],
    };
  return null;
}

export function publishEnvironmentStep(settings: RepoSettings): SetupStep {
  const name = PUBLISH_ENVIRONMENT;
  const title = `The ${name} environment`;
  const details = [
    `It holds the network credentials (X_API_KEY, MASTODON_TOKEN, BLUESKY_APP_PASSWORD, …) as environment secrets, and GitHub gives them only to a job on ${MAIN_BRANCH} that names it: not to a workflow on another branch, a pull request's, or "Run workflow" on another branch.`,
  ];
  const stop = unavailable(settings, title, name);
  if (stop) return { ...stop, details };
  const env = settings.publish.ok ? settings.publish.value : null;
  if (env?.reviewers.length)
    details.push(
      `Its required reviewers (${list(env.reviewers.map((r) => r.login))}) hold every scheduled run until one of them approves; setup leaves them (posts are approved in their pull requests).`,
    );
  const { put, actions } = branchActions(name, env);
  if (!put && actions.length === 0)
    return { title, status: 'ok', summary: `already so (jobs from ${MAIN_BRANCH} only)`, details, actions: [] };
  const all: SetupAction[] = put
    ? [{ kind: 'put-environment', name, body: body(env, env?.reviewers ?? []), expectReviewers: false }, ...actions]
    : actions;
  return { title, status: 'change', summary: describe(all, env === null, name), details, actions: all };
}

export function retractEnvironmentStep(settings: RepoSettings): SetupStep {
  const name = RETRACT_ENVIRONMENT;
  const title = `The ${name} environment`;
  const details = [
    `A retraction waits here until an owner approves it; it holds no secrets. Its reviewers are the owners: the repository's owner, or an organisation's admins (at most ${MAX_REVIEWERS}).`,
  ];
  const stop = unavailable(settings, title, name);
  if (stop) return { ...stop, details };
  const env = settings.retract.ok ? settings.retract.value : null;
  const { put, actions } = branchActions(name, env);
  const needReviewers = (env?.reviewers.length ?? 0) === 0;
  let reviewers = env?.reviewers ?? [];
  if (needReviewers) {
    if (!settings.owners.ok || settings.owners.value.length === 0)
      return {
        title,
        status: 'cannot',
        summary: settings.owners.ok
          ? 'found no owner to make its reviewer'
          : `could not tell who the owners are (${settings.owners.status ?? 'no answer'}: ${settings.owners.message})`,
        details,
        actions: [],
      };
    reviewers = settings.owners.value.slice(0, MAX_REVIEWERS);
    details.push(`Reviewers: ${list(reviewers.map((r) => r.login))}.`);
    if (settings.repo.private)
      details.push('On a private repository GitHub keeps required reviewers only with GitHub Enterprise.');
  } else details.push(`Its reviewers stay as they are: ${list(reviewers.map((r) => r.login))}.`);
  if (!put && !needReviewers && actions.length === 0)
    return {
      title,
      status: 'ok',
      summary: `already so (jobs from ${MAIN_BRANCH} only, with reviewers)`,
      details,
      actions: [],
    };
  // The reviewers come last, in a request of their own: where the plan refuses them (a private
  // repository without Enterprise), the environment and its branch rule are in place all the same.
  const all: SetupAction[] = [
    ...(put
      ? [{ kind: 'put-environment', name, body: body(env, env?.reviewers ?? []), expectReviewers: false } as const]
      : []),
    ...actions,
    ...(needReviewers
      ? [{ kind: 'put-environment', name, body: body(env, reviewers), expectReviewers: true } as const]
      : []),
  ];
  return { title, status: 'change', summary: describe(all, env === null, name), details, actions: all };
}
