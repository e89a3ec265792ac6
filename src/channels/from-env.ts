import type { SocialChannelId } from '../core/channels.ts';
import { blueskyFromEnv } from './bluesky.ts';
import type { Channel, ChannelFromEnv, Env } from './channel.ts';
import { mastodonFromEnv } from './mastodon.ts';
import { xFromEnv } from './x.ts';

/**
 * Builds the channels the config enables from the environment, once, before anything is sent.
 * A channel without its credentials is not built; the variables it lacks are reported by name.
 */
const BUILDERS: Record<SocialChannelId, (env: Env) => ChannelFromEnv> = {
  x: xFromEnv,
  mastodon: mastodonFromEnv,
  bluesky: blueskyFromEnv,
};

export interface ChannelSet {
  channels: Map<SocialChannelId, Channel>;
  missing: Map<SocialChannelId, string[]>;
}

export function channelsFromEnv(enabled: readonly SocialChannelId[], env: Env): ChannelSet {
  const channels = new Map<SocialChannelId, Channel>();
  const missing = new Map<SocialChannelId, string[]>();
  for (const id of enabled) {
    const built = BUILDERS[id](env);
    if (built.ok) channels.set(id, built.channel);
    else missing.set(id, built.missing);
  }
  return { channels, missing };
}
