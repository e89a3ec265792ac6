import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { renderPreview } from '../core/preview.ts';
import { redFlags } from '../core/preview-flags.ts';
import { githubFromEnv } from '../github/client.ts';
import { commentBody, upsertPreviewComment } from '../github/pr-comment.ts';
import { changedItems } from '../repo/changed-items.ts';
import { loadConfig } from '../repo/load-config.ts';
import { parseCommandArgs } from './args.ts';
import { resolveNow } from './clock.ts';
import { EXIT, type Command, type Io } from './command.ts';

export const previewCommand: Command = {
  name: 'preview',
  usage: `Usage: postgate preview [--base REF] [--files-from DIR] [--now ISO] [--comment [--pr N]] [--output FILE]

Prints, as Markdown, what this branch publishes compared with its base: for every post and social
draft it adds, edits or removes, when it goes out (site time zone, UTC, and "in 3 days"), where,
the exact text each network gets with its length against the limit, thread parts, images with
their alt text, what an edit changes, and warnings to read before approving (links to posts that
do not exist yet, times in the past, at night or at the weekend, problems check finds).
At the top, in red: every change outside content/ (code, workflows, packages, config, code
owners) and to the ledger, each with why it matters; a config change that weakens a gate is named.

Options:
  --base REF        compare with this branch or commit (default: origin/$GITHUB_BASE_REF on GitHub
                    Actions, else origin/main, else main)
  --files-from DIR  read the pull request's files (its content, its config and its git history)
                    from DIR, a checkout of it, instead of the current directory. The code that
                    reads them stays this one: the review workflow runs the base branch's Postgate
                    over a checkout of the pull request, so a pull request cannot change what its
                    own preview says
  --now ISO         the moment times are counted from (default: POSTGATE_NOW, or the clock)
  --comment         also put it in one comment on the pull request, updated in place on every run
  --pr N            the pull request to comment on (default: from the event in GITHUB_EVENT_PATH)
  --output FILE     also write it to FILE
  -h, --help        show this help

Environment:
  GITHUB_STEP_SUMMARY   when set (GitHub Actions), the preview is appended there too
  GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL   for --comment; a read-only token (pull
                        requests from forks) leaves the preview in the job summary only. The
                        comment is found by the token's own identity and a marker: a comment
                        someone else wrote with the marker in it is never taken for it

Exit status: 0 (problems in the content are shown, not failed on: check does that), 1 git or the
repository could not be read, 2 wrong usage.`,

  async run(args, io) {
    const { values } = parseCommandArgs('preview', args, {
      base: { type: 'string' },
      'files-from': { type: 'string' },
      now: { type: 'string' },
      comment: { type: 'boolean' },
      pr: { type: 'string' },
      output: { type: 'string' },
    });
    if (values.help) {
      io.out(this.usage);
      return EXIT.ok;
    }
    if (values.pr !== undefined && !values.comment) throw new UsageError('preview: --pr goes with --comment');
    // Asked for a comment without a pull request to put it on: say so before any work.
    const pullNumber = values.comment ? pullRequestNumber(values.pr, io) : null;

    const root = filesFrom(values['files-from'], io.cwd);

    const config = await loadConfig(root);
    const now = resolveNow(values.now, io.env, config.site.timeZone);
    const set = await changedItems(root, io.env, values.base);
    if (set.uncommitted.length) {
      const some = set.uncommitted.slice(0, 3).join(', ') + (set.uncommitted.length > 3 ? ', ...' : '');
      io.err(
        `preview: ${set.uncommitted.length === 1 ? 'a content file has' : `${set.uncommitted.length} content files have`} uncommitted changes (${some}); the preview lists what is committed: commit them to see them here`,
      );
    }
    const markdown = renderPreview({
      changes: set.changes,
      config: set.repo.config,
      now,
      items: set.repo.items,
      ledger: set.ledger,
      base: set.base,
      flags: redFlags({
        paths: set.paths,
        configBefore: set.baseConfig,
        configAfter: set.repo.config,
        ...(set.ledgerEdit ? { ledger: set.ledgerEdit } : {}),
      }),
    });

    io.out(markdown);
    if (values.output) writeFileSync(values.output, `${markdown}\n`);
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) appendFileSync(summary, `${markdown}\n`);
    if (pullNumber !== null) await comment(pullNumber, markdown, io, summary ? 'the job summary' : 'the output above');
    return EXIT.ok;
  },
};

/** The folder holding the pull request's files: --files-from (relative to the current directory), else the current directory. */
function filesFrom(flag: string | undefined, cwd: string): string {
  if (flag === undefined) return cwd;
  if (flag === '' || flag.startsWith('-'))
    throw new UsageError(
      `preview: --files-from expects a folder holding a checkout of the pull request, e.g. --files-from pr; received "${flag}"`,
    );
  const dir = resolve(cwd, flag);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(
      `preview: --files-from names ${dir}, which is not a folder; check out the pull request there first`,
    );
  return dir;
}

/** --pr, or the pull request of the GitHub Actions event that started this run. */
function pullRequestNumber(flag: string | undefined, io: Io): number {
  if (flag !== undefined) {
    if (!/^[1-9]\d*$/.test(flag))
      throw new UsageError(`preview: --pr expects a pull request number, e.g. --pr 12; received "${flag}"`);
    return Number(flag);
  }
  const path = io.env.GITHUB_EVENT_PATH;
  if (!path)
    throw new UsageError(
      'preview: --comment needs the pull request: --pr N, or GITHUB_EVENT_PATH (set by GitHub Actions on pull_request events)',
    );
  let event: { pull_request?: { number?: unknown }; number?: unknown };
  try {
    event = JSON.parse(readFileSync(path, 'utf8')) as typeof event;
  } catch (error) {
    throw new UsageError(
      `preview: could not read the event in GITHUB_EVENT_PATH (${path}): ${(error as Error).message}`,
    );
  }
  const number = event.pull_request?.number ?? event.number;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new UsageError(
      `preview: the event in GITHUB_EVENT_PATH is not a pull request (no pull_request.number); run this on pull_request events, or pass --pr N`,
    );
  }
  return number;
}

async function comment(pullNumber: number, markdown: string, io: Io, fallback: string): Promise<void> {
  const gh = githubFromEnv(io.env);
  if (!gh) {
    io.err(`preview: no GITHUB_TOKEN, so no comment on pull request #${pullNumber}; the preview is in ${fallback}`);
    return;
  }
  const runUrl = io.env.GITHUB_RUN_ID
    ? `${(io.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')}/${gh.owner}/${gh.repo}/actions/runs/${io.env.GITHUB_RUN_ID}`
    : null;
  try {
    const result = await upsertPreviewComment(gh, pullNumber, commentBody(markdown, runUrl));
    if (result.kind === 'read-only') {
      io.err(
        `preview: this token may not comment on pull request #${pullNumber} (${result.status}: ${result.message}); pull requests from forks get a read-only token. The preview is in ${fallback}.`,
      );
    } else {
      const done = { created: 'created', updated: 'updated', unchanged: 'already up to date' }[result.kind];
      io.err(`preview: comment ${done} on pull request #${pullNumber}: ${result.url}`);
    }
  } catch (error) {
    // The preview itself is done and shown; a comment that could not be written does not fail the review.
    io.err(
      `preview: could not write the comment on pull request #${pullNumber} (${(error as Error).message.split('\n')[0]}); the preview is in ${fallback}`,
    );
  }
}
