import type { Config } from '../core/config-schema.ts';
import { engagementByItem, type LivePost, livePosts, type PostEngagement } from '../core/engagement.ts';
import type { LedgerRecord } from '../core/ledger.ts';
import type { EngagementOutcome } from '../core/report-types.ts';
import { AnalyticsError } from './analytics.ts';
import { blueskyEngagement } from './engagement-bluesky.ts';
import { mastodonEngagement } from './engagement-mastodon.ts';
import type { ReaderOptions } from './engagement-reader.ts';
import { xEngagement, xReadsFor } from './engagement-x.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface NetworkEngagement {
  outcomes: EngagementOutcome[];
  /** What the reads cost or would cost (X bills them), for the report's notes. */
  notes: string[];
}

/**
 * Engagement, second to visitors, for the posts the report lists (`listed`: item and network),
 * with the organisation's credentials publish uses. Mastodon and Bluesky are free to read and
 * always asked; X only with `analytics.xMetrics: true`, since X bills every post read. A network
 * whose credentials are not set, or that fails, is named as missing; LinkedIn is not asked (its
 * API shows a page's numbers only to apps with the Community Management API).
 */
export async function networkEngagement(
  records: readonly LedgerRecord[],
  listed: readonly { item: string; channel: string }[],
  config: Config,
  env: Env,
  options: ReaderOptions = {},
): Promise<NetworkEngagement> {
  const get = (name: string) => env[name]?.trim() || undefined;
  const postsOn = (channel: string): LivePost[] => {
    const items = new Set(listed.filter((l) => l.channel === channel).map((l) => l.item));
    return livePosts(records, channel).filter((p) => items.has(p.item));
  };
  const outcomes: EngagementOutcome[] = [];
  const notes: string[] = [];
  const ask = async (channel: string, need: string[], read: (posts: LivePost[]) => Promise<PostEngagement[]>) => {
    const posts = postsOn(channel);
    if (posts.length === 0) return;
    const unset = need.filter((name) => !get(name));
    if (unset.length) {
      outcomes.push({ channel, ok: false, error: `${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} not set` });
      return;
    }
    try {
      outcomes.push({ channel, ok: true, byItem: engagementByItem(records, channel, await read(posts)) });
    } catch (error) {
      if (!(error instanceof AnalyticsError)) throw error;
      outcomes.push({ channel, ok: false, error: error.message });
    }
  };

  await Promise.all([
    ask('mastodon', ['MASTODON_URL', 'MASTODON_TOKEN'], (posts) =>
      mastodonEngagement(posts, { ...options, url: get('MASTODON_URL')!, token: get('MASTODON_TOKEN')! }),
    ),
    ask('bluesky', ['BLUESKY_HANDLE', 'BLUESKY_APP_PASSWORD'], (posts) =>
      blueskyEngagement(posts, {
        ...options,
        service: get('BLUESKY_SERVICE') ?? 'https://bsky.social',
        handle: get('BLUESKY_HANDLE')!,
        appPassword: get('BLUESKY_APP_PASSWORD')!,
      }),
    ),
  ]);
  const xReads = xReadsFor(postsOn('x'));
  if (xReads > 0 && !config.analytics.xMetrics)
    notes.push(
      `X engagement is not asked: X's pay-per-use pricing bills each post read (see developer.x.com pricing). This report would read ${xReads} post${xReads === 1 ? '' : 's'}; analytics.xMetrics: true turns it on.`,
    );
  else if (xReads > 0) {
    notes.push(
      `X engagement: ${xReads} post read${xReads === 1 ? '' : 's'}, which X bills (see developer.x.com pricing).`,
    );
    await ask('x', ['X_API_KEY', 'X_API_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET'], (posts) =>
      xEngagement(posts, {
        ...options,
        apiUrl: get('X_API_URL') ?? 'https://api.x.com',
        credentials: {
          apiKey: get('X_API_KEY')!,
          apiSecret: get('X_API_SECRET')!,
          accessToken: get('X_ACCESS_TOKEN')!,
          accessSecret: get('X_ACCESS_SECRET')!,
        },
      }),
    );
  }
  return { outcomes, notes };
}
