import { createHash } from 'node:crypto';

/**
 * Bluesky record keys for posts. The PDS requires an app.bsky.feed.post key to be a TID: 13
 * characters of base32-sortable encoding a 64-bit number (top bit 0, then 53 bits of microseconds
 * since the epoch, then a 10-bit clock id). Deriving it from the request instead of the clock makes
 * a retry address the same record, so the PDS can never hold the same post twice.
 */
const S32 = '234567abcdefghijklmnopqrstuvwxyz';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

export function isValidTid(value: string): boolean {
  return value.length === 13 && TID_PATTERN.test(value);
}

/**
 * The record key for one post. The timestamp is `dueAt` in microseconds plus an offset of up to
 * one second, and the 10-bit clock id, both taken from a hash of `key`: parts of one thread, or
 * items due at the same minute, share a key about once in a billion pairs (and a clash is caught:
 * the channel never takes a post with other text for its own). Nothing reads a post's time from
 * its key; createdAt says when it was sent.
 */
export function recordKeyFor(key: string, dueAt: number): string {
  if (!Number.isFinite(dueAt) || dueAt < 0) throw new RangeError(`dueAt must be a time in epoch ms, got ${dueAt}`);
  const digest = createHash('sha256').update(key, 'utf8').digest();
  const offset = BigInt(digest.readUInt32BE(0) % 1_000_000);
  const clockId = BigInt(digest.readUInt16BE(4) & 0x3ff);
  const micros = BigInt(Math.floor(dueAt)) * 1000n + offset;
  if (micros >= 1n << 53n) throw new RangeError(`dueAt ${dueAt} is too far in the future for a record key`);
  return encodeTid((micros << 10n) | clockId);
}

function encodeTid(value: bigint): string {
  let out = '';
  for (let shift = 60n; shift >= 0n; shift -= 5n) out += S32[Number((value >> shift) & 31n)];
  return out;
}

/** The microsecond timestamp inside a TID (for tests and diagnostics). */
export function tidTimestampMicros(tid: string): number {
  let value = 0n;
  for (const char of tid) value = (value << 5n) | BigInt(S32.indexOf(char));
  return Number(value >> 10n);
}
