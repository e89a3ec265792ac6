import { FakeLinkedIn } from '../tests/fakes/fake-linkedin.ts';
import { startNetworks, type Networks } from '../tests/helpers/networks.ts';

/**
 * The proof's networks: the three of tests/helpers/networks.ts, each with a second account (Alice's,
 * a staff member posting as herself, on the organisation's own servers: another user token on X,
 * another token on the Mastodon instance, another handle on the Bluesky PDS), and a LinkedIn whose
 * member administers the organisation's page. LinkedIn starts here, not in startNetworks, so the
 * many tests that use that do not start a fourth server they never post to.
 */
export const ALICE = {
  x: { token: '7012345678-aliceAccessTokenQ4w', secret: 'aliceAccessSecretHb6nR1', username: 'alice_riverside' },
  mastodon: { token: 'alice-mastodon-token-5d81f0', username: 'alice' },
  bluesky: { handle: 'alice.bsky.social', password: 'alice-app-pass-3k8m', did: 'did:plc:alicereliabilityproofabc' },
} as const;

export interface ProofNetworks extends Networks {
  linkedin: FakeLinkedIn;
}

export async function startProofNetworks(): Promise<ProofNetworks> {
  const [n, linkedin] = await Promise.all([startNetworks(), startLinkedIn()]);
  n.x.addUser(ALICE.x.token, ALICE.x.secret, ALICE.x.username);
  n.mastodon.addAccount(ALICE.mastodon.token, ALICE.mastodon.username);
  n.bluesky.addHostedAccount(ALICE.bluesky.handle, ALICE.bluesky.password, ALICE.bluesky.did);
  return {
    ...n,
    linkedin,
    env: {
      ...n.env,
      X_API_KEY_ALICE: n.x.credentials.apiKey,
      X_API_SECRET_ALICE: n.x.credentials.apiSecret,
      X_API_URL_ALICE: n.x.url,
      X_ACCESS_TOKEN_ALICE: ALICE.x.token,
      X_ACCESS_SECRET_ALICE: ALICE.x.secret,
      MASTODON_URL_ALICE: n.mastodon.server.url,
      MASTODON_TOKEN_ALICE: ALICE.mastodon.token,
      BLUESKY_SERVICE_ALICE: n.bluesky.server.url,
      BLUESKY_HANDLE_ALICE: ALICE.bluesky.handle,
      BLUESKY_APP_PASSWORD_ALICE: ALICE.bluesky.password,
      LINKEDIN_API_URL: linkedin.url,
      LINKEDIN_ACCESS_TOKEN: linkedin.member.token,
    },
    secrets: [
      ...n.secrets,
      ...[ALICE.x.token, ALICE.x.secret, ALICE.mastodon.token, ALICE.bluesky.password, linkedin.member.token],
    ],
    stop: async () => void (await Promise.all([n.stop(), linkedin.stop()])),
  };
}

async function startLinkedIn(): Promise<FakeLinkedIn> {
  const linkedin = new FakeLinkedIn();
  await linkedin.start();
  return linkedin;
}
