import { UsageError } from '../core/errors.ts';
import type { Io } from './command.ts';

/**
 * The repository `setup` and `doctor` work on: GITHUB_REPOSITORY, or `--repo owner/name`, with a
 * token in GITHUB_TOKEN. Repository settings need an admin's token (`gh auth token` gives one to the
 * owner); the workflow's own token can read some of them and change none.
 */
export async function settingsRepo(command: string, io: Io, repoFlag: string | undefined) {
  if (repoFlag !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repoFlag))
    throw new UsageError(`${command}: --repo expects owner/name, received "${repoFlag}"`);
  const env: Record<string, string | undefined> = {
    ...io.env,
    GITHUB_REPOSITORY: repoFlag ?? io.env.GITHUB_REPOSITORY,
  };
  if (!env.GITHUB_TOKEN)
    throw new UsageError(
      `${command} reads the repository's settings on GitHub: set GITHUB_TOKEN to a token of a repository admin (for example GITHUB_TOKEN=$(gh auth token)) and name the repository with --repo owner/name or GITHUB_REPOSITORY`,
    );
  if (!env.GITHUB_REPOSITORY)
    throw new UsageError(`${command}: name the repository with --repo owner/name (or GITHUB_REPOSITORY)`);
  const { githubFromEnv } = await import('../github/client.ts');
  return githubFromEnv(env)!;
}
