import type { SocialChannelId } from './channels.ts';
import type { AnnounceItem, SocialItem } from './item.ts';
import type { Part } from './thread.ts';
import { tagLinks } from './utm.ts';

/**
 * The exact text each network receives: the channel's override or the body, split into thread
 * parts, with the site's own links tagged. Lengths are measured on this, never on the source.
 */
export interface ComposeOptions {
  siteUrl: string;
  utm: boolean;
}

export function composeParts(
  item: SocialItem | AnnounceItem,
  channel: SocialChannelId,
  options: ComposeOptions,
): Part[] {
  const source =
    item.kind === 'social'
      ? (item.overrides[channel] ?? item.parts)
      : [item.texts[channel]].filter((p): p is Part => !!p);
  if (!options.utm) return source;
  return source.map((part) => ({
    ...part,
    text: tagLinks(part.text, { siteUrl: options.siteUrl, channel, campaign: item.id }),
  }));
}
