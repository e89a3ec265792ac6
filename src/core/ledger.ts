import { z } from 'zod';

/**
 * The ledger: one JSON line per post that went out (or was retracted), appended and committed,
 * never rewritten. It is the only answer to "is this live?".
 */
export const LEDGER_FILE = 'content/ledger.jsonl';

export const ledgerRecordSchema = z.object({
  v: z.literal(1),
  type: z.enum(['sent', 'retracted']),
  item: z.string().min(1),
  channel: z.string().min(1),
  /** Which part of a thread (0-based) and how many parts it has; a blog post is part 0 of 1. */
  part: z.number().int().min(0),
  parts: z.number().int().min(1),
  remoteId: z.string().default(''),
  url: z.string().default(''),
  at: z.string(),
  hash: z.string().default(''),
  commit: z.string().optional(),
});

export type LedgerRecord = z.output<typeof ledgerRecordSchema>;

export interface LedgerSummary {
  /** item id → channels on which every part is sent and not retracted. */
  sent: Map<string, Set<string>>;
  /** blog post id → when it went live. */
  releasedAt: Map<string, number>;
  /**
   * item id → channels it was retracted from (and not sent to again since). Kept apart from
   * "not sent": the file of a retracted item is usually still there, and must not go out again.
   */
  retracted: Map<string, Set<string>>;
}

export function summarizeLedger(records: readonly LedgerRecord[]): LedgerSummary {
  const partsSent = new Map<string, Set<number>>();
  const partsNeeded = new Map<string, number>();
  const releasedAt = new Map<string, number>();
  const retracted = new Map<string, Set<string>>();
  for (const r of records) {
    const key = `${r.item}\u0000${r.channel}`;
    if (r.type === 'retracted') {
      partsSent.delete(key);
      if (r.channel === 'blog') releasedAt.delete(r.item);
      let channels = retracted.get(r.item);
      if (!channels) retracted.set(r.item, (channels = new Set()));
      channels.add(r.channel);
      continue;
    }
    retracted.get(r.item)?.delete(r.channel);
    let set = partsSent.get(key);
    if (!set) partsSent.set(key, (set = new Set()));
    set.add(r.part);
    partsNeeded.set(key, r.parts);
    if (r.channel === 'blog' && !releasedAt.has(r.item)) releasedAt.set(r.item, Date.parse(r.at));
  }
  const sent = new Map<string, Set<string>>();
  for (const [key, parts] of partsSent) {
    if (parts.size < (partsNeeded.get(key) ?? Infinity)) continue;
    const [item, channel] = key.split('\u0000') as [string, string];
    let channels = sent.get(item);
    if (!channels) sent.set(item, (channels = new Set()));
    channels.add(channel);
  }
  for (const [item, channels] of retracted) if (channels.size === 0) retracted.delete(item);
  return { sent, releasedAt, retracted };
}
