import { createHash } from 'node:crypto';
import type { Item, PostItem } from './item.ts';

/**
 * What an approval binds: the bytes that will go out. An approver's review on a commit approves
 * the git blobs of the item's file and of every file it sends (images, a post's cover) as they were
 * at that commit. At publish time the same blobs must be what is sent; anything else is "changed
 * after approval". The config values an item depends on are bound by the config's own approval.
 */
export interface Binding {
  /** Repository path → git blob id, or null when the file does not exist. */
  files: ReadonlyMap<string, string | null>;
}

/**
 * The files an item sends: its own file, then its images or, for a blog post, its cover and the files
 * its body shows (src/core/post-body-images.ts), then, for Bluesky, the blog post whose title and
 * description make its link card (shown for a post without images) and that post's cover, the card's
 * thumbnail. An announcement's card is its own post's, cover included.
 */
export function boundFiles(item: Item, cardFrom: (text: string) => PostItem | undefined = () => undefined): string[] {
  const refs =
    item.kind === 'social'
      ? item.images
      : item.kind === 'post'
        ? [...(item.cover ? [item.cover] : []), ...item.bodyImages]
        : [];
  const paths = [item.file, ...refs.map((r) => r.path).filter((p): p is string => p !== null)];
  const first = cardText(item);
  const card = first === undefined ? undefined : cardFrom(first);
  if (card) {
    paths.push(card.file);
    if (card.cover?.path) paths.push(card.cover.path);
  }
  return [...new Set(paths)];
}

/** The text Bluesky's link card is made from: the first part it gets, when it gets no image. */
function cardText(item: Item): string | undefined {
  if (item.kind === 'post' || (item.kind === 'social' && item.images.length > 0)) return undefined;
  if (!item.channels.includes('bluesky')) return undefined;
  return item.kind === 'announce'
    ? item.texts.bluesky?.text
    : (item.overrides.bluesky?.[0]?.text ?? item.parts[0]?.text);
}

/** Git's blob id of a file's bytes: what GitHub's contents and trees APIs call its `sha`. */
export function gitBlobId(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
