import { AtUri } from '@atproto/api';
import { SOCIAL_RULES } from '../core/channels.ts';
import type { Channel, ChannelFromEnv, Env, FindRequest, PostRequest, RemotePost, RemoteText } from './channel.ts';
import { ChannelError } from './channel-error.ts';
import { BlueskyClient, type BlueskyOptions } from './bluesky-client.ts';
import { asMaybeSent, isRecordNotFound } from './bluesky-errors.ts';
import { resolvedFacets } from './bluesky-facets.ts';
import { languageTag } from './bluesky-language.ts';
import { aspectRatioOf } from './bluesky-media.ts';
import { postRecord, refusalFor, type StrongRef } from './bluesky-record.ts';
import { recordKeyFor } from './bluesky-rkey.ts';
import { handleResolver, uploadImage, uploadThumbnail } from './bluesky-uploads.ts';

export const DEFAULT_BLUESKY_SERVICE = 'https://bsky.social';
const POST = 'app.bsky.feed.post';

export type { BlueskyOptions } from './bluesky-client.ts';

/** Most of a step's limit that resolving the mentions of one post may take. */
const MAX_RESOLVE_MS = 5_000;

/**
 * Bluesky through @atproto/api. Every post goes under a record key derived from the request, so
 * the PDS itself guarantees that a retry can never make a second post. A record carries what the
 * app puts in one: facets (links, tags, mentions resolved to DIDs), langs, images with alt text and
 * aspect ratio, or a link card with the linked post's cover as its thumbnail.
 */
export class BlueskyChannel implements Channel {
  readonly id = 'bluesky' as const;
  readonly rules = SOCIAL_RULES.bluesky;
  private readonly client: BlueskyClient;
  /** From the site's language; null when it is not a BCP 47 tag (`language` says what it was). */
  private readonly langs: string[] | null;
  private readonly language: string | undefined;

  constructor(options: BlueskyOptions & { language?: string }) {
    this.client = new BlueskyClient(options);
    this.language = options.language;
    const tag = options.language === undefined ? null : languageTag(options.language);
    this.langs = tag ? [tag] : null;
  }

  async publish(request: PostRequest): Promise<RemotePost> {
    const refusal = refusalFor(request, this.rules);
    if (refusal) throw new ChannelError('bluesky', 'rejected', `Bluesky: ${refusal}`);
    const rkey = recordKey(request);
    const { signal } = request;
    const warn = request.warn ?? (() => {});
    if (this.language !== undefined && this.langs === null)
      warn(
        `the site's language ${JSON.stringify(this.language)} is not a BCP 47 tag (such as en or de-CH): the post says no language`,
      );
    await this.client.logIn(signal);
    const resolveLimit = Math.min(MAX_RESOLVE_MS, Math.ceil(this.client.timeoutMs / 3));
    const facets = await resolvedFacets(request.text, handleResolver(this.client, signal, resolveLimit), warn);
    const images = [];
    for (const image of request.images)
      images.push({
        blob: await uploadImage(this.client, image, signal),
        alt: image.alt,
        aspectRatio: aspectRatioOf(image.bytes),
      });
    const card = images.length === 0 ? request.linkCard : null;
    const thumb = card?.image ? await uploadThumbnail(this.client, card.image, this.rules, signal, warn) : undefined;
    let reply: { root: StrongRef; parent: StrongRef } | null = null;
    if (request.replyTo) {
      const parent = await this.strongRef(request.replyTo, signal);
      const root = request.threadRoot ? await this.strongRef(request.threadRoot, signal) : parent;
      reply = { root, parent };
    }
    const record = postRecord({
      text: request.text,
      facets,
      langs: this.langs,
      images,
      linkCard: card && { url: card.url, title: card.title, description: card.description, thumb },
      reply,
      createdAt: new Date(),
    });
    try {
      const created = await this.client.step(
        'create the post',
        signal,
        (s) =>
          this.client.agent.com.atproto.repo.createRecord(
            { repo: this.client.did(), collection: POST, rkey, record },
            { signal: s },
          ),
        { mayCreate: true },
      );
      const { uri, cid } = created.data ?? {};
      if (typeof uri !== 'string' || typeof cid !== 'string')
        throw new ChannelError(
          'bluesky',
          'malformed',
          'Bluesky: the post was created without a uri or cid in the answer (HTTP 200)',
          { status: 200 },
        );
      return this.remotePost(uri, cid);
    } catch (error) {
      return await this.recoverExisting(error, rkey, request);
    }
  }

  async find(request: FindRequest): Promise<RemotePost | null> {
    // The record key names the post exactly, wherever and whenever it was made: `notBefore` is
    // for networks that have to search a timeline, and would only hide a post made by a run
    // that crashed before writing the ledger.
    const rkey = recordKey(request);
    await this.client.logIn(request.signal);
    const found = await this.lookUpKey(rkey, request.signal);
    if (found && found.text !== request.text) throw collision(rkey, found.post);
    return found?.post ?? null;
  }

  async lookUp(post: RemotePost, signal: AbortSignal): Promise<RemoteText | null> {
    const uri = this.parseUri(post.id);
    await this.client.logIn(signal);
    const record = await this.client.step('read the post', signal, async (s) => {
      try {
        return await this.client.agent.com.atproto.repo.getRecord(
          { repo: uri.hostname, collection: uri.collection, rkey: uri.rkey },
          { signal: s },
        );
      } catch (error) {
        if (isRecordNotFound(error)) return null;
        throw error;
      }
    });
    if (!record) return null;
    const value = (record.data.value as { text?: unknown } | undefined)?.text;
    const text = typeof value === 'string' ? value : '';
    // The record keeps the text exactly as sent, as `find` expects it.
    return { text, says: (sent) => text === sent };
  }

  async retract(post: RemotePost, signal: AbortSignal): Promise<void> {
    const uri = this.parseUri(post.id);
    await this.client.logIn(signal);
    await this.client.step('delete the post', signal, async (s) => {
      try {
        await this.client.agent.com.atproto.repo.deleteRecord(
          { repo: uri.hostname, collection: uri.collection, rkey: uri.rkey },
          { signal: s },
        );
      } catch (error) {
        if (!isRecordNotFound(error)) throw error;
      }
    });
  }

  /** A failed create may hide a record made by an earlier attempt whose answer was lost. */
  private async recoverExisting(error: unknown, rkey: string, request: PostRequest): Promise<RemotePost> {
    if (!(error instanceof ChannelError) || (error.kind !== 'rejected' && error.kind !== 'unavailable')) throw error;
    // A real PDS answers a second record under one key with a 500, so look before failing.
    let existing: Awaited<ReturnType<BlueskyChannel['lookUpKey']>>;
    try {
      existing = await this.lookUpKey(rkey, request.signal);
    } catch {
      throw error.kind === 'unavailable' && error.status !== undefined ? asMaybeSent(error) : error;
    }
    if (!existing) throw error;
    if (existing.text !== request.text) throw collision(rkey, existing.post);
    return existing.post;
  }

  private async lookUpKey(rkey: string, signal: AbortSignal): Promise<{ post: RemotePost; text: string } | null> {
    const record = await this.client.step('look up the post', signal, async (s) => {
      try {
        return await this.client.agent.com.atproto.repo.getRecord(
          { repo: this.client.did(), collection: POST, rkey },
          { signal: s },
        );
      } catch (error) {
        if (isRecordNotFound(error)) return null;
        throw error;
      }
    });
    if (!record) return null;
    const { uri, cid, value } = record.data;
    if (typeof cid !== 'string')
      throw new ChannelError('bluesky', 'malformed', `Bluesky: the post ${rkey} came back without a cid (HTTP 200)`, {
        status: 200,
        maybeSent: false,
      });
    const text = (value as { text?: unknown } | undefined)?.text;
    return { post: this.remotePost(uri, cid), text: typeof text === 'string' ? text : '' };
  }

  /** A reply needs the cid of the post it answers; an old ledger entry may lack it. */
  private async strongRef(post: RemotePost, signal: AbortSignal): Promise<StrongRef> {
    if (post.cid) return { uri: post.id, cid: post.cid };
    const uri = this.parseUri(post.id);
    const found = await this.client.step('look up the post replied to', signal, (s) =>
      this.client.agent.com.atproto.repo.getRecord(
        { repo: uri.hostname, collection: uri.collection, rkey: uri.rkey },
        { signal: s },
      ),
    );
    if (typeof found.data.cid !== 'string')
      throw new ChannelError('bluesky', 'malformed', `Bluesky: ${post.id} came back without a cid (HTTP 200)`, {
        status: 200,
        maybeSent: false,
      });
    return { uri: post.id, cid: found.data.cid };
  }

  private remotePost(uri: string, cid: string): RemotePost {
    const { rkey } = this.parseUri(uri);
    return { id: uri, cid, url: `https://bsky.app/profile/${this.client.accountHandle()}/post/${rkey}` };
  }

  private parseUri(uri: string): AtUri {
    try {
      const parsed = new AtUri(uri);
      if (parsed.collection === POST && parsed.rkey) return parsed;
    } catch {
      // fall through to the message below
    }
    throw new ChannelError('bluesky', 'rejected', `Bluesky: ${JSON.stringify(uri)} is not the at:// address of a post`);
  }
}

/** The record key of a request; a due time no TID can hold is the request's fault. */
function recordKey(request: { key: string; dueAt: number }): string {
  try {
    return recordKeyFor(request.key, request.dueAt);
  } catch (error) {
    throw new ChannelError('bluesky', 'rejected', `Bluesky: ${(error as Error).message}`);
  }
}

function collision(rkey: string, post: RemotePost): ChannelError {
  return new ChannelError(
    'bluesky',
    'rejected',
    `Bluesky: record key ${rkey} already holds a different post (${post.url}); change the item's id or schedule`,
  );
}

/** Builds the channel from BLUESKY_SERVICE, BLUESKY_HANDLE and BLUESKY_APP_PASSWORD. */
export function blueskyFromEnv(env: Env, options: { timeoutMs?: number; language?: string } = {}): ChannelFromEnv {
  const service = env.BLUESKY_SERVICE?.trim() || DEFAULT_BLUESKY_SERVICE;
  const handle = env.BLUESKY_HANDLE?.trim().replace(/^@/, '');
  const appPassword = env.BLUESKY_APP_PASSWORD?.trim();
  const missing: string[] = [];
  if (!isHttpUrl(service)) missing.push('BLUESKY_SERVICE (not an http or https URL)');
  if (!handle) missing.push('BLUESKY_HANDLE');
  if (!appPassword) missing.push('BLUESKY_APP_PASSWORD');
  if (missing.length > 0 || !handle || !appPassword) return { ok: false, missing };
  return { ok: true, channel: new BlueskyChannel({ ...options, service, handle, appPassword }) };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
