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

export function loadChannel(id: SocialChannelId, env: Env): Promise<ChannelFromEnv> {
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
