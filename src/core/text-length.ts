/**
 * Counting graphemes and bytes: Bluesky's length, alt texts, and the base of Mastodon's count. X's
 * and Mastodon's own rules live with their channels (src/channels/x-text.ts, mastodon-text.ts).
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

// Below U+0300 (where combining marks begin) every UTF-16 unit is a character of its own (but for
// CR LF, one grapheme): most posts in Latin scripts can be counted without segmenting them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose
const SIMPLE = /^[\u0000-\u02ff]*$/;

export function graphemeCount(text: string): number {
  if (SIMPLE.test(text)) return text.includes('\r\n') ? text.length - text.split('\r\n').length + 1 : text.length;
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** Bluesky's length: graphemes of the text as written, links in full. Limit 300 (and 3,000 bytes). */
export function blueskyLength(text: string): number {
  return graphemeCount(text);
}

export function utf8Bytes(text: string): number {
  // Counted without encoding: a lone surrogate counts 3, as TextEncoder writes it (U+FFFD).
  return Buffer.byteLength(text, 'utf8');
}
