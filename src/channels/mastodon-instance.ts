import type { MastodonLimits } from '../core/channels.ts';
import type { ImageUpload } from './channel.ts';
import { mastodonLength } from './mastodon-text.ts';

/**
 * What a Mastodon instance says about itself that decides whether a post goes through. Every
 * instance sets its own: GET /api/v2/instance (Mastodon 4.0+) answers `configuration.statuses`
 * (max_characters, characters_reserved_per_url, max_media_attachments) and
 * `configuration.media_attachments` (image_size_limit, supported_mime_types); GET /api/v1/instance
 * has the same `configuration` since 3.4, and forks of older servers say `max_toot_chars`.
 * masto hands both over with their keys in camelCase.
 */
export interface InstanceLimits extends MastodonLimits {
  maxMediaAttachments?: number;
  imageSizeLimit?: number;
  supportedMimeTypes?: readonly string[];
  /** Where the numbers come from, for messages. */
  source: 'GET /api/v2/instance' | 'GET /api/v1/instance' | 'postgate.config.yaml';
}

type Record_ = Readonly<Record<string, unknown>>;
const record = (value: unknown): Record_ | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record_) : undefined;
const count = (value: unknown, min: number): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min ? value : undefined;

/**
 * The limits in an instance's answer, or null when it holds no usable character limit (an old
 * server, a proxy's page, a broken answer). What it leaves out is taken from `configured`, so a
 * server without characters_reserved_per_url is measured as the config says.
 */
export function limitsFromInstance(
  body: unknown,
  source: InstanceLimits['source'],
  configured: MastodonLimits,
): InstanceLimits | null {
  const instance = record(body);
  const configuration = record(instance?.configuration);
  const statuses = record(configuration?.statuses);
  const media = record(configuration?.mediaAttachments);
  const maxCharacters = count(statuses?.maxCharacters, 1) ?? count(instance?.maxTootChars, 1);
  if (maxCharacters === undefined) return null;
  const limits: InstanceLimits = {
    maxCharacters,
    charactersReservedPerUrl: count(statuses?.charactersReservedPerUrl, 0) ?? configured.charactersReservedPerUrl,
    source,
  };
  const maxMediaAttachments = count(statuses?.maxMediaAttachments, 0);
  if (maxMediaAttachments !== undefined) limits.maxMediaAttachments = maxMediaAttachments;
  const imageSizeLimit = count(media?.imageSizeLimit, 1);
  if (imageSizeLimit !== undefined) limits.imageSizeLimit = imageSizeLimit;
  const types = media?.supportedMimeTypes;
  if (Array.isArray(types) && types.length > 0 && types.every((t) => typeof t === 'string'))
    limits.supportedMimeTypes = types as string[];
  return limits;
}

const SETTING = 'postgate.config.yaml';

/** The config settings to change so that `check` measures as the instance does, or "" when they agree. */
export function settingsToMatch(instance: MastodonLimits, configured: MastodonLimits): string {
  const changes: string[] = [];
  if (instance.maxCharacters !== configured.maxCharacters)
    changes.push(`mastodon.maxCharacters: ${instance.maxCharacters}`);
  if (instance.charactersReservedPerUrl !== configured.charactersReservedPerUrl)
    changes.push(`mastodon.charactersReservedPerUrl: ${instance.charactersReservedPerUrl}`);
  return changes.length === 0 ? '' : `set ${changes.join(' and ')} in ${SETTING}`;
}

/**
 * Why the instance would refuse this post, said before anything is uploaded or posted, or null.
 * `host` names the instance; `configured` is what `check` measured by.
 */
export function instanceRefusal(
  text: string,
  images: readonly ImageUpload[],
  limits: InstanceLimits,
  configured: MastodonLimits,
  host: string,
): string | null {
  const length = mastodonLength(text, limits.charactersReservedPerUrl);
  if (length > limits.maxCharacters) {
    const measured = `the text is ${length} characters (links count ${limits.charactersReservedPerUrl} each)`;
    if (limits.source === SETTING)
      return `${measured}; the limit is ${limits.maxCharacters} (mastodon.maxCharacters in ${SETTING}: the instance's own limit could not be read). Shorten it or split it into a thread`;
    const match = settingsToMatch(limits, configured);
    return (
      `${measured}; ${host} allows ${limits.maxCharacters} (${limits.source}). Shorten it or split it into a thread` +
      (match ? `, and ${match} so that check measures as ${host} does` : '')
    );
  }
  if (limits.maxMediaAttachments !== undefined && images.length > limits.maxMediaAttachments)
    return `${images.length} images; ${host} takes at most ${limits.maxMediaAttachments} per post (${limits.source})`;
  for (const image of images) {
    if (limits.supportedMimeTypes !== undefined && !limits.supportedMimeTypes.includes(image.mime))
      return `${image.path} is ${image.mime}, which ${host} does not take (${limits.source})`;
    if (limits.imageSizeLimit !== undefined && image.bytes.byteLength > limits.imageSizeLimit)
      return `${image.path} is ${image.bytes.byteLength} bytes; ${host} takes images up to ${limits.imageSizeLimit} bytes (${limits.source})`;
  }
  return null;
}
