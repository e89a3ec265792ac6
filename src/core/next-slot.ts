import type { Weekday } from './config-schema.ts';
import { resolveLocal, wallTimeAt } from './time-zone.ts';

/**
 * The next free publishing slot: the first of the configured times of day, on a configured
 * weekday, at least `leadMs` from now, that no other item of the same kind already takes.
 */
export interface SlotRules {
  timeZone: string;
  slots: readonly string[];
  days: readonly Weekday[];
  /** Time to write and get a review before the slot: a slot in ten minutes is no use. */
  leadMs: number;
}

const DAY_NAMES: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function nextFreeSlot(
  now: number,
  taken: ReadonlySet<number>,
  rules: SlotRules,
  searchDays = 366,
): number | null {
  const times = [...rules.slots].sort().map((s) => s.split(':').map(Number) as [number, number]);
  const today = wallTimeAt(rules.timeZone, now);
  for (let d = 0; d <= searchDays; d++) {
    // Walk calendar days in the site's zone; Date.UTC normalises the day overflow.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + d));
    if (!rules.days.includes(DAY_NAMES[date.getUTCDay()]!)) continue;
    for (const [hour, minute] of times) {
      const local = resolveLocal(rules.timeZone, {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour,
        minute,
        second: 0,
      });
      if (local.kind === 'gap') continue;
      // In the autumn overlap, the first occurrence: that is the one a person reading the clock means first.
      const at = local.kind === 'unique' ? local.epochMs : local.earlier.epochMs;
      if (at - now >= rules.leadMs && !taken.has(at)) return at;
    }
  }
  return null;
}
