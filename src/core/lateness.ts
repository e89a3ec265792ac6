import { type LedgerSummary, progressKey } from './ledger.ts';

/**
 * How late an item went out, from the ledger: on each channel, its first part's `sentAt` against its
 * `due`; the latest channel counts. Null when nothing of it is on record with both times (not sent
 * yet, or sent before records kept them).
 */
export function wentOutLate(
  ledger: Pick<LedgerSummary, 'progress'>,
  itemId: string,
  channels: readonly string[],
): { lateMs: number; channel: string } | null {
  let latest: { lateMs: number; channel: string } | null = null;
  for (const channel of channels) {
    const first = ledger.progress.get(progressKey(itemId, channel))?.sent.get(0);
    if (first?.due === undefined || first.sentAt === undefined) continue;
    const lateMs = Math.max(0, first.sentAt - first.due);
    if (latest === null || lateMs > latest.lateMs) latest = { lateMs, channel };
  }
  return latest;
}
