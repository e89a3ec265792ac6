import { fileURLToPath } from 'node:url';
import type { LoaderContext } from 'astro/loaders';
import { idFromPath } from '../core/item.ts';
import { isReleased } from '../core/release.ts';
import type { CandidateFile } from './strict-glob.ts';
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
    const { releasedAt } = await siteLedger(fileURLToPath(context.config.root));
    const kept: string[] = [];
    let held = 0;
    for (const { file, frontMatter } of files) {
      const id = typeof frontMatter?.id === 'string' ? frontMatter.id : idFromPath(file);
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
