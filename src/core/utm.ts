import type { SocialChannelId } from './channels.ts';
import { mapLinks } from './links.ts';

/**
 * Tags links to the site's own domain so its analytics can tell which post on which network
 * brought a reader in. Other sites' links are left alone: their analytics are not ours to fill.
 */
export interface UtmContext {
  siteUrl: string;
  channel: SocialChannelId;
  campaign: string;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^www\./, '').toLowerCase();
  } catch {
    return null;
  }
}

/** The site's host, parsed once per site rather than once per link. */
const siteHosts = new Map<string, string | null>();

function siteHostOf(siteUrl: string): string | null {
  let host = siteHosts.get(siteUrl);
  if (host === undefined) siteHosts.set(siteUrl, (host = hostOf(siteUrl)));
  return host;
}

export function tagLink(url: string, ctx: UtmContext): string {
  const site = siteHostOf(ctx.siteUrl);
  // Most links to other sites can be told apart without parsing them.
  if (!site || !url.toLowerCase().includes(site)) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!site || parsed.hostname.replace(/^www\./, '').toLowerCase() !== site) return url;
  // A writer who set their own UTM parameters meant them.
  if ([...parsed.searchParams.keys()].some((k) => k.startsWith('utm_'))) return url;
  parsed.searchParams.append('utm_source', ctx.channel);
  parsed.searchParams.append('utm_medium', 'social');
  parsed.searchParams.append('utm_campaign', ctx.campaign);
  return parsed.toString();
}

/** Tags every link with a scheme in `text`; bare domains are left as written (they are not clickable everywhere). */
export function tagLinks(text: string, ctx: UtmContext): string {
  return mapLinks(text, (link) => (link.hasScheme ? tagLink(link.url, ctx) : link.url));
}
