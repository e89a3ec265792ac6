import { mapLinks } from '../core/links.ts';

/**
 * Compares the text we sent with the text X gives back. X rewrites every link (bare domains too) to
 * a t.co address, escapes &, < and >, may start a reply with the @names it answers, and ends the
 * text of a post with images with one more t.co link that points at them.
 */
const LINK = '\u0000link\u0000';

export function comparableText(text: string): string {
  const unescaped = text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return mapLinks(unescaped.normalize('NFC'), () => LINK)
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
