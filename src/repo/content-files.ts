import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ItemFileKind } from '../core/read-item.ts';

/**
 * Lists the content files: blog posts (`content/posts/**\/*.md|mdx`) and social drafts
 * (`content/social/**\/*.md`). Images and other files beside them are not content.
 */
export interface ContentFile {
  /** Repository-relative, forward slashes. */
  file: string;
  kind: ItemFileKind;
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
    let entries: string[];
    try {
      entries = await readdir(join(root, dir), { recursive: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    for (const entry of entries.sort()) {
      const file = relative(root, join(root, dir, entry)).split(sep).join('/');
      if (file.split('/').some((segment) => segment.startsWith('.') || segment.startsWith('_'))) continue;
      if (accept.test(entry)) files.push({ file, kind });
      else if (TEXTLIKE.test(entry)) ignored.push(file);
    }
  }
  return { files, ignored };
}
