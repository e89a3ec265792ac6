import { createHash } from 'node:crypto';
import { requestOptions, statusOf, type GitHubRepo } from './client.ts';

/**
 * Files on the live branch through the contents API. Writes are compare-and-swap: an update names
 * the blob it replaces, and GitHub refuses it (409) if the file changed in the meantime.
 *
 * Reads are exact or fail. The contents API inlines a file only up to 1 MB: above that it answers
 * `content: ""` with `encoding: "none"` (and still the blob's sha), so the bytes are fetched from
 * the git blobs API by that sha (any size up to 100 MB). What comes back must be base64 that
 * decodes to bytes whose git blob id is that sha, and valid UTF-8; anything else is an error,
 * never an empty file: an empty ledger written back would forget everything it recorded.
 */
export interface RemoteFile {
  text: string;
  /** The blob's sha, to name in the next write. */
  sha: string;
}

/** Git's id of a blob with these bytes (`git hash-object`). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict base64 (GitHub wraps it in lines): null if it is anything else. */
function decodeBase64(content: string): Buffer | null {
  const compact = content.replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

function exactText(path: string, content: unknown, encoding: unknown, sha: string): string {
  if (encoding !== 'base64' || typeof content !== 'string')
    throw new Error(`${path}: GitHub sent its content as "${String(encoding)}", not base64; it was not read`);
  const bytes = decodeBase64(content);
  if (bytes === null) throw new Error(`${path}: GitHub sent content that is not valid base64; it was not read`);
  if (gitBlobSha(bytes) !== sha)
    throw new Error(`${path}: the content GitHub sent is not the blob ${sha} it named; it was not read`);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Error(`${path} is not valid UTF-8 text; it was not read`);
  }
}

/** The file on the branch (or at `ref`, a commit), or null if it does not exist there. */
export async function readRemoteFile(gh: GitHubRepo, path: string, ref = gh.branch): Promise<RemoteFile | null> {
  let data: Awaited<ReturnType<GitHubRepo['octokit']['rest']['repos']['getContent']>>['data'];
  try {
    ({ data } = await gh.octokit.rest.repos.getContent({
      owner: gh.owner,
      repo: gh.repo,
      path,
      ref,
      ...requestOptions(gh),
    }));
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
  if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
    throw new Error(`${path} on ${ref} is not a file`);
  if (data.encoding !== 'none') return { text: exactText(path, data.content, data.encoding, data.sha), sha: data.sha };
  // Over 1 MB: the same blob, by its sha, from the git database.
  const { data: blob } = await gh.octokit.rest.git.getBlob({
    owner: gh.owner,
    repo: gh.repo,
    file_sha: data.sha,
    ...requestOptions(gh),
  });
  return { text: exactText(path, blob.content, blob.encoding, data.sha), sha: data.sha };
}

export type WriteResult = { ok: true; commit: string } | { ok: false; conflict: true };

/**
 * GitHub refused the write because of the branch's rules (a ruleset or branch protection), not
 * because someone wrote first: trying again cannot help. GitHub answers 409 (or 422 for push
 * protection) with "Repository rule violations found" followed by each rule that blocked it.
 */
export class RuleViolation extends Error {
  readonly rules: string[];
  constructor(path: string, branch: string, rules: string[]) {
    super(
      `GitHub refused to write ${path} on ${branch}: ${rules.length ? rules.join(' ') : 'a rule of the branch blocks it'}`,
    );
    this.rules = rules;
  }
}

const RULE_VIOLATION = /^Repository rule violations found/i;

export function ruleViolationOf(error: unknown, path: string, branch: string): RuleViolation | null {
  const message = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message;
  if (typeof message !== 'string' || !RULE_VIOLATION.test(message)) return null;
  const rules = message
    .replace(RULE_VIOLATION, '')
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean);
  return new RuleViolation(path, branch, rules);
}

/** A refused write: a rule of the branch (thrown), or a conflict with another writer (returned). */
function refusal(error: unknown, path: string, branch: string): WriteResult {
  const status = statusOf(error);
  if (status !== 409 && status !== 422) throw error;
  const violation = ruleViolationOf(error, path, branch);
  if (violation) throw violation;
  return { ok: false, conflict: true };
}

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
    return refusal(error, path, gh.branch);
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
    return refusal(error, path, gh.branch);
  }
}
