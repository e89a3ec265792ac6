/**
 * Whether a page that answered at a post's address is that post: its <title> or one of its <h1>
 * headings holds the post's title. An answer of 200 alone is not enough: a host's catch-all page,
 * an older deployment or a parked domain answer 200 too. The site's layout (src/layouts/Base.astro)
 * writes `<title>{title} · {site title}</title>` and the post page `<h1>{title}</h1>`, escaping
 * & < > " ' as entities; a theme that reorders the <title> still shows the title in it or in an <h1>.
 * Pure: the HTML and the title in, a yes or no out.
 */
export function pageShowsPost(html: string, title: string): boolean {
  const wanted = normalize(title);
  if (wanted === '') return false;
  const page = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  const texts = [
    ...page.matchAll(/<title\b[^>]*>([\s\S]*?)<\/title\s*>/gi),
    ...page.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/gi),
  ].map((m) => normalize(decodeEntities(m[1]!.replace(/<[^>]*>/g, ''))));
  return texts.some((text) => text.includes(wanted));
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
