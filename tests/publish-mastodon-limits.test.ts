import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCliAsync } from './helpers/cli.ts';
import { type MastodonOnly, startMastodonOnly } from './helpers/mastodon-only.ts';

/**
 * `publish`, `check` and a dry run against a Mastodon instance that sets its own limits: the
 * config's `mastodon.maxCharacters` and `mastodon.charactersReservedPerUrl` for the offline
 * measures, GET /api/v2/instance (or v1, or the config, said once) when publishing.
 */
let r: MastodonOnly;
beforeEach(async () => {
  r = await startMastodonOnly();
});
afterEach(async () => {
  await r.n.stop();
});

describe("publish to Mastodon within the instance's own limits", () => {
  const long = `${'Our pantry needs more hands this winter. '.repeat(14).trim()} https://example.org/posts/welcome/`;

  it('refuses, before any request that posts, a text over the limit the instance states, and says which setting to change', async () => {
    expect(long.length).toBeGreaterThan(550);
    r.draft('2026-12-01-pantry', long);
    // The config allows 1000: check and a dry run measure by it.
    r.config('mastodon:\n  maxCharacters: 1000\n');
    const check = await r.check();
    expect(check.stdout).not.toContain('too long for Mastodon');
    expect(check.status).toBe(0);
    const dry = await runCliAsync(['publish', '--now', '2026-12-01T08:30:00Z', '--dry-run'], { cwd: r.dir });
    expect(dry.stdout).toMatch(/part 1\/1 {2}\d{3}\/1000/);

    // The instance allows 500.
    const run = await r.publish('2026-12-01T08:30:00Z');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/the text is \d{3} characters \(links count 23 each\); 127\.0\.0\.1:\d+ allows 500/);
    expect(run.stdout).toContain('GET /api/v2/instance');
    expect(run.stdout).toContain('set mastodon.maxCharacters: 500 in postgate.config.yaml');
    expect(r.creations()).toHaveLength(0);
    expect(r.n.mastodon.server.requests.filter((r) => r.path === '/api/v2/media')).toHaveLength(0);
    // Known not sent: the attempt is closed.
    expect(r.ledger().map((r) => r.type)).toEqual(['attempt', 'failed']);

    // With the config's default (500), check holds it and names the setting.
    r.config('');
    const strict = await r.check();
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(
      /the post is too long for Mastodon: \d{3} characters, the limit is 500 \(mastodon\.maxCharacters/,
    );
  });

  it('posts what an instance with a larger limit takes, and says once that check measures otherwise', async () => {
    r.n.mastodon.limits.maxCharacters = 1000;
    r.draft('2026-12-01-hours', 'Opening hours change next week.', '2026-12-01T09:00');
    const first = await r.publish('2026-12-01T08:30:00Z');
    expect(first.status).toBe(0);
    const notes = first.stdout.split('\n').filter((line) => line.includes('check measures otherwise'));
    expect(notes).toEqual([
      expect.stringContaining(
        'allows 1000 characters per post, each link counting 23; check measures otherwise: set mastodon.maxCharacters: 1000 in postgate.config.yaml',
      ),
    ]);

    r.draft('2026-12-01-pantry', long);
    r.config('mastodon:\n  maxCharacters: 1000\n');
    expect((await r.check()).status).toBe(0);
    const second = await r.publish('2026-12-01T08:35:00Z');
    expect(second.status).toBe(0);
    expect(second.stdout).not.toContain('check measures otherwise');
    expect(r.n.mastodon.live.map((s) => s.text.split(' https://')[0])).toEqual([
      'Opening hours change next week.',
      long.split(' https://')[0],
    ]);
  });

  it('counts each link as the instance does (characters_reserved_per_url)', async () => {
    r.n.mastodon.limits.charactersReservedPerUrl = 40;
    // 476 + 1 + a link: 500 when a link counts 23 (check passes), 517 when it counts 40.
    const text = `${'Volunteers wanted. '.repeat(26).slice(0, 475)}! https://example.org/posts/welcome/`;
    r.draft('2026-12-01-pantry', text);
    expect((await r.check()).status).toBe(0);
    const run = await r.publish('2026-12-01T08:30:00Z');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('the text is 517 characters (links count 40 each)');
    expect(run.stdout).toContain('set mastodon.charactersReservedPerUrl: 40 in postgate.config.yaml');
    expect(r.creations()).toHaveLength(0);

    // Told so, check measures as the instance does.
    r.config('mastodon:\n  charactersReservedPerUrl: 40\n');
    const check = await r.check();
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('the post is too long for Mastodon: 517 characters, the limit is 500');
  });

  it("falls back to the config's limit when the instance does not say, and says so once per run", async () => {
    r.n.mastodon.instanceApi = 'none';
    r.draft('2026-12-01-pantry', 'Part one.\n\n---\n\nPart two.\n\n---\n\nPart three.');
    r.draft('2026-12-01-hours', 'Opening hours change next week.', '2026-12-01T09:00');
    const summary = join(r.dir, 'summary.md');
    const run = await r.publish('2026-12-01T08:30:00Z', { GITHUB_STEP_SUMMARY: summary });
    expect(run.status).toBe(0);
    expect(r.n.mastodon.live).toHaveLength(4);
    expect(readFileSync(summary, 'utf8')).toContain('could not read 127.0.0.1');
    const notes = run.stdout.split('\n').filter((line) => line.includes('could not read 127.0.0.1'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('GET /api/v2/instance: ');
    expect(notes[0]).toContain('(HTTP 404)');
    expect(notes[0]).toContain('mastodon.maxCharacters 500');
    const instanceReads = r.n.mastodon.server.requests.filter((r) => r.path.endsWith('/instance')).map((r) => r.path);
    expect(instanceReads).toEqual(['/api/v2/instance', '/api/v1/instance']);
  });
});
