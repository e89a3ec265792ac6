import { SOCIAL_RULES } from '../core/channels.ts';
import { PERSON_AUTHOR, type LinkedInSettings } from '../core/linkedin-config.ts';
import { tokenNotice, tokenStanding } from '../core/linkedin-token.ts';
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
import { LinkedInClient, type LinkedInClientOptions } from './linkedin-client.ts';
import { errorBody, malformed } from './linkedin-errors.ts';
import { commentarySays, escapeLittleText, openingWords } from './linkedin-text.ts';

/**
 * LinkedIn through its Posts and Images APIs, with Node's fetch. The official `linkedin-api-client`
 * (0.3.0) hard-codes https://api.linkedin.com and reaches another base URL only through an axios
 * interceptor; the calls are few and plain JSON, so fetch with LINKEDIN_API_URL is simpler and
 * lets the tests point the real channel at a local fake.
 *
 * What LinkedIn does that shapes this file:
 * - commentary is "little text": it is always sent escaped (linkedin-text.ts), or LinkedIn keeps it
 *   only up to the first reserved character and still answers 201;
 * - no threads: a post cannot reply to a post, so an item goes to LinkedIn as one post (`check`
 *   refuses a thread there; a `linkedin: { text: … }` gives it its own single text);
 * - one image per post (the Images API's upload, then `content.media`); multiImage is not used yet;
 * - a text posted again answers 422 DUPLICATE_POST naming the post that has it: that post is taken
 *   as the one sent (a lost answer's), recorded, with a warning;
 * - a person's own posts cannot be listed back, so after a lost answer a person has to look
 *   (find throws, saying where and what for) and nothing is sent again; a page's can (q=author).
 */
export const DEFAULT_LINKEDIN_API_URL = 'https://api.linkedin.com';
const PAGE_SIZE = 50;
const MAX_PAGES = 10;
// LinkedIn stamps createdAt with its own clock; a runner's clock a little ahead must not hide the post.
const CLOCK_SKEW_MS = 60_000;
const RECENT_ACTIVITY = 'https://www.linkedin.com/in/me/recent-activity/all/';

export interface LinkedInOptions extends LinkedInClientOptions {
  /** `person`, or `urn:li:organization:<id>` (linkedin.author). */
  author: string;
}

type Record_ = Readonly<Record<string, unknown>>;
const isRecord = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where a person sees a post: its URN (urn:li:share:…, urn:li:ugcPost:…) in the feed's address. */
export function postUrl(urn: string): string {
  return `https://www.linkedin.com/feed/update/${urn}/`;
}

export class LinkedInChannel implements Channel {
  readonly id = 'linkedin' as const;
  readonly rules = SOCIAL_RULES.linkedin;
  private readonly client: LinkedInClient;
  private readonly author: string;
  /** The person's URN, read once per run from OpenID's userinfo. */
  private person: Promise<string> | undefined;

  constructor(options: LinkedInOptions) {
    this.client = new LinkedInClient(options);
    this.author = options.author;
  }

  async publish(request: PostRequest): Promise<RemotePost> {
    const refusal = this.refusal(request);
    if (refusal)
      throw new ChannelError('linkedin', 'rejected', `LinkedIn: ${refusal}; nothing was sent`, { maybeSent: false });
    const { signal } = request;
    const author = await this.authorUrn(signal);
    const image = request.images[0];
    const media = image ? { id: await this.upload(image, author, signal), altText: image.alt } : null;
    const commentary = escapeLittleText(request.text);
    const action = 'creating the post';
    const answer = await this.client.request(action, {
      method: 'POST',
      path: '/rest/posts',
      json: {
        author,
        commentary,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
        lifecycleState: 'PUBLISHED',
        isReshareDisabledByAuthor: false,
        ...(media ? { content: { media } } : {}),
      },
      creates: true,
      accept: [422],
      signal,
    });
    if (answer.status === 422) return this.duplicate(answer, action, request);
    const urn = answer.headers.get('x-restli-id') ?? answer.headers.get('x-linkedin-id');
    if (!urn?.startsWith('urn:li:')) throw malformed(action, 'has no x-restli-id header naming the post', true);
    return { id: urn, url: postUrl(urn) };
  }

  async find(request: FindRequest): Promise<RemotePost | null> {
    if (this.author === PERSON_AUTHOR)
      throw new ChannelError(
        'linkedin',
        'unavailable',
        `LinkedIn lists no person's posts back, so whether this part went out cannot be looked up: open ${RECENT_ACTIVITY} and look for a post starting «${openingWords(request.text)}», made since ${new Date(request.notBefore).toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        { maybeSent: true, confirmByHand: true },
      );
    const { signal } = request;
    const since = request.notBefore - CLOCK_SKEW_MS;
    const action = 'listing the page’s recent posts';
    // The oldest match since the attempt is the one sent: a later one is a copy made by hand.
    let oldest: RemotePost | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({
        author: this.author,
        q: 'author',
        count: String(PAGE_SIZE),
        start: String(page * PAGE_SIZE),
        sortBy: 'CREATED',
      });
      const answer = await this.client.request(action, { method: 'GET', path: `/rest/posts?${query}`, signal });
      const elements = isRecord(answer.body) ? answer.body.elements : undefined;
      if (!Array.isArray(elements)) throw malformed(action, 'has no list of elements', false);
      // Newest first: the first post older than `since` ends the search.
      for (const element of elements as unknown[]) {
        if (!isRecord(element) || typeof element.id !== 'string')
          throw malformed(action, 'holds a post without an id', false);
        const createdAt = typeof element.createdAt === 'number' ? element.createdAt : Number.NaN;
        if (createdAt < since) return oldest ?? null;
        if (typeof element.commentary === 'string' && commentarySays(element.commentary, request.text))
          oldest = { id: element.id, url: postUrl(element.id) };
      }
      if (elements.length < PAGE_SIZE) return oldest ?? null;
    }
    if (oldest) return oldest;
    throw new ChannelError(
      'linkedin',
      'unavailable',
      `LinkedIn: more than ${PAGE_SIZE * MAX_PAGES} posts since ${new Date(since).toISOString()}; could not look through them all`,
    );
  }

  async lookUp(post: RemotePost, signal: AbortSignal): Promise<RemoteText | null> {
    const action = `reading the post ${post.id}`;
    const answer = await this.client.request(action, {
      method: 'GET',
      path: `/rest/posts/${encodeURIComponent(post.id)}`,
      accept: [404, 410, 403],
      signal,
    });
    if (answer.status === 404 || answer.status === 410) return null;
    // Reading a member's posts is a restricted permission on LinkedIn: an app that may post as a
    // person may not be allowed to read the post back, and then nothing can check it before deleting.
    if (answer.status === 403 && this.author === PERSON_AUTHOR)
      throw new ChannelError(
        'linkedin',
        'auth',
        `LinkedIn does not let this app read the member's post back to check it (HTTP 403), so Postgate will not delete it unchecked: delete it by hand at ${post.url}`,
        { status: 403 },
      );
    if (answer.status === 403) throw this.client.refused(answer, action, false);
    const commentary = isRecord(answer.body) ? answer.body.commentary : undefined;
    if (typeof commentary !== 'string') throw malformed(action, 'has no commentary', false);
    // LinkedIn gives the commentary back as it keeps it, escaped: compared as `find` compares.
    return { text: commentary, says: (sent) => commentarySays(commentary, sent) };
  }

  async retract(post: RemotePost, signal: AbortSignal): Promise<void> {
    await this.client.request(`deleting the post ${post.id}`, {
      method: 'DELETE',
      path: `/rest/posts/${encodeURIComponent(post.id)}`,
      accept: [404, 410],
      signal,
    });
  }

  /** Why this request cannot go to LinkedIn at all, or null (`check` says the same, earlier). */
  private refusal(request: PostRequest): string | null {
    if (request.parts > 1)
      return `an item goes to LinkedIn as one post, and this one has ${request.parts} parts (LinkedIn has no threads): give it a single-part linkedin: { text: ... }`;
    const length = this.rules.measure(request.text);
    if (length > this.rules.maxLength)
      return `the post is ${length} ${this.rules.unit}, the limit is ${this.rules.maxLength}`;
    if (request.images.length > this.rules.maxImages)
      return `a post takes ${this.rules.maxImages} image here, and this one has ${request.images.length}`;
    return null;
  }

  /** The author URN: the configured page, or the person the token belongs to. */
  private authorUrn(signal: AbortSignal): Promise<string> {
    if (this.author !== PERSON_AUTHOR) return Promise.resolve(this.author);
    if (!this.person) {
      this.person = this.readPerson(signal);
      this.person.catch(() => (this.person = undefined));
    }
    return this.person;
  }

  private async readPerson(signal: AbortSignal): Promise<string> {
    const action = 'reading who the token belongs to (GET /v2/userinfo; needs the openid and profile scopes)';
    const answer = await this.client.request(action, { method: 'GET', path: '/v2/userinfo', signal });
    const sub = isRecord(answer.body) ? answer.body.sub : undefined;
    if (typeof sub !== 'string' || sub === '') throw malformed(action, 'has no sub', false);
    return `urn:li:person:${sub}`;
  }

  /** initializeUpload, then the bytes: the image's URN, for the post's `content.media`. */
  private async upload(image: ImageUpload, owner: string, signal: AbortSignal): Promise<string> {
    const action = `uploading ${image.path}`;
    const answer = await this.client.request(action, {
      method: 'POST',
      path: '/rest/images?action=initializeUpload',
      json: { initializeUploadRequest: { owner } },
      signal,
    });
    const value = isRecord(answer.body) && isRecord(answer.body.value) ? answer.body.value : undefined;
    const uploadUrl = value?.uploadUrl;
    const urn = value?.image;
    if (typeof uploadUrl !== 'string' || typeof urn !== 'string')
      throw malformed(action, 'has no uploadUrl and image', false);
    await this.client.upload(action, uploadUrl, image.bytes, image.mime, signal);
    return urn;
  }

  /** 422: a repeated text names the post that has it (taken as ours), anything else is refused. */
  private duplicate(answer: { headers: Headers; text: string }, action: string, request: PostRequest): RemotePost {
    const body = errorBody(answer.text);
    const urn = /urn:li:(?:share|ugcPost|activity):[0-9]+/.exec(answer.text)?.[0];
    const duplicate = body.codes.includes('DUPLICATE_POST') || /duplicate/i.test(body.message ?? '');
    if (!duplicate || urn === undefined) throw this.client.refused({ status: 422, ...answer }, action, true);
    // An activity names no post: GET and DELETE /rest/posts/<activity> find nothing, so recorded as
    // this part it could be neither checked nor retracted (retract would call it "already gone"
    // while the post stays up). The post exists: looked for as after a lost answer (a page's is
    // found; a person's is held for someone to confirm with its post URN), as confirm refuses one.
    if (urn.startsWith('urn:li:activity:'))
      throw new ChannelError(
        'linkedin',
        'unavailable',
        `LinkedIn answered that this text was posted already, naming ${urn}, an activity rather than the post, which Postgate could neither check nor retract`,
        { maybeSent: true },
      );
    request.warn?.(
      `LinkedIn answered that this text was posted already (DUPLICATE_POST, ${urn}): recorded that post as this one, most likely made by an earlier try whose answer was lost; check ${postUrl(urn)} is it`,
    );
    return { id: urn, url: postUrl(urn) };
  }
}

export interface LinkedInEnvOptions {
  timeoutMs?: number;
  /** `linkedin:` of postgate.config.yaml. */
  linkedin?: LinkedInSettings;
  /**
   * The run's clock and the site's time zone: with them, a token past linkedin.tokenExpires is
   * refused before any request (publish). Without (retract), deleting is tried even so: it is
   * urgent, and LinkedIn itself answers 401 once the token is gone.
   */
  runAt?: number;
  timeZone?: string;
}

/** Builds the channel from LINKEDIN_ACCESS_TOKEN, LINKEDIN_API_URL and the config's linkedin: section. */
export function linkedinFromEnv(env: Env, options: LinkedInEnvOptions = {}): ChannelFromEnv {
  const baseUrl = env.LINKEDIN_API_URL?.trim() || DEFAULT_LINKEDIN_API_URL;
  const token = env.LINKEDIN_ACCESS_TOKEN?.trim();
  const settings = options.linkedin;
  const missing: string[] = [];
  if (!/^https?:$/.test(URL.parse(baseUrl)?.protocol ?? ''))
    missing.push('LINKEDIN_API_URL (not an http or https URL)');
  if (!token) missing.push('LINKEDIN_ACCESS_TOKEN');
  if (!settings) missing.push('linkedin: (author, version, tokenExpires) in postgate.config.yaml');
  if (missing.length > 0 || !token || !settings) return { ok: false, missing };
  const now = options.runAt;
  const zone = options.timeZone ?? 'UTC';
  if (now !== undefined && tokenStanding(settings.tokenExpires, now, zone).state === 'expired')
    return { ok: false, missing: [], reason: tokenNotice(settings, now, zone)! };
  return {
    ok: true,
    channel: new LinkedInChannel({
      baseUrl,
      token,
      version: settings.version,
      author: settings.author,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    }),
  };
}
