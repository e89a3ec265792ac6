import type { SocialChannelId } from '../core/channels.ts';
import type { Env } from './channel.ts';

/**
 * The credential variables, known without loading any network's client library: enough to tell
 * whether a run can send anything at all, and which values must never be printed.
 */
export const REQUIRED_VARIABLES: Record<SocialChannelId, readonly string[]> = {
  x: ['X_API_KEY', 'X_API_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'],
  mastodon: ['MASTODON_URL', 'MASTODON_TOKEN'],
  bluesky: ['BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD'],
  linkedin: ['LINKEDIN_ACCESS_TOKEN'],
};

/** Every variable whose value must never be printed: credentials of every network and GitHub's token. */
export const SECRET_VARIABLES = [
  'X_API_KEY',
  'X_API_SECRET',
  'X_ACCESS_TOKEN',
  'X_ACCESS_SECRET',
  'MASTODON_TOKEN',
  'BLUESKY_APP_PASSWORD',
  'LINKEDIN_ACCESS_TOKEN',
  'GITHUB_TOKEN',
  // Seals ledger records (src/core/ledger-seal.ts): a secret like the others.
  'POSTGATE_LEDGER_KEY',
  // The analytics tools' keys and passwords (src/analytics/from-env.ts), which `report` uses.
  'GOATCOUNTER_TOKEN',
  'PLAUSIBLE_API_KEY',
  'UMAMI_API_KEY',
  'UMAMI_TOKEN',
  'UMAMI_PASSWORD',
] as const;

/** Channels among `enabled` whose credentials are all set (each channel still checks them itself). */
export function channelsWithCredentials(enabled: readonly SocialChannelId[], env: Env): SocialChannelId[] {
  return enabled.filter((id) => REQUIRED_VARIABLES[id].every((name) => (env[name] ?? '') !== ''));
}
