import { requestOptions, statusOf, type GitHubRepo } from './client.ts';

/**
 * The preview's one comment on a pull request: found again on every run and updated in place, so a
 * pull request pushed to ten times still has one comment, not ten. It is found by who wrote it (the
 * token's own identity) and by a hidden marker: anyone can write the marker into a comment, and a
 * contributor who did so first must neither hide the real preview nor have it written into theirs.
 */
export const PREVIEW_MARKER = '<!-- postgate-preview -->';

/** Who GitHub Actions' own token writes as. */
export const ACTIONS_BOT = 'github-actions[bot]';

/** GitHub refuses comments over 65,536 characters; leave room for the marker and the note. */
const MAX_COMMENT = 65_000;

export type CommentResult =
  | { kind: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  /** The token may not write here (a pull request from a fork gets a read-only token). */
  | { kind: 'read-only'; status: number; message: string };

/** The comment's text: the marker, then the preview, cut at an item when it is too long for a comment. */
export function commentBody(markdown: string, fullPreviewUrl: string | null): string {
  const whole = `${PREVIEW_MARKER}\n${markdown.trimEnd()}\n`;
  if (whole.length <= MAX_COMMENT) return whole;
  const where = fullPreviewUrl ? `the [job summary](${fullPreviewUrl})` : 'the job summary';
  const note = `\n\n> [!NOTE]\n> The preview is too long for one comment; the rest is in ${where}.\n`;
  const room = MAX_COMMENT - note.length;
  const cut = whole.lastIndexOf('\n### ', room);
  return `${whole.slice(0, cut > 0 ? cut : room).trimEnd()}${note}`;
}

/** `marker` tells this comment from the token's others on the pull request (a share kit's names its item). */
export async function upsertPreviewComment(
  gh: GitHubRepo,
  pullNumber: number,
  body: string,
  marker = PREVIEW_MARKER,
): Promise<CommentResult> {
  const target = { owner: gh.owner, repo: gh.repo, issue_number: pullNumber };
  try {
    const comments = await gh.octokit.paginate(gh.octokit.rest.issues.listComments, {
      ...target,
      per_page: 100,
      ...requestOptions(gh),
    });
    const me = (await tokenLogin(gh)).toLowerCase();
    // Ours: written by this token's identity, and starting with the marker (a reply quoting it starts with "> ").
    const mine = comments.find(
      (c) => c.user?.login.toLowerCase() === me && (c.body ?? '').trimStart().startsWith(marker),
    );
    if (mine && mine.body === body) return { kind: 'unchanged', id: mine.id, url: mine.html_url };
    if (mine) {
      const { data } = await gh.octokit.rest.issues.updateComment({
        owner: gh.owner,
        repo: gh.repo,
        comment_id: mine.id,
        body,
        ...requestOptions(gh),
      });
      return { kind: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await gh.octokit.rest.issues.createComment({ ...target, body, ...requestOptions(gh) });
    return { kind: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404)
      return { kind: 'read-only', status, message: (error as Error).message.split('\n')[0] ?? '' };
    throw error;
  }
}

/**
 * The login this token writes comments as. A person's token says who it is at `GET /user`; the
 * token GitHub Actions gives a workflow is an app's installation token, which may not read
 * `/user` (403) and writes as github-actions[bot].
 */
export async function tokenLogin(gh: GitHubRepo): Promise<string> {
  try {
    const { data } = await gh.octokit.rest.users.getAuthenticated(requestOptions(gh));
    return data.login;
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || status === 404) return ACTIONS_BOT;
    throw error;
  }
}
