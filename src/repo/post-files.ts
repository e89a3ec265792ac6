import type { Item } from '../core/item.ts';
import type { ReleasedFiles } from '../core/ledger.ts';
import { localBlobIds } from './local-blobs.ts';

/**
 * The bytes of each blog post as they are in the checkout (git blob ids of the post and its cover),
 * for a release to bind and for the site to compare with. A post whose file cannot be read is left
 * out: it cannot be released.
 */
export function postFilesOf(root: string, items: readonly Item[]): Map<string, ReleasedFiles> {
  const posts = items.filter((i) => i.kind === 'post');
  const paths = posts.flatMap((p) => [p.file, ...(p.cover?.path ? [p.cover.path] : [])]);
  const blobs = localBlobIds(root, paths);
  const files = new Map<string, ReleasedFiles>();
  for (const post of posts) {
    const blob = blobs.get(post.file);
    if (!blob) continue;
    const coverBlob = post.cover?.path ? (blobs.get(post.cover.path) ?? null) : null;
    files.set(post.id, { file: post.file, blob, coverBlob });
  }
  return files;
}
