import type { BlobRef } from '@atproto/api';
import type { SocialChannelRules } from '../core/channels.ts';
import type { BlueskyClient } from './bluesky-client.ts';
import { isHandleNotFound } from './bluesky-errors.ts';
import type { ResolveHandle } from './bluesky-facets.ts';
import { thumbRefusal } from './bluesky-media.ts';
import type { CardImage, ImageUpload } from './channel.ts';
import { ChannelError } from './channel-error.ts';

/**
 * What a post needs from the PDS before it can be created: blobs for its images and its card's
 * thumbnail, DIDs for its mentions. Each is one step of the client (the caller's signal, a
 * deadline, failures mapped with no secret in them).
 */

/** Uploads one image; the PDS keeps it as a blob until a record refers to it. */
export async function uploadImage(client: BlueskyClient, image: ImageUpload, signal: AbortSignal): Promise<BlobRef> {
  const uploaded = await client.step(`upload ${image.path}`, signal, (s) =>
    client.agent.com.atproto.repo.uploadBlob(image.bytes, { encoding: image.mime, signal: s }),
  );
  if (!uploaded.data?.blob)
    throw new ChannelError(
      'bluesky',
      'malformed',
      `Bluesky: the answer to the upload of ${image.path} holds no blob (HTTP 200)`,
      { status: 200, maybeSent: false },
    );
  return uploaded.data.blob;
}

/**
 * The link card's thumbnail: the linked post's cover, uploaded. A cover that cannot be read, that
 * Bluesky would not show (its type, over the lexicon's 1,000,000 bytes), or that the PDS refuses
 * leaves the card without a thumbnail, with a warning: the post still goes. A PDS that cannot be
 * reached fails the post as any upload does (nothing was created, so it is tried again).
 */
export async function uploadThumbnail(
  client: BlueskyClient,
  cover: CardImage,
  rules: SocialChannelRules,
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<BlobRef | undefined> {
  const without = 'the link card goes without a thumbnail';
  let image: ImageUpload;
  try {
    image = await cover.read();
  } catch (error) {
    warn(`${without}: could not read the cover ${cover.path} (${(error as Error).message})`);
    return undefined;
  }
  const refusal = thumbRefusal(image, rules);
  if (refusal) {
    warn(`${without}: ${refusal}`);
    return undefined;
  }
  try {
    return await uploadImage(client, image, signal);
  } catch (error) {
    if (!(error instanceof ChannelError) || error.kind !== 'rejected') throw error;
    warn(`${without}: ${error.message}`);
    return undefined;
  }
}

/**
 * Resolves mentions' handles through the PDS (com.atproto.identity.resolveHandle), as the app
 * does. Resolution gets a share of the step's limit of its own: a PDS slow to resolve a name must
 * not use up the time the post itself needs.
 */
export function handleResolver(client: BlueskyClient, signal: AbortSignal, limitMs: number): ResolveHandle {
  return async (handle) => {
    const within = AbortSignal.any([signal, AbortSignal.timeout(limitMs)]);
    const did = await client.step(`resolve @${handle}`, within, async (s) => {
      try {
        return (await client.agent.com.atproto.identity.resolveHandle({ handle }, { signal: s })).data?.did ?? '';
      } catch (error) {
        if (isHandleNotFound(error)) return null;
        throw error;
      }
    });
    return did;
  };
}
