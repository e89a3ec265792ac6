import { branchGuard, refPatternMatches } from './branch-guard.ts';
import { canonical, type RulesetBody, type SetupOptions, type SetupStep } from './setup-actions.ts';
import {
  ADMIN_ROLE_ID,
  LEDGER_BRANCH,
  LEDGER_RULESET,
  MAIN_BRANCH,
  MAIN_RULESET,
  type RepoSettings,
  type Rule,
  type Ruleset,
} from './settings.ts';

/**
 * The two rulesets setup keeps: "Postgate: main" (no deletion, no force push, and unless
 * --allow-direct-pushes a pull request with an approval and a code owner's review) and
 * "Postgate: ledger" (no deletion, no force push on postgate/ledger).
 *
 * setup never weakens: a rule already in its ruleset stays (with at least its strictness), other
 * rules someone added to it stay, and the bypass list becomes exactly what the flags say (nobody,
 * or repository admins), which only ever takes people off it, or adds the admins on request.
 */
const PULL_REQUEST_DEFAULTS = {
  required_approving_review_count: 1,
  require_code_owner_review: true,
  // An approval binds the bytes it saw: a new push needs a new approval, by someone who did not push.
  dismiss_stale_reviews_on_push: true,
  require_last_push_approval: true,
  required_review_thread_resolution: false,
};

const ADMIN_BYPASS = { actor_id: ADMIN_ROLE_ID, actor_type: 'RepositoryRole', bypass_mode: 'always' };

function pullRequestRule(current: Rule | undefined): Rule {
  const p = current?.parameters ?? {};
  const count = typeof p.required_approving_review_count === 'number' ? p.required_approving_review_count : 0;
  return {
    type: 'pull_request',
    parameters: {
      ...PULL_REQUEST_DEFAULTS,
      ...p,
      required_approving_review_count: Math.max(1, count),
      require_code_owner_review: true,
      dismiss_stale_reviews_on_push: true,
      require_last_push_approval: true,
    },
  };
}

/** The ruleset as setup wants it, from what is there now (null: a new one). */
function desiredBody(
  name: string,
  branch: string,
  current: Ruleset | null,
  options: { pullRequest: boolean; adminBypass: boolean; linearHistory?: boolean; defaultBranch: string },
): RulesetBody {
  const ours = new Set(['deletion', 'non_fast_forward', 'pull_request', 'required_linear_history']);
  const kept = (current?.rules ?? []).filter((r) => !ours.has(r.type));
  const currentPr = current?.rules.find((r) => r.type === 'pull_request');
  const rules: Rule[] = [{ type: 'deletion' }, { type: 'non_fast_forward' }];
  if (options.linearHistory || current?.rules.some((r) => r.type === 'required_linear_history'))
    rules.push({ type: 'required_linear_history' });
  if (options.pullRequest || currentPr) rules.push(pullRequestRule(currentPr));
  const ref = `refs/heads/${branch}`;
  const include = [...new Set([...(current?.include ?? []), ref])].sort();
  const exclude = (current?.exclude ?? []).filter((p) => !refPatternMatches(p, branch, options.defaultBranch)).sort();
  return {
    name,
    target: 'branch',
    enforcement: 'active',
    conditions: { ref_name: { include, exclude } },
    rules: [...rules, ...kept],
    bypass_actors: options.adminBypass ? [ADMIN_BYPASS] : [],
  };
}

function bodyOf(ruleset: Ruleset): RulesetBody {
  return {
    name: ruleset.name,
    target: 'branch',
    enforcement: 'active',
    conditions: { ref_name: { include: [...ruleset.include].sort(), exclude: [...ruleset.exclude].sort() } },
    rules: ruleset.rules,
    bypass_actors: ruleset.bypass.map((b) => ({ actor_id: b.actorId, actor_type: b.actorType, bypass_mode: b.mode })),
  };
}

/** Same rules (in any order), conditions, enforcement and bypass list. */
function sameBody(a: RulesetBody, b: RulesetBody): boolean {
  const norm = (body: RulesetBody) => ({
    ...body,
    rules: [...body.rules].map((r) => canonical(r)).sort(),
    bypass_actors: [...body.bypass_actors].map((x) => canonical(x)).sort(),
  });
  return canonical(norm(a)) === canonical(norm(b));
}

function describeRules(body: RulesetBody): string {
  const names: string[] = [];
  for (const rule of body.rules) {
    if (rule.type === 'deletion') names.push('restrict deletions');
    else if (rule.type === 'non_fast_forward') names.push('block force pushes');
    else if (rule.type === 'required_linear_history') names.push('require linear history');
    else if (rule.type === 'pull_request') {
      const count = Number(rule.parameters?.required_approving_review_count ?? 1);
      names.push(`require a pull request (${count} approving review${count === 1 ? '' : 's'}, a code owner's review)`);
    }
  }
  const bypass = body.bypass_actors.length ? 'repository admins may bypass it' : 'nobody may bypass it';
  return `${names.join(', ')}; ${bypass}`;
}

/** When rulesets cannot be changed here at all: the plan, an unreadable list, or a token that is not an admin's. */
function blocked(settings: RepoSettings, title: string): SetupStep | null {
  const { rulesets } = settings;
  if (!rulesets.ok)
    return {
      title,
      status: 'cannot',
      summary: rulesets.limit
        ? `rulesets are not available for this repository on its plan (GitHub: "${rulesets.message}")`
        : `could not read the rulesets (${rulesets.status ?? 'no answer'}: ${rulesets.message})`,
      details: [],
      actions: [],
    };
  return null;
}

function notAdmin(settings: RepoSettings): string {
  return `the token is not an admin's of ${settings.repo.fullName}: GitHub lets only admins change rulesets`;
}

function rulesetStep(
  settings: RepoSettings,
  spec: {
    title: string;
    name: string;
    branch: string;
    pullRequest: boolean;
    adminBypass: boolean;
    linearHistory?: boolean;
  },
  details: (body: RulesetBody) => string[],
): SetupStep {
  const stop = blocked(settings, spec.title);
  if (stop) return stop;
  const rulesets = settings.rulesets.ok ? settings.rulesets.value : [];
  const ours = rulesets.find((r) => r.name === spec.name && r.sourceType === 'Repository') ?? null;
  const body = desiredBody(spec.name, spec.branch, ours, { ...spec, defaultBranch: settings.repo.defaultBranch });
  const step = (status: SetupStep['status'], summary: string, actions: SetupStep['actions']): SetupStep => ({
    title: spec.title,
    status,
    summary,
    details: details(body),
    actions,
  });
  if (ours) {
    if (sameBody(bodyOf(ours), body)) return step('ok', `already so (ruleset "${spec.name}")`, []);
    if (!settings.repo.admin) return step('cannot', notAdmin(settings), []);
    return step('change', `update ruleset "${spec.name}": ${describeRules(body)}`, [
      { kind: 'update-ruleset', id: ours.id, body },
    ]);
  }
  // Someone else's rulesets may already hold the branch as tightly: then there is nothing to add.
  const classic = settings.mainProtection.ok && spec.branch === MAIN_BRANCH ? settings.mainProtection.value : null;
  const guard = branchGuard(spec.branch, settings.repo.defaultBranch, rulesets, classic);
  const held =
    !spec.linearHistory &&
    guard.deletionBlocked &&
    guard.forcePushBlocked &&
    (!spec.pullRequest ||
      (guard.pullRequest !== null &&
        guard.pullRequest.approvals >= 1 &&
        guard.pullRequest.codeOwners &&
        guard.bypass.every((name) => /admins/.test(name))));
  if (held) return step('ok', `already so (${guard.sources.join(', ')})`, []);
  if (!settings.repo.admin) return step('cannot', notAdmin(settings), []);
  return step('change', `create ruleset "${spec.name}": ${describeRules(body)}`, [{ kind: 'create-ruleset', body }]);
}

const KEPT =
  'Kept, despite --allow-direct-pushes: the pull request rule already in the ruleset (setup never removes a rule).';

export function mainRulesetStep(settings: RepoSettings, options: SetupOptions): SetupStep {
  const title = `Ruleset on ${MAIN_BRANCH}`;
  const pullRequest = !options.allowDirectPushes;
  const step = rulesetStep(
    settings,
    { title, name: MAIN_RULESET, branch: MAIN_BRANCH, pullRequest, adminBypass: options.adminBypass },
    (body) => {
      const pr = body.rules.some((r) => r.type === 'pull_request');
      const lines = [
        `Restrict deletions and block force pushes: the history of ${MAIN_BRANCH} is the record of every approval and every CRISIS.`,
      ];
      if (pr && !pullRequest) lines.push(KEPT);
      if (pr)
        lines.push(
          "Pull requests: 1 approving review and a code owner's; a new push dismisses earlier approvals, and the last push must be approved by someone else.",
        );
      else
        lines.push(
          `Not added (--allow-direct-pushes): require a pull request before merging. ${MAIN_BRANCH} then accepts direct pushes: anyone with write access can change the workflows, the gate's code or its config without a review, and the next run uses the change, so approvals are advisory. Run setup without the flag to add it.`,
        );
      if (pr && options.adminBypass)
        lines.push(
          `Bypass: repository admins, so an owner alone can still merge their own pull requests and commit CRISIS straight to ${MAIN_BRANCH} from the GitHub app on a phone.`,
        );
      else if (pr)
        lines.push(
          `Bypass: nobody. An owner alone then cannot merge their own pull requests (GitHub refuses self-approval: each needs a second person's review), nor commit CRISIS straight to ${MAIN_BRANCH} (from the GitHub app on a phone, or with postgate crisis on): it needs a pull request someone else approves. --admin-bypass lets repository admins do both.`,
        );
      else
        lines.push(
          `Bypass: ${options.adminBypass ? 'repository admins' : 'nobody'} (nothing needs to delete or force-push ${MAIN_BRANCH}; while it accepts direct pushes, CRISIS from a phone is an ordinary commit).`,
        );
      return lines;
    },
  );
  // Already so prints no details: say there too that the flag took nothing away.
  return step.status === 'ok' && step.details.includes(KEPT)
    ? { ...step, summary: `${step.summary}; its pull request rule stays (setup never removes a rule)` }
    : step;
}

export function ledgerRulesetStep(settings: RepoSettings): SetupStep {
  return rulesetStep(
    settings,
    {
      title: `Ruleset on ${LEDGER_BRANCH}`,
      name: LEDGER_RULESET,
      branch: LEDGER_BRANCH,
      pullRequest: false,
      adminBypass: false,
      linearHistory: true,
    },
    () => [
      `Restrict deletions, block force pushes and require linear history on ${LEDGER_BRANCH}, where the publisher records what went out: that record can only grow. Without them, a force push back to an older ledger, deleting the branch, or pushing a merge resolved to an older ledger would make it forget posts it sent (each run checks for all three and stops; these rules keep them from happening). The publisher's commits there are ordinary, linear commits; nothing needs to bypass it. A pull request into it (to repair the ledger) is merged with squash. It applies as soon as the branch exists.`,
    ],
  );
}
