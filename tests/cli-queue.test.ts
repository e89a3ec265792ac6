import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleRepoCopy, runCli } from './helpers/cli.ts';

interface Row {
  id: string;
  kind: string;
  publishAt: string | null;
  channels: string[];
  state: string;
  reason?: string;
}

function queue(args: string[], cwd?: string, env?: Record<string, string>): Row[] {
  const r = runCli(['queue', '--json', ...args], { cwd, env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

const byId = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.id, r]));

describe('postgate queue', () => {
  it('gives every example item its state at 2026-12-01T09:00:00Z', () => {
    const rows = byId(queue(['--now', '2026-12-01T09:00:00Z']));
    expect(Object.keys(rows).sort()).toEqual([
      'posts/welcome',
      'posts/winter-appeal',
      'posts/winter-appeal/announce',
      'social/2026-11-27-happy-friday',
      'social/2026-12-01-volunteer-thanks',
      'social/2026-12-02-signups-thread',
      'social/2026-12-04-jonas-evening-shift',
      'social/holiday-hours',
    ]);
    expect(rows['posts/welcome']).toMatchObject({
      kind: 'post',
      state: 'due',
      channels: ['blog'],
      publishAt: '2026-11-20T09:00:00Z',
    });
    expect(rows['posts/winter-appeal']).toMatchObject({
      kind: 'post',
      state: 'scheduled',
      publishAt: '2026-12-03T07:00:00Z',
    });
    expect(rows['posts/winter-appeal/announce']).toMatchObject({
      kind: 'announce',
      state: 'scheduled',
      channels: ['x', 'mastodon', 'bluesky'],
      reason: 'goes out once its blog post is live',
    });
    expect(rows['social/2026-11-27-happy-friday']).toMatchObject({ state: 'stale', publishAt: '2026-11-27T08:30:00Z' });
    expect(rows['social/2026-11-27-happy-friday']!.reason).toContain('past its 4h window');
    expect(rows['social/2026-12-01-volunteer-thanks']).toMatchObject({
      kind: 'social',
      state: 'due',
      publishAt: '2026-12-01T08:30:00Z',
    });
    expect(rows['social/2026-12-02-signups-thread']).toMatchObject({
      state: 'scheduled',
      publishAt: '2026-12-02T12:00:00Z',
    });
    expect(rows['social/holiday-hours']).toMatchObject({
      state: 'draft',
      publishAt: null,
      channels: ['mastodon', 'bluesky'],
    });
  });

  it('reads the clock from POSTGATE_NOW, and a local --now in the site time zone', () => {
    const early = byId(queue([], undefined, { POSTGATE_NOW: '2026-11-01T00:00:00Z' }));
    expect(early['posts/welcome']!.state).toBe('scheduled');
    // 09:29 in Berlin is a minute before the volunteer thanks are due.
    expect(byId(queue(['--now', '2026-12-01T09:29']))['social/2026-12-01-volunteer-thanks']!.state).toBe('scheduled');
    expect(byId(queue(['--now', '2026-12-01T09:30']))['social/2026-12-01-volunteer-thanks']!.state).toBe('due');
  });

  it('holds everything due while a CRISIS file exists, and shows its reason', () => {
    const dir = exampleRepoCopy();
    writeFileSync(join(dir, 'CRISIS'), 'Flooding in the city: all posts paused\n');
    const rows = byId(queue(['--now', '2026-12-01T09:00:00Z'], dir));
    expect(rows['posts/welcome']).toMatchObject({
      state: 'held',
      reason: 'CRISIS: Flooding in the city: all posts paused',
    });
    expect(rows['social/2026-12-01-volunteer-thanks']!.state).toBe('held');
    expect(rows['social/2026-12-02-signups-thread']!.state).toBe('scheduled');
    const text = runCli(['queue', '--now', '2026-12-01T09:00:00Z'], { cwd: dir });
    expect(text.stdout).toContain('CRISIS: Flooding in the city');
  });

  it('reads published items from the ledger, and starts an announcement once its post is live', () => {
    const dir = exampleRepoCopy();
    const record = (item: string, channel: string, part: number, parts: number, at: string) =>
      `${JSON.stringify({ v: 1, type: 'sent', item, channel, part, parts, remoteId: `${channel}-${item}-${part}`, url: '', at, hash: 'h' })}\n`;
    appendFileSync(
      join(dir, 'content/ledger.jsonl'),
      record('posts/winter-appeal', 'blog', 0, 1, '2026-12-03T07:00:05Z'),
    );
    appendFileSync(
      join(dir, 'content/ledger.jsonl'),
      record('social/2026-12-02-signups-thread', 'x', 0, 4, '2026-12-02T12:00:00Z'),
    );
    const rows = byId(queue(['--now', '2026-12-03T07:10:00Z'], dir));
    expect(rows['posts/winter-appeal']!.state).toBe('published');
    expect(rows['posts/winter-appeal/announce']).toMatchObject({ state: 'due', publishAt: '2026-12-03T07:00:05Z' });
    // One part of four on one channel is not "published"; and a thread that has begun is
    // finished, even past its stale window, rather than left half-told.
    expect(rows['social/2026-12-02-signups-thread']!.state).toBe('due');
  });

  it('lists a file too broken to read as held, with its error', () => {
    const dir = exampleRepoCopy();
    writeFileSync(join(dir, 'content/social/oops.md'), '---\npublishAt: [\n---\nHi\n');
    const rows = byId(queue(['--now', '2026-12-01T09:00:00Z'], dir));
    expect(rows['social/oops']!.state).toBe('held');
    expect(rows['social/oops']!.reason).toMatch(/^the file has errors: \d+:\d+ the front matter is not valid YAML/);
    expect(rows['social/2026-12-01-volunteer-thanks']!.state).toBe('due');
  });

  it('prints a readable table by default', () => {
    const r = runCli(['queue', '--now', '2026-12-01T09:00:00Z']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Queue at 2026-12-01 10:00 +01:00 (Europe/Berlin)');
    expect(lines).toContainEqual(expect.stringMatching(/^STATE\s+WHEN\s+CHANNELS\s+ID$/));
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^due\s+2026-12-01 09:30 \+01:00\s+x,mastodon,bluesky\s+social\/2026-12-01-volunteer-thanks$/,
      ),
    );
  });

  it('rejects a --now it cannot read, with exit 2', () => {
    const r = runCli(['queue', '--now', 'tomorrow']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--now: expected a date-time');
  });
});
