import { isSecureBaseUrl } from '../core/base-url.ts';
import { UsageError } from '../core/errors.ts';
import { type AdapterOptions, AnalyticsError } from './analytics.ts';

/**
 * The one way the adapters talk to an analytics tool: Node's fetch with a timeout and the caller's
 * signal, a wait-and-retry on 429 when the tool says how long (reads are safe to repeat), and every
 * failure turned into an AnalyticsError whose message names the tool and says what happened:
 * "Plausible refused the API key (401: Invalid API key or site ID…)", "GoatCounter did not answer
 * within 15 s". The tool's own error text is kept short and stripped of the credentials.
 */
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RETRY_WAIT_MS = 5_000;
const MAX_RETRIES = 2;

export interface ToolClient {
  name: string;
  /** Values that must never appear in a message (keys, tokens, passwords). */
  secrets: string[];
  options: AdapterOptions;
}

export interface JsonRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

/** The base URL, refused before any request when it would carry the key in clear text. */
export function toolBaseUrl(tool: string, raw: string): URL {
  const url = URL.parse(raw.trim());
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new UsageError(`${tool}'s address must be an https:// URL, found "${raw}"`);
  if (!isSecureBaseUrl(url))
    throw new UsageError(
      `${tool}'s address is http://${url.host}: http:// would send its key in clear text. Use https://; http:// is accepted only for this machine (127.0.0.1, ::1, localhost)`,
    );
  return url;
}

/** `base` + `path` (which starts with `/`), keeping a path the base has (`https://host/umami` + `/api/…`). */
export function joinUrl(base: URL, path: string, query?: Record<string, string | number>): URL {
  const url = new URL(base.href.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, String(value));
  return url;
}

/**
 * Every row of a list the tool hands out in pages of `size` (limit and offset): asks `page(offset)`
 * until a page says it is the last (`more: false`), and returns the rows in order.
 */
export async function allPages<T>(
  size: number,
  page: (offset: number) => Promise<{ rows: T[]; more: boolean }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += size) {
    const { rows, more } = await page(offset);
    all.push(...rows);
    if (!more) return all;
  }
}

export const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

export async function requestJson(client: ToolClient, url: URL, request: JsonRequest = {}): Promise<unknown> {
  const { options } = client;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    const answer = await send(client, url, request);
    if (answer.status !== 429) return answer.json();
    const waitMs = retryAfterMs(answer.headers.get('retry-after'), Date.now());
    const maxWait = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
    if (waitMs === undefined || waitMs > maxWait || attempt >= MAX_RETRIES) {
      const when = waitMs === undefined ? '' : `; it asks to wait ${Math.ceil(waitMs / 1000)} s`;
      throw new AnalyticsError(
        client.name,
        'rate-limited',
        `${client.name} is rate-limiting the API key (429${when})`,
        {
          status: 429,
          ...(waitMs === undefined ? {} : { retryAfterMs: waitMs }),
        },
      );
    }
    try {
      await sleep(waitMs, request.signal);
    } catch {
      throw new AnalyticsError(client.name, 'aborted', `stopped while waiting for ${client.name}'s rate limit`);
    }
  }
}

interface Answer {
  status: number;
  headers: Headers;
  json: () => unknown;
}

async function send(client: ToolClient, url: URL, request: JsonRequest): Promise<Answer> {
  const { name, options } = client;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const fetcher = options.fetch ?? fetch;
  let status: number;
  let headers: Headers;
  let text: string;
  try {
    const response = await fetcher(url, {
      method: request.method ?? 'GET',
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
      // A key is not sent on to wherever a redirect leads; the message says where it led instead.
      redirect: 'manual',
    });
    status = response.status;
    headers = response.headers;
    text = await response.text();
  } catch (error) {
    if (request.signal?.aborted) throw new AnalyticsError(name, 'aborted', `stopped while asking ${name}`);
    if (timeout.aborted)
      throw new AnalyticsError(name, 'timeout', `${name} did not answer within ${seconds(timeoutMs)}`);
    throw new AnalyticsError(name, 'unavailable', `could not reach ${name} (${connectionCode(error)})`);
  }
  const said = () => redactSecrets(errorText(text), client.secrets);
  if (status === 401 || status === 403)
    throw new AnalyticsError(
      name,
      'auth',
      `${name} refused the credentials (${status}${said() ? `: ${said()}` : ''})`,
      {
        status,
      },
    );
  if (status >= 300 && status < 400) {
    const location = URL.parse(headers.get('location') ?? '', url);
    const to = location ? ` to ${location.origin}${location.pathname}` : '';
    throw new AnalyticsError(
      name,
      'rejected',
      `${name} answered ${status}, a redirect${to}: give it the address it leads to`,
      {
        status,
      },
    );
  }
  if (status >= 500)
    throw new AnalyticsError(name, 'unavailable', `${name} answered ${status}${said() ? ` (${said()})` : ''}`, {
      status,
    });
  if (status !== 429 && (status < 200 || status >= 300))
    throw new AnalyticsError(
      name,
      'rejected',
      `${name} refused the request (${status}${said() ? `: ${said()}` : ''})`,
      {
        status,
      },
    );
  return {
    status,
    headers,
    json: () => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new AnalyticsError(name, 'malformed', `${name} answered ${status} with something that is not JSON`, {
          status,
        });
      }
    },
  };
}

/** The tool's own words from an error body: `{error: "…"}`, `{error: {message, code}}`, `{errors: {field: […]}}`. */
export function errorText(body: string): string {
  let said = body;
  try {
    const parsed = JSON.parse(body) as { error?: unknown; errors?: unknown; message?: unknown };
    const e = parsed.error;
    if (typeof e === 'string') said = e;
    else if (e && typeof e === 'object' && 'message' in e) said = String((e as { message: unknown }).message);
    else if (parsed.errors && typeof parsed.errors === 'object')
      said = Object.entries(parsed.errors as Record<string, unknown>)
        .map(([field, list]) => `${field}: ${Array.isArray(list) ? list.join(', ') : String(list)}`)
        .join('; ');
    else if (typeof parsed.message === 'string') said = parsed.message;
  } catch {
    // Not JSON (a proxy's HTML page): its first words are all that is worth showing.
    said = body.replace(/<[^>]*>/g, ' ');
  }
  const flat = said.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** A tool may echo what it was sent; no key, token or password leaves in a message. */
function redactSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

function connectionCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? 'network error';
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
