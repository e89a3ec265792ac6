/**
 * IANA time-zone arithmetic on top of Intl, without a date library.
 * Offsets are in minutes east of UTC (Berlin in winter: +60).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True for names such as `Europe/Berlin` or `UTC`; false for offsets and made-up names. */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The instant a wall time would be at UTC. Unlike bare `Date.UTC`, years 0–99 stay themselves
 * (`Date.UTC` would read `0026` as 1926). Month overflow normalises as in `Date.UTC`.
 */
export function wallToUtc(w: WallTime, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  return d.setUTCHours(w.hour, w.minute, w.second, ms);
}

/** The wall-clock reading in `zone` at instant `epochMs`. */
export function wallTimeAt(zone: string, epochMs: number): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(epochMs)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

function exactOffsetAt(zone: string, epochMs: number): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const w = wallTimeAt(zone, whole);
  return (wallToUtc(w) - whole) / 60_000;
}

const DAY_MS = 86_400_000;
/** zone → UTC day number → offset at the start of that day. Asking Intl costs microseconds; a lookup does not. */
const offsetsAtDayStart = new Map<string, Map<number, number>>();

function offsetAtDayStart(zone: string, days: Map<number, number>, day: number): number {
  let offset = days.get(day);
  if (offset === undefined) days.set(day, (offset = exactOffsetAt(zone, day * DAY_MS)));
  return offset;
}

/**
 * The zone's UTC offset, in minutes, at an instant. Real zones change their offset at most once
 * a day, so when a UTC day starts and ends on the same offset, that offset holds all day; only
 * the days with a change are asked about the exact instant.
 */
export function offsetAt(zone: string, epochMs: number): number {
  let days = offsetsAtDayStart.get(zone);
  if (!days) offsetsAtDayStart.set(zone, (days = new Map()));
  const day = Math.floor(epochMs / DAY_MS);
  const start = offsetAtDayStart(zone, days, day);
  return start === offsetAtDayStart(zone, days, day + 1) ? start : exactOffsetAt(zone, epochMs);
}

export type LocalResolution =
  | { kind: 'unique'; epochMs: number; offset: number }
  | { kind: 'gap'; before: number; after: number }
  | { kind: 'overlap'; earlier: { epochMs: number; offset: number }; later: { epochMs: number; offset: number } };

/**
 * Maps a wall-clock time in `zone` to the instants that show it. Real zones change offset at
 * most once within a day, so the offsets a day either side are the only candidates:
 * none fits in a spring-forward gap, both fit in an autumn overlap.
 */
export function resolveLocal(zone: string, wall: WallTime, ms = 0): LocalResolution {
  const asUtc = wallToUtc(wall, ms);
  const before = offsetAt(zone, asUtc - 86_400_000);
  const after = offsetAt(zone, asUtc + 86_400_000);
  const fits: { epochMs: number; offset: number }[] = [];
  for (const offset of new Set([before, after])) {
    const epochMs = asUtc - offset * 60_000;
    if (offsetAt(zone, epochMs) === offset) fits.push({ epochMs, offset });
  }
  fits.sort((a, b) => a.epochMs - b.epochMs);
  if (fits.length === 0) return { kind: 'gap', before, after };
  if (fits.length === 1) return { kind: 'unique', ...fits[0]! };
  return { kind: 'overlap', earlier: fits[0]!, later: fits[1]! };
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01 09:30 +01:00`: the local time a person in the site's zone would read. */
export function formatLocal(epochMs: number, zone: string): string {
  const w = wallTimeAt(zone, epochMs);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} ${formatOffset(offsetAt(zone, epochMs))}`;
}

/** `2026-12-01T08:30:00Z`, the UTC form used in JSON output. */
export function formatUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}
