import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE_BLUESKY, ALICE_MASTODON, withAccounts } from './helpers/accounts.ts';
import { exampleRepoCopy, runCliAsync } from './helpers/cli.ts';
import { startNetworks, type Networks } from './helpers/networks.ts';

/**
 * Accounts (README: Accounts): the real CLI sends one item to the organisation's accounts and to
 * Alice's own, each from its own credentials, exactly once, crash or not. Alice's accounts are
 * on the organisation's Mastodon instance (two tokens, two accounts) and Bluesky PDS (two handles).
 */
let n: Networks;
const ALICE = { handle: 'alice.bsky.social', password: 'alice-app-pass-7q2w', did: 'did:plc:aliceabcdefghijklmnopqrs' };
const ALICE_TOKEN = 'alice-mastodon-token-93be11';
let dir: string;
const ITEM = 'content/social/2026-12-03-alice.md';
const NOW = '2026-12-03T10:00:00Z';

beforeEach(async () => {
  n = await startNetworks();
  // Alice's Mastodon account is on the organisation's instance: two accounts, one server.
  n.mastodon.addAccount(ALICE_TOKEN, 'alice');
  // And her Bluesky account on the organisation's PDS: two handles, two repositories, one server.
  n.bluesky.addHostedAccount(ALICE.handle, ALICE.password, ALICE.did);
  dir = exampleRepoCopy();
  // Only this item is due: the example's own are long past their window at NOW.
  const configFile = join(dir, 'postgate.config.yaml');
  writeFileSync(configFile, withAccounts(readFileSync(configFile, 'utf8'), ALICE_BLUESKY, ALICE_MASTODON));
  writeFileSync(
    join(dir, ITEM),
    '---\npublishAt: 2026-12-03T10:55\nas: [bluesky, mastodon, alice-bluesky, alice-mastodon]\n---\nWhat a morning at the food bank: https://example.org/posts/welcome/\n',
  );
});
afterEach(async () => {
  await n.stop();
  rmSync(dir, { recursive: true, force: true });
});

const env = () => ({
  ...n.env,
  BLUESKY_SERVICE_ALICE: n.bluesky.server.url,
  BLUESKY_HANDLE_ALICE: ALICE.handle,
  BLUESKY_APP_PASSWORD_ALICE: ALICE.password,
  MASTODON_URL_ALICE: n.mastodon.server.url,
  MASTODON_TOKEN_ALICE: ALICE_TOKEN,
});
const publish = (extra: Record<string, string> = {}) =>
  runCliAsync(['publish', '--now', NOW], { cwd: dir, env: { ...env(), ...extra } });
const counts = () => ({
  bluesky: n.bluesky.liveOf(n.bluesky.did).filter((r) => JSON.stringify(r).includes('food bank')).length,
  mastodon: n.mastodon.liveOf('postgate').filter((s) => s.text.includes('food bank')).length,
  aliceBluesky: n.bluesky.liveOf(ALICE.did).length,
  aliceMastodon: n.mastodon.liveOf('alice').length,
});
const ONCE = { bluesky: 1, mastodon: 1, aliceBluesky: 1, aliceMastodon: 1 };
const ledger = () =>
  readFileSync(join(dir, 'content/ledger.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => r.item === 'social/2026-12-03-alice');

describe('publish, per account', () => {
  it('sends to every account exactly once, each from its own credentials, and then nothing', async () => {
    const first = await publish();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(counts()).toEqual(ONCE);
    // Each account's links say whose they were; the organisation's implicit accounts' stay as before.
    expect(n.mastodon.liveOf('alice')[0]!.text).toContain('utm_content=alice-mastodon');
    expect(n.mastodon.liveOf('postgate').find((s) => s.text.includes('food bank'))!.text).not.toContain('utm_content');
    const sent = ledger().filter((r) => r.type === 'sent');
    expect(sent.map((r) => [r.channel, r.account]).sort()).toEqual([
      ['bluesky', undefined],
      ['bluesky', 'alice-bluesky'],
      ['mastodon', undefined],
      ['mastodon', 'alice-mastodon'],
    ]);
    expect(first.stdout).toMatch(/alice-bluesky +social\/2026-12-03-alice +part 1\/1 +sent/);
    // Alice's secrets are never printed.
    for (const secret of [ALICE.password, ALICE_TOKEN]) expect(first.stdout).not.toContain(secret);

    const again = await publish();
    expect(again.status).toBe(0);
    expect(counts()).toEqual(ONCE);
    expect(ledger().filter((r) => r.type === 'sent')).toHaveLength(4);
  }, 60_000);

  it('retracts on every account, each with its own credentials, and records it per account', async () => {
    expect((await publish()).status).toBe(0);
    const r = await runCliAsync(['retract', 'social/2026-12-03-alice'], { cwd: dir, env: env() });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(counts()).toEqual({ bluesky: 0, mastodon: 0, aliceBluesky: 0, aliceMastodon: 0 });
    expect(r.stdout).toMatch(/alice-mastodon +social\/2026-12-03-alice +retracted 1 post/);
    const retracted = ledger().filter((rec) => rec.type === 'retracted');
    expect(retracted.map((rec) => `${rec.channel}:${rec.account ?? '-'}`).sort()).toEqual([
      'bluesky:-',
      'bluesky:alice-bluesky',
      'mastodon:-',
      'mastodon:alice-mastodon',
    ]);
    // Retracted means never again, on any account.
    expect((await publish()).status).toBe(0);
    expect(counts()).toEqual({ bluesky: 0, mastodon: 0, aliceBluesky: 0, aliceMastodon: 0 });
  }, 60_000);

  it('a run killed at any step, then run again, leaves every account with its post exactly once', async () => {
    // The boundaries of this run: before/after each request and ledger write, for four accounts.
    for (let crashAt = 1; crashAt <= 16; crashAt += 3) {
      const crashed = await publish({ POSTGATE_CRASH_AT: String(crashAt) });
      expect(crashed.stderr).toMatch(/crash point|crash points passed/);
      const rerun = await publish();
      expect(rerun.status, rerun.stdout + rerun.stderr).toBe(0);
      expect(counts(), `crash at ${crashAt}`).toEqual(ONCE);
      // Start over for the next crash point: a fresh repository and fresh fakes' posts.
      for (const s of n.mastodon.statuses) s.deleted = true;
      for (const r of n.bluesky.records) r.deleted = true;
      writeFileSync(join(dir, 'content/ledger.jsonl'), '');
    }
  }, 180_000);

  it('names the account whose credentials are missing, by its own variable names, and still sends the others', async () => {
    const r = await publish({ MASTODON_TOKEN_ALICE: '' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('MASTODON_TOKEN_ALICE');
    expect(counts()).toEqual({ ...ONCE, aliceMastodon: 0 });
  }, 60_000);
});
