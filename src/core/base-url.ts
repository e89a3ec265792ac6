import { UsageError } from './errors.ts';

/** The analytics tools' addresses (src/analytics/from-env.ts): `report` sends their API keys there. */
export const ANALYTICS_URL_VARIABLES = ['GOATCOUNTER_URL', 'PLAUSIBLE_URL', 'UMAMI_URL'] as const;

/**
 * The one rule for every base URL that credentials travel to (GITHUB_API_URL, X_API_URL,
 * MASTODON_URL, BLUESKY_SERVICE, LINKEDIN_API_URL, the analytics tools'): https:// anywhere; http:// only to this machine (127.0.0.0/8,
 * ::1, localhost), which is how tests reach local fake servers. Anything else would send a token
 * in clear text. POSTGATE_SITE_URL (where the publisher asks whether a post is live, instead of the
 * site's public address) carries no credential, but its answer decides whether announcements go
 * out: over plain http to another machine, anyone on the way could give that answer.
 */
export const BASE_URL_VARIABLES = [
  'GITHUB_API_URL',
  'X_API_URL',
  'MASTODON_URL',
  'BLUESKY_SERVICE',
  'LINKEDIN_API_URL',
  'POSTGATE_SITE_URL',
  ...ANALYTICS_URL_VARIABLES,
] as const;
export type BaseUrlVariable = (typeof BASE_URL_VARIABLES)[number];

/** True for a loopback host as the URL parser writes it: 127.x.y.z, [::1] or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** False only for an http:// URL to a host other than this machine. */
export function isSecureBaseUrl(url: URL): boolean {
  return url.protocol !== 'http:' || isLoopbackHost(url.hostname);
}

/** The URL as it may be shown: scheme, host and path, never a user, password or query. */
function shownUrl(url: URL): string {
  const hidden = url.username || url.password || url.search || url.hash;
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}${hidden ? ' (with credentials or a query, not shown)' : ''}`;
}

/**
 * Why the value of `name` must not be used, or null when it may (unset and empty values mean the
 * default, and values that are not URLs are each variable's own business).
 */
export function insecureBaseUrlProblem(name: string, value: string | undefined): string | null {
  const raw = value?.trim();
  if (!raw) return null;
  const url = URL.parse(raw);
  if (url === null || isSecureBaseUrl(url)) return null;
  const risk =
    name === 'POSTGATE_SITE_URL'
      ? "anyone on the way could answer for the site, and that answer decides whether a post's announcements go out"
      : 'http:// would send credentials in clear text';
  return `${name} is ${shownUrl(url)}: ${risk}. Use https://; http:// is accepted only for this machine (127.0.0.1, ::1, localhost), e.g. for a local test server`;
}

/** Refuses (before any request is made) every base URL in `env` that would send credentials in clear text. */
export function assertSecureBaseUrls(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[] = BASE_URL_VARIABLES,
): void {
  const problems = names.map((name) => insecureBaseUrlProblem(name, env[name])).filter((p) => p !== null);
  if (problems.length) throw new UsageError(problems.join('\n'));
}
