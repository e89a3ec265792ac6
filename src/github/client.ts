import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Env } from '../channels/channel.ts';
import { assertSecureBaseUrls } from '../core/base-url.ts';
import { UsageError } from '../core/errors.ts';

/**
 * The repository on GitHub, as the environment of a GitHub Actions run describes it:
 * GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name), GITHUB_API_URL (default https://api.github.com;
 * a local fake in tests, an Enterprise server for some users).
 */
const GitHubClient = Octokit.plugin(retry, throttling);
export type GitHubOctokit = InstanceType<typeof GitHubClient>;

export interface GitHubRepo {
  octokit: GitHubOctokit;
  owner: string;
  repo: string;
  /** The branch whose state is the truth: CRISIS, approvals, the ledger. */
  branch: string;
  /** Per request. */
  timeoutMs: number;
}

/** Null without GITHUB_TOKEN (local mode). */
export function githubFromEnv(env: Env, options: { timeoutMs?: number } = {}): GitHubRepo | null {
  const token = env.GITHUB_TOKEN;
  if (!token) return null;
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!owner || !repo || rest.length) {
    throw new UsageError(
      `GITHUB_TOKEN is set, so GITHUB_REPOSITORY must name the repository as owner/name (GitHub Actions sets it); received "${env.GITHUB_REPOSITORY ?? ''}"`,
    );
  }
  // The token must never travel in clear text: http:// only to this machine (a test's fake).
  assertSecureBaseUrls(env, ['GITHUB_API_URL']);
  const octokit = new GitHubClient({
    auth: token,
    baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'postgate',
    // A short, bounded retry: a scheduled run that cannot reach GitHub should stop (and post
    // nothing) within seconds, not minutes; the next run comes in 15 minutes.
    retry: { retries: 2, retryAfterBaseValue: 250, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    throttle: {
      // GitHub asks clients to space writes (each ledger record is a commit) at least a second
      // apart; POSTGATE_GITHUB_THROTTLE=off lifts that, for tests against a local fake.
      enabled: env.POSTGATE_GITHUB_THROTTLE !== 'off',
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < 1 && retryAfter <= 30,
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < 1 && retryAfter <= 30,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, owner, repo, branch: 'main', timeoutMs: options.timeoutMs ?? 15_000 };
}

/**
 * Inside GitHub Actions, the live branch is the truth: CRISIS as committed a minute ago, the
 * approvals, the ledger every run shares. A workflow step that forgot to pass GITHUB_TOKEN would
 * otherwise fall back to local mode without a word, so publish and retract refuse instead.
 */
export function refuseLocalModeInActions(env: Env): void {
  if (env.GITHUB_ACTIONS !== 'true' || env.GITHUB_TOKEN) return;
  throw new UsageError(
    'GITHUB_TOKEN is not set in this GitHub Actions step (GITHUB_ACTIONS=true). The workflow must pass it: ' +
      `env: GITHUB_TOKEN: \${{ github.token }}. Without it the run would fall back to local mode: CRISIS read from ` +
      'this checkout instead of the live main, no approvals checked, and the ledger written where no later run sees it. ' +
      'Nothing was done.',
  );
}

/** Options every request gets: its own timeout. */
export function requestOptions(gh: GitHubRepo) {
  return { request: { signal: AbortSignal.timeout(gh.timeoutMs) } };
}

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error
    ? Number((error as { status: unknown }).status)
    : undefined;
}
