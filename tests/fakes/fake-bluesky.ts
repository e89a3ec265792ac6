import { createHash, randomBytes } from 'node:crypto';
import { jsonToLex, lexicons } from '@atproto/api';
import { MIME, sniffImageType } from '../../src/core/media.ts';
import { FakeService, jsonBody, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * A fake Bluesky PDS: enough of com.atproto.server, com.atproto.identity and com.atproto.repo for
 * @atproto/api's AtpAgent to log in, resolve handles, upload blobs, and create, read and delete
 * posts. It keeps what it is sent, answers with syntactically valid CIDs, and refuses what the
 * reference PDS (bluesky-social/atproto, packages/pds) refuses, in its words:
 * - a record that breaks the app.bsky.feed.post lexicon (the generated validators of @atproto/api,
 *   with the blob constraints the PDS checks in strict mode: accept, maxSize): 400 InvalidRequest
 *   "Invalid app.bsky.feed.post record: …" (the PDS turns its InvalidRecordError into InvalidRequest);
 * - a blob the record names that was never uploaded: 400 BlobNotFound "Could not find blob: <cid>";
 *   one named with another type or size than it has: InvalidMimeType / InvalidSize;
 * - a handle that does not resolve: 400 InvalidRequest "Unable to resolve handle";
 * - a second record under one key: 500 (the PDS throws inside its repo tree).
 * One check the PDS does not make: a facet outside the text is refused (the AppView would drop it
 * silently; here the mistake shows).
 */
export interface StoredRecord {
  rkey: string;
  uri: string;
  cid: string;
  /** The record as the client sent it (JSON). */
  record: Record<string, unknown>;
  deleted: boolean;
  /** The DID of the account whose repository holds it; absent, the PDS's first account's. */
  repo?: string;
}

/** Another account hosted on this PDS (addHostedAccount), with its own password and session. */
interface HostedAccount {
  did: string;
  handle: string;
  password: string;
  accessJwt: string;
  refreshJwt: string;
}

export interface StoredBlob {
  cid: string;
  mimeType: string;
  size: number;
  bytes: Buffer;
}

const POST = 'app.bsky.feed.post';
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

export class FakeBluesky extends FakeService {
  readonly handle: string;
  readonly password: string;
  readonly did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
  records: StoredRecord[] = [];
  /** Every upload, in order (the same bytes uploaded twice are one blob for the PDS, two entries here). */
  blobs: StoredBlob[] = [];
  /** Handles com.atproto.identity.resolveHandle knows (lower case) → DID; the account's own is added. */
  readonly handles = new Map<string, string>();
  /** How many times someone logged in. */
  sessionsCreated = 0;
  /** Put the Authorization header and any password received into error messages, as careless servers do. */
  echoCredentials = false;
  accessJwt = '';
  refreshJwt = '';
  private expiredAccessJwt = '';
  /** Other accounts on this PDS, by DID: each logs in and writes to its own repository. */
  private readonly hosted = new Map<string, HostedAccount>();
  /** Post URI → what the AppView counts for it (app.bsky.feed.getPosts; default none). */
  readonly counts = new Map<
    string,
    { likeCount: number; repostCount: number; replyCount: number; quoteCount: number }
  >();

  constructor(options: { handle?: string; password?: string } = {}) {
    super('bluesky');
    this.handle = options.handle ?? 'postgate.bsky.social';
    this.password = options.password ?? 'abcd-efgh-ijkl-mnop';
    this.handles.set(this.handle, this.did);
  }

  /** Another account the network knows, for mentions. */
  addAccount(handle: string, did: string): void {
    this.handles.set(handle.toLowerCase(), did);
  }

  /** Posts that exist now. */
  get livePosts(): StoredRecord[] {
    return this.records.filter((r) => !r.deleted);
  }

  /** Another account on this PDS, e.g. a staff member's: its handle resolves, it logs in with `password`. */
  addHostedAccount(handle: string, password: string, did: string): void {
    this.hosted.set(did, { did, handle: handle.toLowerCase(), password, accessJwt: '', refreshJwt: '' });
    this.handles.set(handle.toLowerCase(), did);
  }

  /** Live posts in the repository of the account with this DID. */
  liveOf(did: string): StoredRecord[] {
    return this.livePosts.filter((r) => (r.repo ?? this.did) === did);
  }

  /** The access token stops working; the refresh token still gets a new one. */
  expireAccessToken(): void {
    this.expiredAccessJwt = this.accessJwt;
    this.accessJwt = '';
  }

  /** Every token stops working, as when the account owner revokes the app password's sessions. */
  revokeSessions(): void {
    this.accessJwt = '';
    this.refreshJwt = '';
    this.expiredAccessJwt = '';
  }

  protected route(request: RecordedRequest): FakeResponse {
    const method = request.path.replace(/^\/xrpc\//, '');
    switch (method) {
      case 'com.atproto.server.createSession':
        return this.createSession(request);
      case 'com.atproto.server.refreshSession': {
        const other = this.hostedBy(request, 'refreshJwt');
        if (other) return this.hostedSession(other);
        return this.bearer(request, this.refreshJwt) ?? this.newSession();
      }
      case 'com.atproto.server.getSession': {
        const other = this.hostedBy(request, 'accessJwt');
        if (other) return ok({ did: other.did, handle: other.handle, active: true });
        return this.authorized(request) ?? ok({ did: this.did, handle: this.handle, active: true });
      }
      case 'com.atproto.identity.resolveHandle':
        return this.resolveHandle(request);
      case 'com.atproto.repo.uploadBlob':
        return this.authorized(request) ?? this.uploadBlob(request);
      case 'com.atproto.repo.createRecord':
        return this.authorized(request) ?? this.createRecord(request);
      case 'com.atproto.repo.getRecord':
        return this.getRecord(request);
      case 'com.atproto.repo.deleteRecord':
        return this.authorized(request) ?? this.deleteRecord(request);
      case 'app.bsky.feed.getPosts':
        return this.authorized(request) ?? this.getPosts(request);
      default:
        return this.error(request, 501, 'MethodNotImplemented', `Method Not Implemented: ${method}`);
    }
  }

  private createSession(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request);
    const identifier = String(body.identifier ?? '').toLowerCase();
    const other = [...this.hosted.values()].find((a) => a.handle === identifier || a.did === identifier);
    if (other && body.password === other.password) {
      this.sessionsCreated++;
      return this.hostedSession(other);
    }
    if ((identifier !== this.handle && identifier !== this.did) || body.password !== this.password) {
      return this.error(request, 401, 'AuthenticationRequired', 'Invalid identifier or password');
    }
    this.sessionsCreated++;
    return this.newSession();
  }

  private hostedSession(account: HostedAccount): FakeResponse {
    account.accessJwt = `fake-access.${randomBytes(12).toString('hex')}`;
    account.refreshJwt = `fake-refresh.${randomBytes(12).toString('hex')}`;
    const { did, handle, accessJwt, refreshJwt } = account;
    return ok({ did, handle, accessJwt, refreshJwt, active: true });
  }

  /** The hosted account whose session token the request carries, or undefined. */
  private hostedBy(request: RecordedRequest, which: 'accessJwt' | 'refreshJwt'): HostedAccount | undefined {
    const header = request.headers.authorization ?? '';
    return [...this.hosted.values()].find((a) => a[which] && header === `Bearer ${a[which]}`);
  }

  /** The DID whose session a request carries (the PDS's first account when none of the others). */
  private sessionDid(request: RecordedRequest): string {
    return this.hostedBy(request, 'accessJwt')?.did ?? this.did;
  }

  /** Whether `repo` (a DID or a handle) names the account with this DID. */
  private names(repo: unknown, did: string): boolean {
    const handle = did === this.did ? this.handle : this.hosted.get(did)?.handle;
    return repo === did || (typeof repo === 'string' && repo.toLowerCase() === handle);
  }

  /** No didDoc: the agent would take its PDS endpoint and leave the fake. */
  private newSession(): FakeResponse {
    this.accessJwt = `fake-access.${randomBytes(12).toString('hex')}`;
    this.refreshJwt = `fake-refresh.${randomBytes(12).toString('hex')}`;
    return ok({
      did: this.did,
      handle: this.handle,
      accessJwt: this.accessJwt,
      refreshJwt: this.refreshJwt,
      active: true,
    });
  }

  private authorized(request: RecordedRequest): FakeResponse | undefined {
    if (this.hostedBy(request, 'accessJwt')) return undefined;
    return this.bearer(request, this.accessJwt);
  }

  private bearer(request: RecordedRequest, token: string): FakeResponse | undefined {
    const header = request.headers.authorization ?? '';
    if (token && header === `Bearer ${token}`) return undefined;
    if (this.expiredAccessJwt && header === `Bearer ${this.expiredAccessJwt}`)
      return this.error(request, 400, 'ExpiredToken', 'Token has expired');
    return this.error(
      request,
      401,
      'AuthenticationRequired',
      header ? 'Token could not be verified' : 'Authentication Required',
    );
  }

  private resolveHandle(request: RecordedRequest): FakeResponse {
    const handle = request.query.get('handle');
    if (!handle) return this.error(request, 400, 'InvalidRequest', 'Error: Params must have the property "handle"');
    const did = this.handles.get(handle.toLowerCase());
    if (!did) return this.error(request, 400, 'InvalidRequest', 'Unable to resolve handle');
    return ok({ did });
  }

  private uploadBlob(request: RecordedRequest): FakeResponse {
    // The PDS names a blob by what its bytes are (file-type), and by the declared type only when
    // it cannot tell; file-type does not read SVG.
    const sniffed = sniffImageType(request.body.subarray(0, 256));
    const declared = request.headers['content-type'] ?? 'application/octet-stream';
    const mimeType = sniffed && sniffed !== 'svg' ? MIME[sniffed] : declared;
    if (request.body.length === 0) return this.error(request, 400, 'InvalidRequest', 'Request body is empty');
    const blob: StoredBlob = {
      cid: cidFor(0x55, request.body),
      mimeType,
      size: request.body.length,
      bytes: request.body,
    };
    this.blobs.push(blob);
    return ok({ blob: { $type: 'blob', ref: { $link: blob.cid }, mimeType, size: blob.size } });
  }

  private createRecord(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request);
    const record = body.record as Record<string, unknown> | undefined;
    const did = this.sessionDid(request);
    if (!this.names(body.repo, did))
      return this.error(request, 400, 'InvalidRequest', `Could not find repo: ${String(body.repo)}`);
    if (body.collection !== POST)
      return this.error(
        request,
        400,
        'InvalidRequest',
        `Postgate's fake only takes ${POST}, got ${String(body.collection)}`,
      );
    const rkey = typeof body.rkey === 'string' ? body.rkey : undefined;
    if (rkey !== undefined && !TID.test(rkey))
      return this.error(request, 400, 'InvalidRequest', `Invalid record key for ${POST}: ${rkey} is not a TID`);
    if (!record || typeof record !== 'object')
      return this.error(request, 400, 'InvalidRequest', 'Input/record must be an object');
    // Like the PDS: a record without $type is taken as one of the collection's.
    record.$type ??= POST;
    if (record.$type !== POST)
      return this.error(request, 400, 'InvalidRequest', `Invalid $type: expected ${POST}, got ${String(record.$type)}`);
    const problem = postProblem(record);
    if (problem) return this.error(request, 400, 'InvalidRequest', `Invalid ${POST} record: ${problem}`);
    const blobProblem = this.blobProblem(record);
    if (blobProblem) return this.error(request, 400, blobProblem.error, blobProblem.message);
    const key = rkey ?? nextTid();
    // The real PDS throws inside its repo tree here ("There is already a value at key") and answers 500.
    if (this.live(key, did)) return this.error(request, 500, 'InternalServerError', 'Internal Server Error');
    const stored: StoredRecord = {
      rkey: key,
      uri: `at://${did}/${POST}/${key}`,
      cid: cidFor(0x71, Buffer.from(JSON.stringify(record))),
      record,
      deleted: false,
      ...(did === this.did ? {} : { repo: did }),
    };
    this.records.push(stored);
    return ok({
      uri: stored.uri,
      cid: stored.cid,
      commit: { cid: cidFor(0x71, Buffer.from(`commit ${stored.cid}`)), rev: nextTid() },
      validationStatus: 'valid',
    });
  }

  private getRecord(request: RecordedRequest): FakeResponse {
    const repo = request.query.get('repo');
    const collection = request.query.get('collection');
    const rkey = request.query.get('rkey') ?? '';
    const did = [this.did, ...this.hosted.keys()].find((d) => this.names(repo, d));
    const found = did && collection === POST ? this.live(rkey, did) : undefined;
    if (!found)
      return this.error(request, 400, 'RecordNotFound', `Could not locate record: at://${repo}/${collection}/${rkey}`);
    return ok({ uri: found.uri, cid: found.cid, value: found.record });
  }

  /**
   * The AppView's getPosts, as the PDS proxies it for a logged-in account: `uris` repeated, 1 to
   * 25 of them; posts it does not know (deleted, or never made) are left out of the answer.
   */
  private getPosts(request: RecordedRequest): FakeResponse {
    const uris = request.query.getAll('uris');
    if (uris.length === 0)
      return this.error(request, 400, 'InvalidRequest', 'Error: Params must have the property "uris"');
    if (uris.length > 25)
      return this.error(request, 400, 'InvalidRequest', 'Error: uris must not have more than 25 elements');
    const posts = uris.flatMap((uri) => {
      const found = this.records.find((r) => r.uri === uri && !r.deleted);
      if (!found) return [];
      const counts = this.counts.get(uri) ?? { likeCount: 0, repostCount: 0, replyCount: 0, quoteCount: 0 };
      const did = found.repo ?? this.did;
      const author = { did, handle: did === this.did ? this.handle : this.hosted.get(did)!.handle };
      return [{ uri, cid: found.cid, author, record: found.record, indexedAt: new Date().toISOString(), ...counts }];
    });
    return ok({ posts });
  }

  private deleteRecord(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request);
    const did = this.sessionDid(request);
    if (!this.names(body.repo, did))
      return this.error(request, 400, 'InvalidRequest', `Could not find repo: ${String(body.repo)}`);
    const found = body.collection === POST ? this.live(String(body.rkey), did) : undefined;
    // Deleting what is not there is a no-op for the real PDS too.
    if (found) found.deleted = true;
    return ok({});
  }

  /** What the PDS says when it makes the record's blobs permanent (verifyBlobAndMakePermanent). */
  private blobProblem(record: Record<string, unknown>): { error: string; message: string } | undefined {
    for (const { blob } of blobsIn(record)) {
      const found = this.blobs.find((b) => b.cid === blob.ref.$link);
      if (!found) return { error: 'BlobNotFound', message: `Could not find blob: ${blob.ref.$link}` };
      if (found.mimeType !== blob.mimeType)
        return {
          error: 'InvalidMimeType',
          message: `Referenced Mimetype does not match stored blob. Expected: ${found.mimeType}, Got: ${blob.mimeType}`,
        };
      if (found.size !== blob.size)
        return {
          error: 'InvalidSize',
          message: `Referenced Size does not match stored blob. Expected: ${found.size}, Got: ${blob.size}`,
        };
    }
    return undefined;
  }

  private live(rkey: string, did = this.did): StoredRecord | undefined {
    return this.records.find((r) => r.rkey === rkey && !r.deleted && (r.repo ?? this.did) === did);
  }

  private error(request: RecordedRequest, status: number, error: string, message: string): FakeResponse {
    if (!this.echoCredentials) return { status, body: { error, message } };
    const password = request.path.endsWith('createSession') ? String(jsonBody(request).password ?? '') : '';
    return {
      status,
      body: {
        error,
        message: `${message} (received authorization "${request.headers.authorization ?? ''}", password "${password}")`,
      },
    };
  }
}

function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

/** What the PDS's validation of a post refuses: the lexicon, its blob constraints, and facets outside the text. */
function postProblem(record: Record<string, unknown>): string | undefined {
  try {
    lexicons.assertValidRecord(POST, jsonToLex(record));
  } catch (error) {
    return (error as Error).message;
  }
  // @atproto/api's validators check a blob's shape only; the PDS validates strictly (accept, maxSize).
  for (const { blob, path, def } of blobsIn(record)) {
    if (def.accept && !def.accept.some((type) => mimeMatches(blob.mimeType, type)))
      return `${path}/mimeType must be one of ${def.accept.join(', ')} (got ${blob.mimeType})`;
    if (def.maxSize !== undefined && blob.size > def.maxSize)
      return `${path} must not be larger than ${def.maxSize} bytes (got ${blob.size})`;
  }
  const text = record.text as string;
  const bytes = Buffer.byteLength(text);
  for (const facet of (record.facets ?? []) as { index: { byteStart: number; byteEnd: number } }[]) {
    if (facet.index.byteEnd > bytes || facet.index.byteStart > facet.index.byteEnd)
      return `facet ${facet.index.byteStart}-${facet.index.byteEnd} lies outside the text (${bytes} bytes)`;
  }
  return undefined;
}

interface BlobJson {
  $type: 'blob';
  ref: { $link: string };
  mimeType: string;
  size: number;
}

interface BlobDef {
  accept?: string[];
  maxSize?: number;
}

/** The blobs a (lexicon-valid) post refers to, where, and the lexicon's constraints on each. */
function blobsIn(record: Record<string, unknown>): { blob: BlobJson; path: string; def: BlobDef }[] {
  const def = (id: string, field: string) =>
    (lexicons.getDefOrThrow(id) as { properties: Record<string, BlobDef> }).properties[field]!;
  const found: { blob: BlobJson; path: string; def: BlobDef }[] = [];
  const fromMedia = (media: Record<string, unknown> | undefined, path: string) => {
    if (media?.$type === 'app.bsky.embed.images')
      for (const [i, image] of (media.images as { image: BlobJson }[]).entries())
        found.push({
          blob: image.image,
          path: `${path}/images/${i}/image`,
          def: def('app.bsky.embed.images#image', 'image'),
        });
    const thumb = (media?.external as { thumb?: BlobJson } | undefined)?.thumb;
    if (media?.$type === 'app.bsky.embed.external' && thumb)
      found.push({
        blob: thumb,
        path: `${path}/external/thumb`,
        def: def('app.bsky.embed.external#external', 'thumb'),
      });
  };
  const embed = record.embed as Record<string, unknown> | undefined;
  fromMedia(embed, 'Record/embed');
  if (embed?.$type === 'app.bsky.embed.recordWithMedia')
    fromMedia(embed.media as Record<string, unknown>, 'Record/embed/media');
  return found;
}

function mimeMatches(mime: string, accepted: string): boolean {
  return accepted === '*/*' || accepted === mime || (accepted.endsWith('/*') && mime.startsWith(accepted.slice(0, -1)));
}

/** CIDv1 (dag-cbor 0x71 or raw 0x55), sha2-256, base32 lower with the 'b' multibase prefix. */
export function cidFor(codec: 0x71 | 0x55, content: Buffer): string {
  const digest = createHash('sha256').update(content).digest();
  return `b${base32(Buffer.concat([Buffer.from([0x01, codec, 0x12, 0x20]), digest]))}`;
}

function base32(bytes: Buffer): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

let lastTid = 0;

/** A fresh TID from the clock, for records made without a key and for commit revisions. */
function nextTid(): string {
  lastTid = Math.max(Date.now() * 1000, lastTid + 1);
  const alphabet = '234567abcdefghijklmnopqrstuvwxyz';
  const value = (BigInt(lastTid) << 10n) | 7n;
  let out = '';
  for (let shift = 60n; shift >= 0n; shift -= 5n) out += alphabet[Number((value >> shift) & 31n)];
  return out;
}
