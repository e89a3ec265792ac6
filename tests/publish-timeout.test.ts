import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleRepoCopy, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * POSTGATE_TIMEOUT_MS, end to end. Found against a real Bluesky server: a frozen server was
 * reported against "limit 20000 ms", the client's own default, whatever the variable said.
 */
let n: Networks;
let dir: string;
beforeEach(async () => {
  n = await startNetworks();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await n.stop();
});

describe('publish against a frozen network', () => {
  it('reports the limit POSTGATE_TIMEOUT_MS sets, not a client default', async () => {
    n.bluesky.server.inject({ match: /createSession/, hang: true });
    const r = await runCliAsync(['publish', '--now', '2026-12-01T09:00:00Z'], {
      cwd: dir,
      env: { ...n.env, POSTGATE_TIMEOUT_MS: '1200' },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Bluesky: no answer in time to log in (limit 1200 ms');
    expect(r.stdout).not.toContain('20000');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 0 });
  });
});
