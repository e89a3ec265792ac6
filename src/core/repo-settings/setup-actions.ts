import type { Rule } from './settings.ts';

/**
 * What `setup` asks GitHub to do, as data: the plan is computed from the settings by pure functions
 * (so a dry run prints exactly what a real run would send), and src/github/ carries it out.
 */
export interface RulesetBody {
  name: string;
  target: 'branch';
  enforcement: 'active';
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: Rule[];
  bypass_actors: { actor_id: number | null; actor_type: string; bypass_mode: string }[];
}

export interface EnvironmentBody {
  deployment_branch_policy: { protected_branches: false; custom_branch_policies: true };
  reviewers: { type: 'User' | 'Team'; id: number }[];
  wait_timer: number;
}

export type SetupAction =
  | { kind: 'create-ruleset'; body: RulesetBody }
  | { kind: 'update-ruleset'; id: number; body: RulesetBody }
  /** `expectReviewers`: GitHub must answer with the reviewers kept, or the plan does not offer them. */
  | { kind: 'put-environment'; name: string; body: EnvironmentBody; expectReviewers: boolean }
  | { kind: 'add-branch-policy'; environment: string; pattern: string }
  | { kind: 'delete-branch-policy'; environment: string; id: number; pattern: string }
  | { kind: 'write-file'; path: string; text: string; sha: string | null; message: string }
  | { kind: 'create-pages' }
  | { kind: 'update-pages' };

export interface SetupStep {
  title: string;
  /** ok: already so; change: the actions make it so; cannot: nothing setup can do (the reason is `summary`). */
  status: 'ok' | 'change' | 'cannot';
  /** One line: what is so, what changes, or why it cannot. */
  summary: string;
  /** Why, and what it means: printed under the summary, in dry runs and real ones alike. */
  details: string[];
  actions: SetupAction[];
}

export interface SetupOptions {
  /** Leave the pull request rule off main (the default adds it; one already there stays). */
  allowDirectPushes: boolean;
  /** Let repository admins bypass main's ruleset (merge their own pull requests, CRISIS from a phone). */
  adminBypass: boolean;
}

/** Keys sorted at every level: two bodies equal as data compare equal as text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
