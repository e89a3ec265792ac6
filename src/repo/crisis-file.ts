import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The CRISIS file in the working tree. Its first line is the reason; an empty file still means
 * crisis, because the person who made it in a hurry must not be second-guessed.
 */
export const CRISIS_FILE = 'CRISIS';

export function crisisReason(text: string): string {
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .find((l) => l.trim() !== '');
  return first?.trim() || 'no reason given';
}

export async function readCrisisFile(root: string): Promise<string | null> {
  try {
    return crisisReason(await readFile(join(root, CRISIS_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
