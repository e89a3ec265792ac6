import { requestOptions, statusOf, type GitHubRepo } from './client.ts';

/**
 * Files on the live branch through the contents API. Writes are compare-and-swap: an update names
 * the blob it replaces, and GitHub refuses it (409) if the file changed in the meantime.
 */
export interface RemoteFile {
  text: string;
  /** The blob's sha, to name in the next write. */
  sha: string;
}

export async function readRemoteFile(gh: GitHubRepo, path: string): Promise<RemoteFile | null> {
  try {
    const { data } = await gh.octokit.rest.repos.getContent({
      owner: gh.owner,
      repo: gh.repo,
      path,
      ref: gh.branch,
      ...requestOptions(gh),
    });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
      throw new Error(`${path} on ${gh.branch} is not a file`);
    return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha };
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

export type WriteResult = { ok: true; commit: string } | { ok: false; conflict: true };

/** Creates or replaces a file on the branch; `conflict` when it is no longer the version `sha` names. */
export async function writeRemoteFile(
  gh: GitHubRepo,
  path: string,
  text: string,
  sha: string | null,
  message: string,
): Promise<WriteResult> {
  try {
    const { data } = await gh.octokit.rest.repos.createOrUpdateFileContents({
      owner: gh.owner,
      repo: gh.repo,
      path,
      branch: gh.branch,
      message,
      content: Buffer.from(text, 'utf8').toString('base64'),
      ...(sha ? { sha } : {}),
      ...requestOptions(gh),
    });
    return { ok: true, commit: data.commit.sha ?? '' };
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 422) return { ok: false, conflict: true };
    throw error;
  }
}

export async function deleteRemoteFile(
  gh: GitHubRepo,
  path: string,
  sha: string,
  message: string,
): Promise<WriteResult> {
  try {
    const { data } = await gh.octokit.rest.repos.deleteFile({
      owner: gh.owner,
      repo: gh.repo,
      path,
      branch: gh.branch,
      message,
      sha,
      ...requestOptions(gh),
    });
    return { ok: true, commit: data.commit.sha ?? '' };
  } catch (error) {
    const status = statusOf(error);
    if (status === 409 || status === 422) return { ok: false, conflict: true };
    throw error;
  }
}
