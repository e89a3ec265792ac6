/**
 * Finds links in post text. Networks shorten or count links specially, and UTM tagging rewrites
 * them, so all of that starts from the same list of spans.
 */
export interface LinkSpan {
  start: number;
  end: number;
  url: string;
  /** True when written with http:// or https://, false for a bare domain such as example.org. */
  hasScheme: boolean;
}

// Bare domains are only recognised for common top-level domains, as twitter-text does with its
// TLD list: "node.js" or "e.g." must not be counted as links.
const BARE_TLDS =
  'com|org|net|edu|gov|io|co|dev|app|ai|info|biz|me|tv|eu|uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|ie|us|ca|au|nz|jp|cn|in|br|mx|ru|blog|news|social|xyz|site|online|tech|studio|shop';
const SCHEME_URL = String.raw`(?<![\w])https?:\/\/[^\s<>"'\u200b]+`;
const BARE_URL = String.raw`(?<![\w@.\/-])(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:${BARE_TLDS})(?![\w-])(?:\/[^\s<>"'\u200b]*)?`;
const LINK = new RegExp(`${SCHEME_URL}|${BARE_URL}`, 'giu');
const TRAILING = /[.,;:!?'"\u2019\u201d*_]+$/;

// The same text is measured for X and Mastodon and tagged for Bluesky, one after another: the
// last answer is kept (spans are never changed by their users).
let lastText: string | undefined;
let lastSpans: readonly LinkSpan[] = [];

export function findLinks(text: string): readonly LinkSpan[] {
  if (text === lastText) return lastSpans;
  const spans = scanLinks(text);
  lastText = text;
  lastSpans = spans;
  return spans;
}

function scanLinks(text: string): readonly LinkSpan[] {
  const spans: LinkSpan[] = [];
  for (const m of text.matchAll(LINK)) {
    let url = m[0];
    // Trailing punctuation ends the sentence, not the link; a closing parenthesis belongs to the
    // link only when the link opened one (Wikipedia-style URLs).
    for (;;) {
      const trimmed = url.replace(TRAILING, '');
      const unbalanced = trimmed.endsWith(')') && count(trimmed, '(') < count(trimmed, ')');
      const next = unbalanced ? trimmed.slice(0, -1) : trimmed;
      if (next === url) break;
      url = next;
    }
    if (!url) continue;
    spans.push({ start: m.index, end: m.index + url.length, url, hasScheme: /^https?:\/\//i.test(url) });
  }
  return spans;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) if (c === ch) n++;
  return n;
}

/** Rewrites every link with `rewrite`, leaving the rest of the text as it was. */
export function mapLinks(text: string, rewrite: (link: LinkSpan) => string): string {
  let out = '';
  let last = 0;
  for (const link of findLinks(text)) {
    out += text.slice(last, link.start) + rewrite(link);
    last = link.end;
  }
  return out + text.slice(last);
}
