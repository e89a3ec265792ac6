import type { LedgerSummary } from '../core/ledger.ts';
import { summarizeLedger } from '../core/ledger.ts';
import { readLedger } from '../repo/ledger-file.ts';
import { readCrisisFile } from '../repo/crisis-file.ts';

/**
 * What the site knows from the repository beside its content: the ledger (which posts are
 * released, and when) and, for the preview's notices, the CRISIS file.
 *
 * A ledger line that cannot be read stops the build: it may be the retraction of a post, and
 * guessing would put a retracted post back on the site.
 */
export async function siteLedger(root = process.cwd()): Promise<LedgerSummary> {
  const { records, problems } = await readLedger(root);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}`).join('\n');
    throw new Error(`the ledger cannot be read, so the site cannot tell which posts are released:\n${lines}`);
  }
  return summarizeLedger(records);
}

export function siteCrisis(root = process.cwd()): Promise<string | null> {
  return readCrisisFile(root);
}
