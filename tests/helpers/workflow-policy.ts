import { parse } from 'yaml';

/**
 * The pipeline's rules, checked on the workflow files as data: who holds a credential, which code
 * runs next to it, and what it can be handed. Each rule returns one line per violation, naming the
 * file and the job, so a failing test says what to fix.
 *
 * "Credential" means a secret other than GITHUB_TOKEN, or a token that may write anything
 * (`contents: write`, `pull-requests: write`, `id-token: write`, ...). "Untrusted code" is what a
 * writer changes without the owner's review: a pull request's code, and the posts the site build
 * compiles (MDX can run code during `astro build`).
 */
export interface PolicyStep {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'working-directory'?: string;
}

export interface PolicyJob {
  if?: string;
  uses?: string;
  environment?: string | { name?: string };
  permissions?: unknown;
  secrets?: unknown;
  env?: Record<string, unknown>;
  defaults?: { run?: { 'working-directory'?: string } };
  steps?: PolicyStep[];
}

export interface PolicyWorkflow {
  on: Record<string, unknown> | string | string[];
  permissions?: unknown;
  env?: Record<string, unknown>;
  jobs: Record<string, PolicyJob>;
}

/** A workflow file: its name, its text (for the comments YAML drops) and its data. */
export interface WorkflowFile {
  file: string;
  text: string;
  workflow: PolicyWorkflow;
}

export function workflowFile(file: string, text: string): WorkflowFile {
  return { file, text, workflow: parse(text) as PolicyWorkflow };
}

const triggersOf = (w: PolicyWorkflow): string[] =>
  typeof w.on === 'string' ? [w.on] : Array.isArray(w.on) ? w.on : Object.keys(w.on ?? {});

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
/** Events whose runs take a write token and secrets from the base repository while a pull request started them. */
const PRIVILEGED_PULL_REQUEST_EVENTS = ['pull_request_target', 'workflow_run'];
const MAIN = "github.ref == 'refs/heads/main'";

/** The secrets a job can read: every `secrets.NAME` in it or in the workflow's env, `secrets: inherit` as `*`. */
export function secretsOf(job: PolicyJob, workflow: PolicyWorkflow): string[] {
  const names = new Set<string>();
  const text = JSON.stringify([job, workflow.env ?? {}]);
  for (const m of text.matchAll(/secrets\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]!);
  for (const m of text.matchAll(/secrets\s*\[\s*'([^']*)'\s*\]/g)) names.add(m[1]!);
  // The whole secrets context at once: toJSON(secrets), secrets[expression], or a reusable call's inherit.
  if (/toJSON\(\s*secrets\s*\)|secrets\s*\[\s*[^'\s]/.test(text) || job.secrets === 'inherit') names.add('*');
  if (job.secrets && typeof job.secrets === 'object')
    for (const k of Object.keys(job.secrets as object)) names.add(`${k} (passed to ${job.uses})`);
  names.delete('GITHUB_TOKEN');
  return [...names].sort();
}

/** What the job's token may write: the job's permissions, else the workflow's, else GitHub's default. */
export function writePermissionsOf(job: PolicyJob, workflow: PolicyWorkflow): string[] {
  const permissions = job.permissions ?? workflow.permissions;
  // Unset, the token gets the repository's default, which may be "read and write" for everything.
  if (permissions === undefined || permissions === null) return ['(the default token: may write everything)'];
  if (permissions === 'write-all') return ['write-all'];
  if (typeof permissions === 'string') return [];
  return Object.entries(permissions as Record<string, unknown>)
    .filter(([, level]) => level === 'write')
    .map(([scope]) => scope)
    .sort();
}

const environmentOf = (job: PolicyJob): string | undefined =>
  typeof job.environment === 'string' ? job.environment : job.environment?.name;

/** Why a job runs code a writer controls without the owner's review, or null when it does not. */
export function untrustedCodeIn(job: PolicyJob, workflow: PolicyWorkflow): string | null {
  if (triggersOf(workflow).some((t) => PULL_REQUEST_EVENTS.includes(t))) return 'runs pull-request code';
  if ((job.steps ?? []).some((s) => /\b(npm run build|astro build)\b/.test(s.run ?? '')))
    return 'builds the site (it compiles the posts, and MDX can run code)';
  return null;
}

/** A cache a step uses: its key up to the first expression (the part a job chooses), or setup-node's own. */
interface CacheUse {
  key: string;
  restores: boolean;
  saves: boolean;
  step: string;
}

function cachesOf(job: PolicyJob): CacheUse[] {
  const uses: CacheUse[] = [];
  for (const step of job.steps ?? []) {
    const action = (step.uses ?? '').split('@')[0]!;
    const input = step.with ?? {};
    const cache = /^actions\/cache(?:\/(restore|save))?$/.exec(action);
    if (cache)
      uses.push({
        key: String(input.key ?? '').split('${{')[0]!,
        restores: cache[1] !== 'save',
        saves: cache[1] !== 'restore',
        step: `${action} key "${input.key}"`,
      });
    if (action === 'actions/setup-node') {
      if (input.cache)
        uses.push({
          key: `setup-node:${input.cache}`,
          restores: true,
          saves: true,
          step: `actions/setup-node cache: ${input.cache}`,
        });
      // setup-node v5 caches on its own when package.json names a packageManager, which a push can add.
      else if (String(input['package-manager-cache']) !== 'false')
        uses.push({
          key: 'setup-node:npm',
          restores: true,
          saves: true,
          step: 'actions/setup-node without package-manager-cache: false, which caches by itself once package.json names a packageManager',
        });
    }
  }
  return uses;
}

const sharesKey = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

export interface JobRef {
  file: string;
  id: string;
  job: PolicyJob;
  workflow: PolicyWorkflow;
}

export const jobsOf = (files: WorkflowFile[]): JobRef[] =>
  files.flatMap(({ file, workflow }) =>
    Object.entries(workflow.jobs ?? {}).map(([id, job]) => ({ file, id, job, workflow })),
  );

const holdsCredentials = ({ job, workflow }: JobRef) =>
  secretsOf(job, workflow).length > 0 || writePermissionsOf(job, workflow).length > 0;

/** Workflow-level permissions are empty: each job says what it needs, and a new job starts with nothing. */
export function workflowPermissionsViolations(files: WorkflowFile[]): string[] {
  return files
    .filter(({ workflow }) => {
      const p = workflow.permissions;
      return !(p && typeof p === 'object' && Object.keys(p).length === 0);
    })
    .map(
      ({ file, workflow }) =>
        `${file}: workflow-level permissions are ${JSON.stringify(workflow.permissions ?? '(unset: the default token)')}, not {}`,
    );
}

/** A job that reads a network secret runs in an environment (limited to main there) and only on main. */
export function secretsOutsideEnvironmentViolations(files: WorkflowFile[]): string[] {
  const problems: string[] = [];
  for (const { file, workflow } of files) {
    const global = secretsOf({}, workflow);
    if (global.length) problems.push(`${file}: workflow-level env hands every job the secrets ${global.join(', ')}`);
  }
  for (const { file, id, job, workflow } of jobsOf(files)) {
    const secrets = secretsOf(job, workflow);
    if (!secrets.length) continue;
    if (!environmentOf(job))
      problems.push(
        `${file} job ${id}: reads ${secrets.join(', ')} without an environment (any branch's workflow could read them)`,
      );
    if (!(job.if ?? '').includes(MAIN)) problems.push(`${file} job ${id}: reads secrets but does not require ${MAIN}`);
  }
  return problems;
}

/**
 * The credentials run on a schedule or by hand, never on an event a writer causes: on `push` the
 * code the push brings (the approval checker, the lockfile, this workflow) would run with them at
 * once, before anyone could look at it or stop it with CRISIS.
 */
const CREDENTIAL_TRIGGERS = ['schedule', 'workflow_dispatch', 'workflow_call'];
export function credentialTriggerViolations(files: WorkflowFile[]): string[] {
  return jobsOf(files)
    .filter(({ job, workflow }) => secretsOf(job, workflow).length > 0)
    .flatMap(({ file, id, workflow }) => {
      const others = triggersOf(workflow).filter((t) => !CREDENTIAL_TRIGGERS.includes(t));
      return others.length
        ? [`${file} job ${id}: reads secrets and runs on ${others.join(', ')}, not only on a schedule or by hand`]
        : [];
    });
}

/** Code a writer controls runs with no secret and a token that writes nothing. */
export function untrustedCodeViolations(files: WorkflowFile[]): string[] {
  const problems: string[] = [];
  for (const { file, id, job, workflow } of jobsOf(files)) {
    const why = untrustedCodeIn(job, workflow);
    if (!why) continue;
    const secrets = secretsOf(job, workflow);
    const writes = writePermissionsOf(job, workflow);
    if (secrets.length) problems.push(`${file} job ${id}: ${why} and reads the secrets ${secrets.join(', ')}`);
    if (writes.length) problems.push(`${file} job ${id}: ${why} and its token may write: ${writes.join(', ')}`);
  }
  for (const { file, id, job, workflow } of jobsOf(files)) {
    if (!triggersOf(workflow).some((t) => PRIVILEGED_PULL_REQUEST_EVENTS.includes(t))) continue;
    if (!holdsCredentials({ file, id, job, workflow })) continue;
    const runsCode = (job.steps ?? []).some(
      (s) => /^actions\/checkout@/.test(s.uses ?? '') || /\b(npm|npx|node|yarn|pnpm)\b/.test(s.run ?? ''),
    );
    if (runsCode || job.uses)
      problems.push(
        `${file} job ${id}: a pull request starts it, it holds credentials, and it checks out or runs repository code`,
      );
  }
  return problems;
}

/**
 * A token that may deploy (`pages: write`, or `id-token: write`, which proves the run's identity to
 * Pages or a cloud) is held by a job that runs no code from the repository: no checkout, no `run:`,
 * only actions pinned by commit, on what an earlier job built.
 */
export function deployRunsNoRepositoryCodeViolations(files: WorkflowFile[]): string[] {
  const problems: string[] = [];
  for (const { file, id, job, workflow } of jobsOf(files)) {
    if (job.uses) continue; // a reusable workflow's caller: its jobs are checked in their own file
    const deploys = writePermissionsOf(job, workflow).filter(
      (p) => ['pages', 'id-token', 'write-all'].includes(p) || p.startsWith('('),
    );
    if (!deploys.length) continue;
    const code = (job.steps ?? []).filter((s) => s.run !== undefined || /^actions\/checkout@/.test(s.uses ?? ''));
    if (code.length)
      problems.push(
        `${file} job ${id}: its token may write ${deploys.join(', ')} and it runs repository code (${code.map((s) => s.name ?? s.uses ?? s.run?.split('\n')[0]).join('; ')})`,
      );
  }
  return problems;
}

/** Every action is pinned by a full commit SHA (a tag can be moved), with the version it is in a comment. */
export function unpinnedActionViolations(files: WorkflowFile[]): string[] {
  const problems: string[] = [];
  for (const { file, id, job } of jobsOf(files)) {
    const uses = [job.uses, ...(job.steps ?? []).map((s) => s.uses)].filter((u): u is string => !!u);
    for (const u of uses) {
      if (u.startsWith('./')) continue;
      if (u.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(u)) problems.push(`${file} job ${id}: ${u} is not pinned by digest`);
        continue;
      }
      if (!/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(u))
        problems.push(`${file} job ${id}: ${u} is not pinned by a commit SHA`);
    }
  }
  for (const { file, text } of files) {
    text.split('\n').forEach((line, i) => {
      const m = /^\s*(?:-\s+)?uses:\s*([^\s#]+@[0-9a-f]{40})\s*(#.*)?$/.exec(line);
      if (m && !/^#\s*v\d+\.\d+\.\d+\s*$/.test(m[2] ?? ''))
        problems.push(`${file}:${i + 1}: ${m[1]} has no "# vX.Y.Z" comment naming the version it pins`);
    });
  }
  return problems;
}

/**
 * A job that holds credentials restores no cache. GitHub scopes caches by branch, not by workflow,
 * job or key: any job that runs on main (the site build, which compiles posts, included) can save an
 * entry under any key name that does not exist yet, or fill the cache until older entries are evicted
 * and then take their names. So a key "only the publisher writes" is a name, not a boundary; the
 * shared key is the plain case of the same attack.
 */
export function credentialedCacheViolations(files: WorkflowFile[]): string[] {
  const problems: string[] = [];
  const jobs = jobsOf(files);
  // Who else can save there: a job with nothing to protect, or one that runs code a writer controls.
  const writers = jobs.filter((j) => !holdsCredentials(j) || untrustedCodeIn(j.job, j.workflow));
  for (const ref of jobs.filter(holdsCredentials)) {
    for (const cache of cachesOf(ref.job).filter((c) => c.restores)) {
      const others = writers.filter(
        (w) => w !== ref && cachesOf(w.job).some((c) => c.saves && sharesKey(c.key, cache.key)),
      );
      problems.push(
        others.length
          ? `${ref.file} job ${ref.id}: holds credentials and restores a cache (${cache.step}) that ${others.map((o) => `${o.file} job ${o.id}`).join(', ')} also save${others.length === 1 ? 's' : ''}`
          : `${ref.file} job ${ref.id}: holds credentials and restores a cache (${cache.step}); any job on the branch can save under any key`,
      );
    }
  }
  return problems;
}

/** pull_request_target with a checkout runs the pull request's code with a write token and secrets. */
export function pullRequestTargetCheckoutViolations(files: WorkflowFile[]): string[] {
  return files
    .filter(
      ({ workflow }) =>
        triggersOf(workflow).includes('pull_request_target') && /actions\/checkout/.test(JSON.stringify(workflow)),
    )
    .map(
      ({ file }) =>
        `${file}: pull_request_target with a checkout runs pull-request code with a write token and secrets`,
    );
}

/** A folder as a workflow names it, relative to the workspace: `.` for the workspace itself. */
const folderOf = (path: unknown): string => {
  const clean = String(path ?? '')
    .replace(/^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?)\/?/, '')
    .replace(/^\.\//, '')
    .replace(/\/+$/, '');
  return clean === '' || clean === '.' ? '.' : clean;
};
const inside = (path: string, folder: string) => folder === '.' || path === folder || path.startsWith(`${folder}/`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A checkout of the base branch's commit: the code a pull request's job may run. */
const BASE_REF = /\bgithub\.event\.pull_request\.base\.(sha|ref)\b|\bgithub\.base_ref\b/;
/** What runs a project's own code in the folder it is started in: a package manager, a script, a local file. */
const RUNS_PROJECT = /\b(npm|npx|yarn|pnpm|bun|make|pip|python3?|bash|sh|source|deno)\b|(^|[\s;&|(])\.{1,2}\//m;
/** `node` with a script from the workspace root (the base's code), never a path in the current folder. */
const NODE_OUTSIDE = /\bnode\s+(?!["']?(\$\{?GITHUB_WORKSPACE\}?|\$\{\{\s*github\.workspace\s*\}\})\/)/;

/**
 * A job a pull request starts runs the base branch's code, and reads the pull request's files as
 * data: the workspace root (where `npm ci` installs and `npm run` runs) is the base commit, the pull
 * request's commit is checked out in a folder of its own, and no step installs, runs or loads
 * anything from that folder. Else a pull request that edits the preview's code, a package script or
 * the lockfile decides what its own preview says.
 */
export function pullRequestCodeRunViolations(files: WorkflowFile[]): string[] {
  const problems: string[] = [];
  for (const { file, id, job, workflow } of jobsOf(files)) {
    if (!triggersOf(workflow).some((t) => PULL_REQUEST_EVENTS.includes(t))) continue;
    const steps = job.steps ?? [];
    // Every checkout but one of the base commit holds the pull request's files (a checkout without
    // a ref takes the pull request's merge commit).
    const prFolders = steps
      .filter((s) => /^actions\/checkout@/.test(s.uses ?? ''))
      .filter((s) => !(BASE_REF.test(String(s.with?.ref ?? '')) && s.with?.repository === undefined))
      .map((s) => folderOf(s.with?.path));
    if (!prFolders.length) continue;
    const where = (folder: string) => (folder === '.' ? 'the workspace root' : `${folder}/`);
    const report = (folder: string, what: string) =>
      problems.push(`${file} job ${id}: runs code from the pull request's checkout (${where(folder)}): ${what}`);
    for (const step of steps) {
      const what = step.name ?? step.run?.split('\n')[0] ?? step.uses ?? '';
      if (step.uses?.startsWith('./')) {
        const folder = prFolders.find((f) => inside(folderOf(step.uses), f));
        if (folder) report(folder, step.uses);
      }
      if (step.run === undefined) continue;
      const cwd = folderOf(step['working-directory'] ?? job.defaults?.run?.['working-directory']);
      const here = prFolders.find((f) => inside(cwd, f));
      if (here !== undefined) {
        if (RUNS_PROJECT.test(step.run) || NODE_OUTSIDE.test(step.run)) report(here, what);
        continue;
      }
      // From elsewhere: a script, a package folder or a working directory inside the checkout.
      for (const folder of prFolders.filter((f) => f !== '.')) {
        const f = `(?:\\./)?${escapeRegExp(folder)}`;
        const into = new RegExp(
          `(^|[\\s"'=(:])${f}/(\\S*\\.(?:[cm]?[jt]sx?|sh|py)\\b|node_modules\\b|\\S*\\.bin\\b)|--prefix[=\\s]+["']?${f}\\b|\\bcd\\s+["']?${f}\\b|-C\\s+["']?${f}\\b`,
          'm',
        );
        if (into.test(step.run)) report(folder, what);
      }
    }
  }
  return problems;
}

export const PIPELINE_RULES = {
  'workflow-level permissions are empty': workflowPermissionsViolations,
  'secrets only in an environment, on main': secretsOutsideEnvironmentViolations,
  'secrets only on a schedule or by hand': credentialTriggerViolations,
  'untrusted code holds no secret and no write permission': untrustedCodeViolations,
  'the deploy job runs no repository code': deployRunsNoRepositoryCodeViolations,
  'actions pinned by commit SHA': unpinnedActionViolations,
  'credentialed jobs restore no cache': credentialedCacheViolations,
  'no pull_request_target checkout': pullRequestTargetCheckoutViolations,
  "pull requests are reviewed by the base branch's code": pullRequestCodeRunViolations,
} as const;

export function pipelineViolations(files: WorkflowFile[]): string[] {
  return Object.values(PIPELINE_RULES).flatMap((rule) => rule(files));
}
