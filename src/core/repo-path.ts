import { posix } from 'node:path';

/**
 * Resolves a path written in a content file against that file, inside the repository.
 * `./chart.png` is beside the file, `/images/chart.png` is from the repository root.
 * Returns null for anything that would leave the repository or is not a plain path.
 */
export function resolveRepoPath(fromFile: string, written: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(written) || written.includes('\\') || written.includes('\0')) return null;
  const joined = written.startsWith('/')
    ? posix.normalize(written.slice(1))
    : posix.join(posix.dirname(fromFile), written);
  if (joined === '..' || joined.startsWith('../') || posix.isAbsolute(joined) || joined === '.') return null;
  return joined;
}
