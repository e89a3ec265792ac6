import type { PreviewNotice } from '../core/release.ts';

/** How the site writes dates, reading times, tags and preview notices. */

// Making a formatter costs far more than using one, and a build formats thousands of dates.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}\u0000${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(language, options)));
  return format;
}

/** `20 November 2026`, in the site's zone and language. */
export function formatDate(epochMs: number, timeZone: string, language: string): string {
  return formatter(language, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(epochMs);
}

/** `Thursday, December 3, 2026 at 08:00 GMT+1`: a moment with its zone, for the preview's notices. */
export function formatLocalTime(epochMs: number, timeZone: string, language: string): string {
  return formatter(language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  }).format(epochMs);
}

const WORDS_PER_MINUTE = 230;

/** Minutes to read a post's source: its words, leaving out MDX imports/exports and markup. */
export function readingMinutes(body: string): number {
  const prose = body
    .replace(/^(import|export)\s.*$/gm, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\]\([^)]*\)/g, ']');
  const words = prose.match(/[\p{L}\p{N}][\p{L}\p{N}'’.,€$%-]*/gu)?.length ?? 0;
  return Math.max(1, Math.round(words / WORDS_PER_MINUTE));
}

/** A tag's address: `Food banks` → `food-banks`. Letters of every script are kept. */
export function tagSlug(tag: string): string {
  return (
    tag
      .trim()
      .toLowerCase()
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'tag'
  );
}

/** The preview banner's text. */
export function noticeText(
  notice: PreviewNotice,
  timeZone: string,
  language: string,
): { title: string; detail: string } {
  switch (notice.kind) {
    case 'draft':
      return {
        title: 'Draft',
        detail: 'A draft is never published. Remove "draft: true" and give it a publishAt to schedule it.',
      };
    case 'scheduled':
      return {
        title: `Scheduled for ${formatLocalTime(notice.at, timeZone, language)}`,
        detail: 'It appears on the published site when the publisher releases it.',
      };
    case 'unreleased':
      return notice.crisis === null
        ? {
            title: 'Not released yet',
            detail: `Due since ${formatLocalTime(notice.dueAt, timeZone, language)}; it appears on the published site when the publisher releases it.`,
          }
        : {
            title: 'Not released yet',
            detail: `Held by CRISIS: ${notice.crisis}. Nothing is published until the CRISIS file is removed.`,
          };
  }
}
