import twitterText from 'twitter-text';
import { mapSpans, rememberLast, type LinkSpan } from '../core/links.ts';

/**
 * Post text as X sees it. The length and validity are twitter-text's `parseTweet` (X's official
 * library, which X's own clients use to decide whether a post can be sent): links with a real
 * domain count 23 whatever they say, emoji sequences 2, code points in the light ranges
 * (U+0000–U+10FF and a few punctuation ranges) 1 and everything else 2, after NFC normalisation.
 * `check`, the preview, the planner and the X channel all measure through SOCIAL_RULES.x, which
 * uses the two functions below.
 */
export const X_MAX_LENGTH = 280;

// Texts made only of U+0000–U+02FF (Latin with its precomposed accents, below the combining marks)
// skip parseTweet: there every UTF-16 unit is one code point of weight 1, NFC changes nothing (no
// combining mark to compose), no emoji sequence can start (keycaps need U+20E3, flags regional
// indicators; © and ® alone are text) and none of the invalid characters occur, so the weight is
// the length with each link X finds counted 23, as parseTweet's loop counts it. Without a "." there
// is no link to find either (twitter-text's own first test). x-text.test.ts checks the shortcut
// against parseTweet on every such character and on thousands of texts.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose
const BELOW_COMBINING_MARKS = /^[\u0000-\u02ff]*$/;
const URL_WEIGHT = 23;

/** X's weighted length of `text`, as twitter-text's parseTweet counts it. The limit is 280. */
export function xWeightedLength(text: string): number {
  if (!BELOW_COMBINING_MARKS.test(text)) return twitterText.parseTweet(text).weightedLength;
  if (!text.includes('.')) return text.length;
  const urls = xLinkSpans(text);
  if (urls.length === 0) return text.length;
  // parseTweet's loop: at the start of a link add 23 and skip the link's text.
  const byStart = new Map(urls.map((u) => [u.start, u.end - u.start]));
  let weight = 0;
  for (let i = 0; i < text.length; ) {
    const skip = byStart.get(i);
    if (skip !== undefined) {
      weight += URL_WEIGHT;
      i += skip;
    } else {
      weight++;
      i++;
    }
  }
  return weight;
}

/**
 * The links X makes clickable (and counts 23): twitter-text's extractUrlsWithIndices, which finds
 * links with a real domain, with or without a scheme, as parseTweet does. Offsets are UTF-16.
 */
export const xLinkSpans: (text: string) => LinkSpan[] = rememberLast((text) => {
  // Every link X takes has a domain with a dot (twitter-text's own first test).
  if (!text.includes('.')) return [];
  return twitterText
    .extractUrlsWithIndices(text)
    .map(({ indices: [start, end] }) => ({ start, end, url: text.slice(start, end) }));
});

const INVALID_NAMES: Readonly<Record<string, string>> = {
  '\ufeff': 'U+FEFF (zero width no-break space, often a stray byte order mark)',
  '\ufffe': 'U+FFFE (a noncharacter)',
  '\uffff': 'U+FFFF (a noncharacter)',
};

/**
 * Why X refuses `text` whatever its length, or null: twitter-text's `parseTweet` marks a text
 * invalid when it holds U+FFFE, U+FEFF or U+FFFF (its `hasInvalidCharacters`). Together with the
 * length this is parseTweet's `valid`, except for the empty text, which twitter-text calls invalid
 * and X takes when the post has images. (twitter-text 3.1.0 does not refuse the directional
 * formatting characters U+202A–U+202E; it weighs them 2.)
 */
export function xTextRefusal(text: string): string | null {
  if (!twitterText.hasInvalidCharacters(text)) return null;
  const at = text.search(twitterText.regexen.invalidChars);
  const before = Array.from(text.slice(0, at)).slice(-20).join('').replace(/\s+/g, ' ').trimStart();
  const where = before ? `after "${before}"` : 'at the start';
  return `it contains ${INVALID_NAMES[text[at]!] ?? 'an invalid character'} ${where}, and X refuses any post that holds one; delete that invisible character`;
}

/**
 * Compares the text we sent with the text X gives back. X rewrites every link (bare domains too) to
 * a t.co address, escapes &, < and >, may start a reply with the @names it answers, and ends the
 * text of a post with images with one more t.co link that points at them.
 */
const LINK = '\u0000link\u0000';

export function comparableText(text: string): string {
  const unescaped = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const normal = unescaped.normalize('NFC');
  return mapSpans(normal, xLinkSpans(normal), () => LINK)
    .replace(/^(@\w+\s+)+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when a post X returned has the text we sent: `sent` is comparableText of what we sent. */
export function sameText(returned: string, sent: string): boolean {
  let candidate = comparableText(returned);
  if (candidate === sent) return true;
  // The media link X appends, at most four of them for good measure.
  for (let i = 0; i < 4 && candidate.endsWith(LINK); i++) {
    candidate = candidate.slice(0, -LINK.length).trimEnd();
    if (candidate === sent) return true;
  }
  return false;
}
