/**
 * Whether a page that answered at a post's address is that post: its heading, the post page's own
 * `<h1 id="post-title">` (src/pages/posts/[...slug].astro), says exactly the post's title. An answer
 * of 200 alone is not enough: a host's catch-all page, an older deployment or a parked domain answer
 * 200 too, and a home page whose title merely contains the post's (a post "Food Bank" on "Riverside
 * Food Bank") is not the post. Astro escapes & < > " ' in it as entities; tags inside are dropped.
 *
 * Linear in the page's size, whatever it holds: a page is up to a megabyte an insider can shape (an
 * approved post's alt text), and a backtracking pattern over it would stall the run. So the heading
 * is found with indexOf, and only MAX_HEADING characters of it are read.
 * Pure: the HTML and the title in, a yes or no out.
 */
export function pageShowsPost(html: string, title: string): boolean {
  const wanted = normalize(title);
  if (wanted === '') return false;
  const heading = postHeading(html);
  return heading !== null && normalize(decodeEntities(heading)) === wanted;
}

/** A title is a line; a heading far longer than any is not the post's. */
const MAX_HEADING = 4096;
const MARKER = 'id="post-title"';

/** The text of the first `<h1 … id="post-title" …>`, its tags dropped; null when there is none. */
function postHeading(html: string): string | null {
  for (let at = html.indexOf(MARKER); at !== -1; at = html.indexOf(MARKER, at + MARKER.length)) {
    const open = html.lastIndexOf('<', at);
    const close = html.indexOf('>', at);
    if (open === -1 || close === -1 || html.slice(open, open + 3).toLowerCase() !== '<h1') continue;
    if (html.slice(open, at).includes('>')) continue; // the marker is not in this tag
    const end = html.indexOf('</h1', close);
    if (end === -1 || end - close > MAX_HEADING) return null;
    return dropTags(html.slice(close + 1, end));
  }
  return null;
}

/** Text with its tags removed, in one pass (bounded by MAX_HEADING). */
function dropTags(text: string): string {
  let out = '';
  let inTag = false;
  for (const ch of text) {
    if (ch === '<') inTag = true;
    else if (ch === '>' && inTag) inTag = false;
    else if (!inTag) out += ch;
  }
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The entities an HTML writer uses for text (named ones for & < > " ' and no-break space, and numeric ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (entity, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? entity;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : entity;
  });
}

/** One form of a text for comparing: Unicode NFC, runs of whitespace (no-break spaces too) as one space, trimmed. */
const normalize = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();
