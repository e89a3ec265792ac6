import { insecureBaseUrlProblem } from '../core/base-url.ts';
import type { SocialChannelId } from '../core/channels.ts';
import type { ChannelFromEnv, Env } from './channel.ts';

/**
 * Builds a network's channel from the environment, loading its client library only then: a run
 * with nothing due for a network never pays for its library (@atproto/api alone takes ~200 ms).
 */
const LOADERS: Record<SocialChannelId, (env: Env) => Promise<ChannelFromEnv>> = {
  x: async (env) => (await import('./x.ts')).xFromEnv(env),
  mastodon: async (env) => (await import('./mastodon.ts')).mastodonFromEnv(env),
  bluesky: async (env) => (await import('./bluesky.ts')).blueskyFromEnv(env),
};

/** The variable naming each network's server: credentials go there, so it must not be plain http elsewhere. */
const BASE_URL: Record<SocialChannelId, string> = {
  x: 'X_API_URL',
  mastodon: 'MASTODON_URL',
  bluesky: 'BLUESKY_SERVICE',
};

export async function loadChannel(id: SocialChannelId, env: Env): Promise<ChannelFromEnv> {
  const name = BASE_URL[id];
  if (insecureBaseUrlProblem(name, env[name]) !== null)
    return {
      ok: false,
      missing: [`${name} (http:// is accepted only for this machine: credentials would travel in clear text)`],
    };
  return LOADERS[id](env);
}

/**
 * A loader for a run: each network's channel is built once, on first use. Importing this module is
 * cheap; the client libraries load only when a channel is asked for.
 */
export function channelLoader(env: Env): (id: SocialChannelId) => Promise<ChannelFromEnv> {
  const built = new Map<SocialChannelId, Promise<ChannelFromEnv>>();
  return (id) => {
    let channel = built.get(id);
    if (!channel) built.set(id, (channel = loadChannel(id, env)));
    return channel;
  };
}
