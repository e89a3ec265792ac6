import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { takenByAnother } from '../core/ledger-claims.ts';
import { LEDGER_FILE, type LedgerRecord } from '../core/ledger.ts';
import { ledgerLine, type LedgerStore } from '../publish/ledger-store.ts';
import { crashPoint } from '../publish/crash-points.ts';
import type { GitHubRepo } from './client.ts';
import { readRemoteFile, writeRemoteFile } from './contents.ts';

/**
 * The ledger on the live branch: every record is a commit, made with compare-and-swap on the
 * ledger file, so two runs can never overwrite each other's records. On a conflict the record is
 * appended to the newer version and tried again. The working tree's copy is kept equal to the
 * branch's, for the site build that may follow in the same job.
 */
export class GitHubLedgerStore implements LedgerStore {
  private readonly gh: GitHubRepo;
  private readonly root: string;
  private readonly ours = new Set<string>();
  private readonly knownAtStart: Set<string>;

  constructor(gh: GitHubRepo, root: string, textAtStart: string) {
    this.gh = gh;
    this.root = root;
    this.knownAtStart = new Set(textAtStart.split('\n'));
  }

  async append(record: LedgerRecord): Promise<void> {
    await this.commit(record, false);
  }

  claim(record: LedgerRecord): Promise<boolean> {
    return this.commit(record, true);
  }

  private async commit(record: LedgerRecord, exclusive: boolean): Promise<boolean> {
    const line = ledgerLine(record);
    for (let attempt = 1; attempt <= 20; attempt++) {
      const current = await readRemoteFile(this.gh, LEDGER_FILE);
      const text = current?.text ?? '';
      const lines = text.split('\n');
      // A retried request whose first answer was lost may have committed already.
      if (lines.includes(line)) return this.mirror(text);
      if (exclusive && takenByAnother(lines, record, this.ours, this.knownAtStart)) return false;
      const next = `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;
      const message = `ledger: ${record.type} ${record.item} on ${record.channel}${record.parts > 1 ? ` (part ${record.part + 1}/${record.parts})` : ''}`;
      crashPoint(`before ledger commit`);
      const written = await writeRemoteFile(this.gh, LEDGER_FILE, next, current?.sha ?? null, message);
      crashPoint(`after ledger commit`);
      if (written.ok) {
        this.ours.add(line);
        return this.mirror(next);
      }
      // Someone else committed first: back off a little, re-read, and append to their version.
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
    }
    throw new Error('could not commit the ledger: it kept changing under this run (20 conflicts in a row)');
  }

  private mirror(text: string): true {
    const path = join(this.root, LEDGER_FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return true;
  }
}

/** The ledger as it is on the live branch now (the checkout may be behind another run's commits). */
export async function readRemoteLedgerText(gh: GitHubRepo): Promise<string> {
  return (await readRemoteFile(gh, LEDGER_FILE))?.text ?? '';
}
