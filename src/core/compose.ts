import type { Account } from './accounts.ts';
import type { SocialChannelId } from './channels.ts';
import type { AnnounceItem, SocialItem } from './item.ts';
import type { Part } from './thread.ts';
import { tagLinksExplained, type UntaggedLink } from './utm.ts';

/**
 * The exact text each network receives: the channel's override or the body, split into thread
 * parts, with the site's own links tagged. Lengths are measured on this, never on the source.
 */
export interface ComposeOptions {
  siteUrl: string;
  utm: boolean;
  /** `utm_content`: the account it goes out on, for accounts listed in `accounts:` (src/core/accounts.ts). */
  utmContent?: string;
}

/** The parts as sent, and the links to the site that were left untagged (with where and why). */
export interface Composed {
  parts: Part[];
  untagged: (UntaggedLink & { part: number })[];
}

export function composeParts(
  item: SocialItem | AnnounceItem,
  channel: SocialChannelId,
  options: ComposeOptions,
): Part[] {
  return compose(item, channel, options).parts;
}

/** The compose options for one account: its id as `utm_content` when it is listed in `accounts:`. */
export function forAccount(options: ComposeOptions, account: Pick<Account, 'id' | 'declared'>): ComposeOptions {
  return account.declared ? { ...options, utmContent: account.id } : options;
}

export function compose(item: SocialItem | AnnounceItem, channel: SocialChannelId, options: ComposeOptions): Composed {
  const source =
    item.kind === 'social'
      ? (item.overrides[channel] ?? item.parts)
      : [item.texts[channel]].filter((p): p is Part => !!p);
  if (!options.utm) return { parts: source, untagged: [] };
  const untagged: Composed['untagged'] = [];
  const parts = source.map((part, i) => {
    const tagged = tagLinksExplained(part.text, {
      siteUrl: options.siteUrl,
      channel,
      campaign: item.id,
      ...(options.utmContent === undefined ? {} : { content: options.utmContent }),
    });
    for (const link of tagged.untagged) untagged.push({ ...link, part: i });
    return { ...part, text: tagged.text };
  });
  return { parts, untagged };
}
