import type { SiteAddress } from './site-config.ts';

/**
 * Links inside posts. A writer links to another post as `/posts/welcome/` or with the full
 * address `https://example.org/posts/welcome/`; both must keep working in the preview, on the
 * published site and under a base path (`https://user.github.io/repo`). So a link to the site
 * itself becomes a path from the site's root with the base in front, and every other link is
 * left exactly as written.
 */
export function siteHref(href: string, address: SiteAddress): string {
  const base = address.base === '/' ? '' : address.base;
  if (href.startsWith('/') && !href.startsWith('//')) {
    if (
      base === '' ||
      href === base ||
      href.startsWith(`${base}/`) ||
      href.startsWith(`${base}?`) ||
      href.startsWith(`${base}#`)
    )
      return href;
    return `${base}${href}`;
  }
  if (!/^https?:\/\//i.test(href)) return href;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return href;
  }
  if (url.origin !== address.origin) return href;
  const inside = base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
  return inside ? `${url.pathname}${url.search}${url.hash}` : href;
}

/** The joins the pages make: a path from the site's root, with the base in front. */
export function withBase(path: string, address: SiteAddress): string {
  const base = address.base === '/' ? '' : address.base;
  return `${base}/${path.replace(/^\/+/, '')}`;
}

/** The smallest shape of a Sätteri HAST plugin (Astro 7's Markdown and MDX processor). */
interface HastElement {
  tagName: string;
  properties?: Record<string, unknown>;
}
interface HastContext {
  setProperty(node: HastElement, key: string, value: unknown): void;
}
export interface SiteLinksPlugin {
  name: string;
  element: { filter: string[]; visit(node: HastElement, ctx: HastContext): void };
}

export function siteLinksPlugin(address: SiteAddress): SiteLinksPlugin {
  return {
    name: 'postgate-site-links',
    element: {
      filter: ['a'],
      visit(node, ctx) {
        const href = node.properties?.href;
        if (typeof href !== 'string') return;
        const next = siteHref(href, address);
        if (next !== href) ctx.setProperty(node, 'href', next);
      },
    },
  };
}
