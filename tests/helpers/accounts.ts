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
