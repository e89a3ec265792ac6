import { Agent } from 'node:http';
import { ApiResponseError } from 'twitter-api-v2';
import type { LivePost, PostEngagement } from '../core/engagement.ts';
import { createXClient, parseApiOrigin, type XCredentials, XRequestScope } from '../channels/x-client.ts';
import { AnalyticsError } from './analytics.ts';
import { counted, type ReaderOptions } from './engagement-reader.ts';
import { DEFAULT_TIMEOUT_MS } from './http.ts';

/** GET /2/tweets takes at most 100 ids a call. */
export const X_BATCH = 100;

/**
 * X's numbers for each live post: GET /2/tweets?ids=…&tweet.fields=public_metrics, 100 ids a call,
 * signed with the OAuth 1.0a user credentials publish uses (the same client, moved to X_API_URL).
 * X bills every post a read returns, so `report` asks only when `analytics.xMetrics` is on, and
 * `xReadsFor` says beforehand how many reads a report makes. Posts X does not return (deleted)
 * come back as `errors` and add nothing.
 */
export async function xEngagement(
  posts: readonly LivePost[],
  options: ReaderOptions & { apiUrl: string; credentials: XCredentials },
): Promise<PostEngagement[]> {
  const origin = parseApiOrigin(options.apiUrl);
  if (!origin) throw new AnalyticsError('X', 'rejected', 'X_API_URL must be an origin such as https://api.x.com');
  const scope = new XRequestScope(
    options.signal ?? new AbortController().signal,
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );
  const client = createXClient(options.credentials, origin, new Agent(), scope);
  const found: PostEngagement[] = [];
  for (let i = 0; i < posts.length; i += X_BATCH) {
    const ids = posts.slice(i, i + X_BATCH).map((p) => p.remoteId);
    let answer: { data?: { id: string; public_metrics?: object }[] };
    try {
      answer = await client.v2.tweets(ids, { 'tweet.fields': ['public_metrics'] });
    } catch (error) {
      throw xReadError(error, scope);
    }
    for (const post of answer.data ?? []) {
      const m = post.public_metrics as Record<string, unknown> | undefined;
      if (!m) throw new AnalyticsError('X', 'malformed', `X answered post ${post.id} without public_metrics`);
      found.push({
        remoteId: post.id,
        replies: counted('X', m.reply_count, 'reply_count'),
        reposts: counted('X', m.retweet_count, 'retweet_count'),
        likes: counted('X', m.like_count, 'like_count'),
        quotes: counted('X', m.quote_count, 'quote_count'),
      });
    }
  }
  return found;
}

/** Reads X bills for one report: one per live post (deleted posts X leaves out are not billed). */
export const xReadsFor = (posts: readonly LivePost[]) => posts.length;

/** The library's errors carry the signed request; only the status and X's own title are kept. */
function xReadError(error: unknown, scope: XRequestScope): AnalyticsError {
  if (scope.timedOut)
    return new AnalyticsError('X', 'timeout', `X did not answer within ${Math.round(scope.timeoutMs / 1000)} s`);
  if (scope.signal.aborted) return new AnalyticsError('X', 'aborted', 'stopped while asking X');
  if (error instanceof ApiResponseError) {
    const status = error.code;
    const title = typeof error.data?.title === 'string' ? `: ${error.data.title}` : '';
    if (status === 401 || status === 403)
      return new AnalyticsError('X', 'auth', `X refused the credentials (${status}${title})`, { status });
    if (status === 429) return new AnalyticsError('X', 'rate-limited', 'X is rate-limiting reads (429)', { status });
    return new AnalyticsError('X', status >= 500 ? 'unavailable' : 'rejected', `X answered ${status}${title}`, {
      status,
    });
  }
  return new AnalyticsError('X', 'unavailable', 'could not reach X');
}

/**
 * The report's note on X's billed reads (X's pay-per-use pricing bills each post read): how many a
 * report makes, or would make while `analytics.xMetrics` is off, and with several X accounts how
 * many each, since each account's reads are billed to its own developer app.
 */
export function xReadsNote(reads: readonly { account: string; reads: number }[], asked: boolean): string {
  const total = reads.reduce((n, r) => n + r.reads, 0);
  const each = reads.length > 1 ? ` (${reads.map((r) => `${r.account} ${r.reads}`).join(', ')})` : '';
  const posts = `${total} post${total === 1 ? '' : 's'}${each}`;
  if (!asked)
    return `X engagement is not asked: X's pay-per-use pricing bills each post read (see developer.x.com pricing). This report would read ${posts}; analytics.xMetrics: true turns it on.`;
  return `X engagement: ${total} post read${total === 1 ? '' : 's'}${each}, which X bills (see developer.x.com pricing).`;
}
