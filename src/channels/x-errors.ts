import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { ChannelError, kindForStatus, redactSecrets, retryAfterMs } from './channel-error.ts';
import type { XCredentials, XRequestScope } from './x-client.ts';

/**
 * Turns whatever twitter-api-v2 throws into a ChannelError. Only the status, X's own error text and
 * the rate-limit header are read: the library's error objects also carry the request (with its
 * Authorization header), so they are never attached as a cause or printed.
 */
export interface XStep {
  /** For messages: "creating the post", "uploading content/social/chart.png". */
  action: string;
  /** True when the request may create a post: then a lost answer means the post may exist. */
  creates: boolean;
}

// v1.1 codes X still answers with for credentials: could not authenticate, invalid or expired
// token, bad authentication data, no access to the endpoint, app may not write, account locked.
const V1_AUTH_CODES = new Set([32, 89, 99, 135, 215, 220, 261, 326]);
const AUTH_FORBIDDEN =
  /client-forbidden|unsupported-authentication|client-not-enrolled|oauth1?[- ]?(app )?permissions|appropriate .*permissions|authenticat|credential/i;
const DUPLICATE = /duplicate/i;
// Network errors that happen before anything was sent: the post cannot exist.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class XErrorMapper {
  private readonly secrets: string[];

  constructor(credentials: XCredentials) {
    const values = [credentials.apiKey, credentials.apiSecret, credentials.accessToken, credentials.accessSecret];
    // An Authorization header echoed back holds the key and token percent-encoded.
    this.secrets = [...values, ...values.map(percentEncode)];
  }

  redact(message: string): string {
    return redactSecrets(message, this.secrets);
  }

  error(
    kind: ConstructorParameters<typeof ChannelError>[1],
    message: string,
    options: ConstructorParameters<typeof ChannelError>[3] = {},
  ): ChannelError {
    return new ChannelError('x', kind, this.redact(message), options);
  }

  map(error: unknown, step: XStep, scope: XRequestScope): ChannelError {
    if (error instanceof ChannelError) return error;
    // An answer that came back is what happened, even if the caller gave up just afterwards.
    if (error instanceof ApiResponseError) return this.fromResponse(error, step);
    const maybeSent = step.creates;
    if (scope.signal.aborted) return this.error('timeout', `X: cancelled while ${step.action}`, { maybeSent });
    if (scope.timedOut)
      return this.error('timeout', `X: no answer within ${scope.timeoutMs} ms while ${step.action}`, { maybeSent });
    if (error instanceof ApiPartialResponseError) {
      const status = error.response.statusCode ?? 0;
      const kind = status < 400 ? 'malformed' : kindForStatus(status);
      return this.error(kind, `X: the answer was cut off or unreadable while ${step.action} (HTTP ${status})`, {
        status,
        maybeSent,
      });
    }
    if (error instanceof ApiRequestError) {
      // The library keeps the socket error under a name its getter does not read.
      const cause = (error as unknown as { _options?: { error?: { code?: unknown } } })._options?.error;
      const code = typeof cause?.code === 'string' ? cause.code : 'connection closed';
      return this.error('unavailable', `X: connection failed while ${step.action} (${code})`, {
        maybeSent: maybeSent && !NOT_CONNECTED.has(code),
      });
    }
    const text = error instanceof Error ? error.message : String(error);
    return this.error('unavailable', `X: ${step.action} failed: ${text}`, { maybeSent });
  }

  private fromResponse(error: ApiResponseError, step: XStep): ChannelError {
    const status = error.code;
    const text = errorText(error.data);
    if (status === 429) {
      const wait = retryAfterMs(error.headers, Date.now());
      const when = wait === undefined ? '' : `, resets in ${Math.ceil(wait / 1000)} s`;
      return this.error('rate-limited', `X: rate limit reached while ${step.action}${when}: ${text} (HTTP 429)`, {
        status,
        retryAfterMs: wait,
      });
    }
    if (status === 401 || (status === 403 && isAuthForbidden(error.data, text))) {
      return this.error('auth', `X: the credentials were refused while ${step.action}: ${text} (HTTP ${status})`, {
        status,
      });
    }
    if (status === 403 && (DUPLICATE.test(text) || hasV1Code(error.data, 187))) {
      // X keeps the first of two identical posts. If an earlier answer was lost, that first one is
      // ours: maybeSent tells the publisher to look for it rather than give up.
      return this.error('rejected', `X: refused the post as a duplicate of a recent one: ${text} (HTTP ${status})`, {
        status,
        maybeSent: step.creates,
      });
    }
    if (status >= 500)
      return this.error('unavailable', `X: server error while ${step.action}: ${text} (HTTP ${status})`, {
        status,
        maybeSent: step.creates,
      });
    return this.error('rejected', `X: rejected while ${step.action}: ${text} (HTTP ${status})`, { status });
  }
}

/** X's own words about an error, whatever shape the body has (v2 problem, v1.1 errors, text). */
export function errorText(data: unknown): string {
  if (typeof data === 'string')
    return (
      clip(
        data
          .replace(/<[^>]*>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      ) || 'no error text'
    );
  if (!data || typeof data !== 'object') return 'no error text';
  const body = data as { title?: unknown; detail?: unknown; error?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (typeof body.title === 'string' && body.title !== body.detail) parts.push(body.title);
  if (typeof body.detail === 'string') parts.push(body.detail);
  if (typeof body.error === 'string') parts.push(body.error);
  if (Array.isArray(body.errors)) {
    for (const item of body.errors.slice(0, 3)) {
      const message =
        (item as { message?: unknown; detail?: unknown })?.message ?? (item as { detail?: unknown })?.detail;
      if (typeof message === 'string' && !parts.includes(message)) parts.push(message);
    }
  }
  return clip(parts.join(': ')) || 'no error text';
}

function isAuthForbidden(data: unknown, text: string): boolean {
  if (DUPLICATE.test(text)) return false;
  const body = (data ?? {}) as { type?: unknown; reason?: unknown };
  const labels = [body.type, body.reason].filter((v) => typeof v === 'string').join(' ');
  return (
    AUTH_FORBIDDEN.test(labels) || AUTH_FORBIDDEN.test(text) || [...V1_AUTH_CODES].some((code) => hasV1Code(data, code))
  );
}

function hasV1Code(data: unknown, code: number): boolean {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) && errors.some((e) => (e as { code?: unknown })?.code === code);
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
