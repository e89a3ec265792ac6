import { createHash } from 'node:crypto';
import { jsonBody, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * The repository settings part of the fake GitHub (`setup` and `doctor`): rulesets, classic branch
 * protection (read), environments with their branch policies, reviewers and secret names, the
 * repository's and the organisation's secret names, and Pages. FakeGitHub routes every request it
 * does not know itself here; this file holds the state and the handlers.
 *
 * Plans, as GitHub answers them: a public repository has everything. A private one on GitHub Free
 * has no rulesets or branch protection (403 "Upgrade to GitHub Pro or make this repository public to
 * enable this feature."), no branch policy on an environment (422 "Fail to create protected rule,
 * please ensure billing plan include protected branch gate.") and no Pages. On Pro or Team those
 * work, but required reviewers on an environment need Enterprise (422 "Failed to create the
 * environment protection rule. Please ensure the billing plan supports the required reviewers
 * protection rule."). The messages are the ones GitHub users report; Postgate does not depend on
 * their exact words beyond "upgrade"/"billing plan".
 */
export type FakePlan = 'free' | 'pro' | 'team' | 'enterprise';

export interface FakeRuleset {
  id: number;
  name: string;
  target: string;
  enforcement: string;
  source_type: 'Repository' | 'Organization';
  conditions: { ref_name: { include: string[]; exclude: string[] } } | null;
  rules: { type: string; parameters?: Record<string, unknown> }[];
  bypass_actors: { actor_id: number | null; actor_type: string; bypass_mode: string }[];
  created_at: string;
  updated_at: string;
}

export interface FakeEnvironment {
  id: number;
  name: string;
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies: { id: number; name: string; type: 'branch' | 'tag' }[];
  /** Required reviewers: user logins. */
  reviewers: string[];
  wait_timer: number;
  secrets: string[];
  created_at: string;
  updated_at: string;
}

/** Classic branch protection of a branch, as the test sets it (read only here). */
export interface FakeClassicProtection {
  requiredReviews: number | null;
  codeOwnerReviews: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  enforceAdmins: boolean;
}

/** What the settings need from the fake GitHub around them. */
export interface FakeSettingsHost {
  readonly owner: string;
  readonly repo: string;
  readonly url: string;
  /** Who has access, by login: a reviewer must be one of them. */
  readonly collaborators: ReadonlyMap<string, string>;
}

const UPGRADE = 'Upgrade to GitHub Pro or make this repository public to enable this feature.';
const BRANCH_GATE = 'Fail to create protected rule, please ensure billing plan include protected branch gate.';
const REVIEWERS_PLAN =
  'Failed to create the environment protection rule. Please ensure the billing plan supports the required reviewers protection rule.';
const PAGES_PLAN = 'Your current plan does not support GitHub Pages for this repository.';
const DOCS = 'https://docs.github.com/rest';
const RULE_TYPES = new Set([
  'creation',
  'update',
  'deletion',
  'required_linear_history',
  'required_signatures',
  'pull_request',
  'required_status_checks',
  'non_fast_forward',
]);
const PULL_REQUEST_PARAMETERS = [
  'dismiss_stale_reviews_on_push',
  'require_code_owner_review',
  'require_last_push_approval',
  'required_approving_review_count',
  'required_review_thread_resolution',
];

/** A stable numeric id for a login, as GitHub gives every account one. */
export function fakeUserId(login: string): number {
  return 10_000 + (createHash('sha1').update(login).digest().readUInt32BE(0) % 90_000_000);
}

const isoNow = () => '2026-11-02T09:00:00Z';

export class FakeRepoSettings {
  visibility: 'public' | 'private' = 'public';
  plan: FakePlan = 'free';
  ownerType: 'User' | 'Organization' = 'User';
  readonly rulesets: FakeRuleset[] = [];
  readonly environments = new Map<string, FakeEnvironment>();
  /** Names of the repository's Actions secrets (values are never kept: GitHub never shows them). */
  readonly secrets: string[] = [];
  /** Names of the repository's Actions variables. */
  readonly variables: string[] = [];
  /** Names of organisation secrets shared with this repository. */
  readonly organizationSecrets: string[] = [];
  pages: { build_type: 'legacy' | 'workflow' } | null = null;
  /** Classic protection per branch. */
  readonly classicProtection = new Map<string, FakeClassicProtection>();
  private nextId = 4_200_000;
  private readonly host: FakeSettingsHost;

  constructor(host: FakeSettingsHost) {
    this.host = host;
  }

  /** Rulesets, branch protection, environment branch policies and Pages: public, or any paid plan. */
  get paidFeatures(): boolean {
    return this.visibility === 'public' || this.plan !== 'free';
  }

  /** Required reviewers on an environment: public, or Enterprise. */
  get reviewersAvailable(): boolean {
    return this.visibility === 'public' || this.plan === 'enterprise';
  }

  /** The fields of `GET /repos/{owner}/{repo}` these settings decide. */
  repoFields(): Record<string, unknown> {
    return { private: this.visibility === 'private', visibility: this.visibility };
  }

  /** GitHub's account type for a login (the owner may be an organisation). */
  accountType(login: string): 'User' | 'Organization' | 'Bot' {
    if (login.endsWith('[bot]')) return 'Bot';
    return login === this.host.owner && this.ownerType === 'Organization' ? 'Organization' : 'User';
  }

  /** Handles a request under /repos/{owner}/{repo}/ (`rest` is the path after it), or null if not a settings route. */
  route(request: RecordedRequest, rest: string[]): FakeResponse | null {
    const [section, id, sub, subId] = rest;
    const { method } = request;
    if (section === 'rulesets') return this.rulesetRoute(request, id);
    if (section === 'rules' && id === 'branches' && method === 'GET') return this.branchRules(rest.slice(2).join('/'));
    if (section === 'branches' && rest.at(-1) === 'protection' && method === 'GET')
      return this.protection(decodeURIComponent(rest.slice(1, -1).join('/')));
    if (section === 'environments' && id) return this.environmentRoute(request, decodeURIComponent(id), sub, subId);
    if (section === 'actions' && method === 'GET' && rest.length === 2) {
      if (id === 'secrets') return this.secretList(this.secrets);
      if (id === 'organization-secrets') return this.secretList(this.organizationSecrets);
      if (id === 'variables')
        return {
          status: 200,
          body: {
            total_count: this.variables.length,
            variables: this.variables.map((name) => ({ name, value: '…', created_at: isoNow(), updated_at: isoNow() })),
          },
        };
    }
    if (section === 'pages' && rest.length === 1) return this.pagesRoute(request);
    return null;
  }

  // ---- Rulesets ----

  private rulesetRoute(request: RecordedRequest, id: string | undefined): FakeResponse {
    if (!this.paidFeatures) return error(403, UPGRADE);
    const { method } = request;
    if (id === undefined) {
      if (method === 'GET') return { status: 200, body: this.rulesets.map((r) => this.rulesetJson(r, false)) };
      if (method === 'POST') return this.createRuleset(jsonBody(request));
      return error(404, 'Not Found');
    }
    const ruleset = this.rulesets.find((r) => String(r.id) === id);
    if (!ruleset) return error(404, 'Not Found');
    if (method === 'GET') return { status: 200, body: this.rulesetJson(ruleset, true) };
    if (method === 'PUT') return this.updateRuleset(ruleset, jsonBody(request));
    if (method === 'DELETE') {
      this.rulesets.splice(this.rulesets.indexOf(ruleset), 1);
      return { status: 204 };
    }
    return error(404, 'Not Found');
  }

  private createRuleset(body: Record<string, unknown>): FakeResponse {
    if (typeof body.name !== 'string' || body.name === '') return validation('name is missing');
    if (this.rulesets.some((r) => r.name === body.name)) return validation('Name must be unique');
    if (body.enforcement === undefined) return validation('enforcement is missing');
    const ruleset: FakeRuleset = {
      id: ++this.nextId,
      name: body.name,
      target: 'branch',
      enforcement: 'disabled',
      source_type: 'Repository',
      conditions: null,
      rules: [],
      bypass_actors: [],
      created_at: isoNow(),
      updated_at: isoNow(),
    };
    const invalid = this.assign(ruleset, body);
    if (invalid) return invalid;
    this.rulesets.push(ruleset);
    return { status: 201, body: this.rulesetJson(ruleset, true) };
  }

  private updateRuleset(ruleset: FakeRuleset, body: Record<string, unknown>): FakeResponse {
    if (typeof body.name === 'string' && this.rulesets.some((r) => r !== ruleset && r.name === body.name))
      return validation('Name must be unique');
    const copy = structuredClone(ruleset);
    const invalid = this.assign(copy, body);
    if (invalid) return invalid;
    Object.assign(ruleset, copy, { updated_at: isoNow() });
    return { status: 200, body: this.rulesetJson(ruleset, true) };
  }

  /** Takes the given fields of a create or update body, as GitHub validates them. */
  private assign(ruleset: FakeRuleset, body: Record<string, unknown>): FakeResponse | null {
    if (body.name !== undefined) ruleset.name = String(body.name);
    if (body.target !== undefined) {
      if (!['branch', 'tag', 'push'].includes(String(body.target))) return validation('Invalid target');
      ruleset.target = String(body.target);
    }
    if (body.enforcement !== undefined) {
      if (!['active', 'disabled', 'evaluate'].includes(String(body.enforcement)))
        return validation('Invalid enforcement');
      ruleset.enforcement = String(body.enforcement);
    }
    if (body.conditions !== undefined) {
      const refName = (body.conditions as { ref_name?: { include?: unknown; exclude?: unknown } } | null)?.ref_name;
      if (!refName || !Array.isArray(refName.include) || !Array.isArray(refName.exclude))
        return validation('conditions.ref_name must have include and exclude');
      ruleset.conditions = {
        ref_name: { include: refName.include.map(String), exclude: refName.exclude.map(String) },
      };
    }
    if (body.rules !== undefined) {
      if (!Array.isArray(body.rules)) return validation('rules must be an array');
      const rules: FakeRuleset['rules'] = [];
      for (const rule of body.rules as { type?: unknown; parameters?: Record<string, unknown> }[]) {
        if (typeof rule.type !== 'string' || !RULE_TYPES.has(rule.type))
          return validation(`Invalid rule '${rule.type}'`);
        if (rule.type === 'pull_request') {
          const missing = PULL_REQUEST_PARAMETERS.filter((p) => rule.parameters?.[p] === undefined);
          if (missing.length) return validation(`Invalid rule 'pull_request': missing ${missing.join(', ')}`);
        }
        rules.push(rule.parameters ? { type: rule.type, parameters: rule.parameters } : { type: rule.type });
      }
      ruleset.rules = rules;
    }
    if (body.bypass_actors !== undefined) {
      if (!Array.isArray(body.bypass_actors)) return validation('bypass_actors must be an array');
      ruleset.bypass_actors = (body.bypass_actors as Record<string, unknown>[]).map((b) => ({
        actor_id: typeof b.actor_id === 'number' ? b.actor_id : null,
        actor_type: String(b.actor_type),
        bypass_mode: typeof b.bypass_mode === 'string' ? b.bypass_mode : 'always',
      }));
    }
    return null;
  }

  /** As GitHub: the list names each ruleset; conditions, rules and bypass list only one at a time. */
  private rulesetJson(r: FakeRuleset, full: boolean): Record<string, unknown> {
    const summary = {
      id: r.id,
      name: r.name,
      target: r.target,
      source_type: r.source_type,
      source: `${this.host.owner}/${this.host.repo}`,
      enforcement: r.enforcement,
      node_id: `RRS_${r.id}`,
      _links: { self: { href: `${this.host.url}/repos/${this.host.owner}/${this.host.repo}/rulesets/${r.id}` } },
      created_at: r.created_at,
      updated_at: r.updated_at,
    };
    if (!full) return summary;
    return {
      ...summary,
      conditions: r.conditions,
      rules: r.rules,
      bypass_actors: r.bypass_actors,
      current_user_can_bypass: r.bypass_actors.length ? 'always' : 'never',
    };
  }

  /** `GET /rules/branches/{branch}`: the active rules that apply to a branch, with their ruleset. */
  private branchRules(branch: string): FakeResponse {
    // Where rulesets are not offered, no rule applies to any branch.
    if (!this.paidFeatures) return { status: 200, body: [] };
    const name = decodeURIComponent(branch);
    const matches = (pattern: string) =>
      pattern === '~ALL' || (pattern === '~DEFAULT_BRANCH' && name === 'main') || pattern === `refs/heads/${name}`;
    const body = this.rulesets
      .filter((r) => r.enforcement === 'active' && r.target === 'branch')
      .filter((r) => r.conditions?.ref_name.include.some(matches) && !r.conditions.ref_name.exclude.some(matches))
      .flatMap((r) =>
        r.rules.map((rule) => ({
          ...rule,
          ruleset_source_type: r.source_type,
          ruleset_source: `${this.host.owner}/${this.host.repo}`,
          ruleset_id: r.id,
        })),
      );
    return { status: 200, body };
  }

  private protection(branch: string): FakeResponse {
    if (!this.paidFeatures) return error(403, UPGRADE);
    const p = this.classicProtection.get(branch);
    if (!p) return error(404, 'Branch not protected');
    return {
      status: 200,
      body: {
        url: `${this.host.url}/repos/${this.host.owner}/${this.host.repo}/branches/${branch}/protection`,
        ...(p.requiredReviews === null
          ? {}
          : {
              required_pull_request_reviews: {
                required_approving_review_count: p.requiredReviews,
                require_code_owner_reviews: p.codeOwnerReviews,
                dismiss_stale_reviews: false,
              },
            }),
        enforce_admins: { enabled: p.enforceAdmins },
        allow_force_pushes: { enabled: p.allowForcePushes },
        allow_deletions: { enabled: p.allowDeletions },
      },
    };
  }

  // ---- Environments ----

  private environmentRoute(
    request: RecordedRequest,
    name: string,
    sub: string | undefined,
    subId: string | undefined,
  ): FakeResponse {
    const env = this.environments.get(name);
    const { method } = request;
    if (sub === undefined) {
      if (method === 'GET') return env ? { status: 200, body: this.environmentJson(env) } : error(404, 'Not Found');
      if (method === 'PUT') return this.putEnvironment(name, env, jsonBody(request));
      return error(404, 'Not Found');
    }
    if (!env) return error(404, 'Not Found');
    if (sub === 'secrets' && method === 'GET' && subId === undefined) return this.secretList(env.secrets);
    if (sub !== 'deployment-branch-policies') return error(404, 'Not Found');
    if (subId === undefined && method === 'GET')
      return {
        status: 200,
        body: {
          total_count: env.branchPolicies.length,
          branch_policies: env.branchPolicies.map((p) => this.policyJson(p)),
        },
      };
    if (subId === undefined && method === 'POST') {
      if (!env.deployment_branch_policy?.custom_branch_policies) return error(404, 'Not Found');
      const body = jsonBody(request);
      if (typeof body.name !== 'string' || body.name === '') return validation('name is missing');
      const type = body.type === 'tag' ? 'tag' : 'branch';
      if (env.branchPolicies.some((p) => p.name === body.name && p.type === type)) return { status: 303 };
      const policy = { id: ++this.nextId, name: body.name, type } as const;
      env.branchPolicies.push(policy);
      return { status: 200, body: this.policyJson(policy) };
    }
    const policy = env.branchPolicies.find((p) => String(p.id) === subId);
    if (!policy) return error(404, 'Not Found');
    if (method === 'GET') return { status: 200, body: this.policyJson(policy) };
    if (method === 'DELETE') {
      env.branchPolicies.splice(env.branchPolicies.indexOf(policy), 1);
      return { status: 204 };
    }
    return error(404, 'Not Found');
  }

  private putEnvironment(
    name: string,
    current: FakeEnvironment | undefined,
    body: Record<string, unknown>,
  ): FakeResponse {
    const policy = body.deployment_branch_policy as FakeEnvironment['deployment_branch_policy'] | undefined;
    if (policy) {
      if (policy.protected_branches === policy.custom_branch_policies)
        return validation('protected_branches and custom_branch_policies cannot both be the same value');
      if (!this.paidFeatures) return validation(BRANCH_GATE);
    }
    const reviewers = body.reviewers as { type?: string; id?: number }[] | null | undefined;
    const logins: string[] = [];
    for (const r of reviewers ?? []) {
      const login = this.loginOfId(r.id);
      if (login === null) return validation(`reviewer ${r.id} is not a user with access to the repository`);
      logins.push(login);
    }
    if (logins.length > 6) return validation('A maximum of 6 reviewers can be configured');
    if (logins.length && !this.reviewersAvailable) return validation(REVIEWERS_PLAN);
    const env: FakeEnvironment = current ?? {
      id: ++this.nextId,
      name,
      deployment_branch_policy: null,
      branchPolicies: [],
      reviewers: [],
      wait_timer: 0,
      secrets: [],
      created_at: isoNow(),
      updated_at: isoNow(),
    };
    if (policy !== undefined) {
      // A different kind of policy starts from no patterns; the same kind keeps them.
      if (!policy?.custom_branch_policies) env.branchPolicies = [];
      env.deployment_branch_policy = policy ? { ...policy } : null;
    }
    if (reviewers !== undefined) env.reviewers = logins;
    if (typeof body.wait_timer === 'number') env.wait_timer = body.wait_timer;
    env.updated_at = isoNow();
    this.environments.set(name, env);
    return { status: 200, body: this.environmentJson(env) };
  }

  /** Test helper: an environment as someone made it by hand (or as GitHub makes it for a job that names it). */
  addEnvironment(name: string, options: Partial<Omit<FakeEnvironment, 'id' | 'name'>> = {}): FakeEnvironment {
    const env: FakeEnvironment = {
      id: ++this.nextId,
      name,
      deployment_branch_policy: null,
      branchPolicies: [],
      reviewers: [],
      wait_timer: 0,
      secrets: [],
      created_at: isoNow(),
      updated_at: isoNow(),
      ...options,
    };
    this.environments.set(name, env);
    return env;
  }

  private loginOfId(id: unknown): string | null {
    if (typeof id !== 'number') return null;
    return [this.host.owner, ...this.host.collaborators.keys()].find((login) => fakeUserId(login) === id) ?? null;
  }

  private environmentJson(env: FakeEnvironment): Record<string, unknown> {
    const rules: Record<string, unknown>[] = [];
    if (env.wait_timer)
      rules.push({ id: env.id + 1, node_id: `GA_${env.id}w`, type: 'wait_timer', wait_timer: env.wait_timer });
    if (env.reviewers.length)
      rules.push({
        id: env.id + 2,
        node_id: `GA_${env.id}r`,
        type: 'required_reviewers',
        prevent_self_review: false,
        reviewers: env.reviewers.map((login) => ({
          type: 'User',
          reviewer: { login, id: fakeUserId(login), type: 'User' },
        })),
      });
    if (env.deployment_branch_policy) rules.push({ id: env.id + 3, node_id: `GA_${env.id}b`, type: 'branch_policy' });
    return {
      id: env.id,
      node_id: `EN_${env.id}`,
      name: env.name,
      url: `${this.host.url}/repos/${this.host.owner}/${this.host.repo}/environments/${env.name}`,
      html_url: `https://github.com/${this.host.owner}/${this.host.repo}/deployments/activity_log?environments_filter=${env.name}`,
      created_at: env.created_at,
      updated_at: env.updated_at,
      protection_rules: rules,
      deployment_branch_policy: env.deployment_branch_policy,
    };
  }

  private policyJson(p: FakeEnvironment['branchPolicies'][number]): Record<string, unknown> {
    return { id: p.id, node_id: `DBP_${p.id}`, name: p.name, type: p.type };
  }

  // ---- Secrets and Pages ----

  /** Names only: GitHub never returns a secret's value. */
  private secretList(names: readonly string[]): FakeResponse {
    return {
      status: 200,
      body: {
        total_count: names.length,
        secrets: names.map((name) => ({ name, created_at: isoNow(), updated_at: isoNow() })),
      },
    };
  }

  private pagesRoute(request: RecordedRequest): FakeResponse {
    const { method } = request;
    if (method === 'GET') return this.pages ? { status: 200, body: this.pagesJson() } : error(404, 'Not Found');
    if (method === 'POST') {
      if (!this.paidFeatures) return validation(PAGES_PLAN);
      if (this.pages) return error(409, 'GitHub Pages is already enabled.');
      const body = jsonBody(request);
      this.pages = { build_type: body.build_type === 'workflow' ? 'workflow' : 'legacy' };
      return { status: 201, body: this.pagesJson() };
    }
    if (method === 'PUT') {
      if (!this.pages) return error(404, 'Not Found');
      const body = jsonBody(request);
      if (body.build_type !== undefined) {
        if (body.build_type !== 'workflow' && body.build_type !== 'legacy') return validation('Invalid build_type');
        this.pages.build_type = body.build_type;
      }
      return { status: 204 };
    }
    return error(404, 'Not Found');
  }

  private pagesJson(): Record<string, unknown> {
    return {
      url: `${this.host.url}/repos/${this.host.owner}/${this.host.repo}/pages`,
      status: 'built',
      cname: null,
      custom_404: false,
      html_url: `https://${this.host.owner}.github.io/${this.host.repo}/`,
      build_type: this.pages!.build_type,
      source: { branch: 'main', path: '/' },
      public: true,
      https_enforced: true,
    };
  }
}

function error(status: number, message: string): FakeResponse {
  return { status, body: { message, documentation_url: DOCS, status: String(status) } };
}

function validation(message: string): FakeResponse {
  return { status: 422, body: { message, errors: [message], documentation_url: DOCS, status: '422' } };
}
