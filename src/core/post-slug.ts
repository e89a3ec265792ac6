/**
 * Which of the site's posts an address leads to: `https://example.org/posts/<slug>/` (under the
 * site's base path), `www.` or not. Shared by the Bluesky link card and the preview's link warnings.
 * `relative`: the address was written from the site's root, so the base path may be missing.
 */
export function postSlugOf(url: string, siteUrl: string, relative: boolean): string | null {
  let site: URL;
  let target: URL;
  try {
    site = new URL(siteUrl);
    target = new URL(url);
  } catch {
    return null;
  }
  if (target.hostname.replace(/^www\./, '') !== site.hostname.replace(/^www\./, '')) return null;
  const base = site.pathname.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A path from the site's root works with or without the base path in front (see src/site/site-links.ts).
  const m = new RegExp(`^${relative ? `(?:${base})?` : base}/posts/(.+?)/?$`).exec(target.pathname);
  if (!m) return null;
  // A segment whose escapes are broken (`%E0`) is taken as written: never a throw.
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}

/**
 * A post's public address: `<site.url>/posts/<slug>/`, site.url as the config holds it (no trailing
 * slash, its base path kept). The address the announcement links to, the release records, and the
 * publisher asks before it announces the post; postSlugOf reads it back.
 */
export function postUrl(siteUrl: string, slug: string): string {
  return `${siteUrl.replace(/\/+$/, '')}/posts/${slug}/`;
}
