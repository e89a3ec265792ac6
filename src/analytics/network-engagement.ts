import { REQUIRED_VARIABLES } from '../channels/credentials.ts';
import { type Account, accountEnv, accountsOf, implicitAccount } from '../core/accounts.ts';
import type { SocialChannelId } from '../core/channels.ts';
import type { Config } from '../core/config-schema.ts';
import { accountKeys, engagementByItem, type LivePost, livePosts, type PostEngagement } from '../core/engagement.ts';
import type { LedgerRecord } from '../core/ledger.ts';
import { byNetworkOrder } from '../core/report-posts.ts';
import type { EngagementOutcome } from '../core/report-types.ts';
import { AnalyticsError } from './analytics.ts';
import { blueskyEngagement } from './engagement-bluesky.ts';
import { mastodonEngagement } from './engagement-mastodon.ts';
import type { ReaderOptions } from './engagement-reader.ts';
import { xEngagement, xReadsFor, xReadsNote } from './engagement-x.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface NetworkEngagement {
  outcomes: EngagementOutcome[];
  /** What the reads cost or would cost (X bills them), for the report's notes. */
  notes: string[];
}

/** One account's live posts among those the report lists, and the account they are read as. */
interface AccountPosts {
  key: string;
  channel: string;
  /** Null: the ledger names an account the config no longer lists, so it has no credentials to read with. */
  account: Account | null;
  posts: LivePost[];
}

const READERS: Record<string, (posts: LivePost[], env: Env, options: ReaderOptions) => Promise<PostEngagement[]>> = {
  mastodon: (posts, env, options) =>
    mastodonEngagement(posts, { ...options, url: env.MASTODON_URL!, token: env.MASTODON_TOKEN! }),
  bluesky: (posts, env, options) =>
    blueskyEngagement(posts, {
      ...options,
      service: env.BLUESKY_SERVICE?.trim() || 'https://bsky.social',
      handle: env.BLUESKY_HANDLE!,
      appPassword: env.BLUESKY_APP_PASSWORD!,
    }),
  x: (posts, env, options) =>
    xEngagement(posts, {
      ...options,
      apiUrl: env.X_API_URL?.trim() || 'https://api.x.com',
      credentials: {
        apiKey: env.X_API_KEY!,
        apiSecret: env.X_API_SECRET!,
        accessToken: env.X_ACCESS_TOKEN!,
        accessSecret: env.X_ACCESS_SECRET!,
      },
    }),
};

/**
 * Engagement, second to visitors, for the posts the report lists (`listed`: item and network), per
 * account: each account's live posts (by its ledger key) read with its own server and credentials
 * (accountEnv), as publish sent them. Mastodon and Bluesky are free to read and always asked; X
 * only with `analytics.xMetrics: true`, since X bills every post read. An account whose variables
 * are not set, or that fails, is named as missing by its id and its variables' names, and the
 * network's other accounts still count. LinkedIn is not asked (its API shows a page's numbers only
 * to apps with the Community Management API).
 */
export async function networkEngagement(
  records: readonly LedgerRecord[],
  listed: readonly { item: string; channel: string }[],
  config: Config,
  env: Env,
  options: ReaderOptions = {},
): Promise<NetworkEngagement> {
  const targets = accountPostsOf(records, listed, accountsOf(config));
  const ask = async (target: AccountPosts): Promise<EngagementOutcome> => {
    const { channel, account, posts } = target;
    const id = account?.id ?? target.key;
    const items = [...new Set(posts.map((p) => p.item))];
    const failed = (error: string): EngagementOutcome => ({ channel, account: id, ok: false, error, items });
    if (!account) return failed(`${id} is no longer in accounts: of postgate.config.yaml, so it has no credentials`);
    const unset = unsetVariables(account, env);
    if (unset.length) return failed(`${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set`);
    try {
      const numbers = await READERS[channel]!(posts, accountEnv(env, account), options);
      return { channel, account: id, ok: true, byItem: engagementByItem(records, target.key, numbers) };
    } catch (error) {
      if (!(error instanceof AnalyticsError)) throw error;
      return failed(error.message);
    }
  };

  const free = targets.filter((t) => t.channel !== 'x');
  const outcomes = await Promise.all(free.map(ask));
  const notes: string[] = [];
  const xTargets = targets.filter((t) => t.channel === 'x');
  const reads = xTargets.map((t) => ({ account: t.account?.id ?? t.key, reads: xReadsFor(t.posts) }));
  if (reads.length > 0) notes.push(xReadsNote(reads, config.analytics.xMetrics));
  // X bills each read: one account after the other, so a stop (a signal, a refusal) is seen before the next.
  if (config.analytics.xMetrics) for (const t of xTargets) outcomes.push(await ask(t));
  return { outcomes, notes };
}

/** Each account with live posts the report lists, the networks in the order people know them. */
function accountPostsOf(
  records: readonly LedgerRecord[],
  listed: readonly { item: string; channel: string }[],
  accounts: readonly Account[],
): AccountPosts[] {
  const wanted = new Set(listed.map((l) => `${l.item}\u0000${l.channel}`));
  return accountKeys(records)
    .filter(({ channel }) => channel in READERS)
    .map(({ key, channel }) => ({
      key,
      channel,
      account:
        accounts.find((a) => a.key === key) ?? (key === channel ? implicitAccount(channel as SocialChannelId) : null),
      posts: livePosts(records, key).filter((p) => wanted.has(`${p.item}\u0000${p.channel}`)),
    }))
    .filter((t) => t.posts.length > 0)
    .sort((a, b) => byNetworkOrder(a.channel, b.channel));
}

/** The account's own names of the required variables that are empty (names only: never a value). */
function unsetVariables(account: Account, env: Env): string[] {
  return REQUIRED_VARIABLES[account.network]
    .map((standard) => account.credentials[standard] ?? standard)
    .filter((name) => !env[name]?.trim());
}
