import { domainToASCII } from 'node:url';
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { RandomText } from '../../tests/helpers/random-text.ts';
import { measureFor } from '../core/channels.ts';
import { contentMatches, mastodonCountableText, mastodonLength, rubyGraphemeCount } from './mastodon-text.ts';

/*
 * REFERENCE: a second transcription of Mastodon's length rule, written for this test from the Ruby
 * source and kept plain, to check Postgate's (src/channels/mastodon-text.ts) on thousands of texts:
 *
 *   app/validators/status_length_validator.rb   countable_length(countable_text(text)):
 *     return '' if str.blank?
 *     entities = Extractor.remove_overlapping_entities(
 *       Extractor.extract_urls_with_indices(str, extract_url_without_protocol: false) +
 *       Extractor.extract_mentions_or_lists_with_indices(str))
 *     rewrite_entities: url -> 'x' * 23, mention -> "@#{screen_name.split('@').first}"
 *     countable_length: str.each_grapheme_cluster.size
 *   app/lib/extractor.rb                          extract_mentions_or_lists_with_indices:
 *     text.scan(Account::MENTION_RE), skipped when the rest matches end_mention_match or the
 *     domain is longer than 253
 *   app/models/account.rb                         USERNAME_RE = /[a-z0-9_]+([.-]+[a-z0-9_]+)*\/i
 *     MENTION_RE = %r{(?<![=/[:word:]])@((#{USERNAME_RE})(?:@[[:word:]]+([.-]+[[:word:]]+)*)?)}
 *   twitter-text gem 3.1.0 extractor.rb           extract_urls_with_indices: scan valid_url; with
 *     no protocol, next; t.co slug over 40, next; next unless is_valid_domain (IDNA toASCII,
 *     URL at most 4,096 characters)
 *   config/initializers/twitter_regex.rb          Mastodon's overrides of valid_url and its parts
 *
 * Unlike Postgate's, this one finds a URL's port, path and query by walking its characters with the
 * rules those regular expressions state, instead of one regular expression: the part up to the
 * domain is twitter-text's own patterns (the gem's and the JavaScript library's are the same 3.1.0).
 * Both share the stand-ins described in mastodon-text.ts (IDNA without libidn; Unicode 15.0
 * graphemes from Intl.Segmenter).
 */
const tt = twitterText.regexen;
const URL_HEAD = new RegExp(
  `(${tt.validUrlPrecedingChars.source})((?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://)?(${tt.validDomain.source})`,
  'gi',
);
const isWhiteSpace = (c: string) => /^\p{White_Space}$/u.test(c);
// valid_general_url_path_chars = /[^\p{White_Space}<>()?]/iou
const isPathChar = (c: string) => !isWhiteSpace(c) && !'<>()?'.includes(c);
// valid_url_path_ending_chars = /[^\p{White_Space}()?!*"'「」<>;:=,.$%\[\]~&|@]|(?:#{valid_url_balanced_parens})/iou
const isPathEndChar = (c: string) => !isWhiteSpace(c) && !'()?!*"\'「」<>;:=,.$%[]~&|@'.includes(c);
// ...whose balanced parentheses are still the gem's (redefined only after it), built on the gem's
// valid_general_url_path_chars = /[a-z#{CYRILLIC_CHARS}0-9!\*';:=\+\,\.\$\/%#\[\]\-\u2013_~&\|@#{LATIN_ACCENTS}]/io
const LATIN_ACCENTS =
  '\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff';
const GEM_PATH_CHAR = new RegExp(`^[a-z\u0400-\u04ff0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~&|@${LATIN_ACCENTS}]$`, 'i');
const isGemPathChar = (c: string) => GEM_PATH_CHAR.test(c);
// UCHARS, as written in twitter_regex.rb
const UCHARS: [number, number][] = [
  [0xa0, 0xd7ff],
  [0xf900, 0xfdcf],
  [0xfdf0, 0xffef],
  ...Array.from({ length: 13 }, (_, i): [number, number] => [(i + 1) * 0x10000, (i + 1) * 0x10000 + 0xfffd]),
  [0xe1000, 0xefffd],
  [0xe000, 0xf8ff],
  [0xf0000, 0xffffd],
  [0x100000, 0x10fffd],
];
const isUchar = (c: string) => UCHARS.some(([from, to]) => c.codePointAt(0)! >= from && c.codePointAt(0)! <= to);
// valid_url_query_chars = %r{[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@\^#{UCHARS}]}iou
const isQueryChar = (c: string) => /^[a-z0-9!?*'();:&=+$/%#[\]\-_.,~|@^]$/i.test(c) || isUchar(c);
// valid_url_query_ending_chars = %r{[a-z0-9_&=#/\-#{UCHARS}]}iou
const isQueryEndChar = (c: string) => /^[a-z0-9_&=#/-]$/i.test(c) || isUchar(c);

/** valid_url_balanced_parens at cps[i] over `isChar`: \((?:C+|(?:C*\(C+\)C*))\); its end, or -1. */
function balancedEnd(cps: readonly string[], i: number, isChar: (c: string) => boolean): number {
  const run = (from: number) => {
    let j = from;
    while (j < cps.length && isChar(cps[j]!)) j++;
    return j;
  };
  if (cps[i] !== '(') return -1;
  const j = run(i + 1);
  if (j > i + 1 && cps[j] === ')') return j + 1;
  if (cps[j] !== '(') return -1;
  const k = run(j + 1);
  if (k === j + 1 || cps[k] !== ')') return -1;
  const m = run(k + 1);
  return cps[m] === ')' ? m + 1 : -1;
}

/** Where (?::port)?(/valid_url_path*)?(\?query_chars*query_ending_char)? ends, from cps[p]. */
function urlEnd(cps: readonly string[], p: number): number {
  let i = p;
  if (cps[i] === ':' && /[0-9]/.test(cps[i + 1] ?? '')) for (i++; /[0-9]/.test(cps[i] ?? ''); i++);
  if (cps[i] === '/') {
    // G*(B G*)* E repeated, or G+/: the longest run of path characters and balanced groups, cut
    // back to its last ending character (or to a group the gem's parentheses also match).
    let j = i + 1;
    let end = i + 1;
    while (j < cps.length) {
      if (isPathChar(cps[j]!)) {
        if (isPathEndChar(cps[j]!)) end = j + 1;
        j++;
        continue;
      }
      const group = balancedEnd(cps, j, isPathChar);
      if (group < 0) break;
      if (balancedEnd(cps, j, isGemPathChar) === group) end = group;
      j = group;
    }
    i = end;
  }
  if (cps[i] === '?') {
    let end = -1;
    for (let j = i + 1; j < cps.length && isQueryChar(cps[j]!); j++) if (isQueryEndChar(cps[j]!)) end = j + 1;
    if (end > 0) i = end;
  }
  return i;
}

interface RefEntity {
  start: number; // code point index
  end: number;
  url?: string;
  screenName?: string;
}

function refUrls(text: string): RefEntity[] {
  if (!text.includes(':')) return [];
  const cps = Array.from(text);
  // Ruby counts in code points: the code point index of each UTF-16 offset, and back.
  const cpAt: number[] = [];
  const unitAt: number[] = [];
  cps.forEach((c, i) => {
    unitAt.push(cpAt.length);
    for (const _ of c.split('')) cpAt.push(i);
  });
  cpAt.push(cps.length);
  unitAt.push(text.length);
  const urls: RefEntity[] = [];
  URL_HEAD.lastIndex = 0;
  for (let m = URL_HEAD.exec(text); m; m = URL_HEAD.exec(text)) {
    const start = cpAt[m.index + m[1]!.length]!;
    const end = urlEnd(cps, cpAt[m.index + m[0].length]!);
    URL_HEAD.lastIndex = unitAt[end]!; // scan goes on after the whole match
    if (!m[2]) continue;
    let url = cps.slice(start, end).join('');
    let urlEndAt = end;
    const tco = url.match(tt.validTcoUrl);
    if (tco) {
      if (tco[1] && tco[1].length > 40) continue;
      url = tco[0];
      urlEndAt = start + Array.from(url).length;
    }
    if (!refIsValidDomain(url, m[3]!)) continue;
    urls.push({ start, end: urlEndAt, url });
  }
  return urls;
}

function refIsValidDomain(url: string, domain: string): boolean {
  const labels: string[] = [];
  for (const label of domain.split('.')) {
    if (/^[\x20-\x7e]*$/.test(label)) labels.push(label);
    else if (!/^[\p{L}\p{M}\p{N}-]+$/u.test(label)) return false;
    else labels.push(domainToASCII(label));
  }
  if (labels.some((l) => l.length < 1 || l.length > 63)) return false;
  const encoded = labels.join('.');
  let urlLength = Array.from(url).length;
  if (encoded.length > Array.from(domain).length) urlLength += encoded.length - Array.from(domain).length;
  return urlLength <= 4096;
}

const WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';
const MENTION_RE = new RegExp(
  `(?<![=/${WORD}])@(([a-z0-9_]+([.-]+[a-z0-9_]+)*)(?:@[${WORD}]+([.-]+[${WORD}]+)*)?)`,
  'giu',
);
// end_mention_match = /\A(?:#{at_signs}|#{latin_accents}|:\/\/)/io, latin_accents = /[#{LATIN_ACCENTS}]+/o
const END_MENTION_MATCH = new RegExp(`^(?:[@＠]|[${LATIN_ACCENTS}]+|://)`, 'i');

function refMentions(text: string): RefEntity[] {
  if (!/[@＠]/.test(text)) return [];
  const mentions: RefEntity[] = [];
  for (const m of text.matchAll(MENTION_RE)) {
    const after = text.slice(m.index + m[0].length);
    if (END_MENTION_MATCH.test(after)) continue;
    const domain = m[1]!.split('@')[1];
    if (domain && Array.from(domain).length > 253) continue;
    const start = Array.from(text.slice(0, m.index)).length;
    mentions.push({ start, end: start + Array.from(m[0]).length, screenName: m[1]! });
  }
  return mentions;
}

function refCountableText(text: string): string {
  if (/^\p{White_Space}*$/u.test(text)) return '';
  const sorted = [...refUrls(text), ...refMentions(text)].sort((a, b) => a.start - b.start);
  const kept: RefEntity[] = [];
  for (const e of sorted) if (!(kept.length && kept[kept.length - 1]!.end > e.start)) kept.push(e);
  const cps = Array.from(text);
  let result = '';
  let last = 0;
  for (const e of kept) {
    result += cps.slice(last, e.start).join('');
    result += e.url !== undefined ? 'x'.repeat(23) : `@${e.screenName!.split('@')[0]}`;
    last = e.end;
  }
  return result + cps.slice(last).join('');
}

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** Unicode 15.0 grapheme clusters: Intl.Segmenter's, split again where GB9c joined a conjunct. */
function refGraphemes15(text: string): number {
  let n = 0;
  for (const { segment } of segmenter.segment(text))
    n += segment.length < 3 ? 1 : segment.split(/(?<=[\p{M}\u200d])(?=\p{L})(?![\u0e33\u0eb3\uff9e\uff9f])/u).length;
  return n;
}

const referenceLength = (text: string) => refGraphemes15(refCountableText(text));

// END OF REFERENCE

interface Disagreement {
  case: number;
  text: string;
  postgate: number;
  reference: number;
  countable: [string, string];
}

function compare(texts: readonly string[]): Disagreement[] {
  const out: Disagreement[] = [];
  texts.forEach((text, i) => {
    const reference = referenceLength(text);
    const verdict = measureFor('mastodon', text);
    if (verdict.length !== reference || verdict.ok !== reference <= 500)
      out.push({
        case: i,
        text,
        postgate: verdict.length,
        reference,
        countable: [mastodonCountableText(text), refCountableText(text)],
      });
  });
  return out;
}

function randomTexts(seed: number, count: number): string[] {
  const r = new RandomText(seed);
  return Array.from({ length: count }, () => r.text(1 + r.int(r.chance(0.2) ? 90 : 25)));
}

function textsAtTheLimit(seed: number, count: number): string[] {
  const r = new RandomText(seed);
  const texts: string[] = [];
  while (texts.length < count) {
    const target = 495 + r.int(11);
    let text = r.text(1 + r.int(20));
    const fill = r.filler();
    // Padded by Postgate's count (quicker); the comparison below is with the reference's.
    for (let length = mastodonLength(text), guard = 0; length < target && guard < 100; guard++) {
      for (let i = Math.max(1, Math.floor((target - length) / 2)); i > 0; i--) text += fill();
      length = mastodonLength(text);
    }
    if (Math.abs(mastodonLength(text) - 500) <= 6) texts.push(text);
  }
  return texts;
}

describe("Mastodon lengths equal a transcription of Mastodon's server rule (differential)", () => {
  it('on 6,000 random texts: emoji, CJK, conjuncts, links with and without scheme, IDN, mentions', () => {
    expect(compare(randomTexts(0x3a57_0001, 6000)).slice(0, 5)).toEqual([]);
  });

  it('on 800 texts within 6 of the 500 limit, where the verdict flips', () => {
    const texts = textsAtTheLimit(0x3a57_0002, 800);
    expect(texts.filter((t) => mastodonLength(t) <= 500).length).toBeGreaterThan(200);
    expect(texts.filter((t) => mastodonLength(t) > 500).length).toBeGreaterThan(200);
    expect(compare(texts).slice(0, 5)).toEqual([]);
  });

  it('ends a link at every white space character and only there, and reads every query character', () => {
    const texts: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp += cp < 0x3100 ? 1 : 97) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCharCode(cp);
      texts.push(`https://example.com/a${c}b`, `https://example.com/?q=${c}`, `https://example.com/a${c}`);
    }
    for (const cp of [
      0x1fffd, 0x1fffe, 0x1ffff, 0x20000, 0xe0001, 0xe0fff, 0xe1000, 0xefffd, 0xefffe, 0xf0000, 0x10fffd,
    ]) {
      const c = String.fromCodePoint(cp);
      texts.push(`https://example.com/?q=${c}`, `https://example.com/?q=a${c}b`, `https://example.com/x${c}`);
    }
    expect(compare(texts).slice(0, 5)).toEqual([]);
  });
});

describe('mastodonLength, by hand (the cases of issue 13 among them)', () => {
  const cases: [string, number][] = [
    ['https://localhost:3000/x', 24], // no TLD: not a link to Mastodon, counted in full
    ['https://127.0.0.1/x', 19],
    ['@foo-bar@example.social', 8], // counts as @foo-bar
    ['x@alice@example.social', 22], // no mention: the @ follows a letter
    ['hi @alice@mastodon.social', 9],
    ['@bob@example.org and @carol@chaos.social', 15],
    ['mail me@example.org', 19],
    ['hi @noël@example.social', 23], // "@no" followed by a Latin accent is no mention
    ['@alice@mastodon.social read https://example.org/a-long-path-here', 12 + 23],
    ['see example.org now', 19], // no scheme, no link
    ['bit.ly/x', 8],
    ['https://bit.ly/x', 23],
    ['gemini://example.org/x', 23],
    ['ftp://example.org/x', 19],
    [`https://example.org/${'x'.repeat(100)}`, 23],
    ['go https://example.org/x?y=1 now', 3 + 23 + 4],
    ['see https://example.org/posts/a/日本 now', 4 + 23 + 4], // the path takes 日本
    ['https://example.com/a~', 24], // ~ cannot end a path
    ["https://example.org/it's-here", 23],
    ['https://en.wikipedia.org/wiki/Primer_(film)', 23],
    ['https://ja.wikipedia.org/wiki/日本_(日本)', 27], // the gem's parentheses take no CJK at the end
    ['https://example.com/?q=日本 x', 25],
    ['https://t.co/abc?x=1', 23],
    ['👨‍👩‍👧🇩🇪', 2],
    ['日本語', 3],
    ['क्ष', 2], // Ruby 3.4 (Unicode 15.0) splits the conjunct
    ['a\u0301', 1],
    [' \n\t ', 0], // blank counts nothing
  ];
  it.each(cases)('%j counts %i', (text, expected) => {
    expect(mastodonLength(text)).toBe(expected);
    expect(referenceLength(text)).toBe(expected);
  });
});

describe('rubyGraphemeCount', () => {
  it('splits Indic conjuncts as Unicode 15.0 does, and nothing else', () => {
    expect(rubyGraphemeCount('क्षत्रिय')).toBe(5); // क्, ष, त्, रि, य
    expect(rubyGraphemeCount('क्\u200dष')).toBe(2);
    expect(rubyGraphemeCount('กำ ｶﾞ')).toBe(3);
    expect(rubyGraphemeCount('👩🏽‍💻 e\u0301')).toBe(3);
  });

  it('treats as joining (Extend or SpacingMark) exactly the letters Intl.Segmenter joins after a mark', () => {
    const joining: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (/\p{L}/u.test(c) && Array.from(segmenter.segment(`a\u0301${c}`)).length === 1) joining.push(cp);
    }
    expect(joining).toEqual([0x0e33, 0x0eb3, 0xff9e, 0xff9f]);
  });
});

describe('contentMatches', () => {
  it('still compares the HTML Mastodon returns with the text sent', () => {
    expect(contentMatches('<p>hi <a href="x">@alice</a></p>', 'hi @alice@example.social')).toBe(true);
  });
});
