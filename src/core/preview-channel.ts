import { type ChannelLimits, type LengthVerdict, measureFor, SOCIAL_RULES, type SocialChannelId } from './channels.ts';
import { isPersonal, type Account } from './accounts.ts';
import { composeParts, forAccount } from './compose.ts';
import type { AnnounceItem, ImageRef, PostItem, SocialItem } from './item.ts';
import { linkCardFor } from './link-card.ts';
import { escapeText, fenced, inlineCode } from './preview-format.ts';

/**
 * One network's part of the preview: the exact text it gets (composed as `publish` composes it,
 * links tagged), each part's length against the network's limit, and a clear mark when over.
 */
export interface ChannelContext {
  siteUrl: string;
  utm: boolean;
  /** The pull request's posts by slug: Bluesky shows a link card made from them. */
  posts: ReadonlyMap<string, PostItem>;
  /** The repository's Mastodon limits (config `mastodon:`); absent, the stock server's. */
  limits?: ChannelLimits;
}

const number = (n: number) => n.toLocaleString('en-US');

/** `117/280`, or `❌ 291/280` when over (`❌ 117/280, refused` when the network refuses the text). */
export function lengthShort(v: LengthVerdict): string {
  if (v.length > v.max) return `❌ ${number(v.length)}/${number(v.max)}`;
  if (v.refusal !== undefined) return `❌ ${number(v.length)}/${number(v.max)}, refused`;
  if (v.bytes !== undefined && v.maxBytes !== undefined && v.bytes > v.maxBytes)
    return `❌ ${number(v.bytes)}/${number(v.maxBytes)} bytes`;
  return `${number(v.length)}/${number(v.max)}`;
}

function lengthLong(v: LengthVerdict, channel: SocialChannelId): string {
  const { unit, name } = SOCIAL_RULES[channel];
  const refused = v.refusal === undefined ? '' : `; ${name} refuses it: ${escapeText(v.refusal)}`;
  if (v.length > v.max)
    return `❌ ${number(v.length)}/${number(v.max)} ${unit}: ${number(v.length - v.max)} over the limit${refused}`;
  if (refused) return `❌ ${number(v.length)}/${number(v.max)} ${unit}${refused}`;
  if (v.bytes !== undefined && v.maxBytes !== undefined && v.bytes > v.maxBytes)
    return `❌ ${number(v.bytes)}/${number(v.maxBytes)} bytes: ${number(v.bytes - v.maxBytes)} over the limit`;
  return `${number(v.length)}/${number(v.max)} ${unit}`;
}

export function channelBlock(
  item: SocialItem | AnnounceItem,
  channel: SocialChannelId,
  ctx: ChannelContext,
  account?: Pick<Account, 'id' | 'owner' | 'declared'>,
): string {
  // An account listed in accounts: is named, with its own utm_content (src/core/accounts.ts).
  const name = account?.declared ? `${SOCIAL_RULES[channel].name} as ${account.id}` : SOCIAL_RULES[channel].name;
  const options = { siteUrl: ctx.siteUrl, utm: ctx.utm };
  const parts = composeParts(item, channel, account ? forAccount(options, account) : options);
  const measured = parts.map((p) => measureFor(channel, p.text, ctx.limits));
  const over = measured.some((v) => !v.ok);
  const shape =
    parts.length === 0
      ? 'no text'
      : parts.length === 1
        ? item.kind === 'announce'
          ? 'announcement'
          : '1 post'
        : `thread of ${parts.length}`;
  const summary = [name, shape, measured.map(lengthShort).join(', ')].filter(Boolean).join(' · ');
  // Over the limit, the text is shown open: it is the thing to fix.
  const lines = [`<details${over ? ' open' : ''}>`, `<summary>${summary}</summary>`, ''];
  parts.forEach((part, i) => {
    const label = parts.length > 1 ? `**Part ${i + 1} of ${parts.length}** · ` : '';
    lines.push(`${label}${lengthLong(measured[i]!, channel)}`, '', fenced(part.text), '');
  });
  if (parts.length === 0) lines.push('Nothing to send: the text is empty.', '');
  if (account && isPersonal(account))
    lines.push(
      `@${account.owner}'s own account: it goes out only once @${account.owner} approves these words too.`,
      '',
    );
  const images = item.kind === 'social' ? item.images : [];
  if (channel === 'bluesky' && images.length === 0 && parts[0]) {
    const card = linkCardFor(parts[0].text, ctx.siteUrl, ctx.posts);
    if (card) lines.push(`With a link card: **${escapeText(card.title)}**: ${escapeText(card.description)}`, '');
  }
  lines.push('</details>');
  return lines.join('\n');
}

export function imageList(images: readonly ImageRef[]): string[] {
  return [
    `**${images.length === 1 ? 'Image' : 'Images'}** (with the first part):`,
    '',
    ...images.map((image, i) => `${i + 1}. ${inlineCode(image.src)}, alt text: “${escapeText(image.alt)}”`),
  ];
}
