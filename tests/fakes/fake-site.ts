import { FakeService, type FakeResponse, type RecordedRequest } from './fake-server.ts';

/**
 * A stateful fake of the deployed site, as GitHub Pages serves it: what is deployed answers 200 with
 * its HTML, a folder asked without its slash is redirected to it (301), anything else answers 404
 * with the site's own 404 page (HTML, not an empty body). It can be taken down (connections refused
 * while the host is gone, or 503 while it is overloaded) and made slow, and it counts the requests
 * for each path, so a test sees how often the publisher asked.
 *
 * Pages are rendered as src/layouts/Base.astro and src/pages/posts/[...slug].astro render them:
 * `<title>{title} · {site title}</title>`, `<h1 id="post-title">{title}</h1>`, Astro's escaping.
 */
export type SiteOutage = 'refused' | 503;

export class FakeSite extends FakeService {
  readonly siteTitle: string;
  /** The site's base path, as in site.url (`/journal` for https://example.org/journal); '' at the root. */
  readonly base: string;
  private readonly pages = new Map<string, string>();
  private outage: SiteOutage | null = null;
  private port = 0;
  private stopped = false;

  constructor(options: { siteTitle?: string; base?: string } = {}) {
    super('site');
    this.siteTitle = options.siteTitle ?? 'Riverside Food Bank';
    this.base = (options.base ?? '').replace(/\/+$/, '');
  }

  override async start(): Promise<string> {
    const url = await this.server.start(this.port);
    this.port = Number(new URL(url).port);
    this.stopped = false;
    return url;
  }

  override async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.server.stop();
  }

  /** The host's address on this machine (the fake's `url` while it is down too). */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The site's address on this machine, with its base path: what POSTGATE_SITE_URL names. */
  get siteUrl(): string {
    return `${this.origin}${this.base}`;
  }

  /** Deploys a page at a path from the host's root (`/journal/posts/launch/`). */
  deploy(path: string, html: string): void {
    this.pages.set(path, html);
  }

  /** Deploys a post's page at `<base>/posts/<slug>/`, as the site builds it; returns its path. */
  deployPost(slug: string, title: string, description = ''): string {
    const path = `${this.base}/posts/${slug}/`;
    this.deploy(path, postPageHtml(title, this.siteTitle, description));
    return path;
  }

  /** Takes a page down again (a later deployment without it). */
  undeploy(path: string): void {
    this.pages.delete(path);
  }

  /** The host fails: `refused` closes the port (nothing listens), 503 answers every request with an error page. */
  async down(how: SiteOutage = 'refused'): Promise<void> {
    this.outage = how;
    if (how === 'refused') await this.stop();
  }

  /** The host is back, on the same port, with what was deployed before. */
  async up(): Promise<void> {
    if (this.outage === 'refused') await this.start();
    this.outage = null;
  }

  /** Every answer takes this long (0: as fast as it can). */
  slow(ms: number): void {
    this.server.latencyMs = ms;
  }

  /** How many requests arrived for a path (from the host's root), whatever they were answered. */
  requestsTo(path: string): number {
    return this.server.requests.filter((r) => r.path === path).length;
  }

  protected route(request: RecordedRequest): FakeResponse {
    if (this.outage === 503)
      return html(503, '<!DOCTYPE html><html><head><title>Service unavailable</title></head><body></body></html>');
    if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, body: '' };
    const page = this.pages.get(request.path);
    if (page !== undefined) return html(200, page);
    if (!request.path.endsWith('/') && this.pages.has(`${request.path}/`))
      return { status: 301, headers: { location: `${request.path}/`, 'content-type': 'text/html' }, body: '' };
    return html(404, pageHtml('Page not found', this.siteTitle, '<h1 id="page-title">Page not found</h1>'));
  }
}

const html = (status: number, body: string): FakeResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body,
});

/** Astro's escaping of text and attribute values (astro/dist/runtime/server/escape.js). */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>'"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;' })[c] ?? '&quot;');

function pageHtml(title: string, siteTitle: string, main: string): string {
  const full = `${escapeHtml(title)} · ${escapeHtml(siteTitle)}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${full}</title><meta property="og:title" content="${escapeHtml(title)}"></head><body><a class="skip-link" href="#main">Skip to content</a><header class="site-header"><a class="site-title" href="/">${escapeHtml(siteTitle)}</a></header><main id="main" tabindex="-1" class="wrap">${main}</main></body></html>`;
}

/** A post's page as the site renders it. */
export function postPageHtml(title: string, siteTitle: string, description = ''): string {
  return pageHtml(
    title,
    siteTitle,
    `<article class="post" aria-labelledby="post-title"><header class="post-header"><h1 id="post-title">${escapeHtml(title)}</h1><p class="lede">${escapeHtml(description)}</p></header><div class="prose"><p>…</p></div></article>`,
  );
}
