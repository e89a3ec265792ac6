import { formatDuration } from './duration.ts';
import type { Item } from './item.ts';
import type { LedgerSummary } from './ledger.ts';
import { SOCIAL_CHANNEL_IDS, SOCIAL_RULES } from './channels.ts';
import { postSlugOf } from './post-slug.ts';
import { escapeText, inlineCode, localTime, relativeTime, WEEKDAY_NAMES, weekdayOf } from './preview-format.ts';
import { wallTimeAt } from './time-zone.ts';

/**
 * What a reviewer should look at twice: links to the site's own posts that will not work when the
 * item goes out, times in the past, and times when nobody reads (or answers replies). Each warning
 * is one line of Markdown, with whatever the writer typed escaped.
 */
export interface SitePost {
  id: string;
  slug: string;
  title: string;
  description: string;
  /** When it is (or will be) on the site; null: a draft, never by itself. */
  liveAt: number | null;
  released: boolean;
}

/** The posts the site will have once the pull request is merged, and from when. */
export function sitePostsOf(items: readonly Item[], ledger: LedgerSummary): Map<string, SitePost> {
  const posts = new Map<string, SitePost>();
  for (const item of items) {
    if (item.kind !== 'post') continue;
    const releasedAt = ledger.releasedAt.get(item.id);
    const liveAt = releasedAt ?? (item.draft ? null : item.publishAt);
    posts.set(item.slug, {
      id: item.id,
      slug: item.slug,
      title: item.title,
      description: item.description,
      liveAt,
      released: releasedAt !== undefined,
    });
  }
  return posts;
}

export interface PostLink {
  url: string;
  slug: string;
}

/** Links in a social text that lead to one of the site's posts (`https://example.org/posts/<slug>/`). */
export function postLinksInText(text: string, siteUrl: string): PostLink[] {
  // A link any network makes clickable counts: the warning is about where readers can go.
  const urls = new Set(SOCIAL_CHANNEL_IDS.flatMap((c) => SOCIAL_RULES[c].linkSpans(text).map((l) => l.url)));
  return [...urls].flatMap((url) => {
    const slug = postSlugOf(/^https?:\/\//i.test(url) ? url : `https://${url}`, siteUrl, false);
    return slug === null ? [] : [{ url, slug }];
  });
}

/** Links in a post's Markdown/MDX body: `[text](/posts/x/)`, `href="/posts/x/"`, or the full address. */
export function postLinksInBody(body: string, siteUrl: string): PostLink[] {
  const links: PostLink[] = [];
  for (const m of body.matchAll(/\]\(\s*<?([^)\s>]+)|href\s*=\s*["'{]\s*["']?([^"'\s}]+)/g)) {
    const href = m[1] ?? m[2]!;
    const relative = href.startsWith('/') && !href.startsWith('//');
    if (!relative && !/^https?:\/\//i.test(href)) continue;
    const slug = postSlugOf(relative ? new URL(href, siteUrl).href : href, siteUrl, relative);
    if (slug !== null) links.push({ url: href, slug });
  }
  return links;
}

/** Warnings for links to posts that do not exist, are drafts, or go live after `at`. */
export function linkWarnings(
  links: readonly PostLink[],
  at: number | null,
  posts: ReadonlyMap<string, SitePost>,
  zone: string,
): string[] {
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const { url, slug } of links) {
    if (seen.has(slug)) continue;
    seen.add(slug);
    const post = posts.get(slug);
    if (!post)
      warnings.push(
        `links to ${inlineCode(url)}, but the site has no post ${inlineCode(slug)} (no content/posts/${escapeText(slug)}.mdx or .md): the link leads nowhere`,
      );
    else if (post.liveAt === null)
      warnings.push(
        `links to ${inlineCode(url)}, but that post is a draft: the link leads nowhere until it is published`,
      );
    else if (at !== null && post.liveAt > at) {
      const gap = relativeTime(post.liveAt, at).replace(/^in /, '');
      warnings.push(
        `links to ${inlineCode(url)}, but that post goes live only at ${localTime(post.liveAt, zone)}, ${gap} after this: the link leads nowhere until then`,
      );
    }
  }
  return warnings;
}

/** A time in the past, and times at the weekend or at night in the site's zone. */
export function timingWarnings(
  at: number,
  now: number,
  zone: string,
  staleAfterMs: number | null,
  what: 'post' | 'social',
): string[] {
  const warnings: string[] = [];
  if (at < now) {
    const ago = relativeTime(at, now);
    if (staleAfterMs !== null && now - at > staleAfterMs) {
      warnings.push(
        `the publish time is in the past (${ago}), beyond its ${formatDuration(staleAfterMs)} window: it will not be sent at all (stale); choose a time to come`,
      );
    } else {
      warnings.push(
        `the publish time is in the past (${ago}): ${what === 'post' ? 'the post goes live' : 'it goes out'} at the first publish run after merging`,
      );
    }
  }
  const day = weekdayOf(at, zone);
  const { hour, minute } = wallTimeAt(zone, at);
  const weekend = day === 0 || day === 6;
  const night = hour < 7 || hour >= 21;
  if (weekend || night) {
    const when = [weekend ? 'at the weekend' : '', night ? 'at night (before 07:00 or from 21:00)' : '']
      .filter(Boolean)
      .join(' and ');
    const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    warnings.push(
      `goes out on a ${WEEKDAY_NAMES[day]} at ${time} (${zone}): ${when}, when fewer people read and nobody may be there to answer; is that intended?`,
    );
  }
  return warnings;
}
