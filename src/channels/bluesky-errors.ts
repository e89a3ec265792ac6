import { XRPCError } from '@atproto/api';
import { ChannelError, kindForStatus, redactSecrets, retryAfterMs } from './channel-error.ts';

/** The last HTTP answer seen during one step (the SDK's error does not keep the real status). */
export interface HttpOutcome {
  status: number;
  headers: Record<string, string>;
}

export interface StepFailure {
  /** What the step was doing, for the message: "create the post". */
  action: string;
  /** The service's origin, for messages: no path, no user info. */
  service: string;
  response: HttpOutcome | undefined;
  /** The caller's signal or the step's deadline fired. */
  aborted: boolean;
  timeoutMs: number;
  /** Logging in: any refusal there is about the credentials. */
  login: boolean;
  /** The step could have created the post, so an unanswered request may have done so. */
  mayCreate: boolean;
  secrets: readonly (string | undefined)[];
}

/** XRPC error names that mean the credentials or the session are no good. */
const AUTH_ERRORS = new Set([
  'AuthenticationRequired',
  'ExpiredToken',
  'InvalidToken',
  'AccountTakedown',
  'AuthFactorTokenRequired',
  'AccountDeactivated',
]);
/** Network errors after which the request certainly never reached the server. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const INVALID_RESPONSE = 2;

/** Turns whatever the SDK or fetch threw into a ChannelError whose message holds no secret. */
export function toChannelError(error: unknown, step: StepFailure): ChannelError {
  if (error instanceof ChannelError) return error;
  const say = (text: string) => redactSecrets(`Bluesky: ${text}`, step.secrets);
  if (step.aborted) {
    return new ChannelError(
      'bluesky',
      'timeout',
      say(`no answer in time to ${step.action} (limit ${step.timeoutMs} ms, or cancelled)`),
      { maybeSent: step.mayCreate },
    );
  }
  const xrpc = error instanceof XRPCError ? error : undefined;
  const status = step.response?.status ?? (xrpc && xrpc.status >= 100 ? xrpc.status : undefined);
  if (status === undefined) {
    const code = networkCode(error);
    // No connection, so no request: whatever the step was, nothing reached the service.
    if (code && NEVER_SENT.has(code))
      return new ChannelError(
        'bluesky',
        'unavailable',
        say(`could not reach the service at ${step.service} to ${step.action} (${code}): nothing was sent`),
        { maybeSent: false },
      );
    return new ChannelError(
      'bluesky',
      'unavailable',
      say(`could not ${step.action}: ${code ?? messageOf(error)} (no HTTP answer)`),
      { maybeSent: step.mayCreate },
    );
  }
  if (status >= 200 && status < 300) {
    return new ChannelError(
      'bluesky',
      'malformed',
      say(`the answer to ${step.action} is not what the API promises (HTTP ${status})`),
      { status, maybeSent: step.mayCreate },
    );
  }
  const detail = xrpc && xrpc.status !== INVALID_RESPONSE ? xrpc.message : 'no readable error';
  const text = say(`could not ${step.action}: ${detail.slice(0, 300)} (HTTP ${status})`);
  const name = xrpc?.error ?? '';
  if (status === 401 || AUTH_ERRORS.has(name) || (step.login && status >= 400 && status < 500 && status !== 429)) {
    return new ChannelError('bluesky', 'auth', text, { status });
  }
  if (status === 429) {
    const headers = { ...xrpc?.headers, ...step.response?.headers };
    return new ChannelError('bluesky', 'rate-limited', text, {
      status,
      retryAfterMs: retryAfterMs(headers, Date.now()),
    });
  }
  return new ChannelError('bluesky', kindForStatus(status), text, { status });
}

/** The PDS's "no such record"; older versions say it only in the message of an InvalidRequest. */
export function isRecordNotFound(error: unknown): boolean {
  if (!(error instanceof XRPCError)) return false;
  return (
    error.error === 'RecordNotFound' || (error.status === 400 && /could not (locate|find) record/i.test(error.message))
  );
}

/**
 * The PDS's "this handle does not resolve": HandleNotFound for a handle on its own domain, a 400
 * saying "Unable to resolve handle" for any other (its answer when the AppView finds none).
 */
export function isHandleNotFound(error: unknown): boolean {
  if (!(error instanceof XRPCError)) return false;
  return error.error === 'HandleNotFound' || (error.status === 400 && /unable to resolve handle/i.test(error.message));
}

/** The same failure, marked as one after which the post may exist. */
export function asMaybeSent(error: ChannelError): ChannelError {
  return new ChannelError(error.channel, error.kind, error.message, {
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    maybeSent: true,
  });
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
