import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  crisisEntries,
  crisisNearMisses,
  crisisReason,
  type CrisisNearMiss,
  type TreeEntry,
} from '../core/crisis-name.ts';

export { CRISIS_FILE, crisisReason } from '../core/crisis-name.ts';

/**
 * CRISIS in the working tree: any root entry named like `CRISIS` (src/core/crisis-name.ts). Its
 * first line is the reason; an empty file still means crisis, because the person who made it in a
 * hurry must not be second-guessed.
 */
export interface LocalCrisis {
  /** The root entry that holds the reason (the first of them, when there are several). */
  path: string;
  /** Every root entry that is a CRISIS: all of them must go for the crisis to end. */
  paths: string[];
  reason: string;
}

/** The root directory's entries, as tree entries. */
async function rootEntries(root: string): Promise<TreeEntry[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries.map((e) => ({ path: e.name, type: e.isDirectory() ? 'dir' : 'file' }));
}

/** The CRISIS at the root of the working tree, or null. One directory listing, and one read when there is one. */
export async function readLocalCrisis(root: string): Promise<LocalCrisis | null> {
  const found = crisisEntries(await rootEntries(root));
  if (found.length === 0) return null;
  let reason = 'no reason given';
  for (const entry of found) {
    if (entry.type !== 'file') continue;
    try {
      reason = crisisReason(await readFile(join(root, entry.path), 'utf8'));
    } catch (error) {
      // Gone since the listing, or a link to nowhere: still a crisis, without a reason.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
    }
    if (reason !== 'no reason given') return { path: entry.path, paths: found.map((e) => e.path), reason };
  }
  return { path: found[0]!.path, paths: found.map((e) => e.path), reason };
}

/** The CRISIS reason in the working tree, or null. */
export async function readCrisisFile(root: string): Promise<string | null> {
  return (await readLocalCrisis(root))?.reason ?? null;
}

// Not searched for misplaced CRISIS files: tools' folders and what a build writes.
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.astro']);
const MAX_DEPTH = 8;

/**
 * Files named like CRISIS that stop nothing: misspelled at the root, or below it. Walks the working
 * tree (not node_modules, dist, nor hidden folders other than .github).
 */
export async function readLocalNearMisses(root: string): Promise<CrisisNearMiss[]> {
  const entries: TreeEntry[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let listing: Dirent[];
    try {
      listing = await readdir(join(root, dir), { withFileTypes: true });
    } catch (error) {
      if (depth > 0) return; // unreadable or gone: nothing to warn about there
      throw error;
    }
    const below: Promise<void>[] = [];
    for (const e of listing) {
      const path = dir === '' ? e.name : `${dir}/${e.name}`;
      const isDir = e.isDirectory();
      entries.push({ path, type: isDir ? 'dir' : 'file' });
      if (!isDir || depth >= MAX_DEPTH || SKIPPED.has(e.name)) continue;
      if (e.name.startsWith('.') && !(depth === 0 && e.name === '.github')) continue;
      below.push(walk(path, depth + 1));
    }
    await Promise.all(below);
  };
  await walk('', 0);
  return crisisNearMisses(entries);
}
