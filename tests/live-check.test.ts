import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/core/errors.ts';
import { checkPostLive, liveCheckUrl, MAX_PAGE_BYTES } from '../src/publish/live-check.ts';
import { FakeSite, postPageHtml } from './fakes/fake-site.ts';

/**
 * The publisher's question before it announces a post: does its address answer with the post?
 * The real check (Node's fetch) against the fake deployed site, on a good day and a bad one.
 */
const SITE_URL = 'https://example.org/journal';
const PUBLIC = `${SITE_URL}/posts/launch/`;
const TITLE = 'Bread & butter: "what <we> learned" 🥖';

let site: FakeSite;
beforeEach(async () => {
  site = new FakeSite({ base: '/journal' });
  await site.start();
});
afterEach(async () => {
  await site.stop();
});

const check = (timeoutMs = 2_000, title = TITLE) =>
  checkPostLive(PUBLIC, title, { timeoutMs, siteUrl: SITE_URL, baseOverride: site.siteUrl });

describe('checkPostLive against the deployed site', () => {
  it('is live when the address answers 200 with the post, and asks once', async () => {
    site.deployPost('launch', TITLE);
    expect(await check()).toEqual({ ok: true });
    expect(site.requestsTo('/journal/posts/launch/')).toBe(1);
  });

  it('follows a redirect to the page (an address without its slash)', async () => {
    site.deployPost('launch', TITLE);
    const bare = await checkPostLive(`${SITE_URL}/posts/launch`, TITLE, {
      timeoutMs: 2_000,
      siteUrl: SITE_URL,
      baseOverride: site.siteUrl,
    });
    expect(bare).toEqual({ ok: true });
    expect(site.requestsTo('/journal/posts/launch')).toBe(1);
  });

  it('is not live while the page is not deployed: the 404 page answers', async () => {
    expect(await check()).toEqual({ ok: false, reason: '404 Not Found' });
  });

  it('is not live when 200 comes with another page (an older deployment, a catch-all page)', async () => {
    site.deploy('/journal/posts/launch/', postPageHtml('Something else', site.siteTitle));
    expect(await check()).toEqual({ ok: false, reason: 'answered 200 but the page does not show the title' });
  });

  it('is not live while the host is overloaded (503)', async () => {
    site.deployPost('launch', TITLE);
    await site.down(503);
    expect(await check()).toEqual({ ok: false, reason: '503 Service Unavailable' });
    await site.up();
    expect(await check()).toEqual({ ok: true });
  });

  it('gives up after its timeout, saying so', async () => {
    site.deployPost('launch', TITLE);
    site.slow(1_000);
    const started = Date.now();
    expect(await check(200)).toEqual({ ok: false, reason: 'timed out after 0.2 s' });
    expect(Date.now() - started).toBeLessThan(900);
    expect(await check(10_000)).toEqual({ ok: true });
  });

  it('says when nothing listens (connection refused), and is live once the host is back', async () => {
    site.deployPost('launch', TITLE);
    await site.down('refused');
    expect(await check()).toEqual({ ok: false, reason: 'could not connect (ECONNREFUSED)' });
    await site.up();
    expect(await check()).toEqual({ ok: true });
  });

  it('reads at most a megabyte: a title past it is not seen, and an endless page does not hold it up', async () => {
    const padding = `<p>${'x'.repeat(MAX_PAGE_BYTES)}</p>`;
    site.deploy('/journal/posts/launch/', `<html><head></head><body>${padding}<h1>Launch</h1></body></html>`);
    expect(await check(2_000, 'Launch')).toEqual({
      ok: false,
      reason: 'answered 200 but the page does not show the title',
    });
  });
});

describe('checkPostLive against a page that never ends', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stops reading after a megabyte and answers from what it read', async () => {
    let written = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Launch · Riverside</title></head><body><h1 id="post-title">Launch</h1>');
      const more = () => {
        while (written < 64 * MAX_PAGE_BYTES && res.write('x'.repeat(65_536))) written += 65_536;
        if (written < 64 * MAX_PAGE_BYTES) res.once('drain', more);
        else res.end();
      };
      more();
      res.on('close', () => server.closeAllConnections());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await checkPostLive(`http://127.0.0.1:${port}/posts/launch/`, 'Launch', { timeoutMs: 5_000 });
    expect(answer).toEqual({ ok: true });
    expect(written).toBeLessThan(16 * MAX_PAGE_BYTES);
  });
});

describe('checkPostLive and redirects: whoever answers decides, so only https:// (or this machine) is asked', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));
  /** A host that answers every request with a redirect to `location` (relative to the request). */
  async function redirecting(location: (path: string) => string): Promise<string> {
    server = createServer((req, res) => {
      res.writeHead(302, { location: location(req.url ?? '/') });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('does not follow a redirect to http:// on another machine, nor to a data: page that shows the title', async () => {
    const toHttp = await redirecting(() => 'http://example.net/posts/launch/');
    expect(await checkPostLive(`${toHttp}/posts/launch/`, 'Launch', { timeoutMs: 2_000 })).toEqual({
      ok: false,
      reason: 'not asked: http://example.net is not https:// (http:// only to this machine)',
    });
    server.close();
    const toData = await redirecting(() => 'data:text/html,<h1 id="post-title">Launch</h1>');
    expect(await checkPostLive(`${toData}/posts/launch/`, 'Launch', { timeoutMs: 2_000 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not asked: data:/),
    });
  });

  it('gives up on a redirect loop', async () => {
    const loop = await redirecting((path) => `${path}x`);
    expect(await checkPostLive(`${loop}/posts/launch/`, 'Launch', { timeoutMs: 2_000 })).toEqual({
      ok: false,
      reason: 'too many redirects (more than 5)',
    });
  });
});

describe('liveCheckUrl', () => {
  it('asks the public address when POSTGATE_SITE_URL is unset or empty', () => {
    expect(liveCheckUrl(PUBLIC, SITE_URL, undefined)).toBe(PUBLIC);
    expect(liveCheckUrl(PUBLIC, SITE_URL, '  ')).toBe(PUBLIC);
  });

  it('maps the path under site.url onto the base it names', () => {
    expect(liveCheckUrl(PUBLIC, SITE_URL, 'http://127.0.0.1:4321/journal/')).toBe(
      'http://127.0.0.1:4321/journal/posts/launch/',
    );
    expect(liveCheckUrl('https://example.org/posts/a/', 'https://example.org/', 'https://preview.example.net')).toBe(
      'https://preview.example.net/posts/a/',
    );
  });

  it('refuses http:// to another machine, and what is not an address', () => {
    expect(() => liveCheckUrl(PUBLIC, SITE_URL, 'http://preview.example.net')).toThrow(UsageError);
    expect(() => liveCheckUrl(PUBLIC, SITE_URL, 'http://preview.example.net')).toThrow(
      /POSTGATE_SITE_URL is http:\/\/preview\.example\.net: anyone on the way could answer for the site/,
    );
    expect(() => liveCheckUrl(PUBLIC, SITE_URL, '127.0.0.1:4321')).toThrow(/with its scheme/);
  });

  it('refuses an address that is not under site.url', () => {
    expect(() => liveCheckUrl('https://other.org/posts/a/', SITE_URL, 'http://127.0.0.1:1')).toThrow(
      /not an address under site\.url/,
    );
    expect(() => liveCheckUrl('https://example.org/journalism/posts/a/', SITE_URL, 'http://127.0.0.1:1')).toThrow(
      /not an address under site\.url/,
    );
  });
});
