import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitBlobId } from '../core/approval-binding.ts';

/**
 * The git blob ids of files in the checkout: what would go out, to compare with what was approved.
 * A missing file is null; a symbolic link is never followed (its target can change while the link
 * stays the same), and reads as a blob no approval can match.
 */
export function localBlobIds(root: string, paths: readonly string[]): Map<string, string | null> {
  const ids = new Map<string, string | null>();
  for (const path of paths) {
    const full = join(root, path);
    try {
      ids.set(path, lstatSync(full).isSymbolicLink() ? `symbolic link ${path}` : gitBlobId(readFileSync(full)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      ids.set(path, null);
    }
  }
  return ids;
}
