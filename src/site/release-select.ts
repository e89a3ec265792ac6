import { fileURLToPath } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { idFromPath } from '../core/item.ts';
import type { ReleasedFiles } from '../core/ledger.ts';
import { isReleased } from '../core/release.ts';
import { releaseChange, releaseChangeText } from '../core/release-change.ts';
import { readLocalCrisis } from '../repo/crisis-file.ts';
import type { CandidateFile } from './strict-glob.ts';
import { postBytesNow } from './post-bytes.ts';
import { siteConfig } from './site-config.ts';
import { siteLedger } from './site-ledger.ts';

/**
 * The published build's choice of post files: those the ledger records as released (the release
 * rule in src/core/release.ts). The rest are not even compiled; a broken one among them is named
 * in the build log, so nobody is surprised when it is fixed and released later.
 */
interface Validator {
  safeParse(
    data: unknown,
  ):
    | { success: true }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

export function releasedPostFiles(schema: Validator) {
  return async (files: CandidateFile[], context: LoaderContext): Promise<string[]> => {
    const root = fileURLToPath(context.config.root);
    // Everything stops in a crisis, the blog included: no build, so no deployment; the last one stays.
    const crisis = await readLocalCrisis(root);
    if (crisis)
      throw new Error(
        `CRISIS is on (${crisis.path}: ${crisis.reason}): the site is not built or deployed while it is; the last deployment stays live. Remove it to publish again.`,
      );
    const { releasedAt, releasedFiles } = await siteLedger(root);
    const idOf = ({ file, frontMatter }: CandidateFile) =>
      typeof frontMatter?.id === 'string' ? frontMatter.id : idFromPath(file);
    const duplicates = duplicateIds(files, idOf);
    if (duplicates.length)
      throw new Error(
        `two post files claim the same id, so the site cannot tell which one was released: ${duplicates.join('; ')}. Give each its own id (npm run postgate -- check names them too).`,
      );
    const kept: string[] = [];
    let held = 0;
    for (const candidate of files) {
      const { file, frontMatter } = candidate;
      const id = idOf(candidate);
      const changed = isReleased(id, releasedAt) ? changedSinceRelease(root, candidate, releasedFiles.get(id)) : null;
      if (changed) {
        held++;
        context.logger.warn(`${file} (${id}) is left out of the site: ${changed}.`);
        continue;
      }
      if (isReleased(id, releasedAt)) {
        kept.push(file);
        continue;
      }
      held++;
      const problem = frontMatter === null ? 'its front matter cannot be read' : firstIssue(schema, frontMatter);
      if (problem)
        context.logger.warn(
          `${file} is not released and has errors (${problem}); it is left out of the site. npm run postgate -- check shows every problem.`,
        );
    }
    context.logger.info(
      `${kept.length} released post${kept.length === 1 ? '' : 's'} on the site; ${held} not released yet (drafts, scheduled, held) left out`,
    );
    return kept;
  };
}

function firstIssue(schema: Validator, data: unknown): string | null {
  const result = schema.safeParse(data);
  if (result.success) return null;
  const issue = result.error.issues[0];
  if (!issue) return 'invalid front matter';
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

function duplicateIds(files: CandidateFile[], idOf: (file: CandidateFile) => string): string[] {
  const byId = new Map<string, string[]>();
  for (const file of files) byId.set(idOf(file), [...(byId.get(idOf(file)) ?? []), file.file]);
  return [...byId].filter(([, paths]) => paths.length > 1).map(([id, paths]) => `${id} (${paths.join(', ')})`);
}

/**
 * Why a released post cannot be shown as it is now, or null: the site shows exactly the bytes a
 * release bound, the post's file, its cover and the files its body shows (the rule in
 * src/core/release-change.ts, as the publisher applies it). A release recorded before releases bound
 * bytes has nothing to compare with, so it is not shown either (an edit nobody approved could be
 * live); the publisher binds it, once the post as it is now is approved, at its next run.
 */
function changedSinceRelease(root: string, candidate: CandidateFile, bound: ReleasedFiles | undefined): string | null {
  const edit = 'the publisher releases it again once the edit is approved';
  const asItIs = 'the publisher releases it again once it is approved as it is';
  if (!bound) return `its release was recorded before releases named their bytes; ${asItIs}`;
  const now = postBytesNow(root, candidate, siteConfig().site.url);
  if (!now) return `it cannot be read; ${edit}`;
  const change = releaseChange(bound, now);
  if (change === null) return null;
  return `${releaseChangeText(change)}; ${change.kind === 'images-unbound' ? asItIs : edit}`;
}
