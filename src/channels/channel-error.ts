import type { SocialChannelId } from '../core/channels.ts';

/**
 * What went wrong talking to a network, in the terms the publisher decides on. Messages never
 * contain credentials: they are built from status codes and the network's own error text only.
 */
export type FailureKind =
  /** 429: retry after `retryAfterMs` if that is short, otherwise leave it for the next run. */
  | 'rate-limited'
  /** 5xx, connection refused or reset: the network did not take it (unless `maybeSent`). */
  | 'unavailable'
  /** No answer in time: it may or may not have been posted. */
  | 'timeout'
  /** 4xx other than auth and rate limits: sending the same again will fail the same way. */
  | 'rejected'
  /** 401/403 for credentials: nothing will work until the secrets are fixed. */
  | 'auth'
  /** A 2xx whose body is not what the API promises (no id): it may have been posted. */
  | 'malformed';

export class ChannelError extends Error {
  override name = 'ChannelError';
  readonly channel: SocialChannelId;
  readonly kind: FailureKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  /** True when the post may exist even though no success came back: look (find) before resending. */
  readonly maybeSent: boolean;
  /**
   * From `find`: the network can never say whether the post exists (LinkedIn lists no person's
   * posts back), so a person has to look; the message says where and for what. Nothing is resent.
   */
  readonly confirmByHand: boolean;

  constructor(
    channel: SocialChannelId,
    kind: FailureKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; maybeSent?: boolean; confirmByHand?: boolean } = {},
  ) {
    super(message);
    this.channel = channel;
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.maybeSent = options.maybeSent ?? (kind === 'timeout' || kind === 'malformed');
    this.confirmByHand = options.confirmByHand ?? false;
  }
}

/** Maps an HTTP status to a failure kind; `maybeSent` for a request whose answer was lost. */
export function kindForStatus(status: number): FailureKind {
  if (status === 429) return 'rate-limited';
  if (status === 401) return 'auth';
  if (status >= 500) return 'unavailable';
  return 'rejected';
}

/**
 * Milliseconds until a rate limit resets, from the usual headers: `retry-after` (seconds or a
 * date), `x-rate-limit-reset` (X, epoch seconds), `x-ratelimit-reset` (Mastodon, ISO date),
 * `ratelimit-reset` (Bluesky, epoch seconds).
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: number,
): number | undefined {
  const get = (name: string) => {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  const retryAfter = get('retry-after');
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  for (const name of ['x-rate-limit-reset', 'ratelimit-reset', 'x-ratelimit-reset']) {
    const value = get(name);
    if (value === undefined) continue;
    const epoch = Number(value);
    if (Number.isFinite(epoch)) return Math.max(0, epoch * 1000 - now);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/**
 * Removes every secret value from a message. Networks sometimes echo what they were sent in their
 * error bodies; those bodies end up in logs and job summaries, which must never hold a credential.
 */
export function redactSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
