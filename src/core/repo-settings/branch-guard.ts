import { ADMIN_ROLE_ID, type BypassActor, type ClassicProtection, type Rule, type Ruleset } from './settings.ts';

/**
 * What actually guards a branch: every active ruleset whose conditions take it in, plus classic
 * branch protection, combined as GitHub applies them (the strictest of each rule wins, and to get
 * past a rule one must be on the bypass list of every ruleset that holds it).
 */
export interface BranchGuard {
  deletionBlocked: boolean;
  forcePushBlocked: boolean;
  /** null: the branch accepts direct pushes. */
  pullRequest: null | { approvals: number; codeOwners: boolean };
  /** Who may get past the pull request rule, described for a person ("repository admins"). */
  bypass: string[];
  /** The rulesets (and classic protection) that guard it. */
  sources: string[];
}

/**
 * Whether one ref-name pattern of a ruleset takes in `branch`: `~ALL`, `~DEFAULT_BRANCH`, or
 * `refs/heads/<fnmatch pattern>` (`*` stays within one path segment, `**` crosses them).
 */
export function refPatternMatches(pattern: string, branch: string, defaultBranch: string): boolean {
  if (pattern === '~ALL') return true;
  if (pattern === '~DEFAULT_BRANCH') return branch === defaultBranch;
  const name = pattern.startsWith('refs/heads/') ? pattern.slice('refs/heads/'.length) : null;
  if (name === null) return false;
  let source = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '*' && name[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`).test(branch);
}

/** Whether an active branch ruleset applies to `branch`. */
export function rulesetCovers(ruleset: Ruleset, branch: string, defaultBranch: string): boolean {
  if (ruleset.enforcement !== 'active' || ruleset.target !== 'branch') return false;
  const hit = (patterns: string[]) => patterns.some((p) => refPatternMatches(p, branch, defaultBranch));
  return hit(ruleset.include) && !hit(ruleset.exclude);
}

const ROLE_NAMES: Record<number, string> = {
  [ADMIN_ROLE_ID]: 'repository admins',
  2: 'the maintain role',
  4: 'the write role',
};

/** A bypass actor, as a person reads it. */
export function bypassName(actor: BypassActor): string {
  const when = actor.mode === 'pull_request' ? ' (through pull requests only)' : '';
  switch (actor.actorType) {
    case 'RepositoryRole':
      return (ROLE_NAMES[actor.actorId ?? -1] ?? `the repository role #${actor.actorId}`) + when;
    case 'OrganizationAdmin':
      return `organisation admins${when}`;
    case 'DeployKey':
      return `deploy keys${when}`;
    case 'Integration':
      return `the GitHub App #${actor.actorId}${when}`;
    case 'Team':
      return `the team #${actor.actorId}${when}`;
    case 'User':
      return `the user #${actor.actorId}${when}`;
    default:
      return `${actor.actorType} #${actor.actorId}${when}`;
  }
}

const has = (rules: Rule[], type: string) => rules.some((r) => r.type === type);

function pullRequestOf(rules: Rule[]): { approvals: number; codeOwners: boolean } | null {
  const rule = rules.find((r) => r.type === 'pull_request');
  if (!rule) return null;
  const p = rule.parameters ?? {};
  return {
    approvals: typeof p.required_approving_review_count === 'number' ? p.required_approving_review_count : 0,
    codeOwners: p.require_code_owner_review === true,
  };
}

export function branchGuard(
  branch: string,
  defaultBranch: string,
  rulesets: readonly Ruleset[],
  classic: ClassicProtection | null,
): BranchGuard {
  const covering = rulesets.filter((r) => rulesetCovers(r, branch, defaultBranch));
  const guard: BranchGuard = {
    deletionBlocked: covering.some((r) => has(r.rules, 'deletion')) || (classic !== null && !classic.allowDeletions),
    forcePushBlocked:
      covering.some((r) => has(r.rules, 'non_fast_forward')) || (classic !== null && !classic.allowForcePushes),
    pullRequest: null,
    bypass: [],
    sources: [...covering.map((r) => `ruleset "${r.name}"`), ...(classic ? ['branch protection'] : [])],
  };
  // Each holder of a pull request rule: its requirement, and who gets past it.
  const holders: { approvals: number; codeOwners: boolean; bypass: string[] }[] = [];
  for (const r of covering) {
    const pr = pullRequestOf(r.rules);
    if (pr) holders.push({ ...pr, bypass: r.bypass.map(bypassName) });
  }
  if (classic?.requiredReviews != null)
    holders.push({
      approvals: classic.requiredReviews,
      codeOwners: classic.codeOwnerReviews,
      bypass: classic.enforceAdmins ? [] : ['repository admins'],
    });
  if (holders.length) {
    guard.pullRequest = {
      approvals: Math.max(...holders.map((h) => h.approvals)),
      codeOwners: holders.some((h) => h.codeOwners),
    };
    // Only who is on every holder's list gets past them all.
    guard.bypass = holders[0]!.bypass.filter((name) => holders.every((h) => h.bypass.includes(name)));
  }
  return guard;
}
