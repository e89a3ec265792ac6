import { FakeService, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * A stateful fake of the parts of Mastodon's REST API that Postgate uses, on the shared FakeServer
 * (faults, latency, request log). It behaves like a real instance where Postgate depends on it:
 * bearer tokens, Idempotency-Key (remembered for one hour, as Mastodon's Redis does), HTML
 * `content`, snowflake-like ids in time order, Link-header pagination, v2 media uploads that may
 * answer 202 and finish processing later, and the instance's own limits (GET /api/v2/instance, or
 * /api/v1/instance for an older server), which it enforces. Its clock is `now`, never a sleep.
 */
export interface FakeMedia {
  id: string;
  description: string | null;
  mime: string;
  filename: string;
  bytes: Buffer;
  processed: boolean;
  /** GET /api/v1/media/:id answers 206 (still processing) this many more times. */
  pendingPolls: number;
  statusId: string | null;
}

export interface FakeStatus {
  id: string;
  /** The text exactly as the client sent it. */
  text: string;
  /** The HTML Mastodon renders from it. */
  content: string;
  in_reply_to_id: string | null;
  visibility: string;
  media: FakeMedia[];
  idempotencyKey: string | undefined;
  created_at: string;
  deleted: boolean;
  /** Whose status it is: the account id; absent, the instance's first account's. */
  account?: string;
}

/** An account of the instance, known by its access token. */
interface FakeAccount {
  id: string;
  username: string;
}

/** The limits an instance sets for itself, as its /api/v2/instance says them. */
export interface FakeInstanceLimits {
  maxCharacters: number;
  charactersReservedPerUrl: number;
  maxMediaAttachments: number;
  imageSizeLimit: number;
  supportedMimeTypes: string[];
}

/** Which instance endpoint a server has: 4.0+ both, 3.x only v1, older neither. */
export type FakeInstanceApi = 'v2' | 'v1' | 'none';

/**
 * PostStatusService: `redis.setex("idempotency:status:#{account.id}:#{key}", 3_600, status.id)`.
 * After an hour the same key makes a new status.
 */
export const IDEMPOTENCY_TTL_MS = 3_600_000;

const stockLimits = (): FakeInstanceLimits => ({
  maxCharacters: 500,
  charactersReservedPerUrl: 23,
  maxMediaAttachments: 4,
  imageSizeLimit: 16 * 1024 * 1024,
  supportedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif'],
});

const ACCOUNT_ID = '109000000000000001';
const USERNAME = 'postgate';
const VISIBILITIES = new Set(['public', 'unlisted', 'private', 'direct']);

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export class FakeMastodon extends FakeService {
  /** The only token this instance accepts. */
  token = 'fake-mastodon-token-5f2c9a71';
  readonly statuses: FakeStatus[] = [];
  readonly media: FakeMedia[] = [];
  /** v2 media uploads answer 202 with url null, as for large files, and process on a later GET. */
  mediaAsync = false;
  /** With mediaAsync: how many GET /api/v1/media/:id answer 206 before the media is processed. */
  mediaPendingPolls = 1;
  /** Error bodies repeat the Authorization header they were sent, as careless servers do. */
  echoAuthorization = false;
  /** What the instance allows; statuses and uploads are checked against it. */
  limits: FakeInstanceLimits = stockLimits();
  instanceApi: FakeInstanceApi = 'v2';
  /** The instance's clock: created_at, ids and the Idempotency-Key's hour. */
  now: () => number = Date.now;
  private readonly idempotency = new Map<string, { status: FakeStatus; expiresAt: number }>();
  /** Other accounts on this instance, by access token (`addAccount`): each posts and deletes its own. */
  private readonly others = new Map<string, FakeAccount>();
  private sequence = 0;
  /** Status id → what people did with it, as GET /api/v1/statuses/:id counts it (default none). */
  readonly counts = new Map<string, { replies_count: number; reblogs_count: number; favourites_count: number }>();

  constructor() {
    super('mastodon');
  }

  /** Statuses not deleted, oldest first. */
  get live(): FakeStatus[] {
    return this.statuses.filter((s) => !s.deleted);
  }

  /** Back to an empty instance: no statuses, media, faults or logged requests. */
  reset(): void {
    this.statuses.length = 0;
    this.media.length = 0;
    this.idempotency.clear();
    this.server.clearFaults();
    this.server.requests.length = 0;
    this.server.latencyMs = 0;
    this.mediaAsync = false;
    this.mediaPendingPolls = 1;
    this.echoAuthorization = false;
    this.limits = stockLimits();
    this.instanceApi = 'v2';
  }

  /** Another account on this instance, e.g. a staff member's: `token` is its access token. */
  addAccount(token: string, username: string): { id: string; username: string } {
    const account = { id: String(BigInt(ACCOUNT_ID) + BigInt(this.others.size + 1)), username };
    this.others.set(token, account);
    return account;
  }

  /** The live statuses of the account with this username (the instance's first: `postgate`). */
  liveOf(username: string): FakeStatus[] {
    return this.live.filter((s) => this.accountById(s.account ?? ACCOUNT_ID).username === username);
  }

  private accountById(id: string): FakeAccount {
    return [...this.others.values()].find((a) => a.id === id) ?? { id: ACCOUNT_ID, username: USERNAME };
  }

  /** The account an Authorization header's token belongs to, or null. */
  private whoIs(request: RecordedRequest): FakeAccount | null {
    const auth = request.headers.authorization ?? '';
    if (auth === `Bearer ${this.token}`) return { id: ACCOUNT_ID, username: USERNAME };
    return auth.startsWith('Bearer ') ? (this.others.get(auth.slice(7)) ?? null) : null;
  }

  /** A status the account posted earlier, e.g. by hand, at `createdAt` (epoch ms). */
  addStatus(
    text: string,
    createdAt = this.now(),
    options: { inReplyToId?: string; visibility?: string; account?: string } = {},
  ): FakeStatus {
    const status: FakeStatus = {
      id: this.nextId(createdAt),
      text,
      content: renderContent(text, this.url),
      in_reply_to_id: options.inReplyToId ?? null,
      visibility: options.visibility ?? 'public',
      media: [],
      idempotencyKey: undefined,
      created_at: new Date(createdAt).toISOString(),
      deleted: false,
      account: options.account ?? ACCOUNT_ID,
    };
    this.statuses.push(status);
    return status;
  }

  // Like Mastodon's: milliseconds since the epoch shifted left 16 bits, plus a sequence.
  private nextId(ms: number): string {
    return ((BigInt(Math.floor(ms)) << 16n) + BigInt(this.sequence++ & 0xffff)).toString();
  }

  protected async route(request: RecordedRequest): Promise<FakeResponse> {
    const { method, path } = request;
    // Public: Mastodon answers it without a token.
    if (method === 'GET' && (path === '/api/v2/instance' || path === '/api/v1/instance')) return this.instance(path);
    const who = this.whoIs(request);
    if (!who) return this.error(request, 401, 'The access token is invalid');
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials')
      return { status: 200, body: this.account(who) };
    if (method === 'GET' && (m = path.match(/^\/api\/v1\/accounts\/([^/]+)\/statuses$/)))
      return this.listStatuses(request, decodeURIComponent(m[1]!));
    if (method === 'POST' && path === '/api/v1/statuses') return this.createStatus(request, who);
    if ((m = path.match(/^\/api\/v1\/statuses\/([^/]+)$/))) {
      const status = this.statuses.find((s) => s.id === decodeURIComponent(m![1]!) && !s.deleted);
      if (!status) return this.error(request, 404, 'Record not found');
      if (method === 'GET') return { status: 200, body: this.statusJson(status) };
      if (method === 'DELETE') {
        // Only its own account deletes a status.
        if ((status.account ?? ACCOUNT_ID) !== who.id) return this.error(request, 404, 'Record not found');
        status.deleted = true;
        // Mastodon answers a deletion with the source text, for "delete and redraft".
        return { status: 200, body: { ...this.statusJson(status), text: status.text } };
      }
    }
    if (method === 'POST' && path === '/api/v2/media') return this.uploadMedia(request);
    if (method === 'GET' && (m = path.match(/^\/api\/v1\/media\/([^/]+)$/)))
      return this.pollMedia(request, decodeURIComponent(m[1]!));
    return this.error(request, 404, 'Not Found');
  }

  private error(request: RecordedRequest, status: number, message: string): FakeResponse {
    const echo = this.echoAuthorization
      ? ` (request sent Authorization: ${request.headers.authorization ?? 'nothing'})`
      : '';
    return { status, body: { error: `${message}${echo}` } };
  }

  private createStatus(request: RecordedRequest, who: FakeAccount): FakeResponse {
    const body = parseFields(request);
    const key = header(request, 'idempotency-key');
    const remembered = key === undefined ? undefined : this.idempotency.get(`${who.id}:${key}`);
    const duplicate = remembered && this.now() < remembered.expiresAt ? remembered.status : undefined;
    if (duplicate && !duplicate.deleted) return { status: 200, body: this.statusJson(duplicate) };

    const text = typeof body.status === 'string' ? body.status : '';
    const mediaIds = (Array.isArray(body.media_ids) ? body.media_ids : []).map(String);
    const inReplyTo = body.in_reply_to_id == null || body.in_reply_to_id === '' ? null : String(body.in_reply_to_id);
    const visibility = typeof body.visibility === 'string' ? body.visibility : 'public';
    if (text.trim() === '' && mediaIds.length === 0)
      return this.error(request, 422, "Validation failed: Text can't be blank");
    const { maxCharacters, charactersReservedPerUrl, maxMediaAttachments } = this.limits;
    if (lengthOnMastodon(text, charactersReservedPerUrl) > maxCharacters)
      return this.error(request, 422, `Validation failed: Text character limit of ${maxCharacters} exceeded`);
    if (!VISIBILITIES.has(visibility))
      return this.error(request, 422, 'Validation failed: Visibility is not included in the list');
    if (inReplyTo !== null && !this.statuses.some((s) => s.id === inReplyTo && !s.deleted)) {
      return this.error(request, 404, 'The post you are trying to reply to does not appear to exist.');
    }
    if (mediaIds.length > maxMediaAttachments)
      return this.error(request, 422, `Cannot attach more than ${maxMediaAttachments} files.`);
    const media = mediaIds.map((id) => this.media.find((item) => item.id === id && item.statusId === null));
    if (media.some((item) => item === undefined))
      return this.error(request, 422, `Media attachments not found: ${mediaIds.join(', ')}`);
    if (media.some((item) => !item!.processed))
      return this.error(request, 422, 'Cannot attach files that have not finished processing. Try again in a moment!');

    const status = this.addStatus(text, this.now(), {
      visibility,
      account: who.id,
      ...(inReplyTo ? { inReplyToId: inReplyTo } : {}),
    });
    status.idempotencyKey = key;
    status.media = media as FakeMedia[];
    for (const item of status.media) item.statusId = status.id;
    if (key !== undefined)
      this.idempotency.set(`${who.id}:${key}`, { status, expiresAt: this.now() + IDEMPOTENCY_TTL_MS });
    return { status: 200, body: this.statusJson(status) };
  }

  private listStatuses(request: RecordedRequest, accountId: string): FakeResponse {
    if (accountId !== ACCOUNT_ID && ![...this.others.values()].some((a) => a.id === accountId))
      return this.error(request, 404, 'Record not found');
    const q = request.query;
    const limit = Math.min(40, Math.max(1, Number(q.get('limit') ?? 20) || 20));
    const bound = (name: string) => (q.get(name) ? BigInt(q.get(name)!) : undefined);
    const [maxId, sinceId, minId] = [bound('max_id'), bound('since_id'), bound('min_id')];
    const matching = this.live
      .filter((s) => (s.account ?? ACCOUNT_ID) === accountId)
      .filter((s) => !(q.get('exclude_replies') === 'true' && s.in_reply_to_id !== null))
      .filter(
        (s) =>
          (maxId === undefined || BigInt(s.id) < maxId) &&
          (sinceId === undefined || BigInt(s.id) > sinceId) &&
          (minId === undefined || BigInt(s.id) > minId),
      )
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    // min_id pages forward from that id: the statuses just after it, still newest first.
    const page = minId === undefined ? matching.slice(0, limit) : matching.slice(-limit);
    const links: string[] = [];
    const base = `${this.url}/api/v1/accounts/${accountId}/statuses?limit=${limit}`;
    if (page.length === limit) links.push(`<${base}&max_id=${page.at(-1)!.id}>; rel="next"`);
    if (page.length > 0) links.push(`<${base}&min_id=${page[0]!.id}>; rel="prev"`);
    return {
      status: 200,
      headers: links.length ? { link: links.join(', ') } : {},
      body: page.map((s) => this.statusJson(s)),
    };
  }

  private async uploadMedia(request: RecordedRequest): Promise<FakeResponse> {
    const contentType = header(request, 'content-type') ?? '';
    if (!contentType.startsWith('multipart/form-data'))
      return this.error(request, 422, "Validation failed: File can't be blank");
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(request.body),
    }).formData();
    const file = form.get('file');
    const description = form.get('description');
    if (!(file instanceof File)) return this.error(request, 422, "Validation failed: File can't be blank");
    if (!/^(image|video|audio)\//.test(file.type))
      return this.error(request, 422, 'Validation failed: File content type is invalid, File is invalid');
    if (!this.limits.supportedMimeTypes.includes(file.type))
      return this.error(request, 422, 'Validation failed: File content type is invalid, File is invalid');
    if (file.size > this.limits.imageSizeLimit)
      return this.error(
        request,
        422,
        `Validation failed: File file size must be less than ${Math.floor(this.limits.imageSizeLimit / 1024 / 1024)} MB`,
      );
    if (typeof description === 'string' && description.length > 1500)
      return this.error(request, 422, 'Validation failed: Description is too long (maximum is 1500 characters)');
    const item: FakeMedia = {
      id: this.nextId(this.now()),
      description: typeof description === 'string' ? description : null,
      mime: file.type,
      filename: file.name,
      bytes: Buffer.from(await file.arrayBuffer()),
      processed: !this.mediaAsync,
      pendingPolls: this.mediaAsync ? this.mediaPendingPolls : 0,
      statusId: null,
    };
    this.media.push(item);
    return { status: item.processed ? 200 : 202, body: this.mediaJson(item) };
  }

  private pollMedia(request: RecordedRequest, id: string): FakeResponse {
    const item = this.media.find((m) => m.id === id);
    if (!item) return this.error(request, 404, 'Record not found');
    if (!item.processed && item.pendingPolls-- <= 0) item.processed = true;
    return { status: item.processed ? 200 : 206, body: this.mediaJson(item) };
  }

  /** The instance's description, shaped as Mastodon 4's v2 or 3.x's v1; a 404 where the server has none. */
  private instance(path: string): FakeResponse {
    const v2 = path === '/api/v2/instance';
    if (this.instanceApi === 'none' || (v2 && this.instanceApi === 'v1'))
      return { status: 404, body: { error: 'Record not found' } };
    const l = this.limits;
    const domain = new URL(this.url).host;
    const configuration = {
      statuses: {
        max_characters: l.maxCharacters,
        max_media_attachments: l.maxMediaAttachments,
        characters_reserved_per_url: l.charactersReservedPerUrl,
      },
      media_attachments: {
        supported_mime_types: l.supportedMimeTypes,
        image_size_limit: l.imageSizeLimit,
        image_matrix_limit: 33_177_600,
        video_size_limit: 103_809_024,
        video_frame_rate_limit: 120,
        video_matrix_limit: 8_294_400,
        ...(v2 ? { description_limit: 1500 } : {}),
      },
      polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
    };
    if (!v2)
      return {
        status: 200,
        body: {
          uri: domain,
          title: 'Fake Mastodon',
          short_description: '',
          description: '',
          email: 'admin@example.org',
          version: this.instanceApi === 'v1' ? '3.5.19' : '4.3.2',
          urls: { streaming_api: `ws://${domain}` },
          stats: { user_count: 1, status_count: this.live.length, domain_count: 1 },
          thumbnail: null,
          languages: ['en'],
          registrations: false,
          approval_required: false,
          invites_enabled: false,
          configuration: { accounts: { max_featured_tags: 10 }, ...configuration },
          contact_account: null,
          rules: [],
        },
      };
    return {
      status: 200,
      body: {
        domain,
        title: 'Fake Mastodon',
        version: '4.3.2',
        source_url: 'https://github.com/mastodon/mastodon',
        description: '',
        usage: { users: { active_month: 1 } },
        thumbnail: { url: `${this.url}/packs/media/images/preview.png` },
        languages: ['en'],
        configuration: {
          urls: { streaming: `ws://${domain}`, status: null },
          accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
          ...configuration,
          translation: { enabled: false },
        },
        registrations: { enabled: false, approval_required: false, message: null },
        contact: { email: 'admin@example.org', account: null },
        rules: [],
      },
    };
  }

  private account(who: FakeAccount): Record<string, unknown> {
    return {
      id: who.id,
      username: who.username,
      acct: who.username,
      display_name: who.username === USERNAME ? 'Postgate' : who.username,
      url: `${this.url}/@${who.username}`,
      created_at: '2022-11-01T00:00:00.000Z',
    };
  }

  private mediaJson(item: FakeMedia): Record<string, unknown> {
    const url = `${this.url}/system/media_attachments/${item.id}/original/${encodeURIComponent(item.filename)}`;
    return {
      id: item.id,
      type: 'image',
      url: item.processed ? url : null,
      preview_url: item.processed ? url : null,
      remote_url: null,
      meta: {},
      description: item.description,
      blurhash: null,
    };
  }

  private statusJson(status: FakeStatus): Record<string, unknown> {
    const replyTo = status.in_reply_to_id;
    const { username } = this.accountById(status.account ?? ACCOUNT_ID);
    return {
      id: status.id,
      created_at: status.created_at,
      in_reply_to_id: replyTo,
      in_reply_to_account_id: replyTo ? (status.account ?? ACCOUNT_ID) : null,
      sensitive: false,
      spoiler_text: '',
      visibility: status.visibility,
      language: 'en',
      uri: `${this.url}/users/${username}/statuses/${status.id}`,
      url: `${this.url}/@${username}/${status.id}`,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      ...this.counts.get(status.id),
      edited_at: null,
      content: status.content,
      reblog: null,
      account: this.account(this.accountById(status.account ?? ACCOUNT_ID)),
      media_attachments: status.media.map((item) => this.mediaJson(item)),
      mentions: [],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  }
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The fields of a JSON or form-encoded body (`media_ids[]` collected into `media_ids`). */
function parseFields(request: RecordedRequest): Record<string, unknown> {
  const text = request.body.toString('utf8');
  if ((header(request, 'content-type') ?? '').includes('application/json'))
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (key.endsWith('[]')) ((fields[key.slice(0, -2)] ??= []) as string[]).push(value);
    else fields[key] = value;
  }
  return fields;
}

const URL_PATTERN = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/g;

function lengthOnMastodon(text: string, perUrl: number): number {
  return [...text.replace(URL_PATTERN, 'x'.repeat(perUrl))].length;
}

/** Mastodon's HTML for a plain-text status: paragraphs, <br />, and links, hashtags and mentions. */
export function renderContent(text: string, instance: string): string {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/);
  return paragraphs
    .map(
      (p) =>
        `<p>${p
          .split('\n')
          .map((line) => linkify(line, instance))
          .join('<br />')}</p>`,
    )
    .join('');
}

const TOKEN =
  /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}])|(?<=^|[^\p{L}\p{N}_/&])#([\p{L}\p{N}_]+)|(?<=^|[^\p{L}\p{N}_/@])@([\p{L}\p{N}_]+)(?:@([\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+))?/gu;

function linkify(line: string, instance: string): string {
  let out = '';
  let last = 0;
  for (const match of line.matchAll(TOKEN)) {
    out += escapeHtml(line.slice(last, match.index));
    last = match.index + match[0].length;
    const [, url, tag, user, domain] = match;
    if (url) out += linkHtml(url);
    else if (tag)
      out += `<a href="${instance}/tags/${encodeURIComponent(tag.toLowerCase())}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
    else {
      const profile = domain ? `https://${domain}/@${user}` : `${instance}/@${user}`;
      out += `<span class="h-card" translate="no"><a href="${escapeHtml(profile)}" class="u-url mention">@<span>${escapeHtml(user!)}</span></a></span>`;
    }
  }
  return out + escapeHtml(line.slice(last));
}

// As Mastodon shortens a link: the scheme hidden, 30 characters shown, the rest hidden.
function linkHtml(url: string): string {
  const prefix = /^https?:\/\/(www\.)?/.exec(url)![0];
  const rest = url.slice(prefix.length);
  const shown = rest.slice(0, 30);
  const hidden = rest.slice(30);
  return (
    `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener" translate="no">` +
    `<span class="invisible">${escapeHtml(prefix)}</span><span class="${hidden ? 'ellipsis' : ''}">${escapeHtml(shown)}</span>` +
    `<span class="invisible">${escapeHtml(hidden)}</span></a>`
  );
}
