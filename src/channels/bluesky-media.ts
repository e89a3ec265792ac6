import { imageSize } from 'image-size';
import type { SocialChannelRules } from '../core/channels.ts';
import { describeBytes, MIME } from '../core/media.ts';
import type { ImageUpload } from './channel.ts';

/** The lexicon's limit for a link card's thumbnail (app.bsky.embed.external#external.thumb.maxSize). */
export const THUMB_MAX_BYTES = 1_000_000;

export interface AspectRatio {
  width: number;
  height: number;
}

/**
 * An image's width and height as people see it, read from its bytes with image-size: the app
 * reserves that space before the image loads, so a post without it jumps or crops. A JPEG whose
 * EXIF orientation turns it a quarter (5–8) is seen with its sides swapped. Undefined when the size
 * cannot be read: the image still goes, without an aspect ratio, as from a client that sets none.
 */
export function aspectRatioOf(bytes: Uint8Array): AspectRatio | undefined {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return undefined;
  }
  const { width, height, orientation } = size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return undefined;
  return orientation !== undefined && orientation >= 5 && orientation <= 8
    ? { width: height, height: width }
    : { width, height };
}

/** Why a cover cannot be a link card's thumbnail on Bluesky; undefined when it can. */
export function thumbRefusal(image: ImageUpload, rules: SocialChannelRules): string | undefined {
  const accepted = rules.imageTypes.map((type) => MIME[type]);
  if (!accepted.includes(image.mime))
    return `the cover ${image.path} is ${image.mime === 'application/octet-stream' ? 'not an image Postgate recognises' : image.mime}; Bluesky shows ${rules.imageTypes.join(', ')}`;
  if (image.bytes.length > THUMB_MAX_BYTES)
    return `the cover ${image.path} is ${describeBytes(image.bytes.length)} (${image.bytes.length} bytes); a thumbnail may be at most ${THUMB_MAX_BYTES} bytes`;
  return undefined;
}
