import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { xLinkSpans } from '../../src/channels/x-text.ts';
import { mapSpans } from '../../src/core/links.ts';
import twitterText from 'twitter-text';
import { FakeService, jsonBody, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * A fake X API v2, stateful enough for a publisher: it checks OAuth 1.0a signatures
 * for real (against the https://api.x.com URL the client signed, not the 127.0.0.1 URL it reached),
 * stores posts, media and alt text, refuses duplicates like X, and returns text the way X does: links
 * rewritten to t.co, &<> escaped, a t.co link to the images at the end. Like X's OAuth 1.0a user
 * context, the access token says who the request acts for: one app (consumer key) may hold the tokens
 * of several users (addUser), each posting, finding and deleting only as themselves.
 */
export interface FakeXUser {
  id: string;
  username: string;
  name: string;
}

export interface FakeXCredentials {
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  accessSecret: string;
}

export interface FakeXPost {
  id: string;
  authorId: string;
  /** As sent. */
  text: string;
  replyTo: string | null;
  mediaIds: string[];
  createdAt: number;
  deleted: boolean;
}

export interface FakeXMedia {
  id: string;
  mediaType: string;
  /** As given at INIT ("tweet_gif"), or null. */
  mediaCategory: string | null;
  totalBytes: number;
  chunks: Map<number, Buffer>;
  bytes: Buffer | null;
  altText: string | null;
  /** Set at FINALIZE for media X processes; null for media ready at once. */
  processing: FakeXMediaProcessing | null;
}

/** X's error for media it could not process, e.g. { code: 1, name: 'InvalidMedia', message: 'Unsupported video format' }. */
export interface FakeXProcessingError {
  code: number;
  name: string;
  message: string;
}

/**
 * How X processes one upload after FINALIZE. FINALIZE answers `pending`; the STATUS polls that
 * follow answer `pending` (the first), then `in_progress`, and the `polls`-th answers the outcome:
 * `succeeded`, or `failed` with `error`. It advances by polls, not by time: a client that never asks
 * never gets its media ready, and tests never wait for a clock.
 */
export interface FakeXProcessing {
  polls: number;
  /** The check_after_secs X suggests while it works (X says 1 or more; 0 keeps a CLI run from sleeping). */
  checkAfterSecs: number;
  /** Processing ends in `failed` with this error. */
  error?: FakeXProcessingError;
}

export interface FakeXMediaProcessing extends FakeXProcessing {
  state: 'pending' | 'in_progress' | 'succeeded' | 'failed';
  /** STATUS requests answered so far. */
  statusPolls: number;
  progressPercent: number;
}

export const FAKE_X_CREDENTIALS: FakeXCredentials = {
  apiKey: 'fakeApiKey4Kq9Tz',
  apiSecret: 'fakeApiSecretZr7wPq2',
  accessToken: '2244994945-fakeAccessTokenN3p',
  accessSecret: 'fakeAccessSecretLm2xV8',
};

const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export class FakeX extends FakeService {
  readonly credentials: FakeXCredentials;
  readonly user: FakeXUser = { id: '2244994945', username: 'postgate_demo', name: 'Postgate Demo' };
  /** Access token → its secret and the user it acts for (the first is `credentials`' own). */
  private readonly tokens = new Map<string, { secret: string; user: FakeXUser }>();
  /** The user each request was signed for, once its signature checked out. */
  private readonly actingFor = new WeakMap<RecordedRequest, FakeXUser>();
  readonly posts: FakeXPost[] = [];
  /** Post id → its public_metrics as GET /2/tweets gives them (default all 0). */
  readonly metrics = new Map<
    string,
    Partial<Record<'retweet_count' | 'reply_count' | 'like_count' | 'quote_count', number>>
  >();
  /** Posts returned by GET /2/tweets: what X bills as reads. */
  postsRead = 0;
  readonly media = new Map<string, FakeXMedia>();
  /** Quote the request's Authorization header in error bodies, as a careless API might. */
  echoAuthorization = false;
  /**
   * Which uploads X processes after FINALIZE, and how; null means ready at once. Like X, GIFs are
   * always processed (default: one STATUS poll, check_after_secs 0). Decide per media type or per
   * upload: `fake.processingFor = (m) => (m.mediaType === 'image/gif' ? { polls: 3, checkAfterSecs: 1 } : null)`.
   */
  processingFor: (media: FakeXMedia) => FakeXProcessing | null = (media) =>
    media.mediaType === 'image/gif' ? { polls: 1, checkAfterSecs: 0 } : null;
  /** When posts are made (epoch ms); OAuth timestamps are always checked against the real clock. */
  clock: () => number = Date.now;
  private readonly nonces = new Set<string>();
  private lastId = 1_870_000_000_000_000_000n;

  constructor(credentials: FakeXCredentials = FAKE_X_CREDENTIALS) {
    super('x');
    this.credentials = credentials;
    this.tokens.set(credentials.accessToken, { secret: credentials.accessSecret, user: this.user });
  }

  /** Another user who authorized the same app: their own access token and secret, as X issues them. */
  addUser(accessToken: string, accessSecret: string, username: string): FakeXUser {
    const user = { id: String(2244994945 + this.tokens.size * 7919), username, name: username };
    this.tokens.set(accessToken, { secret: accessSecret, user });
    return user;
  }

  /** The live posts of one user (by username). */
  liveOf(username: string): FakeXPost[] {
    const user = [...this.tokens.values()].find((t) => t.user.username === username)?.user;
    return this.livePosts().filter((p) => p.authorId === user?.id);
  }

  /** The environment xFromEnv needs to reach this fake. */
  env(): Record<string, string> {
    const c = this.credentials;
    return {
      X_API_KEY: c.apiKey,
      X_API_SECRET: c.apiSecret,
      X_ACCESS_TOKEN: c.accessToken,
      X_ACCESS_SECRET: c.accessSecret,
      X_API_URL: this.url,
    };
  }

  livePosts(): FakeXPost[] {
    return this.posts.filter((p) => !p.deleted);
  }

  /** The text X shows for a post. */
  rendered(post: FakeXPost): string {
    // X's own rule (twitter-text) decides what becomes a t.co link.
    const text = mapSpans(post.text, xLinkSpans(post.text), (link) => tco(link.url));
    const withMedia = post.mediaIds.length ? `${text} ${tco(`media:${post.id}`)}` : text;
    return withMedia.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  protected async route(request: RecordedRequest): Promise<FakeResponse> {
    const refusal = this.checkOAuth(request);
    if (refusal) return this.problem(request, 401, 'Unauthorized', `Unauthorized: ${refusal}`);
    const route = `${request.method} ${request.path}`;
    let m: RegExpExecArray | null;
    if (route === 'GET /2/users/me') return { status: 200, body: { data: this.actor(request) } };
    if (route === 'POST /2/tweets') return this.createPost(request);
    if ((m = /^GET \/2\/users\/(\d+)\/tweets$/.exec(route))) return this.timeline(request, m[1]!);
    if ((m = /^GET \/2\/tweets\/(\d+)$/.exec(route))) return this.readPost(request, m[1]!);
    if (route === 'GET /2/tweets') return this.readPosts(request);
    if ((m = /^DELETE \/2\/tweets\/(\d+)$/.exec(route))) return this.deletePost(request, m[1]!);
    if (route === 'POST /2/media/upload/initialize') return this.initMedia(request);
    if ((m = /^POST \/2\/media\/upload\/(\d+)\/append$/.exec(route))) return this.appendMedia(request, m[1]!);
    if ((m = /^POST \/2\/media\/upload\/(\d+)\/finalize$/.exec(route))) return this.finalizeMedia(request, m[1]!);
    if (route === 'GET /2/media/upload') return this.mediaStatus(request);
    if (route === 'POST /2/media/metadata') return this.mediaMetadata(request);
    return this.problem(
      request,
      404,
      'Not Found Error',
      `No route ${route}`,
      'https://api.twitter.com/2/problems/resource-not-found',
    );
  }

  private createPost(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request) as {
      text?: unknown;
      reply?: { in_reply_to_tweet_id?: unknown };
      media?: { media_ids?: unknown };
    };
    const text = typeof body.text === 'string' ? body.text : '';
    const mediaIds = Array.isArray(body.media?.media_ids) ? body.media.media_ids.map(String) : [];
    if (!text && !mediaIds.length) return this.invalid(request, 'text', 'Either text or media is required.');
    // X decides with twitter-text, as its apps do: too long, or holding U+FFFE, U+FEFF or U+FFFF.
    const parsed = twitterText.parseTweet(text);
    if (text && !parsed.valid)
      return this.invalid(
        request,
        'text',
        parsed.weightedLength > 280 ? 'The text is too long.' : 'The text is invalid.',
      );
    // X's answer to media that is unknown, not finalized, or not (yet) processed: abraham/twitteroauth#1222
    // shows it for a video posted while its processing was still pending.
    if (mediaIds.length > 4 || mediaIds.some((id) => !this.isReady(id)))
      return this.invalid(request, 'media.media_ids', 'Your media IDs are invalid.', mediaIds);
    const replyTo = body.reply?.in_reply_to_tweet_id === undefined ? null : String(body.reply.in_reply_to_tweet_id);
    if (replyTo !== null && !this.livePosts().some((p) => p.id === replyTo)) {
      return this.problem(
        request,
        403,
        'Forbidden',
        'You attempted to reply to a Tweet that is deleted or not visible to you.',
      );
    }
    const author = this.actor(request);
    if (this.livePosts().some((p) => p.authorId === author.id && p.text === text)) {
      return this.problem(request, 403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    }
    const post: FakeXPost = {
      id: this.nextId(),
      authorId: author.id,
      text,
      replyTo,
      mediaIds,
      createdAt: this.clock(),
      deleted: false,
    };
    this.posts.push(post);
    return {
      status: 201,
      body: { data: { id: post.id, text: this.rendered(post), edit_history_tweet_ids: [post.id] } },
    };
  }

  private timeline(request: RecordedRequest, userId: string): FakeResponse {
    const q = request.query;
    const max = Number(q.get('max_results') ?? 10);
    if (!Number.isInteger(max) || max < 5 || max > 100)
      return this.invalid(request, 'max_results', 'max_results must be between 5 and 100.');
    const bound = (name: string) => {
      const value = q.get(name);
      if (value === null) return undefined;
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(value) ? Date.parse(value) : NaN;
    };
    const start = bound('start_time');
    const end = bound('end_time');
    if (Number.isNaN(start) || Number.isNaN(end))
      return this.invalid(request, 'start_time', 'Times must be YYYY-MM-DDTHH:mm:ssZ.');
    if (start !== undefined && start < Date.UTC(2010, 10, 6, 0, 0, 1))
      return this.invalid(request, 'start_time', 'start_time must be on or after 2010-11-06T00:00:01Z.');
    const fields = new Set((q.get('tweet.fields') ?? '').split(',').filter(Boolean));
    // X keeps whole seconds.
    const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;
    const matching = this.livePosts()
      .filter(
        (p) =>
          p.authorId === userId &&
          (start === undefined || seconds(p.createdAt) >= start) &&
          (end === undefined || seconds(p.createdAt) < end),
      )
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const offset = Number(q.get('pagination_token') ?? 0);
    const page = matching.slice(offset, offset + max);
    const data = page.map((p) => ({
      id: p.id,
      text: this.rendered(p),
      edit_history_tweet_ids: [p.id],
      ...(fields.has('created_at') ? { created_at: new Date(seconds(p.createdAt)).toISOString() } : {}),
    }));
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) Object.assign(meta, { newest_id: page[0]!.id, oldest_id: page.at(-1)!.id });
    if (offset + max < matching.length) meta.next_token = String(offset + max);
    return { status: 200, body: page.length ? { data, meta } : { meta } };
  }

  /**
   * GET /2/tweets/:id. Like X, a post that does not exist (deleted, or never made) is not an HTTP
   * error: the answer is 200 with a "resource-not-found" problem in place of the data.
   */
  private readPost(request: RecordedRequest, id: string): FakeResponse {
    const post = this.posts.find((p) => p.id === id && !p.deleted);
    if (!post) {
      return {
        status: 200,
        body: {
          errors: [
            {
              value: id,
              detail: `Could not find tweet with id: [${id}].`,
              title: 'Not Found Error',
              resource_type: 'tweet',
              parameter: 'id',
              resource_id: id,
              type: 'https://api.twitter.com/2/problems/resource-not-found',
            },
          ],
        },
      };
    }
    const fields = new Set((request.query.get('tweet.fields') ?? '').split(',').filter(Boolean));
    return {
      status: 200,
      body: {
        data: {
          id: post.id,
          text: this.rendered(post),
          edit_history_tweet_ids: [post.id],
          ...(fields.has('created_at') ? { created_at: new Date(post.createdAt).toISOString() } : {}),
          ...(fields.has('author_id') ? { author_id: post.authorId } : {}),
        },
      },
    };
  }

  /**
   * GET /2/tweets?ids=…: 1 to 100 ids; public_metrics only when tweet.fields asks for them; an id
   * that is not a live post is an entry in `errors` beside `data`. Each post returned is a read X bills.
   */
  private readPosts(request: RecordedRequest): FakeResponse {
    const ids = (request.query.get('ids') ?? '').split(',').filter(Boolean);
    if (ids.length === 0 || ids.length > 100 || ids.some((id) => !/^\d{1,19}$/.test(id)))
      return this.invalid(request, 'ids', `The \`ids\` query parameter value [${ids.length}] is not between 1 and 100`);
    const fields = new Set((request.query.get('tweet.fields') ?? '').split(',').filter(Boolean));
    const found = ids.map((id) => this.posts.find((p) => p.id === id && !p.deleted));
    const data = found.flatMap((post) => {
      if (!post) return [];
      this.postsRead++;
      const metrics = {
        retweet_count: 0,
        reply_count: 0,
        like_count: 0,
        quote_count: 0,
        bookmark_count: 0,
        impression_count: 0,
        ...this.metrics.get(post.id),
      };
      return [
        {
          id: post.id,
          text: this.rendered(post),
          edit_history_tweet_ids: [post.id],
          ...(fields.has('public_metrics') ? { public_metrics: metrics } : {}),
        },
      ];
    });
    const errors = ids
      .filter((_, i) => !found[i])
      .map((id) => ({
        value: id,
        detail: `Could not find tweet with id: [${id}].`,
        title: 'Not Found Error',
        resource_type: 'tweet',
        parameter: 'ids',
        resource_id: id,
        type: 'https://api.twitter.com/2/problems/resource-not-found',
      }));
    return { status: 200, body: { ...(data.length ? { data } : {}), ...(errors.length ? { errors } : {}) } };
  }

  private deletePost(request: RecordedRequest, id: string): FakeResponse {
    const post = this.posts.find((p) => p.id === id && !p.deleted);
    if (!post)
      return this.problem(
        request,
        404,
        'Not Found Error',
        `Could not find tweet with id: [${id}].`,
        'https://api.twitter.com/2/problems/resource-not-found',
      );
    if (post.authorId !== this.actor(request).id)
      return this.problem(request, 403, 'Forbidden', 'You are not allowed to delete this Tweet.');
    post.deleted = true;
    return { status: 200, body: { data: { deleted: true } } };
  }

  private initMedia(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request) as { media_type?: unknown; total_bytes?: unknown; media_category?: unknown };
    const mediaType = String(body.media_type ?? '');
    const mediaCategory = typeof body.media_category === 'string' ? body.media_category : null;
    const totalBytes = Number(body.total_bytes);
    if (!/^image\/(png|jpeg|gif|webp)$/.test(mediaType))
      return this.invalid(request, 'media_type', `Unsupported media type ${mediaType}.`);
    if (!Number.isInteger(totalBytes) || totalBytes <= 0 || totalBytes > MAX_IMAGE_BYTES)
      return this.invalid(request, 'total_bytes', 'Invalid total_bytes.');
    const id = this.nextId();
    this.media.set(id, {
      id,
      mediaType,
      mediaCategory,
      totalBytes,
      chunks: new Map(),
      bytes: null,
      altText: null,
      processing: null,
    });
    return { status: 200, body: { data: { id, media_key: mediaKey(id, mediaType), expires_after_secs: 86400 } } };
  }

  private appendMedia(request: RecordedRequest, id: string): FakeResponse {
    const media = this.media.get(id);
    if (!media || media.bytes) return this.invalid(request, 'id', 'Unknown or finalized media id.');
    const fields = multipart(request);
    const index = Number(fields.get('segment_index')?.toString());
    const chunk = fields.get('media');
    if (!Number.isInteger(index) || !chunk)
      return this.invalid(request, 'media', 'segment_index and media are required.');
    media.chunks.set(index, chunk);
    return { status: 200, body: { data: { expires_at: Math.floor(Date.now() / 1000) + 86400 } } };
  }

  private finalizeMedia(request: RecordedRequest, id: string): FakeResponse {
    const media = this.media.get(id);
    if (!media) return this.invalid(request, 'id', 'Unknown media id.');
    const bytes = Buffer.concat([...media.chunks.entries()].sort(([a], [b]) => a - b).map(([, chunk]) => chunk));
    if (bytes.length !== media.totalBytes)
      return this.invalid(request, 'id', `Received ${bytes.length} bytes, expected ${media.totalBytes}.`);
    media.bytes = bytes;
    const plan = this.processingFor(media);
    if (plan) {
      media.processing = { ...plan, state: 'pending', statusPolls: 0, progressPercent: 0 };
      if (plan.polls < 1) this.finishProcessing(media.processing);
    }
    return { status: 200, body: { data: { ...this.mediaData(media), size: bytes.length } } };
  }

  /** GET /2/media/upload?command=STATUS&media_id=…: each poll moves processing one step on. */
  private mediaStatus(request: RecordedRequest): FakeResponse {
    if (request.query.get('command') !== 'STATUS')
      return this.invalid(request, 'command', 'command must be STATUS.', [request.query.get('command') ?? '']);
    const id = request.query.get('media_id') ?? '';
    const media = this.media.get(id);
    if (!media?.bytes) return this.invalid(request, 'media_id', 'Unknown or unfinalized media id.', [id]);
    const processing = media.processing;
    if (processing && processing.state !== 'succeeded' && processing.state !== 'failed') {
      processing.statusPolls++;
      if (processing.statusPolls >= processing.polls) this.finishProcessing(processing);
      else {
        processing.state = processing.statusPolls === 1 ? 'pending' : 'in_progress';
        processing.progressPercent = Math.floor((100 * processing.statusPolls) / processing.polls);
      }
    }
    return { status: 200, body: { data: this.mediaData(media) } };
  }

  private finishProcessing(processing: FakeXMediaProcessing): void {
    processing.state = processing.error ? 'failed' : 'succeeded';
    if (!processing.error) processing.progressPercent = 100;
  }

  /** The media object of FINALIZE and STATUS answers; processing_info only for media X processes. */
  private mediaData(media: FakeXMedia): Record<string, unknown> {
    const data: Record<string, unknown> = {
      id: media.id,
      media_key: mediaKey(media.id, media.mediaType),
      expires_after_secs: 86400,
    };
    const p = media.processing;
    if (!p) return data;
    const working = p.state === 'pending' || p.state === 'in_progress';
    data.processing_info = {
      state: p.state,
      ...(working ? { check_after_secs: p.checkAfterSecs } : {}),
      ...(p.state === 'pending' && p.statusPolls === 0 ? {} : { progress_percent: p.progressPercent }),
      ...(p.state === 'failed' ? { error: { ...p.error } } : {}),
    };
    return data;
  }

  /** Finalized, and processed if X processes it: the only media a post may carry. */
  isReady(id: string): boolean {
    const media = this.media.get(id);
    return !!media?.bytes && (media.processing === null || media.processing.state === 'succeeded');
  }

  private mediaMetadata(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request) as { id?: unknown; metadata?: { alt_text?: { text?: unknown } } };
    const media = this.media.get(String(body.id));
    const alt = body.metadata?.alt_text?.text;
    if (!media) return this.invalid(request, 'id', 'Unknown media id.');
    if (typeof alt !== 'string' || alt.length > 1000)
      return this.invalid(request, 'metadata.alt_text.text', 'Alt text must be at most 1000 characters.');
    media.altText = alt;
    return { status: 200, body: { data: { id: media.id, associated_metadata: { alt_text: { text: alt } } } } };
  }

  /** Null when the request is signed by the expected key and token; otherwise why not. */
  private checkOAuth(request: RecordedRequest): string | null {
    const header = request.headers.authorization;
    if (!header?.startsWith('OAuth ')) return 'no OAuth Authorization header';
    const oauth = new Map<string, string>();
    for (const [, key, value] of header.slice(6).matchAll(/([\w-]+)="([^"]*)"/g))
      oauth.set(decodeURIComponent(key!), decodeURIComponent(value!));
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1') return 'signature method is not HMAC-SHA1';
    const token = this.tokens.get(oauth.get('oauth_token') ?? '');
    if (oauth.get('oauth_consumer_key') !== this.credentials.apiKey || !token) return 'unknown consumer key or token';
    const timestamp = Number(oauth.get('oauth_timestamp'));
    if (!(Math.abs(timestamp - Date.now() / 1000) < 300)) return 'timestamp out of range';
    const nonce = `${oauth.get('oauth_nonce')}:${timestamp}`;
    if (!oauth.get('oauth_nonce') || this.nonces.has(nonce)) return 'nonce missing or used before';

    // Parameters signed: the oauth_* ones, the query, and a form-encoded body (never JSON or multipart).
    const params: [string, string][] = [...oauth].filter(([k]) => k !== 'oauth_signature');
    params.push(...request.query.entries());
    if (String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      params.push(...new URLSearchParams(request.body.toString('utf8')).entries());
    }
    const encoded = params
      .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
      .sort(([ak, av], [bk, bv]) => (ak === bk ? compare(av, bv) : compare(ak, bk)));
    const host = request.path.startsWith('/1.1/media/') ? 'upload.x.com' : 'api.x.com';
    const base = [
      request.method,
      percentEncode(`https://${host}${request.path}`),
      percentEncode(encoded.map(([k, v]) => `${k}=${v}`).join('&')),
    ].join('&');
    const key = `${percentEncode(this.credentials.apiSecret)}&${percentEncode(token.secret)}`;
    const expected = createHmac('sha1', key).update(base).digest();
    const given = Buffer.from(oauth.get('oauth_signature') ?? '', 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid signature';
    this.nonces.add(nonce);
    this.actingFor.set(request, token.user);
    return null;
  }

  /** Who a request acts for: the user of the access token it was signed with. */
  private actor(request: RecordedRequest): FakeXUser {
    return this.actingFor.get(request) ?? this.user;
  }

  private problem(
    request: RecordedRequest,
    status: number,
    title: string,
    detail: string,
    type = 'about:blank',
  ): FakeResponse {
    const echoed = this.echoAuthorization
      ? ` (request had Authorization: ${request.headers.authorization ?? 'none'})`
      : '';
    return { status, body: { title, detail: detail + echoed, type, status } };
  }

  private invalid(request: RecordedRequest, parameter: string, message: string, values: string[] = []): FakeResponse {
    const response = this.problem(
      request,
      400,
      'Invalid Request',
      'One or more parameters to your request was invalid.',
      'https://api.twitter.com/2/problems/invalid-request',
    );
    return {
      ...response,
      body: { ...(response.body as object), errors: [{ parameters: { [parameter]: values }, message }] },
    };
  }

  private nextId(): string {
    this.lastId += 1_000_000n + BigInt(Math.floor(Math.random() * 1000));
    return this.lastId.toString();
  }
}

/** X's media keys start with the media's kind: 3 an image, 16 an animated GIF. */
function mediaKey(id: string, mediaType: string): string {
  return `${mediaType === 'image/gif' ? 16 : 3}_${id}`;
}

/** X's short links: ten letters and digits (twitter-text ends a t.co link at anything else). */
function tco(url: string): string {
  const slug = createHash('sha1')
    .update(url)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '');
  return `https://t.co/${slug.slice(0, 10)}`;
}

function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * multipart/form-data fields as bytes. (Request.formData() would decode a part without a filename,
 * such as twitter-api-v2's media chunk, as UTF-8 text and damage binary data.)
 */
function multipart(request: RecordedRequest): Map<string, Buffer> {
  const fields = new Map<string, Buffer>();
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/.exec(String(request.headers['content-type'] ?? ''));
  if (!boundary) return fields;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body = request.body;
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(part.subarray(0, headerEnd).toString())?.[1];
    if (name !== undefined && headerEnd !== -1) fields.set(name, Buffer.from(part.subarray(headerEnd + 4)));
    at = next;
  }
  return fields;
}
