import { MastoDeserializeError, MastoHttpError, MastoTimeoutError, MastoUnexpectedError } from 'masto';
import { ChannelError, redactSecrets, retryAfterMs } from './channel-error.ts';

/** What a request to Mastodon was for, so a failure can say what happened and what it means. */
export interface MastodonAttempt {
  /** For messages, e.g. "posting the status". */
  action: string;
  /** True when the request creates the post: a failure without a clear answer may have posted it. */
  creates: boolean;
  /** The caller's signal: when it fired, the failure is a cancellation, not the network's. */
  signal: AbortSignal;
  timeoutMs: number;
  secrets: readonly string[];
  now: () => number;
}

// Connection failures that happen before a single byte of the request reached the server.
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

// Mastodon's error text is short; anything longer is a proxy page or an echo, not worth a log line.
const MAX_DETAIL = 300;

function headerRecord(headers: Headers | undefined): Record<string, string> {
  return headers ? Object.fromEntries(headers.entries()) : {};
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function isAbortLike(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return error instanceof MastoTimeoutError || name === 'AbortError' || name === 'TimeoutError';
}

/**
 * Turns whatever masto or fetch threw into a ChannelError. masto loses the HTTP status when an
 * error answer is not JSON (a proxy's HTML page, an empty body), so those count as the server
 * failing, with no status in the message.
 */
export function mastodonError(error: unknown, attempt: MastodonAttempt): ChannelError {
  if (error instanceof ChannelError) return error;
  const { action, creates } = attempt;
  const make = (
    kind: ChannelError['kind'],
    message: string,
    options: { status?: number; retryAfterMs?: number; maybeSent?: boolean } = {},
  ) => new ChannelError('mastodon', kind, redactSecrets(message, attempt.secrets), options);

  if (error instanceof MastoHttpError) {
    const status = error.statusCode;
    const text = typeof error.message === 'string' ? error.message.trim().slice(0, MAX_DETAIL) : '';
    const detail = text ? `: ${text}` : '';
    const http = ` (HTTP ${status})`;
    if (status === 429) {
      const headers = error.cause instanceof Response ? error.cause.headers : undefined;
      const wait = retryAfterMs(headerRecord(headers), attempt.now());
      return make('rate-limited', `Mastodon: rate limited while ${action}${http}`, {
        status,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
    }
    if (status === 401 || status === 403)
      return make('auth', `Mastodon: the access token was refused while ${action}${detail}${http}`, { status });
    // A 5xx may come from a proxy that gave up while Mastodon went on and posted.
    if (status >= 500)
      return make('unavailable', `Mastodon: the server failed while ${action}${detail}${http}`, {
        status,
        maybeSent: creates,
      });
    return make('rejected', `Mastodon: ${action} was rejected${detail}${http}`, { status });
  }

  if (attempt.signal.aborted) return make('timeout', `Mastodon: ${action} was cancelled`, { maybeSent: creates });
  if (isAbortLike(error))
    return make('timeout', `Mastodon: no answer within ${attempt.timeoutMs} ms while ${action}`, {
      maybeSent: creates,
    });

  if (error instanceof MastoUnexpectedError) {
    // masto says "may be down" only for an error answer in an unknown format; otherwise a 2xx was.
    if (/may be down/i.test(error.message))
      return make('unavailable', `Mastodon: the server failed while ${action} and its answer was not JSON`, {
        maybeSent: creates,
      });
    return make('malformed', `Mastodon: the answer to ${action} was not JSON`, { maybeSent: creates });
  }
  if (error instanceof MastoDeserializeError) {
    // Raised for a success and for an error answer alike (masto drops the status): the empty error
    // bodies of overloaded servers are far more common than a broken success, so count it as one.
    return make('unavailable', `Mastodon: the answer to ${action} was not valid JSON`, { maybeSent: creates });
  }

  const code = errorCode(error);
  if (code !== undefined || (error instanceof TypeError && error.message === 'fetch failed')) {
    const neverSent = code !== undefined && NEVER_SENT_CODES.has(code);
    return make('unavailable', `Mastodon: could not reach the server while ${action}${code ? ` (${code})` : ''}`, {
      maybeSent: creates && !neverSent,
    });
  }
  return make('unavailable', `Mastodon: the server's answer to ${action} could not be read`, { maybeSent: creates });
}

/** A 2xx whose body is not what Mastodon promises. */
export function malformed(action: string, what: string, creates: boolean): ChannelError {
  return new ChannelError('mastodon', 'malformed', `Mastodon: the answer to ${action} ${what}`, { maybeSent: creates });
}
