import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarizeLedger } from '../src/core/ledger.ts';
import { parseLedgerText } from '../src/repo/ledger-file.ts';
import { exampleRepoCopy, runCliAsync } from './helpers/cli.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * `publish` when a network's server cannot be reached at all. Found against a real Bluesky
 * server that was not running: the refused log in was reported as "could not confirm whether
 * part 1 went out" and left an open attempt, though nothing could have been sent.
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

const publish = (now: string, env: Record<string, string> = {}) =>
  runCliAsync(['publish', '--now', now], { cwd: dir, env: { ...n.env, ...env } });
const records = () => {
  const file = join(dir, 'content/ledger.jsonl');
  return parseLedgerText(existsSync(file) ? readFileSync(file, 'utf8') : '').records;
};

/** A port on 127.0.0.1 that nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('publish when a network cannot be reached', () => {
  it('a refused connection at log in is a plain failure: nothing looked for, nothing left open', async () => {
    const service = `http://127.0.0.1:${await closedPort()}`;
    const first = await publish('2026-12-01T09:00:00Z', { BLUESKY_SERVICE: service });
    expect(first.status).toBe(1);
    expect(first.stdout).toContain(`Bluesky: could not reach the service at ${service} to log in (ECONNREFUSED)`);
    expect(first.stdout).not.toContain('could not confirm');
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 0 });
    // Every attempt has its outcome: the Bluesky one a failure, known not to be live.
    for (const [key, progress] of summarizeLedger(records()).progress) expect(progress.uncertain.size, key).toBe(0);
    expect(
      records()
        .filter((r) => r.channel === 'bluesky')
        .at(-1),
    ).toMatchObject({
      type: 'failed',
      failure: 'unavailable',
    });

    // With the service up, the next run sends it once, without having to look for it first.
    const second = await publish('2026-12-01T09:15:00Z');
    expect(second.status).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    const calls = n.bluesky.server.requests.map((r) => r.path.replace('/xrpc/', ''));
    expect(calls.filter((c) => c === 'com.atproto.repo.createRecord')).toHaveLength(1);
    expect(calls).not.toContain('com.atproto.repo.getRecord');
    expect(records().filter((r) => r.channel === 'bluesky' && r.type === 'sent')).toHaveLength(1);
  });
});
