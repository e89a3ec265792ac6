import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitBlobId } from '../core/approval-binding.ts';

/**
 * The git blob ids of files in the checkout: what would go out, to compare with what was approved.
 * A missing file is null; a symbolic link is never followed (its target can change while the link
 * stays the same), and reads as a blob no approval can match; so does a folder (a post's HTML can
 * name one, `<img src="/">`), which must hold that post, not stop the run.
 */
export function localBlobIds(root: string, paths: readonly string[]): Map<string, string | null> {
  const ids = new Map<string, string | null>();
  for (const path of paths) {
    const full = join(root, path);
    try {
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) ids.set(path, `symbolic link ${path}`);
      else if (!stat.isFile()) ids.set(path, `not a file: ${path}`);
      else ids.set(path, gitBlobId(readFileSync(full)));
    } catch (error) {
      // ENOTDIR: a path through a file (`post.mdx/x.png`) names nothing, like a missing one.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      ids.set(path, null);
    }
  }
  return ids;
}
