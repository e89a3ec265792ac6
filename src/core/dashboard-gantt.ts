import { channelsOf, type Item } from './item.ts';
import type { StateVerdict } from './item-state.ts';
import { resolveLocal, wallTimeAt, wallToUtc, type WallTime } from './time-zone.ts';

/**
 * The dashboard's "next 14 days": each scheduled item on each of its channels at its due time, as a
 * Mermaid gantt chart (GitHub draws ```mermaid blocks). Times are the site's wall-clock times, as
 * the owner reads them; the window is whole days (today and the 13 after it), so that it moves once
 * a day and not with every run.
 *
 * The chart is text a writer controls (item ids) inside a language with keywords and comments:
 * Mermaid's gantt lexer reads `#` and `%%` as comments, `:` and `;` as separators, and a line that
 * starts with `section `, `title `, `click `, a date... as that statement. So a label keeps letters,
 * digits and ` ._/+-` only, and starts with the due time (digits, written with a look-alike of the
 * colon): it can neither start a statement nor end the code block (no backtick survives).
 */
export const WINDOW_DAYS = 14;
/** Enough for a busy fortnight; more would make the chart unreadable and the issue too long. */
const MAX_TASKS = 150;
const RATIO = '\u2236';

/** Channel names as the owner reads them, in the order the chart's sections follow. */
export const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  blog: 'Blog',
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  linkedin: 'LinkedIn',
};
export const channelName = (channel: string): string => CHANNEL_NAMES[channel] ?? channel;

export interface ScheduleEntry {
  id: string;
  channel: string;
  dueAt: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const wallText = (w: WallTime) => `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;

/** The first instant of a local day (`day` may run past the month's end, as in Date.UTC). */
function startOfDay(zone: string, year: number, month: number, day: number): number {
  const date = new Date(wallToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }));
  const wall = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  const found = resolveLocal(zone, { ...wall, hour: 0, minute: 0, second: 0 });
  if (found.kind === 'unique') return found.epochMs;
  if (found.kind === 'overlap') return found.earlier.epochMs;
  // Midnight skipped by a clock change: the day starts at the change.
  return wallToUtc({ ...wall, hour: 0, minute: 0, second: 0 }) - found.before * 60_000;
}

/** Today's start and the start of the day after the window's last, in the zone. */
export function scheduleWindow(now: number, zone: string): { start: number; end: number } {
  const today = wallTimeAt(zone, now);
  return {
    start: startOfDay(zone, today.year, today.month, today.day),
    end: startOfDay(zone, today.year, today.month, today.day + WINDOW_DAYS),
  };
}

/**
 * Scheduled items due after `now` and before the window's end, one entry per enabled channel,
 * by due time. An announcement whose post is not live yet has no due time; it is drawn at its own
 * time (it goes out once the post is live).
 */
export function scheduleEntries(
  now: number,
  zone: string,
  items: readonly Item[],
  verdicts: ReadonlyMap<string, StateVerdict>,
  enabled: readonly string[],
): ScheduleEntry[] {
  const { end } = scheduleWindow(now, zone);
  const entries: ScheduleEntry[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const verdict = verdicts.get(item.id);
    if (verdict?.state !== 'scheduled' || seen.has(item.id)) continue;
    seen.add(item.id);
    const dueAt = verdict.dueAt ?? item.publishAt;
    if (dueAt === null || dueAt <= now || dueAt >= end) continue;
    for (const channel of channelsOf(item))
      if (enabled.includes(channel)) entries.push({ id: item.id, channel, dueAt });
  }
  return entries.sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Text Mermaid reads as text only: letters, digits and ` ._/+-`; anything else becomes `_`. */
export function mermaidText(raw: string, max = 60): string {
  const safe = raw.replace(/[^\p{L}\p{N} ._/+-]/gu, '_').replace(/ +/g, ' ');
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/** A task's label: the local due time (it starts no statement), then the id as Mermaid-safe text. */
export function taskLabel(id: string, wall: WallTime): string {
  return `${pad(wall.hour)}${RATIO}${pad(wall.minute)} ${mermaidText(id)}`.trimEnd();
}

/** The chart as a fenced ```mermaid block, or null when nothing is scheduled in the window. */
export function scheduleGantt(now: number, zone: string, entries: readonly ScheduleEntry[]): string | null {
  if (entries.length === 0) return null;
  const { start, end } = scheduleWindow(now, zone);
  const lines = [
    '```mermaid',
    'gantt',
    '  dateFormat YYYY-MM-DD HH:mm',
    '  axisFormat %a %d %b',
    '  tickInterval 1day',
    '  todayMarker off',
    `  section ${WINDOW_DAYS} days`,
    `  times in ${mermaidText(zone)} : done, ${wallText(wallTimeAt(zone, start))}, ${wallText(wallTimeAt(zone, end))}`,
  ];
  const drawn = entries.slice(0, MAX_TASKS);
  for (const channel of Object.keys(CHANNEL_NAMES)) {
    const tasks = drawn.filter((e) => e.channel === channel);
    if (tasks.length === 0) continue;
    lines.push(`  section ${channelName(channel)}`);
    for (const e of tasks) {
      const wall = wallTimeAt(zone, e.dueAt);
      lines.push(`  ${taskLabel(e.id, wall)} : milestone, ${wallText(wall)}, 1m`);
    }
  }
  lines.push('```');
  return lines.join('\n');
}

/** How many entries the chart leaves out. */
export const ganttLeftOut = (entries: readonly ScheduleEntry[]) => Math.max(0, entries.length - MAX_TASKS);
