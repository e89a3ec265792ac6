import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LEDGER_FILE, ledgerRecordSchema, type LedgerRecord } from '../core/ledger.ts';
import { problem, type Problem } from '../core/problem.ts';

/**
 * Reads the ledger. A line that cannot be read is reported, never skipped silently: a lost record
 * could mean a post sent twice.
 */
export async function readLedger(
  root: string,
): Promise<{ records: LedgerRecord[]; problems: Problem[]; text: string }> {
  let text: string;
  try {
    text = await readFile(join(root, LEDGER_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], problems: [], text: '' };
    throw error;
  }
  return { ...parseLedgerText(text), text };
}

export function parseLedgerText(text: string): { records: LedgerRecord[]; problems: Problem[] } {
  const records: LedgerRecord[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(
        problem(
          LEDGER_FILE,
          { line: i + 1, col: 1 },
          'error',
          'this ledger line is not valid JSON; restore it from git history (git log -p content/ledger.jsonl)',
        ),
      );
      return;
    }
    const parsed = ledgerRecordSchema.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else
      problems.push(
        problem(
          LEDGER_FILE,
          { line: i + 1, col: 1 },
          'error',
          `this ledger line is not a record Postgate wrote (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); restore it from git history`,
        ),
      );
  });
  return { records, problems };
}
