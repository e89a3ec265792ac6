import { siteAddress, siteConfig } from './site-config.ts';
import { withBase } from './site-links.ts';
import type { SitePost } from './posts.ts';

/**
 * What a page says about itself to browsers, search engines and link previews: title,
 * description, canonical address, Open Graph and social-card tags.
 */
export interface PageMeta {
  /** The page's own title; the site's title is added after it. Omit for the home page. */
  title?: string;
  description?: string;
  /** Path from the site's root, with the base. */
  path: string;
  /** Set for a post. */
  post?: SitePost;
  /** Keep the page out of search engines (the 404 page, the preview). */
  noindex?: boolean;
}

export interface HeadTags {
  title: string;
  description: string;
  canonical: string;
  feed: string;
  sitemap: string;
  icon: string;
  og: { property: string; content: string }[];
  named: { name: string; content: string }[];
}

export function headTags(meta: PageMeta): HeadTags {
  const config = siteConfig();
  const address = siteAddress();
  const absolute = (path: string) => new URL(path, address.origin).href;
  const title = meta.title ? `${meta.title} · ${config.site.title}` : config.site.title;
  const description = meta.description ?? config.site.description;
  const canonical = absolute(meta.path);
  const post = meta.post;
  const og = [
    { property: 'og:type', content: post ? 'article' : 'website' },
    { property: 'og:site_name', content: config.site.title },
    { property: 'og:title', content: meta.title ?? config.site.title },
    { property: 'og:url', content: canonical },
    { property: 'og:locale', content: config.site.language.replace('-', '_') },
  ];
  if (description) og.push({ property: 'og:description', content: description });
  const named = [
    { name: 'twitter:card', content: post?.cover ? 'summary_large_image' : 'summary' },
    { name: 'twitter:title', content: meta.title ?? config.site.title },
  ];
  if (description) named.push({ name: 'twitter:description', content: description });
  if (post?.cover) {
    const cover = post.cover;
    og.push(
      { property: 'og:image', content: absolute(cover.path) },
      { property: 'og:image:type', content: cover.type },
      { property: 'og:image:alt', content: cover.alt },
    );
    if (cover.width && cover.height)
      og.push(
        { property: 'og:image:width', content: String(cover.width) },
        { property: 'og:image:height', content: String(cover.height) },
      );
    named.push(
      { name: 'twitter:image', content: absolute(cover.path) },
      { name: 'twitter:image:alt', content: cover.alt },
    );
  }
  if (post?.releasedAt)
    og.push({ property: 'article:published_time', content: new Date(post.releasedAt).toISOString() });
  for (const tag of post?.tags ?? []) og.push({ property: 'article:tag', content: tag.name });
  if (post) named.push({ name: 'author', content: post.author });
  return {
    title,
    description,
    canonical,
    feed: withBase('/rss.xml', address),
    sitemap: withBase('/sitemap-index.xml', address),
    icon: withBase('/favicon.svg', address),
    og,
    named,
  };
}
