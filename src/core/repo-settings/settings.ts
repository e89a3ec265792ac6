/**
 * The repository settings Postgate depends on, as read from GitHub, in a plain shape the rules in
 * this folder judge without any I/O: `doctor`'s findings and `setup`'s plan are both functions of it.
 *
 * Every reading may have failed. GitHub refuses some features on some plans (rulesets on a private
 * repository on GitHub Free answer 403 "Upgrade to GitHub Pro or make this repository public…"), and
 * a token may lack a permission: a failed reading says which, so the verdict can say "not available
 * here" rather than "missing", and "could not tell" rather than "fine".
 */
export type Read<T> = { ok: true; value: T } | { ok: false; limit: boolean; status: number | null; message: string };

export const readOk = <T>(value: T): Read<T> => ({ ok: true, value });

/** GitHub's answer when the plan does not offer a feature, in the words GitHub's answers use. */
const PLAN_LIMIT = /upgrade to github|make this repository public|billing plan|current plan does not support/i;

/** Whether GitHub's message says the plan does not offer the feature. */
export function isPlanLimit(message: string): boolean {
  return PLAN_LIMIT.test(message);
}

/** A failed reading: `limit` when GitHub's message says the plan does not offer the feature. */
export function readFailed<T>(status: number | null, message: string): Read<T> {
  return { ok: false, limit: isPlanLimit(message), status, message };
}

export interface RepoMeta {
  /** owner/name */
  fullName: string;
  owner: string;
  ownerId: number;
  ownerType: 'User' | 'Organization';
  private: boolean;
  defaultBranch: string;
  /** The token's own permission on the repository: settings need an admin. */
  admin: boolean;
}

export interface BypassActor {
  actorType: string;
  actorId: number | null;
  mode: string;
}

export interface Rule {
  type: string;
  parameters?: Record<string, unknown>;
}

/** A ruleset with its conditions, rules and bypass list (GitHub's list endpoint omits them). */
export interface Ruleset {
  id: number;
  name: string;
  target: string;
  enforcement: string;
  /** Repository, Organization or Enterprise: only the repository's own can be changed here. */
  sourceType: string;
  include: string[];
  exclude: string[];
  rules: Rule[];
  bypass: BypassActor[];
}

/** Classic branch protection (`/branches/{branch}/protection`), which some repositories use instead. */
export interface ClassicProtection {
  /** null when pull request reviews are not required. */
  requiredReviews: number | null;
  codeOwnerReviews: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  /** false: admins are not held to it. */
  enforceAdmins: boolean;
}

export interface Person {
  login: string;
  id: number;
  type: 'User' | 'Team';
}

export interface Environment {
  name: string;
  /** null: any branch may deploy to it. */
  branchPolicy: null | { protectedBranches: boolean; customBranchPolicies: boolean };
  /** The name patterns of a custom branch policy. */
  branchPatterns: { id: number; name: string; type: string }[];
  reviewers: Person[];
  waitTimer: number;
  /** The names of its secrets (never their values: GitHub does not reveal them). */
  secrets: Read<string[]>;
}

export interface CodeOwnersFile {
  /** The file GitHub reads: the first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS. */
  path: string;
  text: string;
  sha: string;
}

export interface RepoSettings {
  repo: RepoMeta;
  rulesets: Read<Ruleset[]>;
  /** Classic protection of main; null when main has none. */
  mainProtection: Read<ClassicProtection | null>;
  /** null: the environment does not exist. */
  publish: Read<Environment | null>;
  retract: Read<Environment | null>;
  codeOwners: Read<CodeOwnersFile | null>;
  repositorySecrets: Read<string[]>;
  /** Names of the repository's Actions variables (their values are not needed). */
  variables: Read<string[]>;
  /** Organisation secrets this repository's workflows can read ([] for a personal repository). */
  organizationSecrets: Read<string[]>;
  /** null: Pages is not turned on. */
  pages: Read<{ buildType: string | null } | null>;
  /** Who owns the brand: the owner, or an organisation's admins (code owners, retract's reviewers). */
  owners: Read<Person[]>;
}

/** The branch Postgate publishes from, and the ledger's own branch. */
export const MAIN_BRANCH = 'main';
export { LEDGER_BRANCH } from '../ledger.ts';
export const PUBLISH_ENVIRONMENT = 'publish';
export const RETRACT_ENVIRONMENT = 'retract';
/** The names of Postgate's own rulesets, by which setup finds them again. */
export const MAIN_RULESET = 'Postgate: main';
export const LEDGER_RULESET = 'Postgate: ledger';
/** GitHub's id of the Repository admin role in a ruleset's bypass list (2 is maintain, 4 is write). */
export const ADMIN_ROLE_ID = 5;
/** GitHub lists at most six required reviewers on an environment. */
export const MAX_REVIEWERS = 6;

/**
 * What GitHub's plan allows this repository, as far as its answers show: rulesets refused with
 * GitHub's upgrade message mean a private repository on GitHub Free; a private repository with
 * rulesets has a paid plan, where required reviewers still need GitHub Enterprise.
 */
export type PlanTier = 'public' | 'private-free' | 'private-paid';

export function planTier(settings: RepoSettings): PlanTier {
  if (!settings.repo.private) return 'public';
  const { rulesets } = settings;
  return !rulesets.ok && rulesets.limit ? 'private-free' : 'private-paid';
}
