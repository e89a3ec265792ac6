import { domainToASCII } from 'node:url';
import twitterText from 'twitter-text';
import { rememberLast, type LinkSpan } from '../core/links.ts';
import { graphemeCount } from '../core/text-length.ts';

/**
 * Mastodon never gives a status's plain text back: the API answers with the HTML it rendered
 * (paragraphs, <br />, links split into visible and invisible spans, mentions shortened). Finding a
 * post we may have sent therefore compares the text we would send with that HTML turned back into
 * text, both reduced to the same comparable form.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/** Mastodon's status HTML as plain text: paragraphs and line breaks become newlines, tags go. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p\s*>\s*<p(\s[^>]*)?>/gi, '\n\n')
    .replace(/<\/?p(\s[^>]*)?>/gi, '')
    .replace(/<[^>]*>/g, '');
  // Entities last, so an escaped "&lt;b&gt;" written by the author stays text.
  return decodeEntities(text);
}

/**
 * The form both sides are compared in: Unicode NFC, whitespace runs as one space, and mentions of
 * remote accounts (@user@example.org) shortened to @user, because that is how Mastodon renders them.
 */
export function comparableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/(^|[^\p{L}\p{N}_/@])@([\p{L}\p{N}_]+)@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu, '$1@$2')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** True when a status's HTML content says what `text` says. */
export function contentMatches(html: string, text: string): boolean {
  return comparableText(htmlToText(html)) === comparableText(text);
}

/*
 * The length Mastodon counts, transcribed from its server. StatusLengthValidator
 * (app/validators/status_length_validator.rb) measures `countable_text`: the status text with every
 * URL that `Extractor.extract_urls_with_indices(text, extract_url_without_protocol: false)` finds
 * replaced by 23 "x" and every mention `@user@domain` that `Extractor.
 * extract_mentions_or_lists_with_indices` finds replaced by `@user` (overlaps dropped by
 * `remove_overlapping_entities`: the earlier entity wins), and counts its grapheme clusters
 * (`each_grapheme_cluster.size`; older releases wrote `mb_chars.grapheme_length`, the same count).
 * A blank text counts nothing. Pieces, as read in mastodon/mastodon:
 *
 * - URLs: the twitter-text gem's extractor, so only URLs written with a scheme, on a domain with a
 *   real TLD (localhost, IP addresses and unknown TLDs count in full), with Mastodon's overrides of
 *   the gem's patterns (config/initializers/twitter_regex.rb): the schemes https?, dat, dweb, ipfs,
 *   ipns, ssb, gopher and gemini; a path runs over anything but white space, <, >, (, ) and ?
 *   (balanced parentheses allowed) and ends on a character other than !*"'「」<>;:=,.$%[]~&|@; a
 *   query takes non-ASCII letters too. The gem's own pieces (preceding character, domain with its
 *   TLD list, port, t.co rule) are twitter-text's, from the JavaScript build of the same 3.1.0.
 * - Mentions: Account::MENTION_RE, `(?<![=/[:word:]])@((USERNAME)(?:@[[:word:]]+([.-]+[[:word:]]+)*)?)`
 *   with USERNAME `[a-z0-9_]+([.-]+[a-z0-9_]+)*` (case-insensitive), dropped when followed by an @,
 *   a Latin accent or "://" (twitter-text's end_mention_match) or when the domain is over 253
 *   characters. So `@foo-bar@example.social` counts as `@foo-bar`, and `x@alice@example.social` is
 *   no mention.
 * - Graphemes: Mastodon runs on Ruby 3.4 (.ruby-version 3.4.8), whose segmentation is Unicode
 *   15.0's: it breaks between a virama and the next consonant (Unicode 15.1's rule GB9c, which
 *   keeps क्ष together, is not in it). Intl.Segmenter follows a newer Unicode, so those joins are
 *   counted apart again here; on a server with a newer Ruby the count can only be lower.
 *
 * Not reproduced: the gem converts a domain with libidn (IDNA 2003), which refuses most labels
 * holding symbols or emoji but maps a few (™ to "tm"); Postgate takes any non-ASCII label with more
 * than letters, marks, digits and "-" as no link, so counts such a link in full where Mastodon may
 * count 23 (more, never less). A combining mark newer than Unicode 15.0 is its own cluster to Ruby
 * (an unassigned code point) and joins its letter here: the only way Postgate can count less.
 * Instances may change the limit (500 by default) and the 23: `check` and the preview take both from
 * postgate.config.yaml (`mastodon.maxCharacters`, `mastodon.charactersReservedPerUrl`), and
 * `publish` from the instance itself (GET /api/v2/instance).
 */
export const MASTODON_MAX_LENGTH = 500;
/** What a link counts on a stock server (StatusLengthValidator::URL_PLACEHOLDER_CHARS). */
export const MASTODON_URL_LENGTH = 23;
const URL_PLACEHOLDER = 'x'.repeat(MASTODON_URL_LENGTH);

const tt = twitterText.regexen;

// \p{White_Space}, for patterns without the u flag (those of twitter-text, which match astral
// characters as surrogate pairs): mastodon-text.test.ts checks the list against the property.
const WHITE_SPACE = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Code points U+10000–U+10FFFF in `ranges`, as UTF-16 surrogate pairs for a pattern without u. */
function astralPattern(ranges: readonly [number, number][]): string {
  const hex = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;
  const alternatives: string[] = [];
  for (const [from, to] of ranges) {
    const [hiFrom, loFrom] = surrogates(from);
    const [hiTo, loTo] = surrogates(to);
    if (hiFrom === hiTo) {
      alternatives.push(`${hex(hiFrom)}[${hex(loFrom)}-${hex(loTo)}]`);
      continue;
    }
    alternatives.push(`${hex(hiFrom)}[${hex(loFrom)}-\\udfff]`);
    if (hiTo - hiFrom > 1) alternatives.push(`[${hex(hiFrom + 1)}-${hex(hiTo - 1)}][\\udc00-\\udfff]`);
    alternatives.push(`${hex(hiTo)}[\\udc00-${hex(loTo)}]`);
  }
  return `(?:${alternatives.join('|')})`;
}

function surrogates(codePoint: number): [number, number] {
  const offset = codePoint - 0x10000;
  return [0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff)];
}

// Mastodon's UCHARS: \u{A0}-\u{D7FF}\u{F900}-\u{FDCF}\u{FDF0}-\u{FFEF}, \u{E000}-\u{F8FF} and
// every plane after the first up to its U+xFFFD, but for U+E0000–U+E0FFF.
const UCHARS_BMP = '\\xa0-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\uffef\\ue000-\\uf8ff';
const UCHARS_ASTRAL = astralPattern(
  Array.from({ length: 16 }, (_, i): [number, number] => [
    i === 13 ? 0xe1000 : (i + 1) * 0x10000,
    (i + 1) * 0x10000 + 0xfffd,
  ]),
);

// valid_general_url_path_chars, valid_url_balanced_parens (Mastodon's), valid_url_path_ending_chars
// and valid_url_path. The initializer redefines the ending characters before the balanced
// parentheses, so the ending characters still hold the gem's own balanced parentheses (the path
// characters of twitter-text inside them): twitter-text's validUrlBalancedParens.
const PATH_CHAR = `[^${WHITE_SPACE}<>()?]`;
const BALANCED_PARENS = `\\((?:${PATH_CHAR}+|(?:${PATH_CHAR}*\\(${PATH_CHAR}+\\)${PATH_CHAR}*))\\)`;
const PATH_END = `(?:[^${WHITE_SPACE}()?!*"'「」<>;:=,.$%\\[\\]~&|@]|(?:${tt.validUrlBalancedParens.source}))`;
const PATH = `(?:(?:${PATH_CHAR}*(?:${BALANCED_PARENS}${PATH_CHAR}*)*${PATH_END})|(?:${PATH_CHAR}+/))`;
const QUERY_CHAR = `(?:[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@^${UCHARS_BMP}]|${UCHARS_ASTRAL})`;
const QUERY_END = `(?:[a-z0-9_&=#/\\-${UCHARS_BMP}]|${UCHARS_ASTRAL})`;

// valid_url: $2 the character before, $3 the URL, $4 the scheme, $5 the domain.
const VALID_URL = new RegExp(
  `((${tt.validUrlPrecedingChars.source})(((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?(${tt.validDomain.source})(?::(${tt.validPortNumber.source}))?(/${PATH}*)?(\\?${QUERY_CHAR}*${QUERY_END})?))`,
  'gi',
);
const MAX_URL_LENGTH = 4096;
const MAX_TCO_SLUG_LENGTH = 40;

interface Entity {
  start: number;
  end: number;
  replacement: string;
}

/**
 * The links Mastodon makes clickable in `text`, as UTF-16 offsets into it: its formatter and its
 * length rule share the same extraction (URLs with a scheme and a real domain, never bare domains).
 */
export function mastodonLinkSpans(text: string): LinkSpan[] {
  return urlEntities(text).map(({ start, end }) => ({ start, end, url: text.slice(start, end) }));
}

const codePoints = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** The gem's extract_urls_with_indices with extract_url_without_protocol: false. */
const urlEntities = rememberLast(findUrlEntities);

function findUrlEntities(text: string): Entity[] {
  // The gem looks for a ":" first; only URLs with a scheme count, and every scheme ends in "://".
  if (!text.includes('://')) return [];
  const found: Entity[] = [];
  VALID_URL.lastIndex = 0;
  for (let m = VALID_URL.exec(text); m; m = VALID_URL.exec(text)) {
    if (!m[4]) continue; // no scheme: Mastodon leaves it as text
    const start = m.index + m[2]!.length;
    let url = m[3]!;
    const tco = tt.validTcoUrl.exec(url);
    if (tco) {
      if (tco[1] && tco[1].length > MAX_TCO_SLUG_LENGTH) continue;
      url = tco[0];
    }
    if (!isValidDomain(url, m[5]!)) continue;
    found.push({ start, end: start + url.length, replacement: URL_PLACEHOLDER });
  }
  return found;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is U+0000–U+007F
const ASCII = /^[\u0000-\u007f]*$/;
const IDN_LABEL = /^[\p{L}\p{M}\p{N}-]+$/u;

/** The gem's is_valid_domain: the domain converts to ASCII (IDNA) and the URL is at most 4,096. */
function isValidDomain(url: string, domain: string): boolean {
  let asciiLength = 0;
  for (const label of domain.split('.')) {
    let ascii = label;
    if (!ASCII.test(label)) {
      if (!IDN_LABEL.test(label)) return false; // see above: counted in full
      ascii = domainToASCII(label);
    }
    if (ascii.length < 1 || ascii.length > 63) return false;
    asciiLength += ascii.length + 1;
  }
  const growth = Math.max(0, asciiLength - 1 - codePoints(domain));
  return codePoints(url) + growth <= MAX_URL_LENGTH;
}

const WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}'; // Ruby's [[:word:]] on a UTF-8 string
const MENTION = new RegExp(
  `(?<![=/${WORD}])@(([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@[${WORD}]+(?:[.-]+[${WORD}]+)*)?)`,
  'giu',
);
const MAX_DOMAIN_LENGTH = 253;

/** Mastodon's Extractor.extract_mentions_or_lists_with_indices. */
function mentionEntities(text: string): Entity[] {
  if (!text.includes('@') && !text.includes('\uff20')) return [];
  const found: Entity[] = [];
  for (const m of text.matchAll(MENTION)) {
    const end = m.index + m[0].length;
    if (tt.endMentionMatch.test(text.slice(end))) continue;
    const [user, domain] = m[1]!.split('@');
    if (domain !== undefined && codePoints(domain) > MAX_DOMAIN_LENGTH) continue;
    found.push({ start: m.index, end, replacement: `@${user}` });
  }
  return found;
}

const BLANK = /^\p{White_Space}*$/u;

/** StatusLengthValidator's countable_text; an instance may count a link as other than 23. */
export function mastodonCountableText(text: string, urlLength = MASTODON_URL_LENGTH): string {
  if (BLANK.test(text)) return '';
  // The extraction is remembered and shared: never changed in place.
  const found = urlEntities(text);
  const urls =
    urlLength === MASTODON_URL_LENGTH ? found : found.map((url) => ({ ...url, replacement: 'x'.repeat(urlLength) }));
  const entities = [...urls, ...mentionEntities(text)].sort((a, b) => a.start - b.start);
  if (entities.length === 0) return text;
  let out = '';
  let last = 0;
  for (const entity of entities) {
    if (entity.start < last) continue; // overlaps the entity before it
    out += text.slice(last, entity.start) + entity.replacement;
    last = entity.end;
  }
  return out + text.slice(last);
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
// A letter right after a mark or ZWJ inside one of Intl.Segmenter's clusters: an Indic conjunct
// (GB9c), which Unicode 15.0 splits. U+0E33, U+0EB3, U+FF9E and U+FF9F are letters that join any
// cluster (Extend or SpacingMark) in every version.
const CONJUNCT_JOIN = /[\p{M}\u200d](?=(?![\u0e33\u0eb3\uff9e\uff9f])\p{L})/gu;
const MAYBE_CONJUNCT = /[\p{M}\u200d](?![\u0e33\u0eb3\uff9e\uff9f])\p{L}/u;

/** Grapheme clusters as Ruby 3.4 (Unicode 15.0) counts them. */
export function rubyGraphemeCount(text: string): number {
  if (!MAYBE_CONJUNCT.test(text)) return graphemeCount(text);
  let n = 0;
  for (const { segment } of segmenter.segment(text)) {
    n++;
    if (segment.length > 2) n += segment.match(CONJUNCT_JOIN)?.length ?? 0;
  }
  return n;
}

/**
 * Mastodon's length of `text`, as its server counts it, each link counting `urlLength` (the
 * instance's characters_reserved_per_url, 23 on a stock server). The default limit is 500.
 */
export function mastodonLength(text: string, urlLength = MASTODON_URL_LENGTH): number {
  return rubyGraphemeCount(mastodonCountableText(text, urlLength));
}
