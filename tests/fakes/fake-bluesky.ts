import { createHash, randomBytes } from 'node:crypto';
import { jsonToLex, lexicons } from '@atproto/api';
import { FakeService, jsonBody, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * A fake Bluesky PDS: enough of com.atproto.server and com.atproto.repo for @atproto/api's
 * AtpAgent to log in, upload blobs, and create, read and delete posts. It keeps what it is sent,
 * validates posts against the real app.bsky.feed.post lexicon, answers with syntactically valid
 * CIDs, and fails the way the real one does (a second record under one key is a 500).
 */
export interface StoredRecord {
  rkey: string;
  uri: string;
  cid: string;
  /** The record as the client sent it (JSON). */
  record: Record<string, unknown>;
  deleted: boolean;
}

export interface StoredBlob {
  cid: string;
  mimeType: string;
  size: number;
  bytes: Buffer;
}

const POST = 'app.bsky.feed.post';
const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

export class FakeBluesky extends FakeService {
  readonly handle: string;
  readonly password: string;
  readonly did = 'did:plc:ewvi7nxzyoun6zhxrhs64oiz';
  records: StoredRecord[] = [];
  blobs: StoredBlob[] = [];
  /** How many times someone logged in. */
  sessionsCreated = 0;
  /** Put the Authorization header and any password received into error messages, as careless servers do. */
  echoCredentials = false;
  accessJwt = '';
  refreshJwt = '';
  private expiredAccessJwt = '';

  constructor(options: { handle?: string; password?: string } = {}) {
    super('bluesky');
    this.handle = options.handle ?? 'postgate.bsky.social';
    this.password = options.password ?? 'abcd-efgh-ijkl-mnop';
  }

  /** Posts that exist now. */
  get livePosts(): StoredRecord[] {
    return this.records.filter((r) => !r.deleted);
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
      case 'com.atproto.server.refreshSession':
        return this.bearer(request, this.refreshJwt) ?? this.newSession();
      case 'com.atproto.server.getSession':
        return this.authorized(request) ?? ok({ did: this.did, handle: this.handle, active: true });
      case 'com.atproto.repo.uploadBlob':
        return this.authorized(request) ?? this.uploadBlob(request);
      case 'com.atproto.repo.createRecord':
        return this.authorized(request) ?? this.createRecord(request);
      case 'com.atproto.repo.getRecord':
        return this.getRecord(request);
      case 'com.atproto.repo.deleteRecord':
        return this.authorized(request) ?? this.deleteRecord(request);
      default:
        return this.error(request, 501, 'MethodNotImplemented', `Method Not Implemented: ${method}`);
    }
  }

  private createSession(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request);
    const identifier = String(body.identifier ?? '').toLowerCase();
    if ((identifier !== this.handle && identifier !== this.did) || body.password !== this.password) {
      return this.error(request, 401, 'AuthenticationRequired', 'Invalid identifier or password');
    }
    this.sessionsCreated++;
    return this.newSession();
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

  private uploadBlob(request: RecordedRequest): FakeResponse {
    const mimeType = request.headers['content-type'] ?? 'application/octet-stream';
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
    if (body.repo !== this.did && body.repo !== this.handle)
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
    const problem = postProblem(record, this.blobs);
    if (problem) return this.error(request, 400, 'InvalidRequest', `Invalid ${POST} record: ${problem}`);
    const key = rkey ?? nextTid();
    // The real PDS throws inside its repo tree here ("There is already a value at key") and answers 500.
    if (this.live(key)) return this.error(request, 500, 'InternalServerError', 'Internal Server Error');
    const stored: StoredRecord = {
      rkey: key,
      uri: `at://${this.did}/${POST}/${key}`,
      cid: cidFor(0x71, Buffer.from(JSON.stringify(record))),
      record: record!,
      deleted: false,
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
    const found = (repo === this.did || repo === this.handle) && collection === POST ? this.live(rkey) : undefined;
    if (!found)
      return this.error(request, 400, 'RecordNotFound', `Could not locate record: at://${repo}/${collection}/${rkey}`);
    return ok({ uri: found.uri, cid: found.cid, value: found.record });
  }

  private deleteRecord(request: RecordedRequest): FakeResponse {
    const body = jsonBody(request);
    if (body.repo !== this.did && body.repo !== this.handle)
      return this.error(request, 400, 'InvalidRequest', `Could not find repo: ${String(body.repo)}`);
    const found = body.collection === POST ? this.live(String(body.rkey)) : undefined;
    // Deleting what is not there is a no-op for the real PDS too.
    if (found) found.deleted = true;
    return ok({});
  }

  private live(rkey: string): StoredRecord | undefined {
    return this.records.find((r) => r.rkey === rkey && !r.deleted);
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

/** What the real PDS would refuse in a post: the lexicon, 300 graphemes, facets inside the text, unknown blobs. */
function postProblem(record: Record<string, unknown> | undefined, blobs: StoredBlob[]): string | undefined {
  if (!record || record.$type !== POST) return '$type must be app.bsky.feed.post';
  try {
    lexicons.assertValidRecord(POST, jsonToLex(record));
  } catch (error) {
    return (error as Error).message;
  }
  const text = record.text as string;
  const graphemes = [...segmenter.segment(text)].length;
  if (graphemes > 300) return `Record/text must not be longer than 300 graphemes (${graphemes})`;
  const bytes = Buffer.byteLength(text);
  for (const facet of (record.facets ?? []) as { index: { byteStart: number; byteEnd: number } }[]) {
    if (facet.index.byteEnd > bytes || facet.index.byteStart > facet.index.byteEnd)
      return `facet ${facet.index.byteStart}-${facet.index.byteEnd} lies outside the text (${bytes} bytes)`;
  }
  const embed = record.embed as { images?: { image: { ref: { $link: string } } }[] } | undefined;
  for (const image of embed?.images ?? []) {
    if (!blobs.some((b) => b.cid === image.image.ref.$link)) return `blob ${image.image.ref.$link} was never uploaded`;
  }
  return undefined;
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
