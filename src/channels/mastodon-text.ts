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
