import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentError } from '../core/errors.ts';
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

/**
 * The records of the ledger a run acts on. Every line must be read: a line skipped could be the
 * retraction that keeps an item from going out again, or the record that it went out already, so
 * one unreadable line stops the whole run (ContentError, with each line's number and what is wrong).
 */
export function readableLedgerRecords(text: string): LedgerRecord[] {
  const { records, problems } = parseLedgerText(text);
  if (problems.length)
    throw new ContentError(
      `${LEDGER_FILE} has ${problems.length} line${problems.length === 1 ? '' : 's'} that cannot be read, so what was published is not known: nothing is sent or retracted until ${problems.length === 1 ? 'it is' : 'they are'} restored (git log -p ${LEDGER_FILE})`,
      problems,
    );
  return records;
}
