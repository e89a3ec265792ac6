import { findLinks } from './links.ts';
import type { PostItem } from './item.ts';

/**
 * A link card for a post that links to one of the site's own blog posts, made from that post's
 * title and description: nothing is fetched, and the card says what the post says.
 */
export interface LinkCardData {
  url: string;
  title: string;
  description: string;
}

export function linkCardFor(
  text: string,
  siteUrl: string,
  postsBySlug: ReadonlyMap<string, PostItem>,
): LinkCardData | null {
  let site: URL;
  try {
    site = new URL(siteUrl);
  } catch {
    return null;
  }
  const base = site.pathname.replace(/\/+$/, '');
  for (const link of findLinks(text)) {
    if (!link.hasScheme) continue;
    let url: URL;
    try {
      url = new URL(link.url);
    } catch {
      continue;
    }
    if (url.hostname.replace(/^www\./, '') !== site.hostname.replace(/^www\./, '')) continue;
    const m = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/posts/(.+?)/?$`).exec(url.pathname);
    const post = m ? postsBySlug.get(decodeURIComponent(m[1]!)) : undefined;
    if (post) return { url: link.url, title: post.title, description: post.description };
  }
  return null;
}
