import { STATUS_CODES } from 'node:http';
import { insecureBaseUrlProblem, isSecureBaseUrl } from '../core/base-url.ts';
import { UsageError } from '../core/errors.ts';
import { pageShowsPost } from '../core/live-page.ts';

/**
 * Asks a released post's address whether readers can open it: one GET, redirects followed, at most
 * MAX_PAGE_BYTES of the answer read, within a timeout. Live means HTTP 200 with a page that shows the
 * post's title (src/core/live-page.ts): the site's 404 page, a host's error page or an older
 * deployment do not count. One try per run: the next run asks again, until policies.liveWithin.
 *
 * The request goes to the post's public address unless POSTGATE_SITE_URL names another base for
 * the site (a preview of the deployment, or a test's fake site on 127.0.0.1): the post's path under
 * site.url is then asked there (liveCheckUrl).
 */
export type LiveAnswer = { ok: true } | { ok: false; reason: string };

export interface LiveCheckOptions {
  timeoutMs: number;
  /** site.url from the config: what the public address is under, to map it onto `baseOverride`. */
  siteUrl?: string;
  /** POSTGATE_SITE_URL: the base to ask instead of site.url; unset or empty, the public address. */
  baseOverride?: string | undefined;
}

/** The title is in the page's head and its first heading: a megabyte is far more than it takes. */
export const MAX_PAGE_BYTES = 1024 * 1024;

export async function checkPostLive(url: string, title: string, options: LiveCheckOptions): Promise<LiveAnswer> {
  const target = options.baseOverride?.trim()
    ? liveCheckUrl(url, options.siteUrl ?? new URL(url).origin, options.baseOverride)
    : url;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetchFollowing(target, signal);
    if (typeof response === 'string') return { ok: false, reason: response };
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, reason: `${response.status} ${STATUS_CODES[response.status] ?? response.statusText}`.trim() };
    }
    const html = await readAtMost(response, MAX_PAGE_BYTES);
    return pageShowsPost(html, title)
      ? { ok: true }
      : { ok: false, reason: 'answered 200 but the page does not show the title' };
  } catch (error) {
    return { ok: false, reason: failureReason(error, options.timeoutMs) };
  }
}

/** Redirects followed: a site moved to its custom domain redirects once; more is a loop. */
const MAX_REDIRECTS = 5;

/**
 * GET, following redirects by hand: every address asked, the first included, must be https:// (or
 * http:// on this machine), since whoever answers decides whether announcements go out. The answer,
 * or why it was not asked.
 */
async function fetchFollowing(url: string, signal: AbortSignal): Promise<Response | string> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const parsed = URL.parse(target);
    if (!parsed || !/^https?:$/.test(parsed.protocol) || !isSecureBaseUrl(parsed))
      return `not asked: ${parsed ? `${parsed.protocol}//${parsed.host}` : 'an address'} is not https:// (http:// only to this machine)`;
    const response = await fetch(target, {
      redirect: 'manual',
      signal,
      // A cache in front of the site may keep the 404 it gave before the deploy.
      headers: { accept: 'text/html', 'cache-control': 'no-cache', 'user-agent': 'Postgate (live check)' },
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status > 399 || !location) return response;
    await response.body?.cancel().catch(() => {});
    if (hop >= MAX_REDIRECTS) return `too many redirects (more than ${MAX_REDIRECTS})`;
    const next = URL.parse(location, target);
    if (next === null) return `redirected to an address that is not one (${location.slice(0, 100)})`;
    target = next.href;
  }
}

/**
 * Where to ask for `publicUrl`: itself, or with POSTGATE_SITE_URL set, the same path under that base
 * (`https://example.org/journal/posts/launch/` with site.url `https://example.org/journal` and
 * `http://127.0.0.1:4321/journal` → `http://127.0.0.1:4321/journal/posts/launch/`). The base follows
 * the rule of every base URL (src/core/base-url.ts): http:// only to this machine.
 */
export function liveCheckUrl(publicUrl: string, siteUrl: string, override: string | undefined): string {
  const base = override?.trim();
  if (!base) return publicUrl;
  const problem = insecureBaseUrlProblem('POSTGATE_SITE_URL', base);
  if (problem) throw new UsageError(problem);
  if (!/^https?:\/\//i.test(base) || URL.parse(base) === null)
    throw new UsageError(
      `POSTGATE_SITE_URL must be the site's address with its scheme, e.g. http://127.0.0.1:4321; it is "${base}"`,
    );
  const site = siteUrl.replace(/\/+$/, '');
  if (publicUrl !== site && !publicUrl.startsWith(`${site}/`))
    throw new Error(
      `${publicUrl} is not an address under site.url (${siteUrl}), so POSTGATE_SITE_URL cannot stand for it`,
    );
  return `${base.replace(/\/+$/, '')}${publicUrl.slice(site.length)}`;
}

/** The body as text, no more than `max` bytes of it (the rest is not read). */
async function readAtMost(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= max) await reader.cancel().catch(() => {});
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, max));
}

/** Short and human: "timed out after 10 s", "could not connect (ECONNREFUSED)". */
function failureReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: unknown };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${seconds(timeoutMs)} s`;
  const cause = e?.cause as { code?: string; message?: string; errors?: { code?: string }[] } | undefined;
  const code = cause?.code ?? cause?.errors?.find((c) => c.code)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `could not find the host (${code})`;
  if (code && /CERT|SSL|TLS/.test(code)) return `the site's certificate was refused (${code})`;
  if (code) return `could not connect (${code})`;
  if (cause?.message && /redirect/i.test(cause.message)) return `too many redirects (${cause.message})`;
  if (e instanceof TypeError && /invalid url/i.test(e.message ?? '')) return 'not a valid address';
  return `could not connect (${cause?.message ?? e?.message ?? String(error)})`;
}

const seconds = (ms: number) => String(Math.round(ms / 100) / 10);
