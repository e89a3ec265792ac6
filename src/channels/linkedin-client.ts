import { isLoopbackHost } from '../core/base-url.ts';
import { ChannelError } from './channel-error.ts';
import { errorBody, type LinkedInAttempt, malformed, requestError, statusError } from './linkedin-errors.ts';

/**
 * Requests to LinkedIn's REST API with Node's fetch: a bearer token, `LinkedIn-Version` and
 * `X-Restli-Protocol-Version: 2.0.0` on every /rest/ request, a time limit on each, and failures
 * turned into ChannelErrors that never hold the token.
 */
export interface LinkedInClientOptions {
  /** https://api.linkedin.com, or a local fake's http://127.0.0.1:PORT. */
  baseUrl: string;
  token: string;
  version: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** For an image's bytes (default 120 s). */
  uploadTimeoutMs?: number;
  now?: () => number;
}

export interface LinkedInRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** From the base URL, with its query (values already encoded). */
  path: string;
  json?: unknown;
  /** Makes the post: a failure without a clear answer may have made it. */
  creates?: boolean;
  /** Statuses answered as they are instead of as errors (404 for "gone", 422 for a duplicate). */
  accept?: readonly number[];
  signal: AbortSignal;
}

export interface LinkedInAnswer {
  status: number;
  headers: Headers;
  /** The body read as JSON; undefined when empty or not JSON. */
  body: unknown;
  text: string;
}

export class LinkedInClient {
  readonly baseUrl: string;
  readonly version: string;
  readonly timeoutMs: number;
  private readonly token: string;
  private readonly uploadTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: LinkedInClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.version = options.version;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.uploadTimeoutMs = options.uploadTimeoutMs ?? 120_000;
    this.now = options.now ?? Date.now;
  }

  async request(action: string, request: LinkedInRequest): Promise<LinkedInAnswer> {
    const attempt = this.attempt(action, request.creates ?? false);
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    // The versioned API; /v2/userinfo (OpenID) is not versioned.
    if (request.path.startsWith('/rest/')) {
      headers['linkedin-version'] = this.version;
      headers['x-restli-protocol-version'] = '2.0.0';
    }
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = {
      method: request.method,
      headers,
      ...(request.json !== undefined ? { body: JSON.stringify(request.json) } : {}),
    };
    return this.send(`${this.baseUrl}${request.path}`, init, request, attempt, this.timeoutMs);
  }

  /**
   * PUTs an image's bytes to the upload address LinkedIn gave. The token goes with them (LinkedIn
   * asks for it) only to LinkedIn itself or to the API's own host, and never in clear text.
   */
  async upload(action: string, uploadUrl: string, bytes: Uint8Array, mime: string, signal: AbortSignal): Promise<void> {
    const url = URL.parse(uploadUrl);
    const api = new URL(this.baseUrl);
    const secure =
      url !== null && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
    const ours = url !== null && (url.host === api.host || /(^|\.)linkedin\.com$/i.test(url.hostname));
    if (!secure || !ours)
      throw new ChannelError(
        'linkedin',
        'rejected',
        `LinkedIn: the upload address for ${action.replace(/^uploading /, '')} is not LinkedIn's over https (${url ? `${url.protocol}//${url.host}` : 'not a URL'}); nothing was sent`,
        { maybeSent: false },
      );
    const init: RequestInit = {
      method: 'PUT',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': mime },
      body: new Uint8Array(bytes),
    };
    await this.send(url.href, init, { signal }, this.attempt(action, false), this.uploadTimeoutMs);
  }

  /** An answer the caller accepted (`accept`) and then found to be a refusal after all. */
  refused(answer: Pick<LinkedInAnswer, 'status' | 'headers' | 'text'>, action: string, creates: boolean): ChannelError {
    return statusError(answer.status, errorBody(answer.text), answer.headers, this.attempt(action, creates));
  }

  private attempt(action: string, creates: boolean): LinkedInAttempt {
    return {
      action,
      creates,
      version: this.version,
      secrets: [this.token, encodeURIComponent(this.token)],
      now: this.now,
    };
  }

  private async send(
    url: string,
    init: RequestInit,
    request: Pick<LinkedInRequest, 'signal' | 'accept'>,
    attempt: LinkedInAttempt,
    timeoutMs: number,
  ): Promise<LinkedInAnswer> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]),
      });
      text = await response.text();
    } catch (error) {
      throw requestError(error, request.signal, timeoutMs, attempt);
    }
    const ok = (response.status >= 200 && response.status < 300) || request.accept?.includes(response.status);
    if (!ok) throw statusError(response.status, errorBody(text), response.headers, attempt);
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.status < 300) throw malformed(attempt.action, 'is not JSON', attempt.creates);
      }
    }
    return { status: response.status, headers: response.headers, body, text };
  }
}
