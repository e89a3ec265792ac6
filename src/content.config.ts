import { defineCollection } from 'astro:content';
import { postSchema, socialSchema } from './core/content-schema.ts';
import { siteConfig } from './site/site-config.ts';
import { strictGlob } from './site/strict-glob.ts';

/**
 * The site's content collections, built from the same schema as the CLI (src/core/content-schema.ts).
 */
const { timeZone } = siteConfig().site;

const posts = defineCollection({
  loader: strictGlob({ base: './content/posts', pattern: '**/[^_.]*.{md,mdx}' }),
  schema: postSchema({ timeZone }),
});

const social = defineCollection({
  loader: strictGlob({ base: './content/social', pattern: '**/[^_.]*.md' }),
  schema: socialSchema({ timeZone }),
});

export const collections = { posts, social };
