import type { FakeGitHub } from '../fakes/fake-github.ts';

/**
 * The environment of a GitHub Actions run against the fake GitHub: its token, repository and base
 * URL, no write spacing (GitHub asks for a second between writes; a local fake does not), and
 * amira as the approver, as the POSTGATE_APPROVERS repository variable would name her.
 */
export function githubEnvOf(gh: FakeGitHub, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_TOKEN: gh.token,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_API_URL: gh.url,
    POSTGATE_GITHUB_THROTTLE: 'off',
    POSTGATE_APPROVERS: 'amira',
    ...extra,
  };
}
