import { distance } from './suggest.ts';

/**
 * What counts as a CRISIS file: forgiving to write, strict to obey.
 *
 * Any entry at the root of the repository whose name is "crisis" in any case, with or without an
 * extension, and with stray whitespace around it (`CRISIS`, `Crisis`, `crisis.md`, `CRISIS.txt`,
 * `CRISIS `) stops everything: the person who made it in a hurry, from a phone, must not be
 * second-guessed. Names that look like a CRISIS but are not one (a misspelling, a CRISIS file in a
 * folder, a hidden `.CRISIS`) stop nothing, and are warned about wherever Postgate reports.
 */

/** The name `crisis on` writes. */
export const CRISIS_FILE = 'CRISIS';

// Whitespace a phone keyboard or a copy-paste leaves around a name: trim() plus zero-width ones.
const EDGES = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;

/** The name without surrounding whitespace and extension, lower-cased: `" CRISIS.md "` → `"crisis"`. */
function stemOf(name: string): string {
  const trimmed = name.replace(EDGES, '');
  const dot = trimmed.indexOf('.');
  return (dot === -1 ? trimmed : trimmed.slice(0, dot)).replace(EDGES, '').toLowerCase();
}

/** True when an entry with this name, at the root of the repository, is a CRISIS. */
export function isCrisisName(name: string): boolean {
  return stemOf(name) === 'crisis';
}

/** Why a root entry's name looks like CRISIS without being one, or null. */
function rootNearMiss(name: string): string | null {
  if (isCrisisName(name)) return null;
  const trimmed = name.replace(EDGES, '');
  if (trimmed.startsWith('.') && isCrisisName(trimmed.replace(/^\.+/, '')))
    return 'a hidden file named like CRISIS (it starts with a dot)';
  const stem = stemOf(name);
  const d = distance(stem, 'crisis');
  return d >= 1 && d <= 2 ? 'looks like a misspelled CRISIS' : null;
}

/** One entry of a repository's tree: a path relative to the root, with forward slashes. */
export interface TreeEntry {
  path: string;
  type: 'file' | 'dir';
}

/** Something named like CRISIS that stops nothing, and what to do about it. */
export interface CrisisNearMiss {
  path: string;
  message: string;
}

/** The root entries that are CRISIS files, the exact name first. */
export function crisisEntries<T extends { path: string; type: string }>(rootEntries: readonly T[]): T[] {
  return rootEntries
    .filter((e) => !e.path.includes('/') && isCrisisName(e.path))
    .sort(
      (a, b) =>
        Number(b.path === CRISIS_FILE) - Number(a.path === CRISIS_FILE) ||
        Number(b.type === 'file') - Number(a.type === 'file') ||
        (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
}

/**
 * Near misses among the entries of a tree: misspelled or hidden CRISIS names at the root, and files
 * named like CRISIS anywhere below it.
 */
export function crisisNearMisses(entries: Iterable<TreeEntry>): CrisisNearMiss[] {
  const found: CrisisNearMiss[] = [];
  for (const { path, type } of entries) {
    const segments = path.split('/');
    const name = segments.at(-1)!;
    if (segments.length === 1) {
      const why = rootNearMiss(name);
      if (why)
        found.push({
          path,
          message: `${why}: it stops nothing. To stop everything, name it CRISIS; otherwise rename or delete it`,
        });
    } else if (type === 'file' && isCrisisName(name)) {
      found.push({
        path,
        message:
          'a CRISIS file counts only at the root of the repository: this one stops nothing. To stop everything, put CRISIS at the root; otherwise rename or delete it',
      });
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One line for a person: `CRSIS: looks like a misspelled CRISIS: …`. */
export function nearMissLine(miss: CrisisNearMiss): string {
  return `${showPath(miss.path)}: ${miss.message}`;
}

/** A path as written, or quoted when whitespace around it would otherwise be invisible. */
export function showPath(path: string): string {
  return path.replace(EDGES, '') === path ? path : JSON.stringify(path);
}

/**
 * The reason in a CRISIS file: its first non-empty line, without a Markdown heading's `#` marks.
 * An empty file still means crisis.
 */
export function crisisReason(text: string): string {
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw
      .trim()
      .replace(/^#{1,6}(?=\s|$)/, '')
      .replace(/\s#+$/, '')
      .trim();
    if (line !== '') return line;
  }
  return 'no reason given';
}
