import { domainToUnicode } from 'node:url';

/**
 * Telling a link to the site from links elsewhere. Hosts are compared in ASCII (punycode), lower
 * case and without "www.", so `bücher.example`, `xn--bcher-kva.example` and `WWW.Bücher.example`
 * are one site. A link's host is read from the text as written, with or without a scheme.
 */
export interface SiteHost {
  /** The host in ASCII: `xn--bcher-kva.example`. */
  ascii: string;
  /** The host as people write it: `bücher.example` (the same as `ascii` for an ASCII domain). */
  unicode: string;
}

const sites = new Map<string, SiteHost | null>();

/** The site's host, read once per address; null when the address has none. */
export function siteHostOf(siteUrl: string): SiteHost | null {
  let site = sites.get(siteUrl);
  if (site === undefined) {
    site = readSiteHost(siteUrl);
    sites.set(siteUrl, site);
  }
  return site;
}

function readSiteHost(siteUrl: string): SiteHost | null {
  let hostname: string;
  try {
    hostname = new URL(siteUrl).hostname;
  } catch {
    return null;
  }
  const ascii = withoutWww(hostname.toLowerCase());
  return ascii ? { ascii, unicode: domainToUnicode(ascii) || ascii } : null;
}

/**
 * The ASCII host of a link as written in a post, read as a browser reads it (a bare domain as
 * https://), or null: no host, an address a browser cannot open, or a user name in front of the host.
 */
export function linkHostOf(link: string): string | null {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(link) ? link : `https://${link}`);
  } catch {
    return null;
  }
  // `https://example.org@evil.example/` leads to evil.example: never the site's link.
  if (url.username || url.password || !/^https?:$/.test(url.protocol)) return null;
  const host = url.hostname.replace(/\.$/, '');
  return host ? withoutWww(host) : null;
}

export function isSiteLink(link: string, site: SiteHost): boolean {
  return linkHostOf(link) === site.ascii;
}

/** A quick test that lets texts with no mention of the site skip link detection entirely. */
export function mayMentionSite(text: string, site: SiteHost): boolean {
  const lower = text.toLowerCase();
  return lower.includes(site.ascii) || (site.unicode !== site.ascii && lower.includes(site.unicode));
}

function withoutWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}
