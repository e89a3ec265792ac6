import { UsageError } from '../core/errors.ts';
import { parsePublishTime } from '../core/publish-time.ts';

/**
 * "Now", from --now, then POSTGATE_NOW, then the system clock, so that dry runs and tests can
 * ask what would happen at any moment. A local time is read in the site's time zone.
 */
export function resolveNow(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  timeZone: string,
): number {
  const raw = flag ?? env.POSTGATE_NOW;
  if (raw === undefined || raw === '') return Date.now();
  const parsed = parsePublishTime(raw, timeZone);
  if (!parsed.ok) throw new UsageError(`${flag !== undefined ? '--now' : 'POSTGATE_NOW'}: ${parsed.message}`);
  return parsed.epochMs;
}
