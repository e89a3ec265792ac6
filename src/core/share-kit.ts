import { LINKEDIN_MAX_LENGTH } from '../channels/linkedin-text.ts';
import { measureFor, SOCIAL_RULES, type ChannelLimits, type LengthVerdict, type SocialChannelId } from './channels.ts';
import { isPersonal } from './accounts.ts';
import { accountsOfItem, type AnnounceItem, type SocialItem } from './item.ts';
import { problem, type Problem } from './problem.ts';
import { isSiteLink, siteHostOf } from './site-host.ts';
import type { StaffMember, StaffNetwork } from './staff.ts';
import { tagLinks } from './utm.ts';

/**
 * Share kits: for an item that went out, what each staff member needs to post it as themselves, from
 * their own account, with no credential of theirs anywhere near Postgate. Per person and per network
 * they use: the approved words (their own variant from the file's `share:`, or the item's text), with
 * the site's links tagged as the organisation's are plus `utm_content=<person>`, and a link that opens
 * that network's composer with the words in it. The length is measured by the network's own rule, so a
 * text too long for a network is said before the person finds out in the composer.
 */
export type SharedItem = SocialItem | AnnounceItem;

export interface ShareKitOptions {
  siteUrl: string;
  /** policies.utm: false leaves every link as written, here too. */
  utm: boolean;
  limits?: ChannelLimits;
}

export interface ShareLink {
  network: StaffNetwork;
  /** What the person posts: the words with the site's links tagged for them and this network. */
  text: string;
  /**
   * Opens the network's composer with `text` in it. LinkedIn can be handed only an address: the
   * first link to the site in the text, tagged (null when there is none); the person pastes the text.
   */
  composeUrl: string | null;
  verdict: LengthVerdict;
  /** Why the network will not take the text as it is ("too long for X: 312 of 280 weighted characters"), or null. */
  problem: string | null;
}

export interface PersonKit {
  person: StaffMember;
  /** The words are the person's own variant (`share.<id>` in the file), not the item's. */
  ownWords: boolean;
  links: ShareLink[];
}

export const NETWORK_NAMES: Record<StaffNetwork, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  linkedin: 'LinkedIn',
  mastodon: 'Mastodon',
};

export function shareKits(item: SharedItem, staff: readonly StaffMember[], options: ShareKitOptions): PersonKit[] {
  return staffToShare(item, staff).map((person) => {
    const own = item.kind === 'social' ? item.share?.[person.id]?.text : undefined;
    const links = person.networks.map((network) => {
      const text = tagged(own ?? approvedText(item, network), network, person.id, item.id, options);
      const verdict = measure(network, text, options.limits);
      return {
        network,
        text,
        composeUrl: composeUrl(network, text, person, options.siteUrl),
        verdict,
        problem: problemOf(network, verdict),
      };
    });
    return { person, ownWords: own !== undefined, links };
  });
}

/**
 * Who is asked to share the item, and where: not on a network where the item goes out through the
 * person's own account (`as:` names an account whose owner is their GitHub login), since it already
 * says it as them there, and a second post of theirs would repeat it. Someone left with no network
 * gets no kit for this item.
 */
export function staffToShare(item: SharedItem, staff: readonly StaffMember[]): StaffMember[] {
  const own = accountsOfItem(item).filter(isPersonal);
  return staff.flatMap((person) => {
    const login = person.github?.toLowerCase();
    const theirs = own.filter((a) => login !== undefined && a.owner.toLowerCase() === login).map((a) => a.network);
    const networks = person.networks.filter((n) => !(theirs as string[]).includes(n));
    return networks.length === 0 ? [] : [{ ...person, networks }];
  });
}

/**
 * For `check` and the pull request: a person's own words that their network will not take as they
 * are. A warning, at the words: Postgate does not send them, the person does, and their kit says so too.
 */
export function shareProblems(item: SharedItem, staff: readonly StaffMember[], options: ShareKitOptions): Problem[] {
  const share = item.kind === 'social' ? item.share : undefined;
  if (!share) return [];
  const people = staff.filter((person) => share[person.id] !== undefined);
  return shareKits(item, people, options).flatMap(({ person, links }) =>
    links.flatMap((link) =>
      link.problem === null
        ? []
        : [
            problem(
              item.file,
              share[person.id]!.at,
              'warning',
              `share.${person.id} (${person.name}'s words on ${NETWORK_NAMES[link.network]}): ${link.problem}; shorten it, or their share kit will say so`,
            ),
          ],
    ),
  );
}

/** The item's words for a network: its text for that network when it has one, else its body (a thread's parts one after another). */
export function approvedText(item: SharedItem, network: StaffNetwork): string {
  if (item.kind === 'social') {
    const parts = item.overrides[network] ?? item.parts;
    return parts.map((part) => part.text).join('\n\n');
  }
  const { texts } = item;
  return (texts[network] ?? item.channels.map((channel) => texts[channel]).find(Boolean))?.text ?? '';
}

function tagged(
  text: string,
  network: StaffNetwork,
  person: string,
  campaign: string,
  options: ShareKitOptions,
): string {
  if (!options.utm) return text;
  return tagLinks(text, { siteUrl: options.siteUrl, channel: network, campaign, content: person });
}

/**
 * LinkedIn's limit is the API's, 3,000 UTF-16 characters, but the person pastes the words into
 * LinkedIn's composer, which escapes nothing: counted as typed, not as Postgate sends (where each
 * reserved character counts twice, src/channels/linkedin-text.ts).
 */
function measure(network: StaffNetwork, text: string, limits: ChannelLimits | undefined): LengthVerdict {
  if (network !== 'linkedin') return measureFor(network, text, limits);
  return { length: text.length, max: LINKEDIN_MAX_LENGTH, ok: text.length <= LINKEDIN_MAX_LENGTH };
}

export function unitOf(network: StaffNetwork): string {
  return network === 'linkedin' ? 'characters' : SOCIAL_RULES[network].unit;
}

function problemOf(network: StaffNetwork, verdict: LengthVerdict): string | null {
  const name = NETWORK_NAMES[network];
  if (verdict.refusal) return `cannot be sent to ${name}: ${verdict.refusal}`;
  if (verdict.length > verdict.max)
    return `too long for ${name}: ${verdict.length} of ${verdict.max} ${unitOf(network)}`;
  if (verdict.bytes !== undefined && verdict.maxBytes !== undefined && verdict.bytes > verdict.maxBytes)
    return `too long for ${name}: ${verdict.bytes} of ${verdict.maxBytes} bytes`;
  return null;
}

/**
 * A value in a query, as encodeURIComponent writes it, and `!'()*` too (RFC 3986 reserves them):
 * a link stays whole inside Markdown's `[…](…)`, a chat message or a mail, whatever the text holds.
 */
export function queryValue(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function composeUrl(network: StaffNetwork, text: string, person: StaffMember, siteUrl: string): string | null {
  switch (network) {
    case 'x':
      return `https://x.com/intent/post?text=${queryValue(text)}`;
    case 'bluesky':
      return `https://bsky.app/intent/compose?text=${queryValue(text)}`;
    case 'mastodon':
      return person.mastodonInstance ? `${person.mastodonInstance}/share?text=${queryValue(text)}` : null;
    case 'linkedin': {
      const link = firstSiteLink(text, siteUrl, network);
      return link === null ? null : `https://www.linkedin.com/sharing/share-offsite/?url=${queryValue(link)}`;
    }
  }
}

/** The first link to the site in the text, as an address (a bare domain read as https://), or null. */
export function firstSiteLink(text: string, siteUrl: string, channel: SocialChannelId): string | null {
  const site = siteHostOf(siteUrl);
  if (!site) return null;
  const link = SOCIAL_RULES[channel].linkSpans(text).find((span) => isSiteLink(span.url, site));
  if (!link) return null;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(link.url) ? link.url : `https://${link.url}`;
}
