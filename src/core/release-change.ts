import type { ReleasedFiles } from './ledger.ts';

/**
 * What differs between the bytes a blog release bound and the post's bytes now, or null when they
 * are the same: the one rule the publisher (src/core/plan.ts, which releases an approved change
 * again) and the published site (src/site/release-select.ts, which leaves a changed post out) share.
 *
 * The files a body shows are compared as a whole: the paths the release bound must be the paths the
 * post shows now, each with its bytes. A release that bound none (written before releases bound
 * them) matches only a post that shows none.
 */
export type ReleaseChange =
  | { kind: 'file'; released: string }
  | { kind: 'post' }
  | { kind: 'cover' }
  | { kind: 'images-unbound' }
  | { kind: 'image'; path: string };

export function releaseChange(bound: ReleasedFiles, now: ReleasedFiles): ReleaseChange | null {
  if (bound.file !== now.file) return { kind: 'file', released: bound.file };
  if (bound.blob !== now.blob) return { kind: 'post' };
  if (bound.coverBlob !== now.coverBlob) return { kind: 'cover' };
  const shown = Object.entries(now.images ?? {});
  if (bound.images === undefined) return shown.length === 0 ? null : { kind: 'images-unbound' };
  const released = bound.images;
  for (const [path, blob] of shown)
    if (!Object.hasOwn(released, path) || released[path] !== blob) return { kind: 'image', path };
  const gone = Object.keys(released).find((path) => !Object.hasOwn(now.images ?? {}, path));
  return gone === undefined ? null : { kind: 'image', path: gone };
}

/** The change in words, for the site's log and the owner's queue: "its cover has changed since it was released". */
export function releaseChangeText(change: ReleaseChange): string {
  switch (change.kind) {
    case 'file':
      return `it is not the file that was released (${change.released})`;
    case 'post':
      return 'it has changed since it was released';
    case 'cover':
      return 'its cover has changed since it was released';
    case 'image':
      return `an image it shows (${change.path}) has changed since it was released`;
    case 'images-unbound':
      return 'its release was recorded before releases named the bytes of the images it shows';
  }
}
