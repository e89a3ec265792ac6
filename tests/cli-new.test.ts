import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleRepoCopy, runCli } from './helpers/cli.ts';
import { COMMANDS } from '../src/cli/main.ts';

describe('postgate new', () => {
  it('writes a post at the next free slot that passes check', () => {
    const dir = exampleRepoCopy();
    // Friday 2026-12-04 16:30 Berlin: 17:00 is within the hour of lead time, so Monday 09:30 is next.
    const r = runCli(['new', 'post', 'Spring appeal: Ünïcode & Co!', '--now', '2026-12-04T16:30'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      'Wrote content/posts/spring-appeal-unicode-co.mdx, scheduled for 2026-12-07 09:30 +01:00',
    );
    const text = readFileSync(join(dir, 'content/posts/spring-appeal-unicode-co.mdx'), 'utf8');
    expect(text).toContain('title: "Spring appeal: Ünïcode & Co!"');
    expect(text).toContain('publishAt: 2026-12-07T09:30');
    expect(runCli(['check'], { cwd: dir }).status).toBe(0);
  });

  it('does not give two social drafts the same slot, and never overwrites a file', () => {
    const dir = exampleRepoCopy();
    const now = ['--now', '2026-12-07T08:00'];
    expect(runCli(['new', 'social', 'thanks', ...now], { cwd: dir }).stdout).toContain(
      'content/social/2026-12-07-thanks.md, scheduled for 2026-12-07 09:30',
    );
    expect(runCli(['new', 'social', 'thanks', ...now], { cwd: dir }).stdout).toContain(
      'content/social/2026-12-07-thanks-2.md, scheduled for 2026-12-07 13:00',
    );
    const check = runCli(['check'], { cwd: dir });
    expect(check.stdout).toContain('0 errors');
    expect(check.status).toBe(0);
  });

  it('takes an explicit time and channel list', () => {
    const dir = exampleRepoCopy();
    const r = runCli(['new', 'social', '--at', '2026-12-24T10:00', '--channels', 'mastodon,bluesky'], { cwd: dir });
    expect(r.status).toBe(0);
    const text = readFileSync(join(dir, 'content/social/2026-12-24-post.md'), 'utf8');
    expect(text).toContain('publishAt: 2026-12-24T10:00\nchannels: [mastodon, bluesky]\n');
  });

  it('explains what it needs', () => {
    expect(runCli(['new', 'page']).status).toBe(2);
    expect(runCli(['new', 'post']).stderr).toContain('give the title');
    expect(runCli(['new', 'social', '--channels', 'twitter']).stderr).toContain(
      '--channels expects a list of x, mastodon, bluesky',
    );
    expect(runCli(['new', 'social', '--at', '2026-03-29T02:30']).stderr).toContain('does not exist in Europe/Berlin');
  });

  it('refuses to schedule on a config without free days', () => {
    const dir = exampleRepoCopy();
    writeFileSync(
      join(dir, 'postgate.config.yaml'),
      'site:\n  title: T\n  url: https://example.org\n  timeZone: UTC\nchannels: [blog]\n',
    );
    const r = runCli(['new', 'social'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no social channel is enabled');
  });
});

describe('--help', () => {
  it('is there for every command, and for the tool', () => {
    for (const { name: command } of COMMANDS) {
      const r = runCli([command, '--help']);
      expect(r.status, command).toBe(0);
      expect(r.stdout).toContain(`Usage: postgate ${command}`);
    }
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toMatch(/Commands:\n {2}check/);
    expect(runCli(['help', 'queue']).stdout).toContain('Usage: postgate queue');
  });

  it('suggests the command meant, with exit 2', () => {
    const r = runCli(['queu']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "queu"; did you mean "queue"?');
  });

  it('rejects unknown options with exit 2 and no stack trace', () => {
    const r = runCli(['queue', '--jsn']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("queue: Unknown option '--jsn'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
