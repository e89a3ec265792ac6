/**
 * How far apart a workflow's scheduled runs are: the longest gap between two consecutive starts of
 * its `schedule:` crons, over a week. A waiting run waits for what falls due before the next run is
 * expected, so it must know when that is: every 15 minutes for the template's cron, but an owner who
 * makes the cron sparser (to spend fewer Actions minutes on a private repository) makes that gap, and
 * the wait that bridges it, longer.
 *
 * GitHub's cron: five fields (minute, hour, day of month, month, day of week) with `*`, lists, ranges
 * and steps, in UTC. A day-of-month or month other than `*` runs on some days only, whose gaps depend
 * on the calendar: null (not known), as for anything this does not read.
 */
const WEEK_MINUTES = 7 * 24 * 60;

/** The values a cron field allows, from `min` to `max`, or null when it is not one this reads. */
export function cronField(field: string, min: number, max: number): number[] | null {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) return null;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    const from = m[1] === '*' ? min : Number(m[2]);
    // "5/15" is 5, 20, 35, 50: a start with a step runs to the field's end.
    const to = m[1] === '*' || (m[3] === undefined && m[4] !== undefined) ? max : Number(m[3] ?? m[2]);
    if (step < 1 || from < min || to > max || from > to) return null;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** The longest time between two runs the crons start, in milliseconds, or null when not known. */
export function longestCronGapMs(crons: readonly string[]): number | null {
  const starts = new Set<number>();
  for (const cron of crons) {
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5 || fields[2] !== '*' || fields[3] !== '*') return null;
    const minutes = cronField(fields[0]!, 0, 59);
    const hours = cronField(fields[1]!, 0, 23);
    // 7 is Sunday too.
    const days = cronField(fields[4]!, 0, 7)?.map((d) => d % 7);
    if (!minutes || !hours || !days) return null;
    for (const d of days) for (const h of hours) for (const m of minutes) starts.add(d * 1440 + h * 60 + m);
  }
  const sorted = [...starts].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  let longest = 0;
  sorted.forEach((start, i) => {
    const next = sorted[i + 1] ?? sorted[0]! + WEEK_MINUTES;
    longest = Math.max(longest, next - start);
  });
  return longest * 60_000;
}
