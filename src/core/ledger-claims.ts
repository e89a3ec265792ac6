import type { LedgerRecord } from './ledger.ts';

/**
 * Whether another run has taken a part: a record for the same item, channel and part that says
 * it is being sent or was sent, which this run neither knew when it planned nor wrote itself. For
 * an outcome claimed by hand (src/core/confirm.ts), any newer outcome or retraction takes it too.
 */
export function takenByAnother(
  lines: readonly string[],
  claim: LedgerRecord,
  ours: ReadonlySet<string>,
  knownAtStart: ReadonlySet<string>,
): boolean {
  for (const line of lines) {
    if (!line || ours.has(line) || knownAtStart.has(line)) continue;
    let record: Partial<LedgerRecord>;
    try {
      record = JSON.parse(line) as Partial<LedgerRecord>;
    } catch {
      continue;
    }
    if (record.item !== claim.item || record.channel !== claim.channel || record.account !== claim.account) continue;
    if (record.part === claim.part && (record.type === 'attempt' || record.type === 'sent')) return true;
    // An outcome recorded by hand (`confirm`) settles an open attempt: any newer word on it wins.
    if (
      claim.type !== 'attempt' &&
      (record.type === 'retracted' || (record.part === claim.part && record.type === 'failed'))
    )
      return true;
  }
  return false;
}
