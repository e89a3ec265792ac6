import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleRepoCopy, runCli } from './helpers/cli.ts';

describe('postgate check', () => {
  it('passes the example content with exit 0', () => {
    const r = runCli(['check']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('checked 8 files: 0 errors, 0 warnings');
    expect(r.status).toBe(0);
  });

  it('reports JSON with every problem located', () => {
    const dir = exampleRepoCopy();
    writeFileSync(
      join(dir, 'content/social/broken.md'),
      '---\npublishAt: 2026-02-30T09:00\nchanels: [x]\n---\nHello\n',
    );
    const r = runCli(['check', '--format', 'json'], { cwd: dir });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.errors).toBe(2);
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'content/social/broken.md',
        line: 2,
        col: 12,
        severity: 'error',
        message: expect.stringContaining('2026-02-30 is not a date: February 2026 has 28 days'),
      }),
      expect.objectContaining({
        file: 'content/social/broken.md',
        line: 3,
        col: 1,
        severity: 'error',
        message: expect.stringContaining('did you mean "channels"?'),
      }),
    ]);
  });

  it('prints GitHub annotations, escaping what the workflow syntax reserves', () => {
    const dir = exampleRepoCopy();
    writeFileSync(
      join(dir, 'content/social/broken.md'),
      '---\npublishAt: 2026-12-01T09:30\nchannels: [twitter]\n---\nHello\n',
    );
    const r = runCli(['check', '--format', 'github'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      '::error file=content/social/broken.md,line=3,col=12,title=Postgate::unknown channel "twitter"; expected one of x, mastodon, bluesky, linkedin (did you mean "x"?)',
    );
  });

  it('keeps checking the other files when one is broken, and names each', () => {
    const dir = exampleRepoCopy();
    writeFileSync(join(dir, 'content/social/a.md'), 'no front matter here\n');
    writeFileSync(join(dir, 'content/social/b.md'), '---\npublishAt: 2026-12-01T09:30\ndraft: yes\n---\nHi\n');
    const r = runCli(['check'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('content/social/a.md:1:1: error: expected front matter');
    expect(r.stdout).toContain('content/social/b.md:3:8: error: expected draft to be true or false, received "yes"');
    expect(r.stdout).toContain('checked 10 files: 2 errors, 0 warnings');
  });

  it('reports a broken config with its location and exit 1', () => {
    const dir = exampleRepoCopy();
    writeFileSync(
      join(dir, 'postgate.config.yaml'),
      'site:\n  title: T\n  url: https://example.org\n  timeZone: Europe/Berlinn\n',
    );
    const r = runCli(['check'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('postgate.config.yaml:4:13: error: expected an IANA time zone');
  });

  it('names a misspelled key in a section that has defaults, with a suggestion', () => {
    const dir = exampleRepoCopy();
    writeFileSync(
      join(dir, 'postgate.config.yaml'),
      'site:\n  title: T\n  url: https://example.org\n  timeZone: Europe/Berlin\npolicies:\n  stalAfter: 6h\nmastodon:\n  maxCharacter: 600\n',
    );
    const r = runCli(['check'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'postgate.config.yaml:6:3: error: unknown key "stalAfter" in policies; did you mean "staleAfter"?',
    );
    expect(r.stdout).toMatch(
      /postgate\.config\.yaml:8:3: error: unknown key "maxCharacter" in mastodon; did you mean "maxCharacters"\?/,
    );
  });

  it('warns, without failing, about a channel the config does not enable', () => {
    const dir = exampleRepoCopy();
    writeFileSync(
      join(dir, 'postgate.config.yaml'),
      'site:\n  title: T\n  url: https://example.org\n  timeZone: Europe/Berlin\nchannels: [blog, mastodon, bluesky]\n',
    );
    // This config lists no accounts: the example's draft for Jonas's account would be an error.
    rmSync(join(dir, 'content/social/2026-12-04-jonas-evening-shift.md'));
    const r = runCli(['check'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /content\/social\/2026-12-01-volunteer-thanks\.md:3:\d+: warning: X is not among the channels/,
    );
  });

  it('never reads content through a content folder that links out of the repository', () => {
    const dir = exampleRepoCopy();
    const outside = mkdtempSync(join(tmpdir(), 'postgate-outside-'));
    writeFileSync(
      join(outside, 'leak.mdx'),
      '---\ntitle: T\ndescription: D\npublishAt: 2026-12-01T09:30\n---\nSecret\n',
    );
    rmSync(join(dir, 'content/posts'), { recursive: true });
    symlinkSync(outside, join(dir, 'content/posts'));
    const r = runCli(['check'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'content/posts/leak.mdx:1:1: error: the file is a link to a file outside the repository',
    );
  });

  it('refuses a content file or an image that is a symbolic link inside the repository', () => {
    const dir = exampleRepoCopy();
    // An approval binds bytes: a link's target could change while the link itself stays the same.
    symlinkSync('2026-12-01-volunteer-thanks.md', join(dir, 'content/social/linked.md'));
    const thread = join(dir, 'content/social/2026-12-02-signups-thread.md');
    writeFileSync(thread, readFileSync(thread, 'utf8').replace('./volunteer-chart.png', './linked-chart.png'));
    symlinkSync('volunteer-chart.png', join(dir, 'content/social/linked-chart.png'));
    const r = runCli(['check'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('content/social/linked.md:1:1: error: the file is a symbolic link');
    expect(r.stdout).toMatch(
      /content\/social\/2026-12-02-signups-thread\.md:\d+:\d+: error: image "\.\/linked-chart\.png" is a symbolic link/,
    );
  });

  it('refuses an unknown format with exit 2', () => {
    const r = runCli(['check', '--format', 'xml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--format expects one of text, json, github, received "xml"');
  });
});
