import { postSchema, socialSchema } from '../core/content-schema.ts';
import { slugFromPath } from '../core/item.ts';
import { siteCommand } from './integration.ts';
import { releasedPostFiles } from './release-select.ts';
import { siteConfig } from './site-config.ts';
import { strictGlob, type LoadPolicy } from './strict-glob.ts';

/**
 * The site's content collections (see src/content.config.ts), built from the same schema as the
 * CLI (src/core/content-schema.ts).
 *
 * What is loaded depends on the command (see src/site/strict-glob.ts):
 * - `astro build`, the published site: released posts only, as the ledger records them. Drafts,
 *   scheduled posts and social drafts are never read, so a broken one cannot stop a deployment.
 * - `astro dev`, the writers' preview: every post; a broken file is left out with an error.
 * - `astro sync` (part of `npm test`): every file, and any invalid one is an error, as in `check`.
 */
export function collectionSources() {
  const { timeZone } = siteConfig().site;
  const command = siteCommand();
  const postFrontMatter = postSchema({ timeZone });
  const postPolicy: LoadPolicy =
    command === 'build'
      ? { select: releasedPostFiles(postFrontMatter) }
      : command === 'dev'
        ? { skipInvalid: true }
        : {};
  // The site shows no social drafts: the published build does not read them at all.
  const socialPolicy: LoadPolicy =
    command === 'build' ? { select: () => [] } : command === 'dev' ? { skipInvalid: true } : {};
  return {
    posts: {
      // A post's entry id is its slug (the path under content/posts without extension), as in the publisher's URLs.
      loader: strictGlob(
        { base: './content/posts', pattern: '**/[^_.]*.{md,mdx}', generateId: ({ entry }) => slugFromPath(entry) },
        postPolicy,
      ),
      schema: postFrontMatter,
    },
    social: {
      loader: strictGlob({ base: './content/social', pattern: '**/[^_.]*.md' }, socialPolicy),
      schema: socialSchema({ timeZone }),
    },
  };
}
