import { RichText, type AppBskyFeedPost, type AppBskyRichtextFacet, type BlobRef } from '@atproto/api';
import type { SocialChannelRules } from '../core/channels.ts';
import { utf8Bytes } from '../core/text-length.ts';
import type { LinkCard, PostRequest } from './channel.ts';

/** The parts of a post record that come from outside: uploaded images and the thread it joins. */
export interface PostParts {
  text: string;
  images: { blob: BlobRef; alt: string }[];
  linkCard: LinkCard | null;
  reply: { root: StrongRef; parent: StrongRef } | null;
  createdAt: Date;
}

export interface StrongRef {
  uri: string;
  cid: string;
}

/**
 * Builds an app.bsky.feed.post record. Images win over a link card: a post has one embed, and the
 * picture the author chose says more than a card the site generated.
 */
export function postRecord(parts: PostParts): AppBskyFeedPost.Record {
  const record: AppBskyFeedPost.Record = {
    $type: 'app.bsky.feed.post',
    text: parts.text,
    createdAt: parts.createdAt.toISOString(),
  };
  const facets = facetsFor(parts.text);
  if (facets.length > 0) record.facets = facets;
  if (parts.reply) {
    record.reply = {
      root: { uri: parts.reply.root.uri, cid: parts.reply.root.cid },
      parent: { uri: parts.reply.parent.uri, cid: parts.reply.parent.cid },
    };
  }
  if (parts.images.length > 0) {
    record.embed = {
      $type: 'app.bsky.embed.images',
      images: parts.images.map(({ blob, alt }) => ({ image: blob, alt })),
    };
  } else if (parts.linkCard) {
    record.embed = {
      $type: 'app.bsky.embed.external',
      external: { uri: parts.linkCard.url, title: parts.linkCard.title, description: parts.linkCard.description },
    };
  }
  return record;
}

/**
 * Links and hashtags, with UTF-8 byte offsets as the lexicon requires. Detection without
 * resolution leaves a mention's handle where its DID belongs, which the PDS would reject, so
 * mentions are dropped and stay plain text.
 */
export function facetsFor(text: string): AppBskyRichtextFacet.Main[] {
  const rich = new RichText({ text });
  rich.detectFacetsWithoutResolution();
  const facets: AppBskyRichtextFacet.Main[] = [];
  for (const facet of rich.facets ?? []) {
    const features = facet.features.filter(
      (f) => f.$type === 'app.bsky.richtext.facet#link' || f.$type === 'app.bsky.richtext.facet#tag',
    );
    if (features.length > 0) facets.push({ ...facet, features });
  }
  return facets;
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
