import { SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { mapSpans, type LinkSpan } from './links.ts';
import { isSiteLink, mayMentionSite, siteHostOf } from './site-host.ts';

/**
 * Tags links to the site's own domain so its analytics can tell which post on which network
 * brought a reader in. Other sites' links are left alone: their analytics are not ours to fill.
 *
 * A link is tagged only where the network will make it clickable, on exactly the span the network
 * finds (its own rule, SOCIAL_RULES[channel].linkSpans), and only by adding text: the query
 * separator and the three parameters, before any fragment. The link is never re-serialised, so
 * what the owner approved reads the same, `café` stays `café` and `?a=1;b=2` stays as written.
 */
export interface UtmContext {
  siteUrl: string;
  channel: SocialChannelId;
  campaign: string;
  /** `utm_content`, after the three: who shared it (a staff member's share kit, src/core/share-kit.ts). */
  content?: string;
}

/** A link to the site that is left untagged, and why: `check` shows it as a warning. */
export interface UntaggedLink {
  url: string;
  reason: string;
}

export interface TaggedText {
  text: string;
  untagged: UntaggedLink[];
}

export function tagLinks(text: string, ctx: UtmContext): string {
  return tagLinksExplained(text, ctx).text;
}

export function tagLinksExplained(text: string, ctx: UtmContext): TaggedText {
  const site = siteHostOf(ctx.siteUrl);
  if (!site || !mayMentionSite(text, site)) return { text, untagged: [] };
  const rules = SOCIAL_RULES[ctx.channel];
  const params = utmParams(ctx);
  const untagged: UntaggedLink[] = [];
  const spans = rules.linkSpans(text);
  const tagged = mapSpans(text, spans, (link) => {
    if (!isSiteLink(link.url, site) || hasUtm(link.url)) return link.url;
    const why = cutShort(text, link, rules.name) ?? misread(text, link, withParams(link.url, params), rules);
    if (why === null) return withParams(link.url, params);
    untagged.push({ url: link.url, reason: why });
    return link.url;
  });
  return { text: tagged, untagged };
}

function utmParams(ctx: UtmContext): string {
  return new URLSearchParams([
    ['utm_source', ctx.channel],
    ['utm_medium', 'social'],
    ['utm_campaign', ctx.campaign],
    ...(ctx.content === undefined ? [] : [['utm_content', ctx.content]]),
  ]).toString();
}

/** `url` with `params` added to its query (made if it has none), before the fragment. */
export function withParams(url: string, params: string): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const fragment = hash < 0 ? '' : url.slice(hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${params}${fragment}`;
}

/** A writer who set their own UTM parameters meant them. */
function hasUtm(url: string): boolean {
  const hash = url.indexOf('#');
  return /[?&;]utm_[a-z]+=/i.test(hash < 0 ? url : url.slice(0, hash));
}

// What, written right after a link, most likely belongs to it: a letter, a digit, a mark, or a
// character of a URL's path or query; an apostrophe only when a letter or digit follows (`it's`).
const CONTINUES = /^(?:[\p{L}\p{N}\p{M}_\-~/=&%+@$*|#]|['’][\p{L}\p{N}])/u;

/**
 * Why the network's link stops before what the writer seems to have meant (`…/a_`, `…/it's-here`,
 * a CJK word with no space before it), or null. Tagging there would send readers to the shorter
 * address with the parameters, so the link is left as written and the writer is told.
 */
function cutShort(text: string, link: LinkSpan, network: string): string | null {
  const after = text.slice(link.end);
  if (!CONTINUES.test(after)) return null;
  const rest = [...after.slice(0, 24).split(/\s/, 1)[0]!].slice(0, 12).join('');
  return `${network} makes only "${link.url}" a link and leaves "${rest}" after it as text, so readers would not reach the address as written; put a space after the link, or end the link where ${network} ends it`;
}

/** Why the network would read the tagged link differently (longer, shorter, or not at all), or null. */
function misread(
  text: string,
  link: LinkSpan,
  tagged: string,
  rules: (typeof SOCIAL_RULES)[SocialChannelId],
): string | null {
  const trial = text.slice(0, link.start) + tagged + text.slice(link.end);
  const end = link.start + tagged.length;
  const read = rules.linkSpans(trial).find((s) => s.start === link.start);
  if (read?.end === end) return null;
  if (read && read.end > end) {
    const extra = [...trial.slice(end, read.end)].slice(0, 12).join('');
    return `with UTM parameters added, ${rules.name} would take the "${extra}" after this link into it; put a space after the link`;
  }
  return `${rules.name} would not link this address with UTM parameters added; give it a path ("…/") or write your own utm_ parameters into it`;
}
