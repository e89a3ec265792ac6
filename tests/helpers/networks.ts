import { FakeBluesky } from '../fakes/fake-bluesky.ts';
import { FakeMastodon } from '../fakes/fake-mastodon.ts';
import { FakeX } from '../fakes/fake-x.ts';

/** All three fake networks, started, and the environment that points the CLI at them. */
export interface Networks {
  x: FakeX;
  mastodon: FakeMastodon;
  bluesky: FakeBluesky;
  env: Record<string, string>;
  /** Every credential value, to prove none of them is ever printed or recorded. */
  secrets: string[];
  stop(): Promise<void>;
}

export async function startNetworks(): Promise<Networks> {
  const x = new FakeX();
  const mastodon = new FakeMastodon();
  const bluesky = new FakeBluesky();
  await Promise.all([x.start(), mastodon.start(), bluesky.start()]);
  const env = {
    ...x.env(),
    MASTODON_URL: mastodon.server.url,
    MASTODON_TOKEN: mastodon.token,
    BLUESKY_SERVICE: bluesky.server.url,
    BLUESKY_HANDLE: bluesky.handle,
    BLUESKY_APP_PASSWORD: bluesky.password,
  };
  const c = x.credentials;
  const secrets = [c.apiKey, c.apiSecret, c.accessToken, c.accessSecret, mastodon.token, bluesky.password];
  return {
    x,
    mastodon,
    bluesky,
    env,
    secrets,
    stop: async () => void (await Promise.all([x.stop(), mastodon.stop(), bluesky.stop()])),
  };
}

/** Live posts per network, for "exactly once" assertions. */
export function liveCounts(n: Networks) {
  return {
    x: n.x.livePosts().length,
    mastodon: n.mastodon.statuses.filter((s) => !s.deleted).length,
    bluesky: n.bluesky.records.filter((r) => !r.deleted).length,
  };
}
