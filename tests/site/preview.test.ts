import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astroAsync, freePort, siteCopy } from './site-copy.ts';

/**
 * The writers' preview, `astro dev`: every post with a banner saying why it is not on the
 * published site yet, and one broken file named in the log without taking the preview down.
 * The clock is fixed with POSTGATE_NOW; there is no ledger, so nothing is released.
 */
let dir: string;
let server: ChildProcess;
let origin: string;
let log = '';

beforeAll(async () => {
  dir = siteCopy();
  writeFileSync(
    join(dir, 'content/posts/annual-report.md'),
    '---\ntitle: Annual report\ndescription: Our year in numbers.\ndraft: true\n---\n\nNumbers to come.\n',
  );
  writeFileSync(join(dir, 'content/posts/broken.md'), '---\ntitle: Broken\npublishAt: tomorrow\n---\n\nText.\n');
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = astroAsync(dir, ['dev', '--host', '127.0.0.1', '--port', String(port)], {
    POSTGATE_NOW: '2026-11-25T12:00:00Z',
  });
  server.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
  server.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const deadline = Date.now() + 45_000;
  for (;;) {
    try {
      if ((await fetch(`${origin}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`astro dev did not start:\n${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 60_000);

afterAll(() => {
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const page = async (path: string) => {
  const response = await fetch(`${origin}${path}`);
  return { status: response.status, html: await response.text() };
};

describe('the preview (astro dev)', () => {
  it('lists every post, unreleased ones with their banner', async () => {
    const { html } = await page('/');
    expect(html).toContain('Annual report');
    expect(html).toContain('Welcome to our new journal');
    expect(html).toContain('Our winter appeal');
    expect(html).toMatch(/data-notice="draft"[^>]*>\s*<strong>Draft<\/strong>/);
    expect(html).toMatch(/<strong>Scheduled for Thursday, December 3, 2026 at 08:00 GMT\+1<\/strong>/);
    expect(html).toMatch(/<strong>Not released yet<\/strong>/);
  });

  it('shows a post with its banner and the reason', async () => {
    const { status, html } = await page('/posts/winter-appeal/');
    expect(status).toBe(200);
    expect(html).toContain('Scheduled for Thursday, December 3, 2026 at 08:00 GMT+1');
    expect(html).toContain('It appears on the published site when the publisher releases it.');
    expect(html).toContain('alt="A low winter sun over an orange sky, the colours fading towards the evening"');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it('leaves a broken file out, names it in the log, and keeps the rest running', async () => {
    expect(log).toMatch(/content\/posts\/broken\.md has errors and is left out of the preview/);
    expect(log).toContain('publishAt');
    expect((await page('/posts/broken/')).status).toBe(404);
    expect((await page('/posts/welcome/')).status).toBe(200);
  });
});
