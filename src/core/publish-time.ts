import { formatOffset, isTimeZone, resolveLocal, wallToUtc, type WallTime } from './time-zone.ts';

/**
 * Reads `publishAt` strictly. YAML parsers happily turn `2030-02-30` into 2 March and read a local
 * time with seconds as UTC, so Postgate never lets them interpret dates: it gets the raw string and
 * decides here, with the site's time zone, and reports what it cannot read instead of guessing.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?$/;

export type PublishTime = { ok: true; epochMs: number; hasOffset: boolean } | { ok: false; message: string };

const EXAMPLE = 'such as 2026-12-01T09:30 (site time zone) or 2026-12-01T09:30:00+01:00';
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function daysInMonth(year: number, month: number): number {
  return new Date(wallToUtc({ year, month: month + 1, day: 0, hour: 0, minute: 0, second: 0 })).getUTCDate();
}

function fail(message: string): PublishTime {
  return { ok: false, message };
}

export function parsePublishTime(raw: unknown, zone: string): PublishTime {
  if (raw instanceof Date) raw = raw.toISOString();
  if (typeof raw !== 'string') {
    return fail(
      `expected a date-time ${EXAMPLE}, received ${raw === null ? 'an empty value' : typeof raw} ${JSON.stringify(raw)}`,
    );
  }
  const text = raw.trim();
  const m = ISO.exec(text);
  if (!m) return fail(`expected a date-time ${EXAMPLE}, received ${JSON.stringify(raw)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zoneText] = m;
  const wall: WallTime = { year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi, second: +s };
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;

  if (wall.month < 1 || wall.month > 12)
    return fail(`month ${mo} does not exist in ${JSON.stringify(raw)}; months run 01 to 12`);
  const days = daysInMonth(wall.year, wall.month);
  if (wall.day < 1 || wall.day > days) {
    return fail(`${y}-${mo}-${d} is not a date: ${MONTHS[wall.month - 1]} ${y} has ${days} days`);
  }
  if (wall.hour > 23) return fail(`${h}:${mi} is not a time of day in ${JSON.stringify(raw)}; hours run 00 to 23`);
  if (wall.minute > 59) return fail(`${h}:${mi} is not a time of day in ${JSON.stringify(raw)}; minutes run 00 to 59`);
  if (wall.second > 59) return fail(`seconds ${s} out of range in ${JSON.stringify(raw)}; seconds run 00 to 59`);

  if (zoneText) {
    const offset = parseOffset(zoneText);
    if (offset === null)
      return fail(
        `offset ${zoneText} is out of range in ${JSON.stringify(raw)}; real offsets run from -12:00 to +14:00`,
      );
    const asUtc = wallToUtc(wall, ms);
    return { ok: true, epochMs: asUtc - offset * 60_000, hasOffset: true };
  }

  if (!isTimeZone(zone))
    return fail(`cannot read a local time: the site time zone ${JSON.stringify(zone)} is not an IANA zone`);
  const local = resolveLocal(zone, wall, ms);
  const shownLocal = `${y}-${mo}-${d}T${h}:${mi}`;
  if (local.kind === 'gap') {
    return fail(
      `${shownLocal} does not exist in ${zone}: the clocks jump from ${formatOffset(local.before)} to ${formatOffset(local.after)} ` +
        `that night and skip this time; choose a time outside the gap or give an offset`,
    );
  }
  if (local.kind === 'overlap') {
    return fail(
      `${shownLocal} happens twice in ${zone} (at ${formatOffset(local.earlier.offset)} and again at ${formatOffset(local.later.offset)}) ` +
        `as the clocks go back; add the offset you mean, e.g. ${shownLocal}${formatOffset(local.earlier.offset)}`,
    );
  }
  return { ok: true, epochMs: local.epochMs, hasOffset: false };
}

/** Minutes east of UTC, or null when it is no real offset. */
function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (minutes > 59) return null;
  const total = (hours * 60 + minutes) * (m[1] === '-' ? -1 : 1);
  return total < -12 * 60 || total > 14 * 60 ? null : total;
}
