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

/** The mark an unreadable CRISIS's dashboard carries when the run before saw it on. */
const WAS_ON = '<!-- postgate:crisis-was-on -->';

/** The last run saw CRISIS on: its digests say so, or the mark of an unreadable run after it. */
function seenOn(previous: string): boolean {
  if (keptAttention(previous).has(attentionDigest('crisis:on'))) return true;
  return previous.split(/\r?\n/).some((line) => line.trimEnd().endsWith(WAS_ON));
}

/** The moment of the last "off since" mark of a body, or null. */
function offMark(previous: string): number | null {
  const marks = previous
    .split(/\r?\n/)
    .map((line) => OFF_MARK.exec(line.trimEnd())?.[1])
    .filter((iso): iso is string => iso !== undefined);
  const since = marks.length ? Date.parse(marks.at(-1)!) : Number.NaN;
  return Number.isFinite(since) ? since : null;
}

/** Since when CRISIS has been off, as far as the dashboard knows; null while on, or when never seen on. */
export function crisisOffSince(previous: string | null, now: number, crisisOn: boolean): number | null {
  if (crisisOn || previous === null) return null;
  // Seen on by the last run that could read it: it went off since.
  if (seenOn(previous)) return now;
  const since = offMark(previous);
  return since !== null && since <= now ? since : null;
}

/**
 * A run that cannot read CRISIS knows nothing new of it: its dashboard carries what the one before
 * knew (seen on, or off since a moment), so the run after it still says since when.
 */
export function crisisCarry(previous: string | null): string | null {
  if (previous === null) return null;
  if (seenOn(previous)) return WAS_ON;
  const since = offMark(previous);
  return since === null ? null : offSinceMark(since);
}
