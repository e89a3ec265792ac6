import { blueskyLinkSpans } from '../channels/bluesky-text.ts';
import { postSlugOf } from './post-slug.ts';
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

/** The site's own posts a text links to on Bluesky, in order: a link card is made from the first. */
export function linkedPosts(
  text: string,
  siteUrl: string,
  postsBySlug: ReadonlyMap<string, PostItem>,
): { url: string; post: PostItem }[] {
  const found: { url: string; post: PostItem }[] = [];
  // Only Bluesky makes cards: the links it finds, a bare domain pointing at https://<text> as its facet does.
  for (const link of blueskyLinkSpans(text)) {
    const href = /^https?:\/\//i.test(link.url) ? link.url : `https://${link.url}`;
    const slug = postSlugOf(href, siteUrl, false);
    const post = slug === null ? undefined : postsBySlug.get(slug);
    if (post) found.push({ url: href, post });
  }
  return found;
}
