import { posix } from 'node:path';

/**
 * The repository file the published site serves at an address a page loads, as the reader's browser
 * resolves it from the page's own address: the site's static files are `public/` (Astro's public
 * folder), served under the site's base path. So on `https://example.org`, `/images/x.png` and
 * `https://example.org/images/x.png` are `public/images/x.png`, and `x.png` on the page
 * `/posts/welcome/` is `public/posts/welcome/x.png`.
 *
 * Undefined when the address is not this site's: another site (a CDN, `data:`), or, for a site under
 * a base path (`https://you.github.io/repo`), a path outside it such as `/x.png`.
 */
export function servedFile(address: string, pageUrl: string, siteUrl: string): string | undefined {
  const site = URL.parse(siteUrl);
  const url = URL.parse(address.trim(), pageUrl);
  if (!site || !url || url.origin !== site.origin) return undefined;
  const base = site.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${base}/`)) return undefined;
  let path = url.pathname.slice(base.length);
  try {
    path = decodeURIComponent(path); // the server reads `%20` as a space
  } catch {}
  const file = posix.normalize(`public${path}`);
  return file.startsWith('public/') ? file : undefined;
}
