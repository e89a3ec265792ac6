import { FakeService, type FakeResponse, jsonBody, type RecordedRequest } from './fake-server.ts';

/**
 * A stateful fake of the parts of LinkedIn's API that Postgate uses, on the shared FakeServer
 * (faults, latency, request log). Where Postgate depends on LinkedIn's behaviour, it behaves as
 * LinkedIn does:
 * - bearer tokens with scopes; a member who administers some pages;
 * - `LinkedIn-Version` on every /rest/ request: missing is 400 VERSION_MISSING, one outside the
 *   active range 426 NONEXISTENT_VERSION; `X-Restli-Protocol-Version: 2.0.0` required too;
 * - GET /v2/userinfo (OpenID: needs openid and profile);
 * - POST /rest/posts answers 201 with the post's URN in `x-restli-id` and no body. Its commentary
 *   is "little text": the post is KEPT ONLY UP TO THE FIRST UNESCAPED RESERVED CHARACTER
 *   (`\ | { } @ [ ] ( ) < > # * _ ~`; a backslash escapes only a reserved character), and the
 *   answer is still 201. (LinkedIn reads mentions and hashtag templates there; Postgate never
 *   sends them, so here any bare reserved character cuts.) Over 3,000 characters as received:
 *   422. The same commentary again from the same author: 422 DUPLICATE_POST naming the post;
 * - GET /rest/posts?q=author&author=… lists a page's posts, newest first, paged (start, count);
 *   a person's cannot be listed (403), as for an app without LinkedIn's restricted read scope;
 * - GET and DELETE /rest/posts/{urn}: the author's own posts; a deleted one is 404;
 * - POST /rest/images?action=initializeUpload, then PUT of the bytes to its uploadUrl; a post
 *   may show only an uploaded image of its own author.
 * Its clock is `now` (createdAt), never a sleep.
 */
export const LITTLE_TEXT_RESERVED = '\\|{}@[]()<>#*_~';
export const MAX_COMMENTARY = 3000;

export interface FakeLinkedInPost {
  id: string;
  author: string;
  /** The commentary as the client sent it. */
  received: string;
  /** What LinkedIn kept of it: cut at the first unescaped reserved character. */
  commentary: string;
  media: { id: string; altText?: string } | null;
  createdAt: number;
  deleted: boolean;
  body: Record<string, unknown>;
}

export interface FakeLinkedInImage {
  urn: string;
  owner: string;
  uploadId: string;
  bytes: Buffer | null;
  mime: string | null;
}

export interface FakeLinkedInMember {
  token: string;
  sub: string;
  name: string;
  scopes: Set<string>;
  /** Pages (urn:li:organization:…) the member administers. */
  pages: string[];
}

/** What LinkedIn keeps of a commentary: everything before the first reserved character sent bare. */
export function keptOfLittleText(commentary: string): string {
  for (let i = 0; i < commentary.length; i++) {
    const c = commentary[i]!;
    if (c === '\\') {
      const next = commentary[i + 1];
      if (next !== undefined && LITTLE_TEXT_RESERVED.includes(next)) {
        i++;
        continue;
      }
      return commentary.slice(0, i);
    }
    if (LITTLE_TEXT_RESERVED.includes(c)) return commentary.slice(0, i);
  }
  return commentary;
}

export const ORGANIZATION = 'urn:li:organization:2414183';

export class FakeLinkedIn extends FakeService {
  readonly member: FakeLinkedInMember = {
    token: 'fake-linkedin-token-7c1e5b93d2',
    sub: 'x7Yq2VbT9k',
    name: 'Robin Baker',
    scopes: new Set(['openid', 'profile', 'w_member_social', 'w_organization_social', 'r_organization_social']),
    pages: [ORGANIZATION],
  };
  /** Versions served: from `oldestVersion` to `newestVersion` (YYYYMM compares as text). */
  oldestVersion = '202411';
  newestVersion = '202611';
  readonly posts: FakeLinkedInPost[] = [];
  readonly images: FakeLinkedInImage[] = [];
  /** Error bodies repeat the Authorization header they were sent, as careless servers do. */
  echoAuthorization = false;
  now: () => number = Date.now;
  private sequence = 0;

  constructor() {
    super('linkedin');
  }

  get personUrn(): string {
    return `urn:li:person:${this.member.sub}`;
  }

  get live(): FakeLinkedInPost[] {
    return this.posts.filter((p) => !p.deleted);
  }

  /** Every POST /rest/posts received. */
  creations(): RecordedRequest[] {
    return this.server.requests.filter((r) => r.method === 'POST' && r.path === '/rest/posts');
  }

  /** A post made earlier, e.g. by hand in LinkedIn's own app. */
  addPost(author: string, commentary: string, createdAt = this.now()): FakeLinkedInPost {
    const post: FakeLinkedInPost = {
      id: this.nextUrn(),
      author,
      received: commentary,
      commentary: keptOfLittleText(commentary),
      media: null,
      createdAt,
      deleted: false,
      body: {},
    };
    this.posts.push(post);
    return post;
  }

  private nextUrn(): string {
    return `urn:li:share:74000000000000${String(++this.sequence).padStart(5, '0')}`;
  }

  protected route(request: RecordedRequest): FakeResponse {
    const { method, path } = request;
    const member = this.authenticate(request);
    if (!member) return this.error(request, 401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    let m: RegExpMatchArray | null;
    if (method === 'PUT' && (m = path.match(/^\/dms-uploads\/([^/]+)$/))) return this.receiveImage(request, m[1]!);
    if (method === 'GET' && path === '/v2/userinfo') {
      if (!member.scopes.has('openid') || !member.scopes.has('profile'))
        return this.error(request, 403, 'ACCESS_DENIED', 'Not enough permissions to access: userinfo.GET.NO_VERSION');
      return {
        status: 200,
        body: {
          sub: member.sub,
          name: member.name,
          given_name: member.name.split(' ')[0],
          family_name: member.name.split(' ')[1],
          locale: { country: 'US', language: 'en' },
          email_verified: true,
        },
      };
    }
    if (!path.startsWith('/rest/')) return this.error(request, 404, 'NOT_FOUND', `No resource found for ${path}`);
    const version = header(request, 'linkedin-version');
    if (version === undefined)
      return this.error(
        request,
        400,
        'VERSION_MISSING',
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      );
    if (!/^\d{6}$/.test(version) || version < this.oldestVersion || version > this.newestVersion)
      return this.error(request, 426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
    if (header(request, 'x-restli-protocol-version') !== '2.0.0')
      return this.error(request, 400, 'ILLEGAL_ARGUMENT', 'X-Restli-Protocol-Version 2.0.0 is required');

    if (method === 'POST' && path === '/rest/images' && request.query.get('action') === 'initializeUpload')
      return this.initializeUpload(request, member);
    if (method === 'POST' && path === '/rest/posts') return this.createPost(request, member);
    if (method === 'GET' && path === '/rest/posts' && request.query.get('q') === 'author')
      return this.listPosts(request, member);
    if ((m = path.match(/^\/rest\/posts\/([^/]+)$/))) {
      const urn = decodeURIComponent(m[1]!);
      const post = this.posts.find((p) => p.id === urn && !p.deleted);
      if (!post) return this.error(request, 404, 'NOT_FOUND', `Post ${urn} not found`);
      if (!this.mayActAs(member, post.author, 'write'))
        return this.error(request, 403, 'ACCESS_DENIED', `Not enough permissions to access: posts.${method}`);
      if (method === 'GET') return { status: 200, body: this.postJson(post) };
      if (method === 'DELETE') {
        post.deleted = true;
        return { status: 204 };
      }
    }
    return this.error(request, 404, 'NOT_FOUND', `No resource found for ${method} ${path}`);
  }

  private authenticate(request: RecordedRequest): FakeLinkedInMember | null {
    return request.headers.authorization === `Bearer ${this.member.token}` ? this.member : null;
  }

  /** Posting (write) or listing (read) as `author`: the member's own person, or a page they administer. */
  private mayActAs(member: FakeLinkedInMember, author: string, access: 'write' | 'read'): boolean {
    if (author === `urn:li:person:${member.sub}`) return access === 'write' && member.scopes.has('w_member_social');
    if (!member.pages.includes(author)) return false;
    return member.scopes.has(access === 'write' ? 'w_organization_social' : 'r_organization_social');
  }

  private error(
    request: RecordedRequest,
    status: number,
    code: string,
    message: string,
    serviceErrorCode = 100,
  ): FakeResponse {
    const echo = this.echoAuthorization
      ? ` (request sent Authorization: ${request.headers.authorization ?? 'nothing'})`
      : '';
    return { status, body: { status, serviceErrorCode, code, message: `${message}${echo}` } };
  }

  private initializeUpload(request: RecordedRequest, member: FakeLinkedInMember): FakeResponse {
    const body = jsonBody(request) as { initializeUploadRequest?: { owner?: unknown } };
    const owner = body.initializeUploadRequest?.owner;
    if (typeof owner !== 'string')
      return this.error(request, 422, 'FIELD_MISSING', '/initializeUploadRequest/owner is required');
    if (!this.mayActAs(member, owner, 'write'))
      return this.error(
        request,
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: images.ACTION-initializeUpload',
      );
    const uploadId = `D4E10AQ${this.images.length + 1}`;
    const urn = `urn:li:image:${uploadId}`;
    this.images.push({ urn, owner, uploadId, bytes: null, mime: null });
    return {
      status: 200,
      body: {
        value: {
          uploadUrlExpiresAt: this.now() + 86_400_000,
          uploadUrl: `${this.url}/dms-uploads/${uploadId}`,
          image: urn,
        },
      },
    };
  }

  private receiveImage(request: RecordedRequest, uploadId: string): FakeResponse {
    const image = this.images.find((i) => i.uploadId === uploadId);
    if (!image) return this.error(request, 404, 'NOT_FOUND', 'Upload not found');
    if (request.body.length === 0) return this.error(request, 400, 'ILLEGAL_ARGUMENT', 'Empty upload');
    image.bytes = request.body;
    image.mime = header(request, 'content-type') ?? null;
    return { status: 201 };
  }

  private createPost(request: RecordedRequest, member: FakeLinkedInMember): FakeResponse {
    const body = jsonBody(request);
    const { author, commentary } = body;
    if (typeof author !== 'string') return this.error(request, 422, 'FIELD_MISSING', '/author is required');
    if (typeof commentary !== 'string') return this.error(request, 422, 'FIELD_MISSING', '/commentary is required');
    if (body.visibility !== 'PUBLIC' || body.lifecycleState !== 'PUBLISHED')
      return this.error(
        request,
        422,
        'UNPROCESSABLE_ENTITY',
        'visibility PUBLIC and lifecycleState PUBLISHED expected',
      );
    const distribution = body.distribution as { feedDistribution?: unknown } | undefined;
    if (distribution?.feedDistribution !== 'MAIN_FEED')
      return this.error(request, 422, 'FIELD_MISSING', '/distribution/feedDistribution is required');
    if (!this.mayActAs(member, author, 'write'))
      return this.error(
        request,
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: partnerApiPostsExternal.CREATE.20251101',
      );
    if (commentary.length > MAX_COMMENTARY)
      return this.error(
        request,
        422,
        'UNPROCESSABLE_ENTITY',
        `/commentary :: length ${commentary.length} exceeds the maximum allowed length ${MAX_COMMENTARY}`,
      );
    const media = (body.content as { media?: { id?: unknown; altText?: unknown } } | undefined)?.media;
    if (media !== undefined) {
      const image = this.images.find((i) => i.urn === media.id);
      if (!image || image.owner !== author || image.bytes === null)
        return this.error(request, 400, 'ILLEGAL_ARGUMENT', `Image ${String(media.id)} is not available for ${author}`);
    }
    const kept = keptOfLittleText(commentary);
    const same = this.posts.find((p) => !p.deleted && p.author === author && p.commentary === kept);
    if (same)
      return {
        status: 422,
        body: {
          errorDetailType: 'com.linkedin.common.error.BadRequest',
          message: `Content is a duplicate of ${same.id}`,
          errorDetails: {
            inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }],
          },
          status: 422,
        },
      };
    const post: FakeLinkedInPost = {
      id: this.nextUrn(),
      author,
      received: commentary,
      commentary: kept,
      media:
        media === undefined
          ? null
          : { id: String(media.id), ...(typeof media.altText === 'string' ? { altText: media.altText } : {}) },
      createdAt: this.now(),
      deleted: false,
      body,
    };
    this.posts.push(post);
    return { status: 201, headers: { 'x-restli-id': post.id, 'x-linkedin-id': post.id } };
  }

  private listPosts(request: RecordedRequest, member: FakeLinkedInMember): FakeResponse {
    const author = request.query.get('author') ?? '';
    if (!this.mayActAs(member, author, 'read'))
      return this.error(
        request,
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: partnerApiPostsExternal.FINDER-author.20251101',
      );
    const start = Number(request.query.get('start') ?? 0);
    const count = Math.min(100, Number(request.query.get('count') ?? 10));
    const all = this.posts
      .filter((p) => p.author === author && !p.deleted)
      .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));
    return {
      status: 200,
      body: {
        paging: { start, count, links: [] },
        elements: all.slice(start, start + count).map((p) => this.postJson(p)),
      },
    };
  }

  private postJson(post: FakeLinkedInPost): Record<string, unknown> {
    return {
      id: post.id,
      author: post.author,
      commentary: post.commentary,
      visibility: 'PUBLIC',
      lifecycleState: 'PUBLISHED',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      isReshareDisabledByAuthor: false,
      createdAt: post.createdAt,
      publishedAt: post.createdAt,
      lastModifiedAt: post.createdAt,
      ...(post.media ? { content: { media: post.media } } : {}),
    };
  }
}

function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
