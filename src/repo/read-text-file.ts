import { closeSync, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { LINK_REFUSED } from '../core/check-items.ts';
import type { Position } from '../core/problem.ts';

/**
 * Decodes a content file's bytes, refusing what is not text: a file saved in another encoding
 * would otherwise be published with garbled characters.
 */
export type Decoded = { ok: true; text: string } | { ok: false; at: Position; message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** True when `real` (a resolved path) lies outside `realRoot`. */
export function isOutside(realRoot: string, real: string): boolean {
  const inside = relative(realRoot, real);
  return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside);
}

/**
 * Reads and decodes a content file. What is not a readable file inside the repository (a folder
 * named `x.md`, a link to nowhere or out of the repository, a file it may not read) is a located
 * problem, not a crash; an oversized file is refused before it is read.
 */
export function readTextFile(path: string, realRoot: string, maxBytes: number, what: string, mayLink = true): Decoded {
  const START = { line: 1, col: 1 };
  try {
    // Resolving a path costs a system call per folder in it: done only for what may be a link.
    const real = mayLink ? realpathSync.native(path) : path;
    if (mayLink && isOutside(realRoot, real))
      return {
        ok: false,
        at: START,
        message: 'the file is a link to a file outside the repository; content must live in the repository',
      };
    if (mayLink && lstatSync(path).isSymbolicLink())
      return { ok: false, at: START, message: `the file ${LINK_REFUSED}` };
    const fd = openSync(real, 'r');
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile())
        return {
          ok: false,
          at: START,
          message: `this is a folder, not ${what}: rename it so that its name does not end in .md or .mdx`,
        };
      if (stat.size > maxBytes) return tooBig(stat.size, maxBytes, what);
      const bytes = new Uint8Array(stat.size);
      let read = 0;
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, read);
        if (n === 0) break;
        read += n;
      }
      return decodeTextFile(bytes.subarray(0, read), maxBytes, what);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, at: START, message: 'the file is a link to a file that does not exist' };
    if (code === 'EACCES' || code === 'EPERM')
      return { ok: false, at: START, message: 'the file cannot be read: permission denied' };
    return { ok: false, at: START, message: `the file cannot be read: ${code ?? String(error)}` };
  }
}

function tooBig(size: number, maxBytes: number, what: string): Decoded {
  return {
    ok: false,
    at: { line: 1, col: 1 },
    message: `the file is ${Math.ceil(size / 1024)} KB; ${what} may be at most ${maxBytes / 1024} KB`,
  };
}

export function decodeTextFile(bytes: Uint8Array, maxBytes: number, what: string): Decoded {
  if (bytes.length > maxBytes) return tooBig(bytes.length, maxBytes, what);
  if (bytes.length === 0)
    return {
      ok: false,
      at: { line: 1, col: 1 },
      message: 'the file is empty: it needs front matter between "---" lines and a text',
    };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {
      ok: false,
      at: { line: 1, col: 1 },
      message: 'the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8 in your editor',
    };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    return {
      ok: false,
      at: positionOf(bytes, nul),
      message: 'this is not a text file (it contains NUL bytes); save it as UTF-8 text',
    };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    const at = positionOf(bytes, firstInvalidUtf8(bytes));
    return {
      ok: false,
      at,
      message:
        'the file is not UTF-8 text; save it as UTF-8 in your editor (it looks like another encoding, e.g. Windows-1252 or Latin-1)',
    };
  }
}

function positionOf(bytes: Uint8Array, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  // Column in characters, so count only the lead bytes of what came before on the line.
  let col = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) col++;
  return { line, col };
}

/** Offset of the first byte that breaks UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}
