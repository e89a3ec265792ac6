import { UsageError } from './errors.ts';
import { addDays, dayAt, type DayRange, isDay, lastCompleteWeek } from './iso-week.ts';

/**
 * The days a report covers, from `--since` and `--until` (both included, in the site's zone).
 * Neither: the last complete ISO week before the run's clock, what the weekly workflow commits.
 * Only --since: up to yesterday (today is not over). Only --until: the seven days ending then.
 */
export function reportPeriod(
  flags: { since?: string | undefined; until?: string | undefined },
  now: number,
  zone: string,
): DayRange {
  for (const flag of ['since', 'until'] as const) {
    const value = flags[flag];
    if (value !== undefined && !isDay(value))
      throw new UsageError(`report: --${flag} expects a day written YYYY-MM-DD, e.g. 2026-11-02; received "${value}"`);
  }
  const { since, until } = flags;
  if (since === undefined && until === undefined) {
    const { since: s, until: u } = lastCompleteWeek(now, zone);
    return { since: s, until: u };
  }
  const period = {
    since: since ?? addDays(until!, -6),
    until: until ?? addDays(dayAt(now, zone), -1),
  };
  if (period.since > period.until)
    throw new UsageError(
      `report: the period starts (${period.since}) after it ends (${period.until})${until === undefined ? ', yesterday by the clock; give --until' : ''}`,
    );
  return period;
}
