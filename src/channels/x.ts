import { Agent } from 'node:http';
import type { SendTweetV2Params, TweetV2SingleResult, TweetV2UserTimelineResult, TwitterApi } from 'twitter-api-v2';
import { SOCIAL_RULES } from '../core/channels.ts';
import type { Channel, ChannelFromEnv, Env, FindRequest, PostRequest, RemotePost, RemoteText } from './channel.ts';
import { ChannelError } from './channel-error.ts';
import { createXClient, parseApiOrigin, X_DEFAULT_API_URL, XRequestScope, type XCredentials } from './x-client.ts';
import { errorText, XErrorMapper, type XStep } from './x-errors.ts';
import { defaultMediaProcessing, uploadImages, type XMediaProcessingOptions } from './x-media.ts';
import { comparableText, sameText } from './x-text.ts';

/**
 * X (Twitter) through twitter-api-v2, OAuth 1.0a user context: POST /2/tweets to publish (images
 * uploaded with the v2 media endpoints and processed before the post, see x-media.ts; alt text through
 * media metadata), the user's timeline to
 * find a post whose answer was lost, GET /2/tweets/:id to read one back, DELETE /2/tweets/:id to
 * retract.
 */
export interface XChannelOptions {
  credentials: XCredentials;
  /** An origin: https://api.x.com (default), or http://127.0.0.1:PORT for a fake. */
  apiUrl?: string;
  /** Per request, in ms. */
  timeoutMs?: number;
  /** How long to wait for X to process uploaded media (GIFs), and the clock that waits. */
  mediaProcessing?: XMediaProcessingOptions;
}

interface XAccount {
  id: string;
  username: string;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const TIMELINE_PAGE = 100;
const TIMELINE_MAX_PAGES = 10;
/** X refuses a start_time before this (2010-11-06T00:00:01Z). */
const X_EARLIEST_START = Date.UTC(2010, 10, 6, 0, 0, 1);
/** The problem X reports, in place of the post, for one that does not exist (any more). */
const NOT_FOUND = 'https://api.twitter.com/2/problems/resource-not-found';

export class XChannel implements Channel {
  readonly id = 'x' as const;
  readonly rules = SOCIAL_RULES.x;
  private readonly credentials: XCredentials;
  private readonly origin: URL;
  private readonly timeoutMs: number;
  private readonly agent = new Agent();
  private readonly errors: XErrorMapper;
  private readonly mediaProcessing: Required<XMediaProcessingOptions>;
  get mediaProcessingMs(): number {
    return this.mediaProcessing.limitMs;
  }
  private account: XAccount | undefined;

  constructor(options: XChannelOptions) {
    const origin = parseApiOrigin(options.apiUrl ?? X_DEFAULT_API_URL);
    if (!origin)
      throw new Error(`X: the API URL must be an origin such as https://api.x.com, found "${options.apiUrl}"`);
    this.credentials = options.credentials;
    this.origin = origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.errors = new XErrorMapper(options.credentials);
    this.mediaProcessing = { ...defaultMediaProcessing, ...options.mediaProcessing };
  }

  async publish(request: PostRequest): Promise<RemotePost> {
    this.checkPost(request);
    const scope = this.scope(request.signal);
    const client = createXClient(this.credentials, this.origin, this.agent, scope);
    const account = await this.accountFor(client, scope);
    // Every image uploaded and processed (X refuses a post with media still pending) before the post.
    const mediaIds = await uploadImages(
      {
        client,
        signal: request.signal,
        errors: this.errors,
        run: (step, send) => this.run(scope, step, send),
        processing: this.mediaProcessing,
      },
      request.images,
    );

    const payload: SendTweetV2Params = { text: request.text };
    if (request.replyTo) payload.reply = { in_reply_to_tweet_id: request.replyTo.id };
    if (mediaIds.length) payload.media = { media_ids: mediaIds as [string] };
    const step = { action: 'creating the post', creates: true };
    const result = await this.run(scope, step, () => client.v2.tweet(payload));
    const id = (result as { data?: { id?: unknown } } | undefined)?.data?.id;
    if (typeof id !== 'string' || !/^\d+$/.test(id)) {
      throw this.errors.error(
        'malformed',
        `X: the answer to creating the post has no post id (HTTP ${scope.current?.status ?? '2xx'})`,
        { status: scope.current?.status, maybeSent: true },
      );
    }
    return { id, url: postUrl(account, id) };
  }

  async find(request: FindRequest): Promise<RemotePost | null> {
    const scope = this.scope(request.signal);
    const client = createXClient(this.credentials, this.origin, this.agent, scope);
    const account = await this.accountFor(client, scope);
    // X keeps times in whole seconds (start_time and created_at alike): a post sent 300 ms after
    // notBefore may carry a created_at 700 ms before it.
    const since = Math.max(Math.floor(request.notBefore / 1000) * 1000, X_EARLIEST_START);
    const startTime = new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const wanted = comparableText(request.text);
    const step = { action: 'reading the timeline', creates: false };
    let best: { id: string; at: number } | undefined;
    let token: string | undefined;
    for (let page = 0; page < TIMELINE_MAX_PAGES; page++) {
      const query = {
        max_results: TIMELINE_PAGE,
        start_time: startTime,
        'tweet.fields': 'created_at',
        pagination_token: token,
      };
      const body = await this.run(scope, step, () =>
        client.v2.get<TweetV2UserTimelineResult>('users/:id/tweets', query, { params: { id: account.id } }),
      );
      if (!body || typeof body !== 'object' || (!Array.isArray(body.data) && !body.meta)) {
        throw this.errors.error(
          'malformed',
          `X: the timeline answer has neither posts nor meta (HTTP ${scope.current?.status ?? '2xx'})`,
          { maybeSent: false },
        );
      }
      for (const post of body.data ?? []) {
        // Without created_at, trust the start_time X applied.
        const at = post.created_at ? Date.parse(post.created_at) : since;
        if (
          !(at >= since) ||
          typeof post.id !== 'string' ||
          typeof post.text !== 'string' ||
          !sameText(post.text, wanted)
        )
          continue;
        // The first matching post after notBefore is the one that was sent; a later one would be a
        // copy made by hand.
        if (!best || at < best.at || (at === best.at && olderId(post.id, best.id))) best = { id: post.id, at };
      }
      token = body.meta?.next_token;
      if (!token) return best ? { id: best.id, url: postUrl(account, best.id) } : null;
    }
    if (best) return { id: best.id, url: postUrl(account, best.id) };
    throw this.errors.error(
      'unavailable',
      `X: more than ${TIMELINE_PAGE * TIMELINE_MAX_PAGES} posts since ${startTime}; could not read them all`,
      { maybeSent: false },
    );
  }

  async lookUp(post: RemotePost, signal: AbortSignal): Promise<RemoteText | null> {
    if (!/^\d+$/.test(post.id)) throw this.errors.error('rejected', `X: "${post.id}" is not an X post id`);
    const scope = this.scope(signal);
    const client = createXClient(this.credentials, this.origin, this.agent, scope);
    let body: TweetV2SingleResult | undefined;
    try {
      body = await this.run(scope, { action: `reading post ${post.id}`, creates: false }, () =>
        client.v2.singleTweet(post.id),
      );
    } catch (error) {
      if (error instanceof ChannelError && error.status === 404) return null;
      throw error;
    }
    const text = (body as { data?: { text?: unknown } } | undefined)?.data?.text;
    if (typeof text === 'string') return { text, says: (sent) => sameText(text, comparableText(sent)) };
    // X answers a deleted post with 200 and, in place of the post, a "resource-not-found" error.
    const errors = (body as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(errors) && errors.some((e) => (e as { type?: unknown } | null)?.type === NOT_FOUND)) return null;
    const status = scope.current?.status ?? 200;
    if (Array.isArray(errors) && errors.length)
      throw this.errors.error('rejected', `X: could not read post ${post.id}: ${errorText(body)} (HTTP ${status})`, {
        status,
      });
    throw this.errors.error('malformed', `X: the answer to reading post ${post.id} has no text (HTTP ${status})`, {
      status,
      maybeSent: false,
    });
  }

  async retract(post: RemotePost, signal: AbortSignal): Promise<void> {
    if (!/^\d+$/.test(post.id)) throw this.errors.error('rejected', `X: "${post.id}" is not an X post id`);
    const scope = this.scope(signal);
    const client = createXClient(this.credentials, this.origin, this.agent, scope);
    try {
      const result = await this.run(scope, { action: `deleting post ${post.id}`, creates: false }, () =>
        client.v2.deleteTweet(post.id),
      );
      if ((result as { data?: { deleted?: unknown } } | undefined)?.data?.deleted === false) {
        throw this.errors.error(
          'rejected',
          `X: did not delete post ${post.id} (HTTP ${scope.current?.status ?? '2xx'})`,
        );
      }
    } catch (error) {
      if (error instanceof ChannelError && error.status === 404) return;
      throw error;
    }
  }

  /** Refuses what X would refuse, before anything is uploaded. */
  private checkPost(request: PostRequest): void {
    const length = this.rules.measure(request.text);
    if (length > this.rules.maxLength)
      throw this.errors.error(
        'rejected',
        `X: the text is ${length} ${this.rules.unit}; X allows ${this.rules.maxLength}`,
      );
    const refusal = this.rules.refusal?.(request.text);
    if (refusal) throw this.errors.error('rejected', `X: the text cannot be sent: ${refusal}`);
    if (!request.text.trim() && request.images.length === 0)
      throw this.errors.error('rejected', 'X: the post has neither text nor images');
    if (request.images.length > this.rules.maxImages)
      throw this.errors.error(
        'rejected',
        `X: ${request.images.length} images; X allows ${this.rules.maxImages} per post`,
      );
    for (const image of request.images) {
      if (image.bytes.length > this.rules.maxImageBytes)
        throw this.errors.error(
          'rejected',
          `X: ${image.path} is ${image.bytes.length} bytes; X allows ${this.rules.maxImageBytes}`,
        );
      if (image.alt.length > this.rules.maxAltLength)
        throw this.errors.error(
          'rejected',
          `X: the alt text of ${image.path} is ${image.alt.length} characters; X allows ${this.rules.maxAltLength}`,
        );
    }
  }

  /** The account the credentials belong to: its id for the timeline, its name for post URLs. */
  private async accountFor(client: TwitterApi, scope: XRequestScope): Promise<XAccount> {
    if (this.account) return this.account;
    const me = await this.run(scope, { action: 'reading the account', creates: false }, () => client.v2.me());
    const data = (me as { data?: { id?: unknown; username?: unknown } } | undefined)?.data;
    if (typeof data?.id !== 'string' || typeof data.username !== 'string') {
      throw this.errors.error(
        'malformed',
        `X: the answer to reading the account has no id or username (HTTP ${scope.current?.status ?? '2xx'})`,
        { maybeSent: false },
      );
    }
    this.account = { id: data.id, username: data.username };
    return this.account;
  }

  private scope(signal: AbortSignal): XRequestScope {
    return new XRequestScope(signal, this.timeoutMs);
  }

  private async run<T>(scope: XRequestScope, step: XStep, send: () => Promise<T>): Promise<T> {
    if (scope.signal.aborted)
      throw this.errors.error('timeout', `X: cancelled before ${step.action}`, { maybeSent: false });
    try {
      return await send();
    } catch (error) {
      throw this.errors.map(error, step, scope);
    }
  }
}

/** X ids are snowflakes: a shorter one, or a smaller one of the same length, is older. */
function olderId(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b;
}

function postUrl(account: XAccount, id: string): string {
  return `https://x.com/${account.username}/status/${id}`;
}

const REQUIRED = ['X_API_KEY', 'X_API_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'] as const;

/** Builds the X channel from X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET and X_API_URL. */
export function xFromEnv(env: Env, options: { timeoutMs?: number } = {}): ChannelFromEnv {
  const value = (name: string) => env[name]?.trim() ?? '';
  const missing: string[] = REQUIRED.filter((name) => !value(name));
  const apiUrl = value('X_API_URL') || X_DEFAULT_API_URL;
  // A value that is not an origin is as unusable as none; only the name is reported.
  if (!parseApiOrigin(apiUrl)) missing.push('X_API_URL');
  if (missing.length) return { ok: false, missing };
  const credentials = {
    apiKey: value('X_API_KEY'),
    apiSecret: value('X_API_SECRET'),
    accessToken: value('X_ACCESS_TOKEN'),
    accessSecret: value('X_ACCESS_SECRET'),
  };
  return { ok: true, channel: new XChannel({ credentials, apiUrl, ...options }) };
}
