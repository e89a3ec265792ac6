import { attentionDigest } from './dashboard-attention.ts';
import { keptAttention } from './dashboard-notice.ts';

/**
 * "CRISIS: off since …": the dashboard remembers when a run first found CRISIS gone. Nothing else
 * says it cheaply (a CRISIS is any file named like it, and the branch's history costs requests), but
 * the dashboard itself knows what the last run saw: CRISIS on (its kept digests hold `crisis:on`),
 * or off since a moment it wrote down in a hidden mark. Pure: the previous body in, the moment out.
 */
const OFF_MARK = /<!-- postgate:crisis-off (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z) -->$/;

/** The hidden mark that ends the "off since" line. */
export const offSinceMark = (ms: number): string => `<!-- postgate:crisis-off ${new Date(ms).toISOString()} -->`;

/** Since when CRISIS has been off, as far as the dashboard knows; null while on, or when never seen on. */
export function crisisOffSince(previous: string | null, now: number, crisisOn: boolean): number | null {
  if (crisisOn || previous === null) return null;
  const kept = keptAttention(previous);
  // Seen on by the last run (not merely unreadable): it went off since.
  if (kept.has(attentionDigest('crisis:on'))) return now;
  const marks = previous
    .split(/\r?\n/)
    .map((line) => OFF_MARK.exec(line.trimEnd())?.[1])
    .filter((iso): iso is string => iso !== undefined);
  const since = marks.length ? Date.parse(marks.at(-1)!) : Number.NaN;
  return Number.isFinite(since) && since <= now ? since : null;
}
