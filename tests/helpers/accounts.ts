import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeBluesky } from '../fakes/fake-bluesky.ts';
import { FakeGitHub } from '../fakes/fake-github.ts';
import { exampleRepoCopy, REPO_ROOT } from './cli.ts';
import { startNetworks, type Networks } from './networks.ts';

/**
 * Alice's own accounts for tests of accounts (README: Accounts): entries of `accounts:` in
 * postgate.config.yaml, each reading its credentials from variables suffixed _ALICE.
 */
export const ALICE_BLUESKY = `  - id: alice-bluesky
    network: bluesky
    owner: alice
    credentials:
      BLUESKY_SERVICE: BLUESKY_SERVICE_ALICE
      BLUESKY_HANDLE: BLUESKY_HANDLE_ALICE
      BLUESKY_APP_PASSWORD: BLUESKY_APP_PASSWORD_ALICE
`;

export const ALICE_MASTODON = `  - id: alice-mastodon
    network: mastodon
    owner: alice
    credentials: { MASTODON_URL: MASTODON_URL_ALICE, MASTODON_TOKEN: MASTODON_TOKEN_ALICE }
`;

/** The config with `entries` added to its `accounts:` list (made when it has none). */
export function withAccounts(config: string, ...entries: string[]): string {
  const list = entries.join('');
  return /^accounts:[ \t]*(#.*)?$/m.test(config)
    ? config.replace(/^accounts:[ \t]*(#.*)?\n/m, (line) => `${line}${list}`)
    : `${config.trimEnd()}\n\naccounts:\n${list}`;
}

/** The example config with Alice's Bluesky account listed. */
export const CONFIG_WITH_ALICE = withAccounts(
  readFileSync(join(REPO_ROOT, 'postgate.config.yaml'), 'utf8'),
  ALICE_BLUESKY,
);

/**
 * A publishing world on GitHub where Alice's Bluesky account lives on a PDS of its own: the three
 * fake networks, Alice's PDS, a fake GitHub whose main holds CONFIG_WITH_ALICE (Amira approves, with
 * write access), and a checkout of the example with that config. `env` is a publish job's.
 */
export interface AliceWorld {
  n: Networks;
  alice: FakeBluesky;
  gh: FakeGitHub;
  dir: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startAliceWorld(): Promise<AliceWorld> {
  const n = await startNetworks();
  const alice = new FakeBluesky({ handle: 'alice.bsky.social', password: 'alice-app-pass-7q2w' });
  const gh = new FakeGitHub({ files: { 'postgate.config.yaml': CONFIG_WITH_ALICE } });
  gh.collaborators.set('amira', 'write');
  await Promise.all([alice.start(), gh.start()]);
  const dir = exampleRepoCopy();
  writeFileSync(join(dir, 'postgate.config.yaml'), CONFIG_WITH_ALICE);
  return {
    n,
    alice,
    gh,
    dir,
    env: {
      ...n.env,
      BLUESKY_SERVICE_ALICE: alice.server.url,
      BLUESKY_HANDLE_ALICE: alice.handle,
      BLUESKY_APP_PASSWORD_ALICE: alice.password,
      GITHUB_TOKEN: gh.token,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_API_URL: gh.url,
      POSTGATE_APPROVERS: 'amira',
      POSTGATE_GITHUB_THROTTLE: 'off',
    },
    stop: async () => void (await Promise.all([n.stop(), alice.stop(), gh.stop()])),
  };
}
