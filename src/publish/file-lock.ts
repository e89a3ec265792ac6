import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/**
 * A lock file for a short check-then-write (a ledger claim takes milliseconds).
 *
 * Taken atomically: the owner is written to a temporary file of its own, which is then linked to
 * the lock's name; link() fails with EEXIST while another run holds it. So a lock file always
 * names its owner: a kill leaves at most a stray temporary file, never an empty lock.
 *
 * A lock is free at once when its owner cannot be alive: a process of this machine that is gone
 * (or has this very pid: we never hold the lock across an await, so it is a dead predecessor's,
 * as happens in containers where every run gets the same pid), or content that names no owner
 * once it is older than a second (only older versions, which created the lock before writing it,
 * or a power cut, can leave that). Any lock older than 30 s is free too: its owner hangs, or
 * its pid now belongs to another process.
 *
 * Ages never use Date.now(): the lock's mtime is compared with that of our own temporary file,
 * just written, both stamped by the file system's clock. A machine clock moved by libfaketime or
 * an NTP step (Date.now() shifted, file times not) cannot make a fresh lock look old, or an old
 * one fresh. As a backstop, a lock seen unchanged for 30 s of our own waiting is stale too.
 */
export const STALE_MS = 30_000;
/** How long a lock that names no owner may be mid-write (older versions wrote it in two steps). */
export const GRACE_MS = 1_000;
/** Waiting longer than any lock can stay valid means others keep taking it: give up. */
const GIVE_UP_MS = STALE_MS + 10_000;
const HOST = hostname();

interface Owner {
  pid: number;
  /** Null for a lock written by an older version: a bare pid, always of this machine. */
  host: string | null;
  token: string;
}

export async function withFileLock<T>(lock: string, work: () => T): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  const token = randomUUID();
  const content = `${JSON.stringify({ pid: process.pid, host: HOST, token })}\n`;
  // A dot-file beside the lock: the same file system (link() needs it), and out of sight.
  const temp = join(dirname(lock), `.${basename(lock)}.${token}`);
  const fd = openSync(temp, 'w');
  const started = performance.now();
  // The lock we have been watching (inode and mtime: inodes are reused), and since when.
  let seen = { id: '', since: 0 };
  try {
    for (;;) {
      // Rewritten on every try: the link takes its mtime, which must be the moment the lock is taken.
      writeSync(fd, content, 0);
      try {
        linkSync(temp, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = readLock(lock);
      if (held === null) continue; // released meanwhile: try again at once
      // "Now" by the file system's clock: our temporary file was written just before the link.
      const now = fstatSync(fd).mtimeMs;
      const id = `${held.ino}:${held.mtimeMs}`;
      if (seen.id !== id) seen = { id, since: performance.now() };
      const watched = performance.now() - seen.since;
      if (isFree(held.owner, now - held.mtimeMs, watched)) {
        breakLock(lock, temp, held.ino);
        continue;
      }
      if (performance.now() - started > GIVE_UP_MS)
        throw new Error(
          `the ledger is locked by another run: expected ${lock} to be released within ${GIVE_UP_MS / 1000} s, found it still held by ${describeOwner(held.owner)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 10));
    }
  } finally {
    closeSync(fd);
    rmSync(temp, { force: true });
  }
  try {
    return work();
  } finally {
    // Only our own lock: one taken over from us (had we hung for 30 s) belongs to its new owner.
    if (readLock(lock)?.owner?.token === token) rmSync(lock, { force: true });
  }
}

/** The lock as it is now (null if there is none): its owner (null if it names none), inode and mtime. */
function readLock(lock: string): { owner: Owner | null; ino: number; mtimeMs: number } | null {
  let fd: number;
  try {
    fd = openSync(lock, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const { ino, mtimeMs } = fstatSync(fd);
    return { owner: parseOwner(readFileSync(fd, 'utf8')), ino, mtimeMs };
  } finally {
    closeSync(fd);
  }
}

export function parseOwner(text: string): Owner | null {
  const trimmed = text.trim();
  if (/^[1-9]\d*$/.test(trimmed)) return { pid: Number(trimmed), host: null, token: '' };
  try {
    const owner = JSON.parse(trimmed) as Partial<Owner>;
    if (
      Number.isInteger(owner.pid) &&
      owner.pid! > 0 &&
      typeof owner.host === 'string' &&
      typeof owner.token === 'string'
    )
      return { pid: owner.pid!, host: owner.host, token: owner.token };
  } catch {
    // not JSON: names no owner
  }
  return null;
}

function isFree(owner: Owner | null, ageMs: number, watchedMs: number): boolean {
  if (ageMs > STALE_MS || watchedMs > STALE_MS) return true;
  if (owner === null) return ageMs > GRACE_MS || watchedMs > GRACE_MS;
  const here = owner.host === null || owner.host === HOST;
  return here && (owner.pid === process.pid || !isAlive(owner.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a lock judged free. It is first moved to a name of our own and checked to be the very
 * file judged: another waiter may have broken the same lock a moment earlier and taken a new one,
 * which must then be put back rather than lost.
 */
function breakLock(lock: string, temp: string, judged: number): void {
  const aside = `${temp}.stale`;
  try {
    renameSync(lock, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (statSync(aside).ino !== judged) linkSync(aside, lock);
  } catch {
    // Put back already, or taken by a third run since: the lock is held either way.
  } finally {
    rmSync(aside, { force: true });
  }
}

function describeOwner(owner: Owner | null): string {
  if (owner === null) return 'a lock file that names no owner';
  return `process ${owner.pid}${owner.host === null ? '' : ` on ${owner.host}`}`;
}
