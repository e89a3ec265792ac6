import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { getCollection, type CollectionEntry } from 'astro:content';
import { idFromPath } from '../core/item.ts';
import { MIME, sniffImageType } from '../core/media.ts';
import { parsePublishTime } from '../core/publish-time.ts';
import { releaseOf, releaseOrder, sortTime, type PreviewNotice, type SiteMode } from '../core/release.ts';
import { resolveRepoPath } from '../core/repo-path.ts';
import { readingMinutes, tagSlug } from './format.ts';
import { imageSize } from './image-size.ts';
import { siteAddress, siteConfig } from './site-config.ts';
import { siteCrisis, siteLedger } from './site-ledger.ts';
import { withBase } from './site-links.ts';

/**
 * The posts the site shows, through the release rule (src/core/release.ts): in the published
 * build those the ledger records as released, in the preview (`astro dev`) every post with a
 * notice. Newest first.
 */
export interface SitePost {
  entry: CollectionEntry<'posts'>;
  /** The Postgate id, as the ledger knows it. */
  id: string;
  slug: string;
  /** Path from the site's root, with the base: `/posts/<slug>/`. */
  path: string;
  title: string;
  description: string;
  tags: { name: string; slug: string }[];
  author: string;
  cover: Cover | null;
  /** When the ledger recorded its release; null in the preview for an unreleased post. */
  releasedAt: number | null;
  notice: PreviewNotice | null;
  minutes: number;
  sortAt: number;
}

export interface Cover {
  /** Repository-relative path of the image file. */
  file: string;
  /** Path from the site's root, with the base, where the site serves it. */
  path: string;
  /** The part of the address after `/media/`. */
  mediaPath: string;
  alt: string;
  type: string;
  width: number | null;
  height: number | null;
}

export const PAGE_SIZE = 10;

export function siteMode(): SiteMode {
  return import.meta.env.DEV ? 'preview' : 'production';
}

let cached: Promise<SitePost[]> | undefined;

/** Read once per build; the preview reads again on every request so a new release shows at once. */
export function sitePosts(): Promise<SitePost[]> {
  if (siteMode() === 'preview') return loadPosts('preview');
  cached ??= loadPosts('production');
  return cached;
}

async function loadPosts(mode: SiteMode): Promise<SitePost[]> {
  const config = siteConfig();
  const address = siteAddress();
  const [ledger, crisis] = await Promise.all([siteLedger(), mode === 'preview' ? siteCrisis() : null]);
  // Nothing released yet (a new site): no post can be shown, and Astro would warn about an empty collection.
  const entries = mode === 'production' && ledger.releasedAt.size === 0 ? [] : await getCollection('posts');
  const now = previewClock(config.site.timeZone);
  const posts: SitePost[] = [];
  for (const entry of entries) {
    const file = entry.filePath ?? `content/posts/${entry.id}.mdx`;
    const data = entry.data;
    const id = data.id ?? idFromPath(file);
    const ref = { id, draft: data.draft, publishAt: data.publishAt?.getTime() ?? null };
    const release = releaseOf(ref, { mode, now, releasedAt: ledger.releasedAt, crisis });
    if (!release.shown) continue;
    posts.push({
      entry,
      id,
      slug: entry.id,
      path: withBase(`/posts/${entry.id}/`, address),
      title: data.title,
      description: data.description,
      tags: data.tags.map((name) => ({ name, slug: tagSlug(name) })),
      author: data.author ?? config.site.author,
      cover: data.cover ? coverOf(entry.id, file, data.cover, mode) : null,
      releasedAt: release.releasedAt,
      notice: release.notice,
      minutes: readingMinutes(entry.body ?? ''),
      sortAt: sortTime(ref, release),
    });
  }
  return posts.sort(releaseOrder);
}

/** "Now" for the preview's notices: POSTGATE_NOW (read as the CLI reads it) or the system clock. */
function previewClock(timeZone: string): number {
  const raw = process.env.POSTGATE_NOW;
  if (!raw) return Date.now();
  const parsed = parsePublishTime(raw, timeZone);
  if (!parsed.ok) throw new Error(`POSTGATE_NOW: ${parsed.message}`);
  return parsed.epochMs;
}

function coverOf(slug: string, postFile: string, cover: { src: string; alt: string }, mode: SiteMode): Cover | null {
  const file = resolveRepoPath(postFile, cover.src);
  let bytes: Uint8Array | null = null;
  try {
    if (file !== null) bytes = readFileSync(join(process.cwd(), file));
  } catch {
    bytes = null;
  }
  const type = bytes ? sniffImageType(bytes.subarray(0, 256)) : null;
  if (file === null || bytes === null || type === null) {
    const problem = `${postFile}: the cover ${JSON.stringify(cover.src)} is not an image file inside the repository`;
    // A released post is published as written or not at all: the last deployment stays live.
    if (mode === 'production') throw new Error(`${problem} (npm run postgate -- check shows the details)`);
    console.warn(`[postgate] ${problem}; the preview shows the post without it`);
    return null;
  }
  const size = imageSize(bytes);
  const mediaPath = `${slug}/${basename(file)}`;
  return {
    file,
    path: withBase(`/media/${mediaPath}`, siteAddress()),
    mediaPath,
    alt: cover.alt,
    type: MIME[type],
    width: size?.width ?? null,
    height: size?.height ?? null,
  };
}

/** The tags of the shown posts, by slug, each with its posts (newest first). */
export function tagIndex(posts: readonly SitePost[]): Map<string, { name: string; posts: SitePost[] }> {
  const tags = new Map<string, { name: string; posts: SitePost[] }>();
  for (const post of posts) {
    for (const tag of post.tags) {
      let entry = tags.get(tag.slug);
      if (!entry) tags.set(tag.slug, (entry = { name: tag.name, posts: [] }));
      if (!entry.posts.includes(post)) entry.posts.push(post);
    }
  }
  return new Map([...tags].sort(([a], [b]) => a.localeCompare(b)));
}

export function pageCount(posts: readonly unknown[]): number {
  return Math.max(1, Math.ceil(posts.length / PAGE_SIZE));
}
