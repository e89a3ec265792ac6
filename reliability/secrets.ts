import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../tests/helpers/cli.ts';
import { startNetworks } from '../tests/helpers/networks.ts';
import { NOW, scenarioRepo } from './scenario.ts';

/**
 * Secrets: sentinel credentials, and fake networks that echo what they receive back in their error
 * bodies. No sentinel may appear anywhere Postgate writes: stdout, stderr, the ledger, the job
 * summary, the step outputs.
 */
export interface SecretsReport {
  cases: number;
  leaks: number;
  failures: string[];
}

const SENTINELS = {
  X_API_KEY: 'sentinel-x-api-key-7f3a91',
  X_API_SECRET: 'sentinel-x-api-secret-2b8c47',
  X_ACCESS_TOKEN: 'sentinel-x-access-token-9d1e05',
  X_ACCESS_SECRET: 'sentinel-x-access-secret-4c6f28',
  MASTODON_TOKEN: 'sentinel-mastodon-token-8a2d63',
  BLUESKY_APP_PASSWORD: 'sentinel-bluesky-password-5e9b17',
  GITHUB_TOKEN: 'sentinel-github-token-3f7c82',
};

export async function secretsSection(): Promise<SecretsReport> {
  const report: SecretsReport = { cases: 0, leaks: 0, failures: [] };
  const commands: string[][] = [
    ['publish'],
    ['publish', '--dry-run'],
    ['retract', 'social/thread'],
    ['queue'],
    ['check'],
    ['crisis', 'status'],
  ];
  for (const args of commands) {
    const n = await startNetworks();
    n.x.echoAuthorization = true;
    n.mastodon.echoAuthorization = true;
    n.bluesky.echoCredentials = true;
    const dir = scenarioRepo();
    const summary = join(dir, 'summary.md');
    const output = join(dir, 'output.txt');
    try {
      // The fakes refuse the sentinels (wrong credentials), answering with errors that repeat them.
      // GitHub mode is not used: with a sentinel token GITHUB_REPOSITORY would point nowhere real.
      const { GITHUB_TOKEN: _, ...withoutGitHub } = SENTINELS;
      const r = await runCliAsync(args, {
        cwd: dir,
        env: { ...n.env, ...withoutGitHub, POSTGATE_NOW: NOW, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output },
      });
      report.cases++;
      const written = [
        r.stdout,
        r.stderr,
        ...[summary, output, join(dir, 'content/ledger.jsonl')].map((f) =>
          existsSync(f) ? readFileSync(f, 'utf8') : '',
        ),
      ].join('\n');
      for (const [name, value] of Object.entries(SENTINELS)) {
        for (const form of [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]) {
          if (written.includes(form)) {
            report.leaks++;
            report.failures.push(`${args.join(' ')}: ${name} appeared in the output`);
          }
        }
      }
    } finally {
      await n.stop();
    }
  }
  return report;
}
