import { describe, expect, it } from 'vitest';
import { assertSecureBaseUrls, insecureBaseUrlProblem, isLoopbackHost } from './base-url.ts';
import { UsageError } from './errors.ts';

describe('base URLs that credentials travel to', () => {
  it('accepts https anywhere and http only to this machine', () => {
    for (const url of [
      'https://api.github.com',
      'https://mastodon.example/',
      'http://127.0.0.1:4010',
      'http://127.8.9.10',
      'http://localhost:3000/api',
      'http://LOCALHOST',
      'http://[::1]:8080',
      '',
      undefined,
    ])
      expect(insecureBaseUrlProblem('MASTODON_URL', url), String(url)).toBeNull();
  });

  it('refuses http to any other host, naming the variable and what it holds, never a secret', () => {
    for (const url of [
      'http://mastodon.example',
      'http://10.0.0.5:8080',
      'http://128.0.0.1',
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example',
      'http://[::2]',
      'HTTP://api.x.com',
    ])
      expect(insecureBaseUrlProblem('X_API_URL', url), url).toMatch(/^X_API_URL is http:\/\/.+: http:\/\/ would send/);
    const problem = insecureBaseUrlProblem('GITHUB_API_URL', 'http://user:hunter2@ghe.example/api/v3?token=s3cret')!;
    expect(problem).toContain('GITHUB_API_URL is http://ghe.example/api/v3');
    expect(problem).not.toMatch(/hunter2|s3cret|user/);
  });

  it('knows loopback hosts as the URL parser writes them', () => {
    expect(isLoopbackHost(new URL('http://0x7f.1/').hostname)).toBe(true);
    expect(isLoopbackHost('[::ffff:7f00:1]')).toBe(false);
    expect(isLoopbackHost('example.org')).toBe(false);
  });

  it('holds the live check’s site address to the same rule, saying what is at stake there', () => {
    for (const url of ['https://example.org', 'http://127.0.0.1:4321/journal', 'http://localhost:8080'])
      expect(insecureBaseUrlProblem('POSTGATE_SITE_URL', url), url).toBeNull();
    expect(insecureBaseUrlProblem('POSTGATE_SITE_URL', 'http://example.org')).toBe(
      "POSTGATE_SITE_URL is http://example.org: anyone on the way could answer for the site, and that answer decides whether a post's announcements go out. Use https://; http:// is accepted only for this machine (127.0.0.1, ::1, localhost), e.g. for a local test server",
    );
    expect(() => assertSecureBaseUrls({ POSTGATE_SITE_URL: 'http://10.0.0.9:4321' })).toThrow(UsageError);
  });

  it('checks every variable at once', () => {
    expect(() =>
      assertSecureBaseUrls({ MASTODON_URL: 'http://m.example', BLUESKY_SERVICE: 'http://pds.example' }),
    ).toThrow(UsageError);
    expect(() => assertSecureBaseUrls({ MASTODON_URL: 'http://m.example' }, ['X_API_URL'])).not.toThrow();
  });
});
