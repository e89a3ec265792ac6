import { createHash } from 'node:crypto';
import type { ImageRef } from './item.ts';

/**
 * A part's fingerprint: its source text (before UTM tags, which name the item) and, on the first
 * part, its images. The same post under a new file name has the same fingerprint, so the ledger
 * recognises it and it is not sent again.
 */
export function partHash(sourceText: string, images: readonly Pick<ImageRef, 'path' | 'alt'>[] = []): string {
  const h = createHash('sha256');
  h.update(sourceText.normalize('NFC'));
  for (const image of images) h.update(`\u0000${image.path ?? ''}\u0000${image.alt}`);
  return h.digest('hex').slice(0, 32);
}

/** A stable key for one part on one channel: the networks' idempotency keys are made from it. */
export function partKey(itemId: string, channel: string, part: number, hash: string): string {
  return createHash('sha256').update(`${itemId}\u0000${channel}\u0000${part}\u0000${hash}`).digest('hex').slice(0, 32);
}
