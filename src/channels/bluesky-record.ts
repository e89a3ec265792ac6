import type { AppBskyFeedPost, AppBskyRichtextFacet, BlobRef } from '@atproto/api';
import type { SocialChannelRules } from '../core/channels.ts';
import { utf8Bytes } from '../core/text-length.ts';
import type { AspectRatio } from './bluesky-media.ts';
import type { PostRequest } from './channel.ts';

/** The parts of a post record that come from outside: facets, uploads and the thread it joins. */
export interface PostParts {
  text: string;
  /** Links, tags and resolved mentions (see resolvedFacets). */
  facets: AppBskyRichtextFacet.Main[];
  /** The languages it is written in; null: not said. */
  langs: string[] | null;
  images: { blob: BlobRef; alt: string; aspectRatio?: AspectRatio }[];
  linkCard: { url: string; title: string; description: string; thumb?: BlobRef } | null;
  reply: { root: StrongRef; parent: StrongRef } | null;
  createdAt: Date;
}

export interface StrongRef {
  uri: string;
  cid: string;
}

/**
 * Builds an app.bsky.feed.post record with what the app puts in one: facets, the reply, the embed,
 * langs. Images win over a link card: a post has one embed, and the picture the author chose says
 * more than a card the site generated.
 */
export function postRecord(parts: PostParts): AppBskyFeedPost.Record {
  const record: AppBskyFeedPost.Record = {
    $type: 'app.bsky.feed.post',
    text: parts.text,
    createdAt: parts.createdAt.toISOString(),
  };
  if (parts.facets.length > 0) record.facets = parts.facets;
  if (parts.reply) {
    record.reply = {
      root: { uri: parts.reply.root.uri, cid: parts.reply.root.cid },
      parent: { uri: parts.reply.parent.uri, cid: parts.reply.parent.cid },
    };
  }
  if (parts.images.length > 0) {
    record.embed = {
      $type: 'app.bsky.embed.images',
      images: parts.images.map(({ blob, alt, aspectRatio }) => ({
        image: blob,
        alt,
        ...(aspectRatio ? { aspectRatio: { width: aspectRatio.width, height: aspectRatio.height } } : {}),
      })),
    };
  } else if (parts.linkCard) {
    const { url, title, description, thumb } = parts.linkCard;
    record.embed = {
      $type: 'app.bsky.embed.external',
      external: { uri: url, title, description, ...(thumb ? { thumb } : {}) },
    };
  }
  if (parts.langs && parts.langs.length > 0) record.langs = parts.langs;
  return record;
}

/** Why the PDS would refuse this post, found before anything is sent; undefined when it is fine. */
export function refusalFor(
  request: Pick<PostRequest, 'text' | 'images'>,
  rules: SocialChannelRules,
): string | undefined {
  const length = rules.measure(request.text);
  const bytes = utf8Bytes(request.text);
  if (length > rules.maxLength || (rules.maxBytes !== undefined && bytes > rules.maxBytes)) {
    return `the text is ${length} graphemes (${bytes} bytes); the limit is ${rules.maxLength} graphemes and ${rules.maxBytes} bytes`;
  }
  if (request.images.length > rules.maxImages)
    return `${request.images.length} images; a post holds at most ${rules.maxImages}`;
  const tooBig = request.images.find((image) => image.bytes.length > rules.maxImageBytes);
  if (tooBig) return `${tooBig.path} is ${tooBig.bytes.length} bytes; the limit is ${rules.maxImageBytes}`;
  return undefined;
}
