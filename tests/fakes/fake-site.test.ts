import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSite } from './fake-site.ts';

/** The fake deployed site answers as GitHub Pages does: plain HTTP, so the answers are pinned as they are on the wire. */
let site: FakeSite;

beforeEach(async () => {
  site = new FakeSite({ base: '/journal' });
  await site.start();
});
afterEach(async () => {
  await site.stop();
});

const get = (path: string) => fetch(`${site.origin}${path}`, { redirect: 'manual' });

describe('the fake site', () => {
  it('serves a deployed post as the site renders it, under its base path', async () => {
    const path = site.deployPost('launch', 'Bread & butter "now"');
    expect(path).toBe('/journal/posts/launch/');
    const answer = await get(path);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await answer.text();
    expect(html).toContain('<title>Bread &amp; butter &quot;now&quot; · Riverside Food Bank</title>');
    expect(html).toContain('<h1 id="post-title">Bread &amp; butter &quot;now&quot;</h1>');
  });

  it('answers 404 with its HTML 404 page for what is not deployed, and redirects a folder asked without its slash', async () => {
    site.deployPost('launch', 'Launch');
    const missing = await get('/journal/posts/other/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<h1 id="page-title">Page not found</h1>');
    const bare = await get('/journal/posts/launch');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/journal/posts/launch/');
    site.undeploy('/journal/posts/launch/');
    expect((await get('/journal/posts/launch/')).status).toBe(404);
  });

  it('goes down (503, or nothing listening) and comes back on the same address with its pages', async () => {
    site.deploy('/journal/', '<title>Home</title>');
    const before = site.siteUrl;
    await site.down(503);
    expect((await get('/journal/')).status).toBe(503);
    await site.up();
    await site.down('refused');
    const refused = await fetch(`${before}/`).catch((error: Error) => error);
    expect((refused as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    await site.up();
    expect(site.siteUrl).toBe(before);
    expect((await get('/journal/')).status).toBe(200);
  });

  it('answers slowly when told, and counts the requests for each path', async () => {
    site.deployPost('launch', 'Launch');
    site.slow(200);
    const started = Date.now();
    await get('/journal/posts/launch/');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await get('/journal/posts/launch/');
    await get('/journal/posts/other/');
    expect(site.requestsTo('/journal/posts/launch/')).toBe(2);
    expect(site.requestsTo('/journal/posts/other/')).toBe(1);
    expect(site.requestsTo('/journal/')).toBe(0);
  });
});
