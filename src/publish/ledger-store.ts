import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LEDGER_FILE, type LedgerRecord } from '../core/ledger.ts';

/**
 * Where ledger records go. Locally, the file in the working tree; on GitHub, a commit per record
 * (src/github). Every record is durable before `append` resolves: the next request is only made
 * once the last one is on record, so a crash at any point loses nothing.
 */
export interface LedgerStore {
  append(record: LedgerRecord): Promise<void>;
}

export class LocalLedgerStore implements LedgerStore {
  private readonly path: string;

  constructor(root: string) {
    this.path = join(root, LEDGER_FILE);
  }

  async append(record: LedgerRecord): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    // One write of one line to a file opened for appending: two processes appending at once
    // interleave whole lines, never halves.
    const fd = openSync(this.path, 'a');
    try {
      writeSync(fd, `${JSON.stringify(record)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
