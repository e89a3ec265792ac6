import twitterText from 'twitter-text';
import { rememberLast, type LinkSpan } from '../core/links.ts';

/**
 * LinkedIn's text rules. A post's `commentary` is "little text" (LinkedIn's Posts API docs, "little
 * Text Format"): `@[Name](urn:li:…)` is a mention, `{hashtag|#|tag}` a hashtag template, and every
 * one of `\ | { } @ [ ] ( ) < > # * _ ~` is reserved, in any position, even where it makes no
 * element. A reserved character sent bare does not fail the request: LinkedIn answers 201 and
 * keeps the post only up to that character. So everything Postgate sends is escaped here, each
 * reserved character with a backslash before it, and nothing is ever sent as markup: a `#tag`
 * written in a draft reads `#tag` on LinkedIn (as text, not a hashtag link), an `@name` stays text.
 * Links are escaped like the rest (`utm\_source`): LinkedIn reads the escapes away before it looks
 * for links, so the reader sees and follows the link as written.
 */
export const LINKEDIN_RESERVED = '\\|{}@[]()<>#*_~';

const RESERVED = /[\\|{}@[\]()<>#*_~]/g;

/** The commentary LinkedIn stores and shows as `text`: every reserved character escaped. */
export function escapeLittleText(text: string): string {
  return text.replace(RESERVED, (c) => `\\${c}`);
}

/** The text a commentary shows: each `\x` read as `x`. */
export function unescapeLittleText(commentary: string): string {
  return commentary.replace(/\\([\s\S])/g, '$1');
}

/**
 * The limit, 3,000 characters, holds for the commentary as LinkedIn receives it: after escaping,
 * so each reserved character counts 2. Characters are UTF-16 code units, as LinkedIn's Java
 * services count a string (an emoji outside the Basic Multilingual Plane counts 2).
 */
export const LINKEDIN_MAX_LENGTH = 3000;

export function linkedinLength(text: string): number {
  return escapeLittleText(text).length;
}

/**
 * The links LinkedIn makes clickable. LinkedIn publishes no rule or library for it; Postgate takes
 * only links written with their scheme (`https://…`), found by twitter-text's extractor: those
 * LinkedIn links in every case, so UTM tags go only where a reader can click. A bare domain
 * (`example.org/shop`) is left untagged on LinkedIn.
 */
export const linkedinLinkSpans: (text: string) => LinkSpan[] = rememberLast((text) => {
  if (!text.includes('://')) return [];
  return twitterText
    .extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })
    .map(({ indices: [start, end] }) => ({ start, end, url: text.slice(start, end) }));
});

/** The form a post is compared in: NFC, whitespace runs as one space, no space at the ends. */
function comparable(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** True when a commentary read back from LinkedIn (escaped) says `sent` (the text before escaping). */
export function commentarySays(commentary: string, sent: string): boolean {
  return comparable(unescapeLittleText(commentary)) === comparable(sent);
}

/** The start of a text, one line, for "look for a post starting «…»". */
export function openingWords(text: string, max = 60): string {
  const line = comparable(text);
  const chars = [...line];
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max).join('');
  // At a word's end when there is one: a search box finds whole words.
  const space = chars[max] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space > 0 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
