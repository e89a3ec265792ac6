import { findLinks } from './links.ts';

/**
 * How each network counts the length of a post. These decide whether a network will accept a post,
 * so they follow each network's own rules rather than `string.length`.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

// Below U+0300 (where combining marks begin) every UTF-16 unit is a character of its own and weighs
// 1 on X: most posts in Latin scripts can be counted without segmenting them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose
const SIMPLE = /^[\u0000-\u02ff]*$/;

export function graphemeCount(text: string): number {
  if (SIMPLE.test(text)) return text.includes('\r\n') ? text.length - text.split('\r\n').length + 1 : text.length;
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/** Every link counts as this many characters on X and Mastodon, whatever its real length. */
export const SHORT_LINK_LENGTH = 23;

// twitter-text v3 configuration: code points in these ranges weigh 1, everything else 2.
const X_LIGHT_RANGES: readonly [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u{FE0F}|\u{20E3}/u;

function xWeight(grapheme: string): number {
  const first = grapheme.codePointAt(0)!;
  // An emoji sequence, however many code points (👨‍👩‍👧, 🇩🇪), weighs 2 as a whole. © and ® stay
  // text unless written with the emoji variation selector.
  if (EMOJI.test(grapheme) && !(grapheme.length === 1 && first < 0x2000)) return 2;
  let weight = 0;
  for (const ch of grapheme) {
    const cp = ch.codePointAt(0)!;
    weight += X_LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
  }
  return weight;
}

/** X's weighted length: links 23, CJK and emoji 2, most Latin text 1. Limit 280. */
export function xLength(text: string): number {
  const normalized = text.normalize('NFC');
  let total = 0;
  let last = 0;
  const measurePlain = (chunk: string) => {
    if (SIMPLE.test(chunk)) total += chunk.length;
    else for (const g of segmenter.segment(chunk)) total += xWeight(g.segment);
  };
  for (const link of findLinks(normalized)) {
    measurePlain(normalized.slice(last, link.start));
    total += SHORT_LINK_LENGTH;
    last = link.end;
  }
  measurePlain(normalized.slice(last));
  return total;
}

/**
 * Mastodon's length: graphemes, with every http(s) link counting 23 and a remote mention
 * `@name@instance` counting only `@name`. Limit 500 on most instances.
 */
export function mastodonLength(text: string): number {
  let total = 0;
  let last = 0;
  for (const link of findLinks(text)) {
    if (!link.hasScheme) continue; // Mastodon does not link bare domains, so they count in full.
    total += graphemeCount(text.slice(last, link.start).replace(/(@[\w.]+)@[\w.-]+\w/gu, '$1'));
    total += SHORT_LINK_LENGTH;
    last = link.end;
  }
  return total + graphemeCount(text.slice(last).replace(/(@[\w.]+)@[\w.-]+\w/gu, '$1'));
}

/** Bluesky's length: graphemes of the text as written, links in full. Limit 300 (and 3,000 bytes). */
export function blueskyLength(text: string): number {
  return graphemeCount(text);
}

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}
