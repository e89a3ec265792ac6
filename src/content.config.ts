import { createRequire } from 'node:module';
import { defineCollection } from 'astro:content';

/**
 * The site's content collections: posts and social drafts, read with Postgate's own schema and
 * release rule (src/site/collections.ts).
 *
 * Postgate's modules are loaded by Node itself (it runs TypeScript natively), not through Vite:
 * Vite would pass each of their ~30 files through its whole plugin pipeline on every build, which
 * measured ~0.3 s of a 2.5 s build of 100 posts. The price: `astro dev` does not reload them when
 * Postgate's own source changes (restart it); content changes reload as usual.
 */
const load = createRequire(import.meta.url);
const { collectionSources } = load('./site/collections.ts') as typeof import('./site/collections.ts');
const sources = collectionSources();

export const collections = {
  posts: defineCollection(sources.posts),
  social: defineCollection(sources.social),
};
