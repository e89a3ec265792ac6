import { formatLocal, wallTimeAt } from './time-zone.ts';

/**
 * Markdown pieces for the pull-request preview. Everything a writer typed is either shown in a
 * fenced block (exactly as the network gets it) or escaped, so that a `*`, a `<`, an `@name` or a
 * stray backtick in a post cannot change how the comment renders or notify someone.
 */
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Text in a sentence: Markdown and HTML characters are escaped, mentions neutralised, one line. */
export function escapeText(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|#~!]/g, '\\$&')
    .replace(/@(?=[\w-])/g, '@\u200b');
}

/** Inline code that holds any text, backticks included. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const fence = '`'.repeat(longestRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block that no line of the text can close early. */
export function fenced(text: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text) + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function longestRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/** A link when the address is plain enough to autolink safely, inline code otherwise. */
export function link(url: string): string {
  return /^https?:\/\/[\w.:/?=&%~+-]+$/.test(url) ? `<${url}>` : inlineCode(url);
}

/** "in 3 days", "2 hours ago", "now". */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  if (abs < 60_000) return 'now';
  const [n, unit] =
    abs < 90 * 60_000
      ? [Math.round(abs / 60_000), 'minute']
      : abs < 36 * 3_600_000
        ? [Math.round(abs / 3_600_000), 'hour']
        : [Math.round(abs / 86_400_000), 'day'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

export function weekdayOf(epochMs: number, zone: string): number {
  const w = wallTimeAt(zone, epochMs);
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
}

/** `Sat 2026-12-05 23:00 +01:00`. */
export function localTime(epochMs: number, zone: string): string {
  return `${WEEKDAYS[weekdayOf(epochMs, zone)]} ${formatLocal(epochMs, zone)}`;
}

/** `2026-12-05 22:00 UTC`. */
export function utcTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `Sat 2026-12-05 23:00 +01:00 (Europe/Berlin) · 2026-12-05 22:00 UTC · in 7 days`. */
export function whenLine(epochMs: number, zone: string, now: number): string {
  return `${localTime(epochMs, zone)} (${zone}) · ${utcTime(epochMs)} · ${relativeTime(epochMs, now)}`;
}

export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** "X", "X and Mastodon", "X, Mastodon and Bluesky". */
export function listed(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
