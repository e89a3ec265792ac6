import { blueskyLinkSpans } from '../channels/bluesky-text.ts';
import {
  MASTODON_MAX_LENGTH,
  MASTODON_URL_LENGTH,
  mastodonLength,
  mastodonLinkSpans,
} from '../channels/mastodon-text.ts';
import { LINKEDIN_MAX_LENGTH, linkedinLength, linkedinLinkSpans } from '../channels/linkedin-text.ts';
import { X_MAX_LENGTH, xLinkSpans, xTextRefusal, xWeightedLength } from '../channels/x-text.ts';
import type { LinkSpan } from './links.ts';
import type { ImageType } from './media.ts';
import { blueskyLength, utf8Bytes } from './text-length.ts';

/**
 * What each destination accepts. The publisher's channel clients and `check` both read this
 * table, so a post that passes `check` is one the network will take.
 */
export const CHANNEL_IDS = ['blog', 'x', 'mastodon', 'bluesky', 'linkedin'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export const SOCIAL_CHANNEL_IDS = ['x', 'mastodon', 'bluesky', 'linkedin'] as const;
export type SocialChannelId = (typeof SOCIAL_CHANNEL_IDS)[number];

export interface SocialChannelRules {
  id: SocialChannelId;
  name: string;
  maxLength: number;
  /** What the limit counts, for messages: "weighted characters", "graphemes". */
  unit: string;
  /** The length as the network counts it: X's twitter-text, Mastodon's server rule, graphemes. */
  measure: (text: string) => number;
  /**
   * Why the network refuses the text whatever its length (X: a character it never takes), said
   * so that it follows "... cannot be sent to <network>: ", or null.
   */
  refusal?: (text: string) => string | null;
  /** The links the network makes clickable, by its own rule: what UTM tags and link cards use. */
  linkSpans: (text: string) => LinkSpan[];
  /** A second limit some networks have, in UTF-8 bytes. */
  maxBytes?: number;
  /** Posts per item, for a network that has no threads (LinkedIn: 1); absent, any number. */
  maxParts?: number;
  maxImages: number;
  maxImageBytes: number;
  imageTypes: readonly ImageType[];
  maxAltLength: number;
}

export const SOCIAL_RULES: Record<SocialChannelId, SocialChannelRules> = {
  x: {
    id: 'x',
    name: 'X',
    maxLength: X_MAX_LENGTH,
    unit: 'weighted characters',
    measure: xWeightedLength,
    refusal: xTextRefusal,
    linkSpans: xLinkSpans,
    maxImages: 4,
    maxImageBytes: 5 * 1024 * 1024,
    imageTypes: ['png', 'jpeg', 'gif', 'webp'],
    maxAltLength: 1000,
  },
  mastodon: {
    id: 'mastodon',
    name: 'Mastodon',
    maxLength: MASTODON_MAX_LENGTH,
    unit: 'characters',
    measure: mastodonLength,
    linkSpans: mastodonLinkSpans,
    maxImages: 4,
    maxImageBytes: 16 * 1024 * 1024,
    imageTypes: ['png', 'jpeg', 'gif', 'webp', 'avif'],
    maxAltLength: 1500,
  },
  bluesky: {
    id: 'bluesky',
    name: 'Bluesky',
    maxLength: 300,
    unit: 'graphemes',
    measure: blueskyLength,
    linkSpans: blueskyLinkSpans,
    maxBytes: 3000,
    maxImages: 4,
    maxImageBytes: 1_000_000,
    imageTypes: ['png', 'jpeg', 'webp', 'gif'],
    maxAltLength: 2000,
  },
  // src/channels/linkedin-text.ts: the commentary's rules. One image per post: the Images API and a
  // post's `content.media` (multiImage exists, and is not used yet). LinkedIn states no byte limit for
  // an image, only 36,152,320 pixels; 10 MB keeps one upload within a request's time.
  linkedin: {
    id: 'linkedin',
    name: 'LinkedIn',
    maxLength: LINKEDIN_MAX_LENGTH,
    unit: 'characters as sent (escaped)',
    measure: linkedinLength,
    linkSpans: linkedinLinkSpans,
    maxParts: 1,
    maxImages: 1,
    maxImageBytes: 10 * 1024 * 1024,
    imageTypes: ['png', 'jpeg', 'gif'],
    maxAltLength: 4086,
  },
};

/** Cover images on the blog: anything a browser shows. */
export const BLOG_IMAGE_TYPES: readonly ImageType[] = ['png', 'jpeg', 'gif', 'webp', 'avif', 'svg'];
export const BLOG_MAX_IMAGE_BYTES = 10 * 1024 * 1024;

export interface LengthVerdict {
  length: number;
  max: number;
  bytes?: number;
  maxBytes?: number;
  /** Why the network refuses the text whatever its length (see SocialChannelRules.refusal). */
  refusal?: string;
  ok: boolean;
}

/**
 * What a Mastodon instance decides for itself (GET /api/v2/instance, configuration.statuses): how
 * long a status may be, and what each link counts. `check` and the preview take them from the
 * config (`mastodon:` in postgate.config.yaml); `publish` asks the instance.
 */
export interface MastodonLimits {
  maxCharacters: number;
  charactersReservedPerUrl: number;
}

export const MASTODON_DEFAULT_LIMITS: MastodonLimits = {
  maxCharacters: MASTODON_MAX_LENGTH,
  charactersReservedPerUrl: MASTODON_URL_LENGTH,
};

/** The limits a repository sets for networks that let a server choose them; absent means the defaults. */
export interface ChannelLimits {
  mastodon?: MastodonLimits;
}

/** A network's rules with the repository's limits applied (only Mastodon's can differ). */
export function rulesFor(channel: SocialChannelId, limits?: ChannelLimits): SocialChannelRules {
  const rules = SOCIAL_RULES[channel];
  const mastodon = channel === 'mastodon' ? limits?.mastodon : undefined;
  if (mastodon === undefined) return rules;
  const { maxCharacters, charactersReservedPerUrl } = mastodon;
  return { ...rules, maxLength: maxCharacters, measure: (text) => mastodonLength(text, charactersReservedPerUrl) };
}

export function measureFor(channel: SocialChannelId, text: string, limits?: ChannelLimits): LengthVerdict {
  const rules = rulesFor(channel, limits);
  const length = rules.measure(text);
  const refusal = rules.refusal?.(text) ?? null;
  const verdict: LengthVerdict = { length, max: rules.maxLength, ok: length <= rules.maxLength && refusal === null };
  if (refusal !== null) verdict.refusal = refusal;
  if (rules.maxBytes !== undefined) {
    verdict.bytes = utf8Bytes(text);
    verdict.maxBytes = rules.maxBytes;
    verdict.ok &&= verdict.bytes <= rules.maxBytes;
  }
  return verdict;
}

export function isSocialChannel(id: string): id is SocialChannelId {
  return (SOCIAL_CHANNEL_IDS as readonly string[]).includes(id);
}
