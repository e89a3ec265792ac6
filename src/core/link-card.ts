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
  const first = linkedPosts(text, siteUrl, postsBySlug)[0];
  return first ? { url: first.url, title: first.post.title, description: first.post.description } : null;
}

/** The site's own posts a text links to (with a scheme), in order: a link card is made from the first. */
export function linkedPosts(
  text: string,
  siteUrl: string,
  postsBySlug: ReadonlyMap<string, PostItem>,
): { url: string; post: PostItem }[] {
  let site: URL;
  try {
    site = new URL(siteUrl);
  } catch {
    return [];
  }
  const base = site.pathname.replace(/\/+$/, '');
  const found: { url: string; post: PostItem }[] = [];
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
    if (post) found.push({ url: link.url, post });
  }
  return found;
}
