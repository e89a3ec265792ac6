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

/**
 * Whether the outcome `sent` is on record already, written by another run: one that found the post
 * live while this run, slower than its lease (src/core/attempt-in-flight.ts), was still recording
 * it. The same post is then not recorded twice. Posts only: a release is claimed, never found.
 */
export function sentByAnother(lines: readonly string[], sent: LedgerRecord, ours: ReadonlySet<string>): boolean {
  // A release names its slug, the same on every release of the post: it is claimed, never found.
  if (sent.type !== 'sent' || sent.remoteId === '' || sent.channel === 'blog') return false;
  return lines.some((line) => {
    if (!line || ours.has(line)) return false;
    let record: Partial<LedgerRecord>;
    try {
      record = JSON.parse(line) as Partial<LedgerRecord>;
    } catch {
      return false;
    }
    return (
      record.type === 'sent' &&
      record.item === sent.item &&
      record.channel === sent.channel &&
      record.account === sent.account &&
      record.part === sent.part &&
      record.remoteId === sent.remoteId
    );
  });
}
