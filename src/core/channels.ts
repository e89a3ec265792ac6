import type { ImageType } from './media.ts';
import { blueskyLength, mastodonLength, utf8Bytes, xLength } from './text-length.ts';

/**
 * What each destination accepts. The publisher's channel clients and `check` both read this
 * table, so a post that passes `check` is one the network will take.
 */
export const CHANNEL_IDS = ['blog', 'x', 'mastodon', 'bluesky'] as const;
export type ChannelId = (typeof CHANNEL_IDS)[number];

export const SOCIAL_CHANNEL_IDS = ['x', 'mastodon', 'bluesky'] as const;
export type SocialChannelId = (typeof SOCIAL_CHANNEL_IDS)[number];

export interface SocialChannelRules {
  id: SocialChannelId;
  name: string;
  maxLength: number;
  /** What the limit counts, for messages: "weighted characters", "graphemes". */
  unit: string;
  measure: (text: string) => number;
  /**
   * True when every link counts as a fixed length whatever it says, so adding UTM parameters to a
   * link cannot change the measured length (and checking can skip composing the tagged text).
   */
  linksCountFixed: boolean;
  /** A second limit some networks have, in UTF-8 bytes. */
  maxBytes?: number;
  maxImages: number;
  maxImageBytes: number;
  imageTypes: readonly ImageType[];
  maxAltLength: number;
}

export const SOCIAL_RULES: Record<SocialChannelId, SocialChannelRules> = {
  x: {
    id: 'x',
    name: 'X',
    maxLength: 280,
    unit: 'weighted characters',
    measure: xLength,
    linksCountFixed: true,
    maxImages: 4,
    maxImageBytes: 5 * 1024 * 1024,
    imageTypes: ['png', 'jpeg', 'gif', 'webp'],
    maxAltLength: 1000,
  },
  mastodon: {
    id: 'mastodon',
    name: 'Mastodon',
    maxLength: 500,
    unit: 'characters',
    measure: mastodonLength,
    linksCountFixed: true,
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
    linksCountFixed: false,
    maxBytes: 3000,
    maxImages: 4,
    maxImageBytes: 1_000_000,
    imageTypes: ['png', 'jpeg', 'webp', 'gif'],
    maxAltLength: 2000,
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
  ok: boolean;
}

export function measureFor(channel: SocialChannelId, text: string): LengthVerdict {
  const rules = SOCIAL_RULES[channel];
  const length = rules.measure(text);
  if (rules.maxBytes === undefined) return { length, max: rules.maxLength, ok: length <= rules.maxLength };
  const bytes = utf8Bytes(text);
  return {
    length,
    max: rules.maxLength,
    bytes,
    maxBytes: rules.maxBytes,
    ok: length <= rules.maxLength && bytes <= rules.maxBytes,
  };
}

export function isSocialChannel(id: string): id is SocialChannelId {
  return (SOCIAL_CHANNEL_IDS as readonly string[]).includes(id);
}
