import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEDGER_BRANCH, LEDGER_FILE, type LedgerRecord } from '../../src/core/ledger.ts';
import { FakeGitHub } from '../fakes/fake-github.ts';
import { REPO_ROOT, runCliAsync } from './cli.ts';
import { startNetworks, type Networks } from './networks.ts';
import type { FakeLinkedIn } from '../fakes/fake-linkedin.ts';

/**
 * A publishing world on GitHub: the three fake networks, a fake GitHub whose main holds the
 * example config (Amira approves, with write access), and a checkout with the config alone.
 * Tests bring content in the way they want, most often a reviewed pull request (`mergeReviewed`).
 */
export interface GitHubWorld {
  n: Networks;
  gh: FakeGitHub;
  /** The run's checkout: write the files the workflow would have checked out here. */
  dir: string;
  /** What a publish job's environment holds: the networks' and GitHub's (throttling off). */
  env: Record<string, string>;
  /** The ledger on its branch, parsed. */
  ledger(): LedgerRecord[];
  /** A pull request by `author` bringing `files`, approved by `approvers`, merged; the checkout gets them too. */
  mergeReviewed(files: Record<string, string>, author: string, approvers: string[]): number;
  stop(): Promise<void>;
}

export async function startGitHubWorld(): Promise<GitHubWorld> {
  const config = readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8');
  const n = await startNetworks();
  const gh = new FakeGitHub({ files: { 'postgate.config.yaml': config } });
  gh.collaborators.set('amira', 'write');
  await gh.start();
  const dir = mkdtempSync(join(tmpdir(), 'postgate-world-'));
  cpSync(join(REPO_ROOT, 'postgate.config.yaml'), join(dir, 'postgate.config.yaml'));
  let branches = 0;
  return {
    n,
    gh,
    dir,
    env: {
      ...n.env,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      POSTGATE_APPROVERS: 'amira',
      POSTGATE_GITHUB_THROTTLE: 'off',
    },
    ledger: () =>
      (gh.refs.has(LEDGER_BRANCH) ? (gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '') : '')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LedgerRecord),
    mergeReviewed(files, author, approvers) {
      const branch = `content-${++branches}`;
      gh.commit({ branch, files, author, message: 'Add content' });
      const pr = gh.openPullRequest({ author, branch, title: 'New content' });
      for (const user of approvers) gh.review(pr, { user, state: 'APPROVED' });
      gh.merge(pr, { by: 'riverside' });
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      return pr;
    },
    stop: async () => void (await Promise.all([n.stop(), gh.stop()])),
  };
}

/**
 * Runs the CLI in the world's checkout as a publish job with LinkedIn (the member's token) would,
 * at `now` unless `env` says otherwise.
 */
export function linkedinRunner(w: () => GitHubWorld, linkedin: () => FakeLinkedIn, now: string) {
  return (args: string[], env: Record<string, string> = {}) =>
    runCliAsync(args, {
      cwd: w().dir,
      env: {
        ...w().env,
        LINKEDIN_API_URL: linkedin().url,
        LINKEDIN_ACCESS_TOKEN: linkedin().member.token,
        POSTGATE_NOW: now,
        ...env,
      },
    });
}
