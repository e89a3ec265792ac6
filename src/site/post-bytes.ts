import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeText, readFrontMatter } from '../core/front-matter.ts';
import { slugFromPath } from '../core/item.ts';
import type { ReleasedFiles } from '../core/ledger.ts';
import { postBodyImages } from '../core/post-body-images.ts';
import { resolveRepoPath } from '../core/repo-path.ts';
import { postBytes } from '../repo/post-files.ts';
import type { CandidateFile } from './strict-glob.ts';

/**
 * A post file's bytes as the build finds them, in the shape a release binds them: its file, its cover
 * and the files its body shows, found the way the publisher finds them (the same front matter
 * reader, src/core/post-body-images.ts, and src/repo/post-files.ts's blob ids: a symbolic link or a
 * folder is a blob no release names). Null when the file cannot be read: it matches no release.
 */
export function postBytesNow(root: string, candidate: CandidateFile, siteUrl: string): ReleasedFiles | null {
  const { file, frontMatter } = candidate;
  const cover = frontMatter?.cover;
  const src = typeof cover === 'string' ? cover : (cover as { src?: unknown } | undefined)?.src;
  const coverPath = typeof src === 'string' ? resolveRepoPath(file, src) : null;
  return postBytes(root, file, coverPath, bodyImagePaths(root, file, siteUrl));
}

function bodyImagePaths(root: string, file: string, siteUrl: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch {
    return [];
  }
  const front = readFrontMatter(normalizeText(text));
  if (!front.ok) return [];
  const { body, bodyLine } = front.value;
  return postBodyImages({ file, slug: slugFromPath(file), body, bodyLine, siteUrl }).flatMap((image) =>
    image.path ? [image.path] : [],
  );
}
