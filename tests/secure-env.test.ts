import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fakes/fake-github.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * The environment cannot quietly weaken the gates: no base URL sends credentials over plain
 * http to another machine, and inside GitHub Actions a step without GITHUB_TOKEN does not fall
 * back to local mode (no approvals, CRISIS from the checkout).
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({
    files: { 'postgate.config.yaml': readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8') },
  });
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const githubEnv = () => ({
  GITHUB_TOKEN: gh.token,
  GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
  GITHUB_API_URL: gh.url,
  POSTGATE_GITHUB_THROTTLE: 'off',
});
const requestsMade = () => [gh, n.x, n.mastodon, n.bluesky].reduce((sum, fake) => sum + fake.server.requests.length, 0);

describe('base URLs: https://, or http:// only to this machine', () => {
  for (const name of ['GITHUB_API_URL', 'X_API_URL', 'MASTODON_URL', 'BLUESKY_SERVICE']) {
    it(`publish refuses ${name}=http://<another host> before any request, and says why without a secret`, async () => {
      const r = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], {
        cwd: dir,
        env: { ...n.env, ...githubEnv(), [name]: 'http://api.example.org:8080/' },
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `${name} is http://api.example.org:8080: http:// would send credentials in clear text`,
      );
      expect(r.stderr).toContain('http:// is accepted only for this machine (127.0.0.1, ::1, localhost)');
      for (const secret of [...n.secrets, gh.token]) expect(r.stdout + r.stderr).not.toContain(secret);
      expect(requestsMade()).toBe(0);
      expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    });
  }

  it('publish refuses POSTGATE_SITE_URL=http://<another host> (where it asks whether a post is live) before any request', async () => {
    const r = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], {
      cwd: dir,
      env: { ...n.env, ...githubEnv(), POSTGATE_SITE_URL: 'http://site.example.org/' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'POSTGATE_SITE_URL is http://site.example.org: anyone on the way could answer for the site',
    );
    expect(requestsMade()).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('retract and crisis refuse them too', async () => {
    const retract = await runCliAsync(['retract', 'social/2026-12-01-volunteer-thanks'], {
      cwd: dir,
      env: { ...n.env, MASTODON_URL: 'http://mastodon.example' },
    });
    expect(retract.status).toBe(2);
    expect(retract.stderr).toContain('MASTODON_URL is http://mastodon.example: http:// would send credentials');
    const crisis = await runCliAsync(['crisis', 'status'], {
      cwd: dir,
      env: { ...githubEnv(), GITHUB_API_URL: 'http://10.0.0.7/api/v3' },
    });
    expect(crisis.status).toBe(2);
    expect(crisis.stderr).toContain('GITHUB_API_URL is http://10.0.0.7/api/v3: http:// would send');
    expect(requestsMade()).toBe(0);
  });
});

describe('GitHub Actions without GITHUB_TOKEN', () => {
  const inActions = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'riverside/journal' };

  it('publish refuses instead of falling back to local mode', async () => {
    const r = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], {
      cwd: dir,
      env: { ...n.env, ...inActions },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GITHUB_TOKEN is not set in this GitHub Actions step');
    expect(r.stderr).toContain('The workflow must pass it: env: GITHUB_TOKEN: ${{ github.token }}');
    expect(r.stderr).toContain('no approvals checked');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    expect(existsSync(join(dir, 'content/ledger.jsonl'))).toBe(false);
    // An empty token is no token.
    const empty = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z', '--dry-run'], {
      cwd: dir,
      env: { ...n.env, ...inActions, GITHUB_TOKEN: '' },
    });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('GITHUB_TOKEN is not set in this GitHub Actions step');
  });

  it('retract refuses too, and deletes nothing', async () => {
    expect((await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], { cwd: dir, env: n.env })).status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    const r = await runCliAsync(['retract', 'social/2026-12-01-volunteer-thanks'], {
      cwd: dir,
      env: { ...n.env, ...inActions },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('GITHUB_TOKEN is not set in this GitHub Actions step');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it('queue says plainly that it shows the local view', async () => {
    const text = await runCliAsync(['queue', '--now', '2026-12-01T09:00:00Z'], { cwd: dir, env: inActions });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Local view: GITHUB_TOKEN is not set in this GitHub Actions step/m);
    const json = await runCliAsync(['queue', '--json'], { cwd: dir, env: inActions });
    expect(json.stderr).toMatch(/^Local view: /);
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);
    // Outside Actions, nothing changes.
    expect((await runCliAsync(['queue'], { cwd: dir })).stdout).not.toContain('Local view');
  });
});
