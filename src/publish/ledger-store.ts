import { randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { takenByAnother } from '../core/ledger-claims.ts';
import { LEDGER_FILE, type LedgerRecord } from '../core/ledger.ts';
import { crashPoint } from './crash-points.ts';

/**
 * Where ledger records go. Locally, the file in the working tree; on GitHub, a commit per record
 * (src/github/ledger-store.ts). Every record is durable before `append` resolves: the next request
 * is only made once the last one is on record, so a crash at any point loses nothing.
 */
/** This process's run id: GitHub's run id and attempt when there is one, and always a random part. */
export const RUN_ID = `${process.env.GITHUB_RUN_ID ? `${process.env.GITHUB_RUN_ID}.${process.env.GITHUB_RUN_ATTEMPT ?? 1}-` : ''}${randomUUID().slice(0, 8)}`;

/** The record as a ledger line, stamped with this run. */
export function ledgerLine(record: LedgerRecord): string {
  return JSON.stringify({ ...record, run: RUN_ID });
}

export interface LedgerStore {
  append(record: LedgerRecord): Promise<void>;
  /**
   * Records an attempt, unless another run has claimed or sent the same part since this run read
   * the ledger: then it returns false and this run must not send that part.
   */
  claim(record: LedgerRecord): Promise<boolean>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class LocalLedgerStore implements LedgerStore {
  private readonly path: string;
  private readonly lock: string;
  private readonly ours = new Set<string>();
  private readonly knownAtStart: Set<string>;

  constructor(root: string) {
    this.path = join(root, LEDGER_FILE);
    this.lock = `${this.path}.lock`;
    this.knownAtStart = new Set(existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n') : []);
  }

  async append(record: LedgerRecord): Promise<void> {
    const line = ledgerLine(record);
    this.ours.add(line);
    this.write(line);
  }

  async claim(record: LedgerRecord): Promise<boolean> {
    const line = ledgerLine(record);
    return this.withLock(() => {
      const lines = existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n') : [];
      if (takenByAnother(lines, record, this.ours, this.knownAtStart)) return false;
      this.ours.add(line);
      this.write(line);
      return true;
    });
  }

  private write(line: string): void {
    crashPoint(`before ledger write`);
    mkdirSync(dirname(this.path), { recursive: true });
    // One write of one line to a file opened for appending: two processes appending at once
    // interleave whole lines, never halves.
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${line}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    crashPoint(`after ledger write`);
  }

  /**
   * A lock file beside the ledger, for check-then-append. It holds its owner's process id: a lock
   * whose process is gone (a crashed run) is taken over at once; one older than 30 s, too.
   */
  private async withLock<T>(work: () => T): Promise<T> {
    mkdirSync(dirname(this.lock), { recursive: true });
    for (let tries = 0; ; tries++) {
      try {
        const fd = openSync(this.lock, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        try {
          const owner = Number(readFileSync(this.lock, 'utf8'));
          if (Date.now() - statSync(this.lock).mtimeMs > 30_000 || (owner > 0 && !isAlive(owner)))
            rmSync(this.lock, { force: true });
        } catch {
          // Gone already, or being written: try again.
        }
        if (tries > 1500) throw new Error(`the ledger is locked by another run (${this.lock})`);
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 10));
      }
    }
    try {
      return work();
    } finally {
      rmSync(this.lock, { force: true });
    }
  }
}
