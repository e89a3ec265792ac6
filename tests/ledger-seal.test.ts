import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_BRANCH, LEDGER_FILE } from '../src/core/ledger.ts';
import { newSealKeys } from '../src/core/ledger-seal.ts';
import { githubFromEnv } from '../src/github/client.ts';
import { readLedgerOnGitHub } from '../src/github/ledger-branch.ts';
import { sealingFromEnv } from '../src/github/ledger-sealing.ts';
import { GitHubLedgerStore } from '../src/github/ledger-store.ts';
import { FakeGitHub } from './fakes/fake-github.ts';
import { exampleRepoCopy, REPO_ROOT, runCliAsync } from './helpers/cli.ts';
import { githubEnvOf } from './helpers/github-env.ts';
import { liveCounts, startNetworks, type Networks } from './helpers/networks.ts';

/**
 * Sealed ledger records, against the attack the ledger's history cannot see: a workflow a writer
 * adds on a branch, whose token commits to postgate/ledger exactly as the publisher's does
 * (`asToken`: authored by github-actions[bot], signed by GitHub).
 */
let n: Networks;
let gh: FakeGitHub;
let dir: string;

const THANKS = 'content/social/2026-12-01-volunteer-thanks.md';
const THANKS_ID = 'social/2026-12-01-volunteer-thanks';
const source = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const KEYS = newSealKeys();
const SEALED = { POSTGATE_LEDGER_KEY: KEYS.privateKey, POSTGATE_LEDGER_PUBLIC_KEY: KEYS.publicKey };

beforeEach(async () => {
  n = await startNetworks();
  gh = new FakeGitHub({ files: { 'postgate.config.yaml': source('postgate.config.yaml') } });
  gh.collaborators.set('amira', 'write');
  await gh.start();
  dir = exampleRepoCopy();
});
afterEach(async () => {
  await Promise.all([n.stop(), gh.stop()]);
});

const run = (args: string[], env: Record<string, string> = SEALED) =>
  runCliAsync(args, { cwd: dir, env: { ...n.env, ...githubEnvOf(gh), ...env } });
const publish = (now: string, env?: Record<string, string>) => run(['publish', '--now', now], env);
const ledger = () => gh.fileAt(LEDGER_BRANCH, LEDGER_FILE) ?? '';

function approveThanks() {
  gh.commit({ branch: 'thanks', files: { [THANKS]: source(THANKS) }, author: 'intern', message: 'Thanks' });
  const pr = gh.openPullRequest({ author: 'intern', branch: 'thanks', title: 'Thanks' });
  gh.review(pr, { user: 'amira', state: 'APPROVED' });
  gh.merge(pr, { by: 'riverside' });
}

async function thanksSent(env?: Record<string, string>) {
  approveThanks();
  const r = await publish('2026-12-01T09:00:00Z', env);
  expect({ status: r.status, stderr: r.stderr }, r.stdout).toEqual({ status: 0, stderr: '' });
  expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  return r;
}

/** What another workflow's token can do: an API commit on the ledger's branch, as the bot, signed by GitHub. */
const byAnotherWorkflow = (text: string, message = 'ledger: sent social/decoy on mastodon') =>
  gh.commit({ branch: LEDGER_BRANCH, files: { [LEDGER_FILE]: text }, asToken: true, message });

describe('sealed ledger records', () => {
  it('the publisher seals every record; a record another workflow’s token wrote stops publish, retract and the site build', async () => {
    await thanksSent();
    const commits = gh.log(LEDGER_FILE, LEDGER_BRANCH).filter((c) => c.message.startsWith('ledger:'));
    expect(commits.length).toBeGreaterThanOrEqual(6);
    for (const c of commits) expect(c.message).toMatch(/\nPostgate-Ledger-Seal: [A-Za-z0-9+/]{86}==$/);

    // A forged `sent` line for a decoy that names the real Mastodon post: retracting the decoy would
    // delete it. The history check alone takes this commit for the publisher's.
    const real = ledger()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; channel: string; remoteId: string; url: string })
      .find((r) => r.type === 'sent' && r.channel === 'mastodon')!;
    const forged = JSON.stringify({ ...real, item: 'social/decoy', at: '2026-12-01T08:00:00.000Z' });
    const pushed = byAnotherWorkflow(`${ledger()}${forged}\n`);

    const retract = await run(['retract', 'social/decoy']);
    expect(retract.status).toBe(1);
    expect(retract.stderr).toContain(`commit ${pushed.slice(0, 7)} looks like the publisher's but carries no seal`);
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
    expect((await publish('2026-12-01T09:30:00Z')).status).toBe(1);
    const site = await run(['ledger'], { POSTGATE_LEDGER_PUBLIC_KEY: KEYS.publicKey });
    expect(site.status).toBe(1);
    expect(site.stderr).toContain('carries no seal');

    // Without the public key (seals not turned on), the same commit passes: what the seal is for.
    const unchecked = await run(['ledger'], {});
    expect(unchecked.status, unchecked.stderr).toBe(0);
  });

  it('a `live` record (a post answered at its address) is the publisher’s like any other: sealed, checked, and it sends nothing', async () => {
    await thanksSent();
    const env = { ...githubEnvOf(gh), ...SEALED };
    const repo = githubFromEnv(env)!;
    const sealing = sealingFromEnv(env);
    const start = await readLedgerOnGitHub(repo, 'amira', sealing.check);
    const store = new GitHubLedgerStore(repo, dir, start, { sealing });
    const url = 'https://example.org/posts/welcome/';
    await store.append({
      v: 1,
      type: 'live',
      item: 'posts/welcome',
      channel: 'blog',
      part: 0,
      parts: 1,
      remoteId: '',
      url,
      at: '2026-12-01T09:10:00.000Z',
      hash: '',
    });
    expect(gh.log(LEDGER_FILE, LEDGER_BRANCH)[0]!.message).toMatch(
      /^ledger: live posts\/welcome on blog\n[\s\S]*Postgate-Ledger-Seal: /,
    );
    expect(ledger().trimEnd().split('\n').at(-1)).toContain('"type":"live"');

    const site = await run(['ledger'], { POSTGATE_LEDGER_PUBLIC_KEY: KEYS.publicKey });
    expect(site.status, site.stderr).toBe(0);
    expect(readFileSync(join(dir, LEDGER_FILE), 'utf8')).toContain('"type":"live"');
    const next = await publish('2026-12-01T09:30:00Z');
    expect({ status: next.status, stderr: next.stderr }, next.stdout).toEqual({ status: 0, stderr: '' });
    expect(liveCounts(n)).toEqual({ x: 1, mastodon: 1, bluesky: 1 });
  });

  it('a real seal copied onto another record does not hold', async () => {
    await thanksSent();
    const last = gh.log(LEDGER_FILE, LEDGER_BRANCH)[0]!;
    const lines = ledger().split('\n').filter(Boolean);
    // The newest record again, under the newest commit's own message and seal: a replay.
    byAnotherWorkflow(`${ledger()}${lines.at(-1)}\n`, last.message);
    const r = await publish('2026-12-01T09:30:00Z');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('carries a seal that does not hold for the record it wrote');
  });

  it('a run with the public key but not the private key sends nothing: its records could not be sealed', async () => {
    approveThanks();
    const r = await publish('2026-12-01T09:00:00Z', { POSTGATE_LEDGER_PUBLIC_KEY: KEYS.publicKey });
    expect(r.status).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('POSTGATE_LEDGER_PUBLIC_KEY is set but POSTGATE_LEDGER_KEY is not');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('keys that are not one pair are refused before anything is read or sent', async () => {
    approveThanks();
    const r = await publish('2026-12-01T09:00:00Z', {
      POSTGATE_LEDGER_KEY: newSealKeys().privateKey,
      POSTGATE_LEDGER_PUBLIC_KEY: KEYS.publicKey,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('POSTGATE_LEDGER_KEY is not the private half of POSTGATE_LEDGER_PUBLIC_KEY');
    expect(r.stderr).not.toContain(KEYS.privateKey);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });

  it('turning seals on for a ledger written without them: stopped until the last unsealed commit is named', async () => {
    const unsealed = await thanksSent({});
    expect(unsealed.stdout).toContain('Warning: ledger records are not sealed');
    expect(gh.log(LEDGER_FILE, LEDGER_BRANCH)[0]!.message).not.toContain('Postgate-Ledger-Seal');
    const stopped = await run(['retract', THANKS_ID]);
    expect(stopped.status).toBe(1);
    expect(stopped.stderr).toContain('POSTGATE_LEDGER_UNSEALED_UNTIL');

    const until = { ...SEALED, POSTGATE_LEDGER_UNSEALED_UNTIL: gh.head(LEDGER_BRANCH) };
    const retract = await run(['retract', THANKS_ID], until);
    expect(retract.status, retract.stdout + retract.stderr).toBe(0);
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
    // The records it wrote are sealed, and the next run checks them from its checkpoint on.
    expect(gh.log(LEDGER_FILE, LEDGER_BRANCH)[0]!.message).toContain('Postgate-Ledger-Seal');
    const next = await publish('2026-12-01T09:30:00Z', until);
    expect({ status: next.status, stderr: next.stderr }).toEqual({ status: 0, stderr: '' });
    expect(next.stdout).not.toContain('not sealed');
    expect(liveCounts(n)).toEqual({ x: 0, mastodon: 0, bluesky: 0 });
  });
});

describe('postgate ledger --new-key', () => {
  it('writes the private key to a new file only its owner can read, prints the public key and the commands, never the private key', async () => {
    const r = await runCliAsync(['ledger', '--new-key', 'seal.key'], { cwd: dir, env: {} });
    expect(r.status, r.stderr).toBe(0);
    const key = readFileSync(join(dir, 'seal.key'), 'utf8').trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(statSync(join(dir, 'seal.key')).mode & 0o777).toBe(0o600);
    expect(r.stdout).not.toContain(key);
    expect(r.stdout).toMatch(/Public key: [A-Za-z0-9+/]{43}=/);
    expect(r.stdout).toContain('gh secret set POSTGATE_LEDGER_KEY --env publish < ');
    expect(r.stdout).toContain('gh variable set POSTGATE_LEDGER_PUBLIC_KEY --body ');

    const again = await runCliAsync(['ledger', '--new-key', 'seal.key'], { cwd: dir, env: {} });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('is never overwritten');
    expect(readFileSync(join(dir, 'seal.key'), 'utf8').trim()).toBe(key);
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(existsSync(join(REPO_ROOT, LEDGER_FILE)));
  });
});
