import { insecureBaseUrlProblem } from '../core/base-url.ts';
import type { ChannelLimits, SocialChannelId } from '../core/channels.ts';
import { accountEnv, type Account } from '../core/accounts.ts';
import { linkedinConfigSchema, type LinkedInSettings } from '../core/linkedin-config.ts';
import type { ChannelFromEnv, Env } from './channel.ts';

/**
 * What a run decides for every network alike. The per-request limit comes from the command
 * (POSTGATE_TIMEOUT_MS): each client library's own default would otherwise win, and a frozen
 * server would be reported against a limit the user never set.
 */
export interface ChannelOptions {
  timeoutMs?: number;
  /** The site's language (`site.language`, BCP 47), for networks that record a post's language (Bluesky's langs). */
  language?: string;
  /** The config's limits for networks whose servers set their own (Mastodon). */
  limits?: ChannelLimits;
  /** The run's log, for what a network has to say about the whole run (once). */
  notice?: (line: string) => void;
  /** `linkedin:` of postgate.config.yaml: whose voice, the API version, when the token expires. */
  linkedin?: LinkedInSettings;
  /**
   * The run's clock (epoch ms) and the site's time zone, for what expires (LinkedIn's token: publish
   * refuses one past linkedin.tokenExpires). Left out by retract, which tries even so.
   */
  runAt?: number;
  timeZone?: string;
}

/**
 * Builds a network's channel from the environment, loading its client library only then: a run
 * with nothing due for a network never pays for its library (@atproto/api alone takes ~200 ms).
 */
const LOADERS: Record<SocialChannelId, (env: Env, options: ChannelOptions) => Promise<ChannelFromEnv>> = {
  x: async (env, options) => (await import('./x.ts')).xFromEnv(env, options),
  mastodon: async (env, options) => (await import('./mastodon.ts')).mastodonFromEnv(env, options),
  bluesky: async (env, options) => (await import('./bluesky.ts')).blueskyFromEnv(env, options),
  linkedin: async (env, options) => (await import('./linkedin.ts')).linkedinFromEnv(env, options),
};

/** The variable naming each network's server: credentials go there, so it must not be plain http elsewhere. */
const BASE_URL: Record<SocialChannelId, string> = {
  x: 'X_API_URL',
  mastodon: 'MASTODON_URL',
  bluesky: 'BLUESKY_SERVICE',
  linkedin: 'LINKEDIN_API_URL',
};

export async function loadChannel(
  id: SocialChannelId,
  env: Env,
  options: ChannelOptions = {},
): Promise<ChannelFromEnv> {
  const name = BASE_URL[id];
  if (insecureBaseUrlProblem(name, env[name]) !== null)
    return {
      ok: false,
      missing: [`${name} (http:// is accepted only for this machine: credentials would travel in clear text)`],
    };
  return LOADERS[id](env, options);
}

/**
 * A loader for a run: each account's channel is built once, on first use, from its own variables
 * mapped onto the standard names (src/core/accounts.ts), so each network's loader reads them as it
 * always has. Importing this module is cheap; the client libraries load only when a channel is asked for.
 */
export function channelLoader(
  env: Env,
  options: ChannelOptions = {},
): (id: SocialChannelId, account?: Account) => Promise<ChannelFromEnv> {
  const built = new Map<string, Promise<ChannelFromEnv>>();
  return (id, account) => {
    const key = account?.key ?? id;
    let channel = built.get(key);
    if (!channel)
      built.set(
        key,
        (channel = account
          ? loadChannel(id, accountEnv(env, account), accountOptions(options, account))
          : loadChannel(id, env, options)),
      );
    return channel;
  };
}

/** An account's LinkedIn settings (author, token expiry) over the config's `linkedin:`. */
function accountOptions(options: ChannelOptions, account: Account): ChannelOptions {
  if (account.network !== 'linkedin' || !account.linkedin) return options;
  const merged = linkedinConfigSchema.safeParse({ ...options.linkedin, ...account.linkedin });
  return merged.success ? { ...options, linkedin: merged.data } : options;
}
