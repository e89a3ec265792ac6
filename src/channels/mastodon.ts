import { setTimeout as sleep } from 'node:timers/promises';
import { createRestAPIClient, type mastodon } from 'masto';
import { type ChannelLimits, MASTODON_DEFAULT_LIMITS, type MastodonLimits, rulesFor } from '../core/channels.ts';
import type {
  Channel,
  ChannelFromEnv,
  Env,
  FindRequest,
  ImageUpload,
  PostRequest,
  RemotePost,
  RemoteText,
} from './channel.ts';
import { ChannelError } from './channel-error.ts';
import { malformed, mastodonError } from './mastodon-errors.ts';
import { type InstanceLimits, instanceRefusal, limitsFromInstance, settingsToMatch } from './mastodon-instance.ts';
import { contentMatches } from './mastodon-text.ts';

export interface MastodonOptions {
  /** The instance, e.g. https://mastodon.social */
  url: string;
  token: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Per image upload request (default 120 s): a 16 MB image on a slow link takes a while. */
  uploadTimeoutMs?: number;
  /** How long an image may stay "processing" after upload before we give up (default 60 s). */
  mediaTimeoutMs?: number;
  mediaPollIntervalMs?: number;
  now?: () => number;
  /** The repository's limits (config `mastodon:`): what `check` measured by, and the fallback. */
  limits?: ChannelLimits;
  /** Where a remark about the whole run goes (the run's log), said once. */
  notice?: (line: string) => void;
}

// Mastodon stamps created_at with its own clock; a runner's clock a little ahead must not hide the post.
const CLOCK_SKEW_MS = 60_000;
const PAGE_SIZE = 40;
const MAX_PAGES = 10;

type Record_ = Readonly<Record<string, unknown>>;
const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmpty = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

export class MastodonChannel implements Channel {
  readonly id = 'mastodon' as const;
  readonly rules: Channel['rules'];
  private readonly url: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly uploadTimeoutMs: number;
  private readonly mediaTimeoutMs: number;
  private readonly mediaPollIntervalMs: number;
  private readonly now: () => number;
  private readonly configured: MastodonLimits;
  private readonly notice: (line: string) => void;
  /** The instance's limits, read once per run (a channel lives for one run). */
  private instance: Promise<InstanceLimits> | undefined;

  constructor(options: MastodonOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000;
    this.mediaTimeoutMs = options.mediaTimeoutMs ?? 60_000;
    this.mediaPollIntervalMs = options.mediaPollIntervalMs ?? 1_000;
    this.now = options.now ?? Date.now;
    this.configured = options.limits?.mastodon ?? MASTODON_DEFAULT_LIMITS;
    this.rules = rulesFor('mastodon', { mastodon: this.configured });
    this.notice = options.notice ?? (() => {});
  }

  async publish(request: PostRequest): Promise<RemotePost> {
    const { signal } = request;
    if (signal.aborted)
      throw new ChannelError('mastodon', 'timeout', 'Mastodon: cancelled before posting', { maybeSent: false });
    const images = request.part === 0 ? request.images : [];
    // Refused here, before any upload or post, the part is known not to be sent.
    const limits = await this.instanceLimits(signal);
    const refusal = instanceRefusal(request.text, images, limits, this.configured, this.host);
    if (refusal !== null) {
      const which = request.parts > 1 ? `part ${request.part + 1} of ${request.parts}: ` : '';
      throw new ChannelError('mastodon', 'rejected', `Mastodon: ${which}${refusal}`, { maybeSent: false });
    }
    const mediaIds: string[] = [];
    for (const image of images) mediaIds.push(await this.upload(image, signal));

    const action = 'posting the status';
    const client = this.client(signal);
    const base = { status: request.text, visibility: 'public' as const, inReplyToId: request.replyTo?.id };
    const params: mastodon.rest.v1.CreateStatusParams = mediaIds.length > 0 ? { ...base, mediaIds } : base;
    // The key makes Mastodon answer a repeated request with the status it already made (for an hour).
    const headers = { 'Idempotency-Key': request.key };
    const status = await this.call(action, true, signal, () =>
      client.v1.statuses.create(params, { requestInit: { headers } }),
    );
    return this.remotePost(status, action, true);
  }

  async find(request: FindRequest): Promise<RemotePost | null> {
    const { signal } = request;
    const client = this.client(signal);
    const account: unknown = await this.call('reading the account', false, signal, () =>
      client.v1.accounts.verifyCredentials(),
    );
    const accountId = isRecord(account) ? nonEmpty(account.id) : undefined;
    if (accountId === undefined) throw malformed('reading the account', 'has no account id', false);

    const action = 'listing recent statuses';
    const since = request.notBefore - CLOCK_SKEW_MS;
    return this.call(action, false, signal, async () => {
      let pages = 0;
      // The oldest match since the attempt is the one sent: a later one is a copy made by hand,
      // and a run looking an hour or more later (Mastodon's key long gone) may well meet one.
      let oldest: Record_ | undefined;
      const found = () => (oldest === undefined ? null : this.remotePost(oldest, action, false));
      // Newest first: the first status older than `since` ends the search.
      for await (const page of client.v1.accounts
        .$select(accountId)
        .statuses.list({ limit: PAGE_SIZE, excludeReblogs: true })) {
        if (!Array.isArray(page)) throw malformed(action, 'is not a list', false);
        for (const status of page as unknown[]) {
          if (!isRecord(status)) throw malformed(action, 'holds a status that is not an object', false);
          const createdAt = Date.parse(String(status.createdAt));
          if (createdAt < since) return found();
          if (typeof status.content === 'string' && contentMatches(status.content, request.text)) oldest = status;
        }
        if (++pages >= MAX_PAGES) {
          if (oldest !== undefined) return found();
          throw new ChannelError(
            'mastodon',
            'unavailable',
            `Mastodon: more than ${PAGE_SIZE * MAX_PAGES} statuses since ${new Date(since).toISOString()}; could not look through them all`,
          );
        }
      }
      return found();
    });
  }

  async lookUp(post: RemotePost, signal: AbortSignal): Promise<RemoteText | null> {
    const client = this.client(signal);
    const action = `reading status ${post.id}`;
    let status: unknown;
    try {
      status = await client.v1.statuses.$select(post.id).fetch();
    } catch (error) {
      const mapped = this.error(error, action, false, signal);
      // A deleted status is "Record not found".
      if (mapped.status === 404) return null;
      throw mapped;
    }
    if (!isRecord(status) || typeof status.content !== 'string') throw malformed(action, 'has no content', false);
    // Mastodon gives back HTML, never the text: compared the way `find` compares it.
    const html = status.content;
    return { text: html, says: (sent) => contentMatches(html, sent) };
  }

  async retract(post: RemotePost, signal: AbortSignal): Promise<void> {
    const client = this.client(signal);
    const action = `deleting status ${post.id}`;
    try {
      await client.v1.statuses.$select(post.id).remove();
    } catch (error) {
      const mapped = this.error(error, action, false, signal);
      if (mapped.status === 404) return;
      throw mapped;
    }
  }

  private get host(): string {
    return URL.parse(this.url)?.host ?? this.url;
  }

  /** The instance's limits, asked once per run; a cancelled read is asked again by the next post. */
  private instanceLimits(signal: AbortSignal): Promise<InstanceLimits> {
    if (!this.instance) {
      this.instance = this.readInstance(signal);
      this.instance.catch(() => (this.instance = undefined));
    }
    return this.instance;
  }

  /**
   * GET /api/v2/instance, then /api/v1/instance for servers older than 4.0 (a 404, or an answer
   * without the limit); when neither says, the config's limits, and the run's log says so once.
   */
  private async readInstance(signal: AbortSignal): Promise<InstanceLimits> {
    const client = this.client(signal);
    const reads = [
      ['GET /api/v2/instance', () => client.v2.instance.fetch()],
      ['GET /api/v1/instance', () => client.v1.instance.fetch()],
    ] as const;
    const problems: string[] = [];
    for (const [source, read] of reads) {
      let body: unknown;
      try {
        body = await read();
      } catch (error) {
        const mapped = this.error(error, `reading the instance (${source})`, false, signal);
        if (signal.aborted) throw mapped;
        problems.push(`${source}: ${mapped.message.replace(/^Mastodon: /, '')}`);
        // A server that does not answer will not answer the older endpoint either.
        if (mapped.kind === 'timeout') break;
        continue;
      }
      const limits = limitsFromInstance(body, source, this.configured);
      if (limits) {
        const match = settingsToMatch(limits, this.configured);
        if (match)
          this.notice(
            `Mastodon: ${this.host} allows ${limits.maxCharacters} characters per post, each link counting ${limits.charactersReservedPerUrl}; check measures otherwise: ${match}`,
          );
        return limits;
      }
      problems.push(`${source}: the answer has no configuration.statuses.max_characters`);
    }
    const { maxCharacters, charactersReservedPerUrl } = this.configured;
    this.notice(
      `Mastodon: could not read ${this.host}'s limits (${problems.join('; ')}); measuring by postgate.config.yaml: mastodon.maxCharacters ${maxCharacters}, mastodon.charactersReservedPerUrl ${charactersReservedPerUrl}`,
    );
    return { ...this.configured, source: 'postgate.config.yaml' };
  }

  /** Uploads one image with its alt text and waits until Mastodon has processed it. */
  private async upload(image: ImageUpload, signal: AbortSignal): Promise<string> {
    const action = `uploading ${image.path}`;
    const client = this.client(signal, this.uploadTimeoutMs);
    const file = new File([new Uint8Array(image.bytes)], image.path.split('/').pop() || 'image', { type: image.mime });
    // masto's own polling sleeps without the signal and for a minute; ours is bounded and cancellable.
    const upload = () => client.v2.media.create({ file, description: image.alt, skipPolling: true });
    const media: unknown = await this.call(action, false, signal, upload, this.uploadTimeoutMs);
    const id = isRecord(media) ? nonEmpty(media.id) : undefined;
    if (id === undefined) throw malformed(action, 'has no media id', false);
    if (isRecord(media) && nonEmpty(media.url)) return id;

    const waiting = `waiting for ${image.path} to be processed`;
    const deadline = this.now() + this.mediaTimeoutMs;
    const poller = this.client(signal);
    while (this.now() < deadline) {
      await this.call(waiting, false, signal, () => sleep(this.mediaPollIntervalMs, undefined, { signal }));
      const processing: unknown = await this.call(waiting, false, signal, () => poller.v1.media.$select(id).fetch());
      if (isRecord(processing) && nonEmpty(processing.url)) return id;
    }
    throw new ChannelError(
      'mastodon',
      'unavailable',
      `Mastodon: ${image.path} was still being processed after ${this.mediaTimeoutMs} ms`,
      { maybeSent: false },
    );
  }

  private remotePost(status: unknown, action: string, creates: boolean): RemotePost {
    const id = isRecord(status) ? nonEmpty(status.id) : undefined;
    if (!isRecord(status) || id === undefined) throw malformed(action, 'has no status id', creates);
    return {
      id,
      url: nonEmpty(status.url) ?? nonEmpty(status.uri) ?? `${this.url}/web/statuses/${encodeURIComponent(id)}`,
    };
  }

  /** A client per operation: the caller's signal and a per-request timeout reach every request. */
  private client(signal: AbortSignal, timeout = this.timeoutMs): mastodon.rest.Client {
    return createRestAPIClient({
      url: this.url,
      accessToken: this.token,
      timeout,
      requestInit: { signal },
      log: 'error',
    });
  }

  private async call<T>(
    action: string,
    creates: boolean,
    signal: AbortSignal,
    run: () => Promise<T>,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.error(error, action, creates, signal, timeoutMs);
    }
  }

  private error(
    error: unknown,
    action: string,
    creates: boolean,
    signal: AbortSignal,
    timeoutMs = this.timeoutMs,
  ): ChannelError {
    return mastodonError(error, {
      action,
      creates,
      signal,
      timeoutMs,
      secrets: [this.token, encodeURIComponent(this.token)],
      now: this.now,
    });
  }
}

const REQUIRED = ['MASTODON_URL', 'MASTODON_TOKEN'] as const;

/**
 * Builds the channel from MASTODON_URL and MASTODON_TOKEN. A URL that is not http(s) is reported
 * with the missing ones: the contract has no other way to say "unusable", and its value is never shown.
 */
export function mastodonFromEnv(env: Env, options: Omit<MastodonOptions, 'url' | 'token'> = {}): ChannelFromEnv {
  const value = (name: (typeof REQUIRED)[number]) => env[name]?.trim() || undefined;
  const missing: string[] = REQUIRED.filter((name) => value(name) === undefined);
  const url = value('MASTODON_URL');
  if (url !== undefined && !/^https?:$/.test(URL.parse(url)?.protocol ?? '')) missing.unshift('MASTODON_URL');
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, channel: new MastodonChannel({ ...options, url: url!, token: value('MASTODON_TOKEN')! }) };
}
