import type { Item } from '../core/item.ts';
import type { ReleasedFiles } from '../core/ledger.ts';
import { localBlobIds } from './local-blobs.ts';

/**
 * The bytes of each blog post as they are in the checkout (git blob ids of the post, its cover and
 * the files its body shows), for a release to bind. A post whose file cannot be read is left out: it
 * cannot be released.
 */
export function postFilesOf(root: string, items: readonly Item[]): Map<string, ReleasedFiles> {
  const files = new Map<string, ReleasedFiles>();
  for (const post of items) {
    if (post.kind !== 'post') continue;
    const shown = post.bodyImages.flatMap((image) => (image.path ? [image.path] : []));
    const bytes = postBytes(root, post.file, post.cover?.path ?? null, shown);
    if (bytes) files.set(post.id, bytes);
  }
  return files;
}

/**
 * One post's bytes, as a release binds them and the published site compares them
 * (src/site/post-bytes.ts): null when the post's file cannot be read. `images` is left out for a
 * post whose body shows no file, so its records read as they did before releases bound them.
 */
export function postBytes(
  root: string,
  file: string,
  coverPath: string | null,
  shown: readonly string[],
): ReleasedFiles | null {
  const blobs = localBlobIds(root, [file, ...(coverPath ? [coverPath] : []), ...shown]);
  const blob = blobs.get(file);
  if (!blob) return null;
  return {
    file,
    blob,
    coverBlob: coverPath ? (blobs.get(coverPath) ?? null) : null,
    ...(shown.length > 0 ? { images: Object.fromEntries(shown.map((path) => [path, blobs.get(path) ?? null])) } : {}),
  };
}
