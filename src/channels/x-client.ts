import type { Agent } from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';

/**
 * Builds twitter-api-v2 clients that reach X_API_URL and obey one operation's abort signal.
 *
 * The library has no base-URL option and signs every request for the api.x.com / upload.x.com URL it
 * built. A plugin moves the request to the configured origin in `onBeforeRequest`, which runs after
 * the OAuth 1.0a signature was computed: the signature stays the one X (or a faithful fake) checks.
 */
export interface XCredentials {
  apiKey: string;
  apiSecret: string;
  accessToken: string;
  accessSecret: string;
}

export const X_DEFAULT_API_URL = 'https://api.x.com';

// Every host the library may address; all of them are served by the one configured origin.
const X_HOSTS = new Set(['api.x.com', 'upload.x.com', 'api.twitter.com', 'upload.twitter.com']);

/** The request of an operation that is in flight or was sent last (they run one after another). */
export interface XRequestInFlight {
  method: string;
  path: string;
  deadline: AbortSignal;
  status: number | undefined;
}

/** One publish/find/retract call: the caller's signal, and a deadline for each request it makes. */
export class XRequestScope {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  current: XRequestInFlight | undefined;

  constructor(signal: AbortSignal, timeoutMs: number) {
    this.signal = signal;
    this.timeoutMs = timeoutMs;
  }

  /** True when the last request ran out of time (rather than being cancelled by the caller). */
  get timedOut(): boolean {
    return !this.signal.aborted && (this.current?.deadline.aborted ?? false);
  }
}

/** Parses X_API_URL: an http(s) origin with no path, query or credentials; null when it is not one. */
export function parseApiOrigin(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return null;
  return url;
}

export function createXClient(
  credentials: XCredentials,
  origin: URL,
  httpAgent: Agent,
  scope: XRequestScope,
): TwitterApi {
  const rewrite = origin.origin !== X_DEFAULT_API_URL;
  const plugin: ITwitterApiClientPlugin = {
    onBeforeRequestConfig({ params }) {
      // The library exposes the status of a successful answer only to this debug hook; messages
      // about a 2xx without a post id quote it.
      params.requestEventDebugHandler = (event, data) => {
        const res = (data as { res?: { statusCode?: number } } | undefined)?.res;
        if (event === 'response' && scope.current && res) scope.current.status = res.statusCode;
      };
    },
    onBeforeRequest({ computedParams, requestOptions }) {
      const url = computedParams.url;
      const deadline = AbortSignal.timeout(scope.timeoutMs);
      scope.current = { method: computedParams.method, path: url.pathname, deadline, status: undefined };
      requestOptions.signal = AbortSignal.any([scope.signal, deadline]);
      if (rewrite && X_HOSTS.has(url.hostname)) {
        url.href = origin.origin + url.pathname + url.search;
        // https.request accepts an http: URL only together with an http.Agent.
        if (url.protocol === 'http:') requestOptions.agent = httpAgent;
      }
    },
  };
  return new TwitterApi(
    {
      appKey: credentials.apiKey,
      appSecret: credentials.apiSecret,
      accessToken: credentials.accessToken,
      accessSecret: credentials.accessSecret,
    },
    { plugins: [plugin] },
  );
}
