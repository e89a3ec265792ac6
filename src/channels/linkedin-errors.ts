import { ChannelError, redactSecrets, retryAfterMs } from './channel-error.ts';

/**
 * LinkedIn's answers in the terms the publisher decides on. LinkedIn's error bodies are JSON:
 * `{status, code, message, serviceErrorCode}` (a 422 may carry `errorDetails.inputErrors[].code`).
 */
export interface LinkedInAttempt {
  /** For messages, e.g. "creating the post". */
  action: string;
  /** True when the request creates the post: a failure without a clear answer may have posted it. */
  creates: boolean;
  /** The LinkedIn-Version sent, for the message a retired version gets. */
  version: string;
  secrets: readonly string[];
  now: () => number;
}

export interface LinkedInErrorBody {
  code?: string;
  message?: string;
  /** Every `code` in the body, nested ones included (DUPLICATE_POST sits in errorDetails). */
  codes: string[];
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
const MAX_DETAIL = 300;

export const VERSIONS_PAGE = 'https://learn.microsoft.com/en-us/linkedin/marketing/versioning';

/** Reads an error body, whatever it is (a proxy's HTML page reads as no code and no message). */
export function errorBody(text: string): LinkedInErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { codes: [] };
  }
  const codes: string[] = [];
  const collect = (value: unknown, depth: number) => {
    if (depth > 6 || typeof value !== 'object' || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'code' && typeof inner === 'string') codes.push(inner);
      else collect(inner, depth + 1);
    }
  };
  collect(parsed, 0);
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const message = typeof record.message === 'string' ? record.message.trim().slice(0, MAX_DETAIL) : undefined;
  const code = typeof record.code === 'string' ? record.code : undefined;
  return { codes, ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

/** A LinkedIn answer other than success, as a ChannelError. */
export function statusError(
  status: number,
  body: LinkedInErrorBody,
  headers: Headers,
  attempt: LinkedInAttempt,
): ChannelError {
  const { action, creates } = attempt;
  const make = (
    kind: ChannelError['kind'],
    message: string,
    options: { retryAfterMs?: number; maybeSent?: boolean } = {},
  ) => new ChannelError('linkedin', kind, redactSecrets(message, attempt.secrets), { status, ...options });
  const said = [body.code, body.message].filter(Boolean).join(': ');
  const detail = said ? `: ${said}` : '';
  const http = ` (HTTP ${status})`;

  if (status === 426 || body.codes.includes('NONEXISTENT_VERSION'))
    return make(
      'unavailable',
      `LinkedIn no longer serves API version ${attempt.version} (${body.code ?? 'NONEXISTENT_VERSION'}${http}): set linkedin.version in postgate.config.yaml to an active version, YYYYMM (${VERSIONS_PAGE} lists them); nothing was sent`,
      { maybeSent: false },
    );
  if (status === 429) {
    const wait = retryAfterMs(Object.fromEntries(headers.entries()), attempt.now());
    return make('rate-limited', `LinkedIn: rate limited while ${action}${detail}${http}`, {
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
    });
  }
  if (status === 401)
    return make(
      'auth',
      `LinkedIn: the access token was refused while ${action}${detail}${http}; it may have expired or been revoked: renew it (README: LinkedIn) and update linkedin.tokenExpires`,
    );
  if (status === 403)
    return make(
      'auth',
      `LinkedIn: not allowed while ${action}${detail}${http}; the token needs w_member_social to post as a person, or w_organization_social (and r_organization_social to look posts up) from an administrator of the page`,
    );
  // A 5xx may come from a gateway that gave up while LinkedIn went on and posted.
  if (status >= 500)
    return make('unavailable', `LinkedIn: the server failed while ${action}${detail}${http}`, { maybeSent: creates });
  return make('rejected', `LinkedIn: ${action} was refused${detail}${http}`);
}

/** What fetch threw (no answer at all), as a ChannelError. */
export function requestError(
  error: unknown,
  signal: AbortSignal,
  timeoutMs: number,
  attempt: LinkedInAttempt,
): ChannelError {
  if (error instanceof ChannelError) return error;
  const { action, creates } = attempt;
  const make = (kind: ChannelError['kind'], message: string, maybeSent: boolean) =>
    new ChannelError('linkedin', kind, redactSecrets(message, attempt.secrets), { maybeSent });
  if (signal.aborted) return make('timeout', `LinkedIn: ${action} was cancelled`, creates);
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return make('timeout', `LinkedIn: no answer within ${timeoutMs} ms while ${action}`, creates);
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const neverSent = code !== undefined && NEVER_SENT_CODES.has(code);
  return make(
    'unavailable',
    `LinkedIn: could not reach the server while ${action}${code ? ` (${code})` : ''}${neverSent ? ': nothing was sent' : ''}`,
    creates && !neverSent,
  );
}

/** A 2xx whose body or headers are not what LinkedIn promises. */
export function malformed(action: string, what: string, creates: boolean): ChannelError {
  return new ChannelError('linkedin', 'malformed', `LinkedIn: the answer to ${action} ${what}`, { maybeSent: creates });
}
