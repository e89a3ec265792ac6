import { realpathSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ItemFileKind } from '../core/read-item.ts';
import { isOutside } from './read-text-file.ts';

/**
 * Lists the content files: blog posts (`content/posts/**\/*.md|mdx`) and social drafts
 * (`content/social/**\/*.md`). Images and other files beside them are not content.
 */
export interface ContentFile {
  /** Repository-relative, forward slashes. */
  file: string;
  kind: ItemFileKind;
  /**
   * True unless the listing saw a plain file. Only these need their real path checked: a link
   * (or something the listing could not tell) can point outside the repository.
   */
  mayLink: boolean;
}

export interface Listing {
  files: ContentFile[];
  /** Files that look like content but will be ignored, e.g. `content/social/x.txt`. */
  ignored: string[];
}

const KINDS: { dir: string; kind: ItemFileKind; accept: RegExp }[] = [
  { dir: 'content/posts', kind: 'post', accept: /\.mdx?$/i },
  { dir: 'content/social', kind: 'social', accept: /\.md$/i },
];
const TEXTLIKE = /\.(md|mdx|markdown|mdown|txt)$/i;

export async function listContentFiles(root: string): Promise<Listing> {
  const files: ContentFile[] = [];
  const ignored: string[] = [];
  for (const { dir, kind, accept } of KINDS) {
    let entries: Dirent[];
    try {
      // A content folder that is itself a link is followed: readdir opens its target. Links inside
      // it are listed as links and not descended into.
      entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    // If the folder itself leads out of the repository, every file in it gets its real path checked.
    const folderOutside = isOutside(realpathSync.native(root), realpathSync.native(join(root, dir)));
    const listed = entries.map((entry) => ({
      entry,
      file: relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'),
    }));
    for (const { entry, file } of listed.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      if (file.split('/').some((segment) => segment.startsWith('.') || segment.startsWith('_'))) continue;
      if (accept.test(entry.name)) files.push({ file, kind, mayLink: folderOutside || !entry.isFile() });
      else if (TEXTLIKE.test(entry.name)) ignored.push(file);
    }
  }
  return { files, ignored };
}
