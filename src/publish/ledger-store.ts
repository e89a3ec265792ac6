import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sentByAnother, takenByAnother } from '../core/ledger-claims.ts';
import { LEDGER_FILE, type LedgerRecord } from '../core/ledger.ts';
import { crashPoint } from './crash-points.ts';
import { withFileLock } from './file-lock.ts';
import { RUN_ID, RUNNER_TAG } from './this-runner.ts';

export { RUN_ID };

/**
 * Where ledger records go. Locally, the file in the working tree; on GitHub, a commit per record
 * (src/github/ledger-store.ts). Every record is durable before `append` resolves: the next request
 * is only made once the last one is on record, so a crash at any point loses nothing.
 */
/**
 * The record as a ledger line, stamped with this run; an attempt also with where it runs, so that
 * another run can tell a crashed run's open attempt from one still being sent (attempt-in-flight.ts).
 */
export function ledgerLine(record: LedgerRecord): string {
  return JSON.stringify({ ...record, run: RUN_ID, ...(record.type === 'attempt' ? { runner: RUNNER_TAG } : {}) });
}

export interface LedgerStore {
  append(record: LedgerRecord): Promise<void>;
  /**
   * Records an attempt, unless another run has claimed or sent the same part since this run read
   * the ledger: then it returns false and this run must not send that part.
   */
  claim(record: LedgerRecord): Promise<boolean>;
}

export class LocalLedgerStore implements LedgerStore {
  private readonly path: string;
  private readonly lock: string;
  private readonly ours = new Set<string>();
  private readonly knownAtStart: Set<string>;

  constructor(root: string) {
    this.path = join(root, LEDGER_FILE);
    this.lock = `${this.path}.lock`;
    this.knownAtStart = new Set(this.lines());
  }

  async append(record: LedgerRecord): Promise<void> {
    if (record.type !== 'sent') return this.writeOurs(ledgerLine(record));
    // A post another run found and recorded meanwhile is not recorded twice: checked under the lock, as a claim is.
    await this.appendUnless(record, (lines) => sentByAnother(lines, record, this.ours));
  }

  async claim(record: LedgerRecord): Promise<boolean> {
    return this.appendUnless(record, (lines) => takenByAnother(lines, record, this.ours, this.knownAtStart));
  }

  /** Check-then-append under a lock file beside the ledger (file-lock.ts says when it is stale); true when appended. */
  private appendUnless(record: LedgerRecord, taken: (lines: string[]) => boolean): Promise<boolean> {
    return withFileLock(this.lock, () => {
      if (taken(this.lines())) return false;
      this.writeOurs(ledgerLine(record));
      return true;
    });
  }

  private lines(): string[] {
    return existsSync(this.path) ? readFileSync(this.path, 'utf8').split('\n') : [];
  }

  private writeOurs(line: string): void {
    this.ours.add(line);
    this.write(line);
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
}
